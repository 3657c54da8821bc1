/**
 * A raw value as a two's complement fixed-point integer: (-1)^sign * (sig << exp), in units of
 * 2^expOffset. Zero has one encoding (a negative zero becomes 0).
 */
import type { VerilogModule } from '../verilog/module.js';
import { binop, lit, mux, ref, shift, unsignedBits, zext, type Signal } from '../verilog/signal.js';
import type { HwRaw } from './raw.js';

export interface HwFixed {
  readonly value: Signal;
  /** range of the integer value */
  readonly lo: number;
  readonly hi: number;
  /** value * 2^lsbExp is the number */
  readonly lsbExp: number;
}

export function rawToFixed(m: VerilogModule, prefix: string, r: HwRaw): HwFixed {
  const magMax = r.sigMax * 2 ** r.expMax;
  const mw = unsignedBits(magMax);
  const mag = m.wire(`${prefix}_mag`, shift(zext(ref(r.sig), mw), '<<', ref(r.exp)));
  const w = mw + 1;
  const wide = zext(ref(mag), w);
  const value = m.wire(`${prefix}`, mux(ref(r.sign), binop(lit(w, 0), '-', wide), wide), {
    comment: `${prefix}: two's complement, units of 2^${r.expOffset}`,
  });
  return { value, lo: -magMax, hi: magMax, lsbExp: r.expOffset };
}
