/**
 * Round mag * 2^exp to IEEE FP32 with round-to-nearest-even: the hardware twin of
 * src/fp32.ts roundToFp32, and the only rounding step of every unit.
 *
 * Stages: count leading zeros; normalize; biased exponent; extra right shift for a subnormal
 * result (clamped: 25 places already leave only sticky bits); round bit and sticky; one
 * increment of {exponent, fraction}, whose carry moves into the exponent and on to Inf.
 * NaN gives 0x7FC00000; mag = 0 gives a zero of `sign`; otherwise an exponent at or above 255 gives +-Inf.
 */
import type { VerilogModule } from '../verilog/module.js';
import {
  binop, cmp, concat, lit, litTwos, mux, paren, reduce, ref, sext, shift, signedBits, slice,
  unsignedBits, zext, type Expr, type Signal,
} from '../verilog/signal.js';

export interface RoundInput {
  readonly nan: Expr;
  readonly sign: Signal;
  readonly mag: Signal;
  /** two's complement exponent of mag's least significant bit */
  readonly exp: Signal;
  readonly expLo: number;
  readonly expHi: number;
}

export function roundFp32(m: VerilogModule, p: string, x: RoundInput): Signal {
  const W = x.mag.width;
  m.section(`${p}: normalize`);
  const lzw = unsignedBits(W);
  const arms = [];
  for (let i = 0; i < W; i++) {
    const pattern = '0'.repeat(i) + '1' + '?'.repeat(W - 1 - i);
    arms.push({ label: `${W}'b${pattern}`, value: lit(lzw, i) });
  }
  const lz = m.casez(`${p}_lz`, lzw, ref(x.mag), arms, lit(lzw, W), `${p}: leading zeros of the magnitude (${W} when it is zero)`);
  const norm = m.wire(`${p}_norm`, shift(ref(x.mag), '<<', ref(lz)), { comment: `${p}: magnitude with its leading one at bit ${W - 1}` });
  // Wide enough for every biased exponent (also of a zero magnitude, lz = W), for 1 - biased, and for 255.
  const bw = signedBits(Math.min(x.expLo + 120, -30), Math.max(x.expHi + W + 130, 260));
  const biased = m.wire(
    `${p}_biased`,
    binop(binop(sext(x.exp, bw), '+', litTwos(bw, W - 1 + 127)), '-', zext(ref(lz), bw)),
    { comment: `${p}: FP32 biased exponent of the leading one (two's complement)` },
  );
  const one = litTwos(bw, 1);
  const isNormal = m.wire(`${p}_is_normal`, cmp(ref(biased), '>=', one, true));
  const overflow = m.wire(`${p}_overflow`, cmp(ref(biased), '>=', litTwos(bw, 255), true));

  m.section(`${p}: align a subnormal result, then round to nearest even`);
  const under = m.wire(`${p}_under`, binop(one, '-', ref(biased)), { comment: `${p}: places below the smallest normal exponent` });
  const rs = m.wire(
    `${p}_rshift`,
    mux(ref(isNormal), lit(5, 0), paren(mux(cmp(ref(under), '>', litTwos(bw, 25), true), lit(5, 25), slice(under, 4, 0)))),
    { comment: `${p}: right shift for a subnormal result; 25 places leave only sticky bits` },
  );
  // The normalized magnitude on top, zeros below: wide enough that a shift by 25 keeps every bit
  // (as sticky) and that 23 fraction bits, the round bit and a sticky bit exist below the hidden one.
  const T = Math.max(W + 25, 26);
  const ext = m.wire(`${p}_ext`, shift(concat(ref(norm), lit(T - W, 0)), '>>', ref(rs)), {
    unusedReason: `bit ${T - 1} is the hidden bit, which the exponent field already implies`,
  });
  const frac = m.wire(`${p}_frac`, slice(ext, T - 2, T - 24));
  const rnd = m.wire(`${p}_round`, slice(ext, T - 25));
  const sticky = m.wire(`${p}_sticky`, reduce('|', slice(ext, T - 26, 0)));
  const up = m.wire(`${p}_up`, binop(ref(rnd), '&', paren(binop(ref(sticky), '|', slice(frac, 0)))));
  const expField = m.wire(`${p}_exp_field`, mux(ref(isNormal), slice(biased, 7, 0), lit(8, 0)));
  const body = m.wire(`${p}_body`, binop(concat(ref(expField), ref(frac)), '+', zext(ref(up), 31)), {
    comment: `${p}: exponent and fraction; a carry of the increment moves into the exponent (up to Inf)`,
  });

  m.section(`${p}: special results`);
  const zero = m.wire(`${p}_zero`, cmp(ref(x.mag), '==', lit(W, 0)));
  const s = ref(x.sign);
  return m.wire(
    `${p}`,
    mux(
      x.nan,
      lit(32, 0x7fc00000),
      paren(mux(ref(zero), concat(s, lit(31, 0)), paren(mux(ref(overflow), concat(s, lit(8, 255), lit(23, 0)), concat(s, ref(body)))))),
    ),
  );
}
