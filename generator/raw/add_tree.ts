/**
 * A balanced tree of two's complement adders. Each level adds neighbours pairwise; an odd term
 * out passes to the next level sign-extended. Every sum is exactly as wide as its value range
 * needs, so no sum can overflow and the tree's result is the exact sum of its terms.
 */
import type { VerilogModule } from '../verilog/module.js';
import { binop, sext, signedBits } from '../verilog/signal.js';
import type { HwFixed } from './raw_to_fixed.js';

export function addTree(m: VerilogModule, prefix: string, terms: readonly HwFixed[]): HwFixed {
  if (terms.length === 0) throw new Error('addTree: no terms');
  const lsbExp = terms[0].lsbExp;
  if (terms.some((t) => t.lsbExp !== lsbExp)) throw new Error('addTree: terms of different units');
  let level = [...terms];
  let depth = 0;
  while (level.length > 1) {
    depth++;
    m.section(`${prefix}: adder tree level ${depth} (${level.length} terms -> ${Math.ceil(level.length / 2)})`);
    const next: HwFixed[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const name = `${prefix}_l${depth}_${i / 2}`;
      if (i + 1 === level.length) {
        const t = level[i];
        const w = signedBits(t.lo, t.hi);
        next.push({ ...t, value: m.wire(name, sext(t.value, w)) });
        continue;
      }
      const a = level[i];
      const b = level[i + 1];
      const lo = a.lo + b.lo;
      const hi = a.hi + b.hi;
      const w = signedBits(lo, hi);
      next.push({ value: m.wire(name, binop(sext(a.value, w), '+', sext(b.value, w))), lo, hi, lsbExp });
    }
    level = next;
  }
  return level[0];
}
