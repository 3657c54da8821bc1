/**
 * Decoders from a code to the hardware raw form, one per format family: minifloats (with no special
 * codes, with only an all-ones NaN, or with IEEE-style Inf and NaN; signed or unsigned), two's
 * complement integers (MXINT8) and E8M0 scales. Every number comes from the format's description
 * in src/formats; nothing here knows a particular format.
 */
import { E8M0_BIAS, E8M0_MAX, E8M0_NAN } from '../../src/formats/e8m0.js';
import { isE8M0, isIntFormat, type ElementFormat, type ScaleFormat } from '../../src/formats/format.js';
import type { IntSpec } from '../../src/formats/int8.js';
import { decodeMinifloat as goldenDecode, minifloatMaxCode, type MinifloatSpec } from '../../src/formats/minifloat.js';
import type { VerilogModule } from '../verilog/module.js';
import { any, binop, cmp, concat, lit, mux, not, paren, reduce, ref, slice, type Expr, type Signal } from '../verilog/signal.js';
import type { HwRaw } from './raw.js';

export function decodeElement(m: VerilogModule, prefix: string, f: ElementFormat, code: Signal): HwRaw {
  return isIntFormat(f) ? decodeInt(m, prefix, f, code) : decodeMinifloat(m, prefix, f, code);
}

export function decodeScale(m: VerilogModule, prefix: string, f: ScaleFormat, code: Signal): HwRaw {
  return isE8M0(f) ? decodeE8M0(m, prefix, code) : decodeMinifloat(m, prefix, f, code);
}

/**
 * sig = {e != 0, m}, exp = e - 1 for e > 0 and 0 for e = 0, expOffset = 1 - bias - mbits, so that
 * value = sig * 2^(exp + expOffset) exactly (subnormals included). NaN and Inf codes give sig = 0.
 */
export function decodeMinifloat(m: VerilogModule, prefix: string, f: MinifloatSpec, code: Signal): HwRaw {
  const E = f.ebits;
  const M = f.mbits;
  const magBits = E + M;
  if (code.width !== magBits + (f.signed ? 1 : 0)) throw new Error(`decode ${f.name}: code is ${code.width} bits`);
  const e = m.wire(`${prefix}_e`, slice(code, magBits - 1, M));
  const man = m.wire(`${prefix}_m`, slice(code, M - 1, 0));
  const sign = f.signed ? ref(m.wire(`${prefix}_sign`, slice(code, magBits))) : null;
  let nan: Expr | null = null;
  let inf: Expr | null = null;
  if (f.specials === 'nan-all-ones') {
    nan = ref(m.wire(`${prefix}_nan`, reduce('&', slice(code, magBits - 1, 0)), { comment: `${prefix}: the NaN code (magnitude all ones)` }));
  } else if (f.specials === 'ieee') {
    const top = m.wire(`${prefix}_top`, reduce('&', ref(e)), { comment: `${prefix}: exponent all ones: Inf (mantissa 0) or NaN` });
    nan = ref(m.wire(`${prefix}_nan`, binop(ref(top), '&', reduce('|', ref(man)))));
    inf = ref(m.wire(`${prefix}_inf`, binop(ref(top), '&', paren(not(reduce('|', ref(man)))))));
  }
  const normal = m.wire(`${prefix}_normal`, cmp(ref(e), '!=', lit(E, 0)));
  const full = concat(ref(normal), ref(man));
  const special = nan && inf ? paren(any([nan, inf])) : nan;
  const sig = m.wire(`${prefix}_sig`, special ? mux(special, lit(M + 1, 0), full) : full, {
    comment: special ? `${prefix}: significand with its hidden bit; 0 for a special code` : `${prefix}: significand with its hidden bit`,
  });
  const exp = m.wire(`${prefix}_exp`, mux(ref(normal), binop(ref(e), '-', lit(E, 1)), lit(E, 0)), {
    comment: `${prefix}: exponent of the significand's unit, above 2^${1 - f.bias - M}`,
  });
  const maxCode = minifloatMaxCode(f);
  const max = goldenDecode(f, maxCode);
  const offset = 1 - f.bias - M;
  return {
    sign,
    sig: ref(sig),
    sigMax: BigInt(2 ** (M + 1) - 1),
    magMax: BigInt(max.sig) << BigInt(max.exp - offset),
    exp: ref(exp),
    expMax: (maxCode >>> M) - 1,
    expOffset: offset,
    nan,
    inf,
    canBeZero: true,
  };
}

/** Two's complement integer: sign = top bit, sig = |code| (up to 2^(bits-1)), value = sig * 2^-fracBits. */
export function decodeInt(m: VerilogModule, prefix: string, f: IntSpec, code: Signal): HwRaw {
  const B = f.bits;
  if (code.width !== B) throw new Error(`decode ${f.name}: code is ${code.width} bits`);
  const sign = m.wire(`${prefix}_sign`, slice(code, B - 1));
  const sig = m.wire(`${prefix}_sig`, mux(ref(sign), binop(lit(B, 0), '-', ref(code)), ref(code)), { comment: `${prefix}: magnitude (0 .. ${2 ** (B - 1)})` });
  const most = 1n << BigInt(B - 1);
  return { sign: ref(sign), sig: ref(sig), sigMax: most, magMax: most, exp: null, expMax: 0, expOffset: -f.fracBits, nan: null, inf: null, canBeZero: true };
}

/** E8M0: 2^(code - bias): the constant significand 1, exp = code; the NaN code is flagged. */
export function decodeE8M0(m: VerilogModule, prefix: string, code: Signal): HwRaw {
  if (code.width !== 8) throw new Error(`decode e8m0: code is ${code.width} bits`);
  const nan = m.wire(`${prefix}_nan`, cmp(ref(code), '==', lit(8, E8M0_NAN)), { comment: `${prefix}: the E8M0 NaN code` });
  return {
    sign: null,
    sig: null,
    sigMax: 1n,
    magMax: 1n << BigInt(E8M0_MAX),
    exp: ref(code),
    expMax: E8M0_MAX,
    expOffset: -E8M0_BIAS,
    nan: ref(nan),
    inf: null,
    canBeZero: false,
  };
}
