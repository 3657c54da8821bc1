/**
 * A balanced tree of two's complement adders. Each level adds neighbours pairwise; an odd term
 * out passes to the next level as it is. Every sum is exactly as wide as its value range needs, so
 * no sum can overflow and the tree's result is the exact sum of its terms.
 */
import type { VerilogModule } from '../verilog/module.js';
import { binop, sext, signedBits, type Signal } from '../verilog/signal.js';
import type { HwFixed } from './raw_to_fixed.js';

/** One term of the tree: a signal (or a slice of a packed signal, as an expression) and its range. */
export interface TreeTerm {
  readonly value: Signal;
  readonly lo: bigint;
  readonly hi: bigint;
}

export function addTree(m: VerilogModule, prefix: string, terms: readonly TreeTerm[], lsbExp: number): HwFixed {
  if (terms.length === 0) throw new Error('addTree: no terms');
  let level: TreeTerm[] = [...terms];
  let depth = 0;
  while (level.length > 1) {
    depth++;
    m.section(`${prefix}: adder tree level ${depth} (${level.length} terms -> ${Math.ceil(level.length / 2)})`);
    const next: TreeTerm[] = [];
    for (let i = 0; i < level.length; i += 2) {
      if (i + 1 === level.length) {
        next.push(level[i]);
        continue;
      }
      const a = level[i];
      const b = level[i + 1];
      const lo = a.lo + b.lo;
      const hi = a.hi + b.hi;
      const w = signedBits(lo, hi);
      next.push({ value: m.wire(`${prefix}_l${depth}_${i / 2}`, binop(sext(a.value, w), '+', sext(b.value, w))), lo, hi });
    }
    level = next;
  }
  const t = level[0];
  return { value: t.value, lo: t.lo, hi: t.hi, lsbExp };
}
