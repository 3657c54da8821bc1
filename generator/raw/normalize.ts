/**
 * Leading-zero count and normalization of an unsigned magnitude in one log shifter: stage j shifts
 * left by 2^j when the top 2^j bits are zero, and that decision is bit j of the count. The result
 * has its leading one at the top bit (a zero input gives a count the caller overrides).
 */
import type { VerilogModule } from '../verilog/module.js';
import { concat, lit, mux, reduce, ref, slice, unsignedBits, type Expr, type Signal } from '../verilog/signal.js';

export interface Normalized {
  /** the magnitude shifted left by `lz` */
  readonly norm: Signal;
  /** leading zeros; null when the magnitude is one bit wide */
  readonly lz: Signal | null;
  /** largest value of lz for a non-zero magnitude */
  readonly lzMax: number;
}

/** `countOnly`: the caller reads only the count (the shifted magnitude is marked as unread). */
export function normalize(m: VerilogModule, p: string, mag: Signal, countOnly = false): Normalized {
  const W = mag.width;
  if (W === 1) return { norm: mag, lz: null, lzMax: 0 };
  const stages = unsignedBits(W - 1);
  let x: Signal = mag;
  const bits: Expr[] = [];
  for (let j = stages - 1; j >= 0; j--) {
    const s = 2 ** j;
    const z = m.wire(`${p}_z${j}`, reduce('|', slice(x, W - 1, Math.max(0, W - s))), { comment: j === stages - 1 ? `${p}: the top ${s} bits hold a one` : undefined });
    const shifted = s >= W ? lit(W, 0) : concat(slice(x, W - 1 - s, 0), lit(s, 0));
    x = m.wire(`${p}_n${j}`, mux(ref(z), ref(x), shifted), j === 0 && countOnly ? { unusedReason: 'only the leading-zero count is read' } : {});
    bits.push({ text: `~${z.name}`, width: 1 });
  }
  const lz = m.wire(`${p}_lz`, concat(...bits), { comment: `${p}: leading zeros of the magnitude` });
  return { norm: x, lz, lzMax: W - 1 };
}
