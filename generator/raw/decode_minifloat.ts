/**
 * Decode a minifloat element code into the hardware raw form (no special codes: FP4 E2M1 and the
 * FP6 formats have none). sig = {e != 0, m}; exp = e - 1 for e > 0, else 0;
 * expOffset = 1 - bias - mbits, so value = sig * 2^(exp + expOffset) exactly.
 */
import type { MinifloatSpec } from '../../src/formats/minifloat.js';
import type { VerilogModule } from '../verilog/module.js';
import { binop, cmp, concat, lit, mux, paren, slice, type Signal } from '../verilog/signal.js';
import type { HwRaw } from './raw.js';

export function decodeMinifloat(m: VerilogModule, prefix: string, f: MinifloatSpec, code: Signal): HwRaw {
  if (f.specials !== 'none') throw new Error(`decodeMinifloat: ${f.name} has special codes; not supported by this decoder`);
  if (!f.signed) throw new Error(`decodeMinifloat: ${f.name} is unsigned`);
  const eHi = f.mbits + f.ebits - 1;
  const e = slice(code, eHi, f.mbits);
  const sign = m.wire(`${prefix}_sign`, slice(code, eHi + 1));
  const normal = cmp(e, '!=', lit(f.ebits, 0));
  const sig = m.wire(`${prefix}_sig`, concat(paren(normal), slice(code, f.mbits - 1, 0)), {
    comment: `${prefix}: significand with its hidden bit, exponent above the subnormal one`,
  });
  const exp = m.wire(`${prefix}_exp`, mux(paren(normal), binop(e, '-', lit(f.ebits, 1)), lit(f.ebits, 0)));
  return {
    sign,
    sig,
    sigMax: (2 << f.mbits) - 1,
    exp,
    expMax: (1 << f.ebits) - 2,
    expOffset: 1 - f.bias - f.mbits,
  };
}
