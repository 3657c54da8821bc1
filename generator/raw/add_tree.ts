/**
 * A balanced tree of two's complement adders. Each level adds neighbours pairwise; an odd term
 * out passes to the next level as it is. Every sum is exactly as wide as its value range needs, so
 * no sum can overflow and the tree's result is the exact sum of its terms.
 */
import type { VerilogModule } from '../verilog/module.js';
import { binop, sext, signedBits, type Expr, type Signal } from '../verilog/signal.js';
import type { HwFixed } from './raw_to_fixed.js';

/** One term of the tree: a signal (or a slice of a packed signal, as an expression) and its range. */
export interface TreeTerm {
  readonly value: Signal;
  readonly lo: bigint;
  readonly hi: bigint;
}

/**
 * How each node adds: `operator` writes a + b (the synthesis tool picks the adder: FPGA carry
 * chains, a library adder), `ripple` writes ripple-carry logic, which gate-level flows (Yosys and
 * ABC) map to fewer gates; in a tree the carries of successive levels overlap, so for sums up to
 * about 40 bits the depth stays at or below that of lookahead adders (wider sums ripple deeper).
 */
export const ADDER_STYLES = ['operator', 'ripple'] as const;
export type AdderStyle = (typeof ADDER_STYLES)[number];

/**
 * The w-bit sum of two w-bit values by ripple carry, as a function of the module (one per width):
 * bit j is x ^ y ^ c, the carry into bit j + 1 is c where x and y differ (propagate) and x where
 * they agree (generate or kill). The carry out of the top bit is dropped: the sums the tree asks
 * for cannot overflow.
 */
function rippleAdd(m: VerilogModule, a: Expr, b: Expr): Expr {
  const w = a.width;
  const f = `ripple_add_${w}`;
  // the function's own names start with its name, so that none hides a name of the module
  const [x, y, c, j] = ['x', 'y', 'c', 'j'].map((v) => `${f}_${v}`);
  const name = m.function(f, () => [
    `// ${x} + ${y} in ${w} bits, ripple carry (the carry out of bit ${w - 1} is dropped)`,
    `function [${w - 1}:0] ${f};`,
    `  input [${w - 1}:0] ${x};`,
    `  input [${w - 1}:0] ${y};`,
    `  reg ${c};`,
    `  integer ${j};`,
    '  begin',
    `    ${c} = 1'b0;`,
    `    for (${j} = 0; ${j} < ${w}; ${j} = ${j} + 1) begin`,
    `      ${f}[${j}] = ${x}[${j}] ^ ${y}[${j}] ^ ${c};`,
    `      ${c} = (${x}[${j}] ^ ${y}[${j}]) ? ${c} : ${x}[${j}];`,
    '    end',
    '  end',
    'endfunction',
  ]);
  return { text: `${name}(${a.text}, ${b.text})`, width: w };
}

export function addTree(m: VerilogModule, prefix: string, terms: readonly TreeTerm[], lsbExp: number, style: AdderStyle = 'operator'): HwFixed {
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
      const name = `${prefix}_l${depth}_${i / 2}`;
      const [x, y] = [sext(a.value, w), sext(b.value, w)];
      next.push({ value: m.wire(name, style === 'ripple' ? rippleAdd(m, x, y) : binop(x, '+', y)), lo, hi });
    }
    level = next;
  }
  const t = level[0];
  return { value: t.value, lo: t.lo, hi: t.hi, lsbExp };
}
