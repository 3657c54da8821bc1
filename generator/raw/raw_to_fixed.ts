/**
 * A raw value as a two's complement fixed-point integer, (-1)^sign * (sig << exp) in units of
 * 2^expOffset. The significand is negated before the shift, where it is narrow; a negative zero
 * becomes 0. Only finite values: a NaN or Inf code has sig = 0 and gives 0.
 */
import type { VerilogModule } from '../verilog/module.js';
import { binop, lit, mux, ref, sext, shift, signedBits, unsignedBits, zext, type Signal } from '../verilog/signal.js';
import type { HwRaw } from './raw.js';

export interface HwFixed {
  readonly value: Signal;
  /** range of the integer value */
  readonly lo: bigint;
  readonly hi: bigint;
  /** value * 2^lsbExp is the number */
  readonly lsbExp: number;
}

export function rawToFixed(m: VerilogModule, prefix: string, r: HwRaw): HwFixed {
  const hi = r.magMax;
  const lo = r.sign ? -r.magMax : 0n;
  const w = signedBits(lo, hi);
  const sig = r.sig ?? lit(1, 1);
  const sw = Math.max(unsignedBits(r.sigMax), sig.width) + 1;
  const wide = zext(sig, sw);
  const signed = m.wire(`${prefix}_sig`, r.sign ? mux(r.sign, binop(lit(sw, 0), '-', wide), wide) : wide, {
    comment: `${prefix}: ${r.sign ? 'signed significand' : 'significand'}, two's complement`,
  });
  const ext = sext(signed, w);
  const value = m.wire(prefix, r.exp ? shift(ext, '<<', r.exp) : ext, { comment: `${prefix}: two's complement, units of 2^${r.expOffset}` });
  return { value, lo, hi, lsbExp: r.expOffset };
}
