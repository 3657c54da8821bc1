/**
 * The one rounder of every unit: an exact value mag * 2^(exp + expOffset) (with NaN / Inf flags and
 * a sign) to an IEEE-style result format, round to nearest even, subnormals kept, overflow to +-Inf.
 * The hardware twin of src/round-float.ts roundToFloat.
 *
 * Stages: normalize (leading zeros and shift in one log shifter); biased exponent of the leading
 * one; the right shift of a subnormal result; round and sticky bits; one increment of {exponent,
 * fraction}, whose carry moves into the exponent and on to Inf; the special results.
 *
 * What the input range makes impossible is not built: `analyzeRounding` decides from the exact
 * range whether the result can overflow, be subnormal, or be inexact at all; the numbers come
 * from the format description (no constant of one format here).
 */
import { floatInf, floatQuietNan, type FloatFormat } from '../../src/formats/float.js';
import { roundToFloat } from '../../src/round-float.js';
import type { VerilogModule } from '../verilog/module.js';
import {
  binop, cmp, concat, lit, litTwos, mux, not, paren, reduce, ref, signedBits, slice, unsignedBits, zext, type Expr, type Signal,
} from '../verilog/signal.js';
import { normalize } from './normalize.js';

export interface RoundInput {
  /** true: the result is the quiet NaN (wins over everything) */
  readonly nan: Expr | null;
  /** true: the result is Inf of `sign` */
  readonly inf: Expr | null;
  /** sign of the value (and of an Inf); null when never negative */
  readonly sign: Expr | null;
  /** the magnitude, an unsigned integer */
  readonly mag: Signal;
  readonly magMax: bigint;
  /** unsigned exponent above expOffset, or null when it is always 0 */
  readonly exp: Expr | null;
  readonly expMax: number;
  /** value = mag * 2^(exp + expOffset) */
  readonly expOffset: number;
  /** sign of an exact zero (mag = 0): the value's sign, or always + */
  readonly zero: 'keep-sign' | 'positive';
  /** a finite value that rounds past the largest finite one: +-Inf (default) or +-max (saturate) */
  readonly overflow?: 'inf' | 'saturate';
  /** values below the smallest normal: kept as subnormals (default), or flushed to a zero of their sign */
  readonly subnormals?: 'keep' | 'flush';
  /**
   * to nearest, ties to even (default), or toward zero: the bits below the kept fraction are
   * dropped, and a value they leave at zero is +0 (as GPU tensor cores convert their sums)
   */
  readonly mode?: 'nearest-even' | 'toward-zero';
  /** fraction bits kept (toward zero only; default all of the format's): the rest are zero */
  readonly keepFraction?: number;
  /** the code of a NaN result (default the format's quiet NaN) */
  readonly nanCode?: number;
}

/** What the rounder must handle, decided from the input's exact range. */
export interface RoundingNeeds {
  /** some finite input rounds to +-Inf */
  readonly overflow: boolean;
  /** some non-zero input lies below the smallest normal */
  readonly subnormal: boolean;
  /** some input has bits below its result's quantum (otherwise every result is exact) */
  readonly inexact: boolean;
}

export function analyzeRounding(f: FloatFormat, x: Pick<RoundInput, 'magMax' | 'expMax' | 'expOffset' | 'subnormals'>): RoundingNeeds {
  const M = f.mbits;
  const emin = 1 - f.bias;
  const overflow = x.magMax > 0n && roundToFloat(f, false, x.magMax, x.expMax + x.expOffset) === floatInf(f, false);
  const subnormal = x.expOffset < emin;
  // more significant bits than the format keeps, or (subnormals kept) a unit below the smallest
  // subnormal's; a normal value with a bit below its quantum has more than M + 1 bits anyway
  const inexact = unsignedBits(x.magMax) > M + 1 || (x.subnormals !== 'flush' && x.expOffset < emin - M);
  return { overflow, subnormal, inexact };
}

/** The rounder's needs in words, for file headers. */
export function roundingNotes(f: FloatFormat, n: RoundingNeeds, opts: Pick<RoundInput, 'overflow' | 'subnormals' | 'mode' | 'keepFraction'> = {}): string[] {
  const name = f.name.toUpperCase();
  const flush = opts.subnormals === 'flush';
  const sat = opts.overflow === 'saturate';
  const keep = opts.keepFraction ?? f.mbits;
  const rounding =
    opts.mode === 'toward-zero'
      ? `Converted to ${name} toward zero (truncated)${keep < f.mbits ? `, keeping ${keep} of the ${f.mbits} fraction bits (the rest zero)` : ''}; a value that truncates to zero is +0.`
      : `Rounded once to ${name}, to nearest, ties to even.`;
  return [
    n.inexact ? rounding : `Every result is exactly representable in ${name}: no rounding logic is built.`,
    n.subnormal
      ? flush
        ? `Results below 2^${1 - f.bias} (before rounding) are flushed to a zero of their sign.`
        : `${name} subnormal results are produced (no flush to zero).`
      : `No result lies in the ${name} subnormal range.`,
    n.overflow
      ? `Results of 2^${2 ** f.ebits - 1 - f.bias} and above (after rounding) give ${sat ? '+-the largest finite value (saturation)' : '+-Inf'}.`
      : `No finite result can overflow ${name}.`,
  ];
}

export function roundToFormat(m: VerilogModule, p: string, f: FloatFormat, x: RoundInput): { result: Signal; needs: RoundingNeeds } {
  const E = f.ebits;
  const M = f.mbits;
  const W = x.mag.width;
  const needs = analyzeRounding(f, x);
  const expAllOnes = 2 ** E - 1;
  const flush = x.subnormals === 'flush';
  const saturate = x.overflow === 'saturate';
  const towardZero = x.mode === 'toward-zero';
  const keep = x.keepFraction ?? M;
  if (!Number.isInteger(keep) || keep < 0 || keep > M || (keep < M && !towardZero)) throw new Error(`${p}: keepFraction ${keep} needs toward-zero rounding and 0 .. ${M}`);
  // a flushed result needs no alignment: only the test that it is below the smallest normal
  const shifts = needs.subnormal && !flush;

  m.section(`${p}: normalize`);
  const nz = normalize(m, p, x.mag);
  // biased exponent of the leading one: exp + expOffset + (W - 1 - lz) + bias
  const C = x.expOffset + W - 1 + f.bias;
  const beLo = C - nz.lzMax;
  const beHi = C + x.expMax;
  // Without subnormal or overflowing results the biased exponent always lies in 1 .. 2^E - 2:
  // E bits of unsigned arithmetic hold it exactly.
  const narrow = !needs.subnormal && !needs.overflow;
  const bw = narrow ? E : signedBits(Math.min(beLo, 1 - beHi, 0), Math.max(beHi, 1 - beLo, expAllOnes));
  let be: Expr = narrow ? lit(E, ((C % 2 ** E) + 2 ** E) % 2 ** E) : litTwos(bw, C);
  if (x.exp) {
    if (x.exp.width > bw) throw new Error(`${p}: exponent of ${x.exp.width} bits for a ${bw}-bit biased exponent`);
    be = binop(zext(x.exp, bw), '+', be);
  }
  if (nz.lz) be = binop(be, '-', zext(ref(nz.lz), bw));
  const biased = m.wire(`${p}_biased`, be, {
    comment: narrow ? `${p}: biased ${f.name.toUpperCase()} exponent of the leading one (always 1 .. ${expAllOnes - 1} here)` : `${p}: biased ${f.name.toUpperCase()} exponent of the leading one (two's complement)`,
  });
  const one = narrow ? lit(bw, 1) : litTwos(bw, 1);
  const isNormal = needs.subnormal ? m.wire(`${p}_is_normal`, cmp(ref(biased), '>=', one, true)) : null;
  const overflow = needs.overflow ? m.wire(`${p}_overflow`, cmp(ref(biased), '>=', litTwos(bw, expAllOnes), true)) : null;

  // The normalized magnitude on top, zeros below; wide enough that the subnormal shift loses no bit
  // (a shift by M + 2 already leaves only sticky bits) and that the fraction (and round and sticky
  // bits, when rounding can happen) exist below the hidden bit.
  const rsMax = shifts ? Math.max(1, Math.min(1 - beLo, M + 2)) : 0;
  const T = Math.max(W + rsMax, M + (needs.inexact && !towardZero ? 3 : 1));
  let ext: Signal;
  const padded = T > W ? concat(ref(nz.norm), lit(T - W, 0)) : ref(nz.norm);
  const lowZero = needs.inexact ? (towardZero ? '; the bits below the fraction are truncated (toward zero)' : '') : '; the bits below the fraction are zero in this configuration (exact results)';
  const unusedReason = `bit ${T - 1} is the hidden bit, which the exponent field implies${T > M + 1 && (!needs.inexact || towardZero) ? lowZero : ''}`;
  if (shifts && isNormal) {
    m.section(`${p}: align a subnormal result`);
    const rw = unsignedBits(rsMax);
    const clamp = 1 - beLo > rsMax;
    // 1 - biased, the places below the smallest normal exponent: at most rsMax unless clamped, so
    // without a clamp its low rw bits are the whole of it
    const under = clamp
      ? m.wire(`${p}_under`, binop(one, '-', ref(biased)), { comment: `${p}: places below the smallest normal exponent` })
      : m.wire(`${p}_under`, binop(lit(rw, 1), '-', slice(biased, rw - 1, 0)), { comment: `${p}: places below the smallest normal exponent (1 .. ${rsMax} when subnormal)` });
    const amount = clamp ? paren(mux(cmp(ref(under), '>', litTwos(bw, rsMax), true), lit(rw, rsMax), slice(under, rw - 1, 0))) : ref(under);
    const rs = m.wire(`${p}_rshift`, mux(ref(isNormal), lit(rw, 0), amount), {
      comment: clamp ? `${p}: right shift of a subnormal result; ${rsMax} places leave only sticky bits` : `${p}: right shift of a subnormal result`,
    });
    ext = m.wire(`${p}_ext`, { text: `${padded.text} >> ${rs.name}`, width: T }, { unusedReason });
  } else {
    ext = m.wire(`${p}_ext`, padded, { unusedReason });
  }
  const frac = keep < M
    ? m.wire(`${p}_frac`, concat(slice(ext, T - 2, T - 1 - keep), lit(M - keep, 0)), { comment: `${p}: the top ${keep} fraction bits, the rest zero` })
    : m.wire(`${p}_frac`, slice(ext, T - 2, T - 1 - M));
  const expField = m.wire(`${p}_exp_field`, isNormal && shifts ? mux(ref(isNormal), slice(biased, E - 1, 0), lit(E, 0)) : slice(biased, E - 1, 0));
  let body: Signal;
  if (needs.inexact && !towardZero) {
    m.section(`${p}: round to nearest even`);
    const rnd = m.wire(`${p}_round`, slice(ext, T - 2 - M));
    const sticky = m.wire(`${p}_sticky`, reduce('|', slice(ext, T - 3 - M, 0)));
    const up = m.wire(`${p}_up`, binop(ref(rnd), '&', paren(binop(ref(sticky), '|', slice(frac, 0)))));
    body = m.wire(`${p}_body`, binop(concat(ref(expField), ref(frac)), '+', zext(ref(up), E + M)), {
      comment: `${p}: exponent and fraction; a carry of the increment moves into the exponent (up to Inf)`,
    });
  } else {
    body = m.wire(`${p}_body`, concat(ref(expField), ref(frac)), { comment: `${p}: exponent and fraction (${needs.inexact ? 'truncated toward zero' : 'exact'})` });
  }

  m.section(`${p}: special results`);
  // toward zero, a value whose kept bits are all zero is +0 like an exact zero
  const magZero = cmp(ref(x.mag), '==', lit(W, 0));
  // (an overflowing value's body is not its code: the overflow decides it)
  const truncatedZero = overflow ? binop(paren(cmp(ref(body), '==', lit(E + M, 0))), '&', not(ref(overflow))) : cmp(ref(body), '==', lit(E + M, 0));
  const zero = m.wire(`${p}_zero`, towardZero && needs.inexact && x.zero === 'positive' ? binop(paren(magZero), '|', paren(truncatedZero)) : magZero);
  const s = x.sign ?? lit(1, 0);
  const infCode = lit(E + M, floatInf(f, false));
  const maxCode = lit(E + M, floatInf(f, false) - 1);
  let r: Expr = concat(s, ref(body));
  if (overflow) {
    // saturation also catches the rounding increment's carry into the all-ones exponent
    const past = saturate && needs.inexact ? ref(m.wire(`${p}_past`, binop(ref(overflow), '|', reduce('&', slice(body, E + M - 1, M))))) : ref(overflow);
    r = mux(past, concat(s, saturate ? maxCode : infCode), paren(r));
  }
  if (flush && isNormal) r = mux(not(ref(isNormal)), concat(s, lit(E + M, 0)), paren(r));
  r = mux(ref(zero), concat(x.zero === 'positive' ? lit(1, 0) : s, lit(E + M, 0)), paren(r));
  if (x.inf) r = mux(x.inf, concat(s, infCode), paren(r));
  if (x.nan) r = mux(x.nan, lit(1 + E + M, x.nanCode ?? floatQuietNan(f)), paren(r));
  return { result: m.wire(p, r), needs };
}
