/**
 * Restoring division of an unsigned n by a normalized divisor d (its top bit set), for quotients
 * below 2^qBits: n has qBits + width(d) - 1 bits, so the bits of n above the quotient's top bit
 * start the remainder (they are below d) and each of the qBits steps brings down one bit of n,
 * compares with d and subtracts. qBits steps of a (width(d) + 1)-bit subtraction: much smaller
 * and shallower than a general divider of n's width. The remainder is exact (for the sticky bit).
 */
import type { VerilogModule } from '../verilog/module.js';
import { binop, cmp, concat, lit, mux, ref, slice, zext, type Expr, type Signal } from '../verilog/signal.js';

export function divideNormalized(m: VerilogModule, p: string, n: Signal, d: Expr, qBits: number, remUnused?: string): { q: Signal; rem: Signal } {
  const DW = d.width;
  if (n.width !== qBits + DW - 1) throw new Error(`${p}: a ${n.width}-bit dividend for ${qBits} quotient bits and a ${DW}-bit divisor`);
  const dd = m.wire(`${p}_d`, zext(d, DW + 1), { comment: `${p}: the divisor (top bit set), one bit wider` });
  let rem: Signal = m.wire(`${p}_r${qBits}`, n.width > qBits ? zext(slice(n, n.width - 1, qBits), DW) : lit(DW, 0), { comment: `${p}: the dividend's top bits, below the divisor` });
  const qs: Expr[] = [];
  for (let j = qBits - 1; j >= 0; j--) {
    const t = m.wire(`${p}_t${j}`, concat(ref(rem), slice(n, j)), { comment: j === qBits - 1 ? `${p}: each step brings down one bit of the dividend` : undefined });
    const qb = m.wire(`${p}_q${j}`, cmp(ref(t), '>=', ref(dd)));
    const diff = m.wire(`${p}_s${j}`, binop(ref(t), '-', ref(dd)), { unusedReason: 'below 2^width(d) where it is taken' });
    rem = m.wire(`${p}_r${j}`, mux(ref(qb), slice(diff, DW - 1, 0), slice(t, DW - 1, 0)), j === 0 && remUnused ? { unusedReason: remUnused } : {});
    qs.push(ref(qb));
  }
  const q = m.wire(`${p}_q`, concat(...qs), { comment: `${p}: the quotient` });
  return { q, rem };
}
