/**
 * The reference rounder of the rounding obligations that are too large to enumerate: a Verilog
 * module written here, from the definition of rounding in src/round-float.ts, with none of the
 * generated rounder's code or structure.
 *
 *   r = round((-1)^sign * m * 2^(e + offset)) in the result format
 *
 * Definition, step by step (the same steps as roundToFloatGeneric):
 *   t    the position of m's leading one, by a plain scan over the bits
 *   top  = e + offset + t, the exponent of the value's binade
 *   q    = max(top, emin) - M, the exponent of the result's quantum (M mantissa bits)
 *   s    = q - (e + offset), the bits of m below the quantum (negative when m needs no rounding)
 *   kept = floor(m / 2^s), round bit and sticky bits below it, one increment to nearest even
 *   code = (q - qmin) * 2^M + kept, whose carry runs into the exponent (qmin = emin - M)
 *   overflow (top > emax, or a code at or above Inf) gives Inf, or the largest finite code when
 *   saturating; with subnormals flushed, a top below emin gives a zero of the sign; m = 0 gives +0
 *   or a zero of the sign, as the unit defines.
 *
 * The generated rounder normalizes by a log shifter, then aligns subnormals by a right shift;
 * this one shifts m right by the computed s. The module is checked against the golden rounding
 * exhaustively at small widths (test/formal/round-reference.test.ts) and, at full width, on the
 * boundary points of every obligation that uses it, before the SAT proof compares it with the RTL.
 */
import { floatBits, floatInf, type FloatFormat } from '../src/formats/float.js';

export interface ReferenceRounderSpec {
  readonly name: string;
  readonly magWidth: number;
  readonly expWidth: number;
  readonly expOffset: number;
  readonly out: FloatFormat;
  readonly overflow?: 'inf' | 'saturate';
  readonly subnormals?: 'keep' | 'flush';
  /** the sign of r for m = 0 */
  readonly zero: 'positive' | 'keep-sign';
  /** to nearest even (default), or toward zero (no increment; a value truncated to zero is r for m = 0) */
  readonly mode?: 'nearest-even' | 'toward-zero';
  /** toward zero: the fraction bits kept, the rest zero (default all) */
  readonly keepFraction?: number;
}

function bitsFor(max: number): number {
  let b = 1;
  while (2 ** b <= max) b++;
  return b;
}

/** A signed decimal literal of width w. */
function s(w: number, v: number): string {
  return v < 0 ? `-${w}'sd${-v}` : `${w}'sd${v}`;
}

export function referenceRounder(r: ReferenceRounderSpec): string {
  const W = r.magWidth;
  const E = r.out.ebits;
  const M = r.out.mbits;
  const RW = floatBits(r.out);
  const emin = 1 - r.out.bias;
  const emax = 2 ** E - 2 - r.out.bias;
  const qmin = emin - M;
  const X = W + M + 1; // m with M + 1 zero bits below it
  const TW = bitsFor(W);
  const SAW = bitsFor(X + 1);
  // signed width for every exponent quantity: |offset|, e, t, the quantum and the code
  const SW = Math.max(bitsFor(Math.abs(r.expOffset) + 2 ** r.expWidth + W + M + 2 ** E + 4) + 1, SAW + 2, TW + 2);
  const CW = SW + M;
  const infCode = floatInf(r.out, false);
  const overflowValue = r.overflow === 'saturate' ? `{sign, ${E + M}'d${infCode - 1}}` : `{sign, ${E + M}'d${infCode}}`;
  const zeroValue = r.zero === 'positive' ? `${RW}'d0` : `{sign, ${E + M}'d0}`;
  const flush = r.subnormals === 'flush';
  const rz = r.mode === 'toward-zero';
  const keep = r.keepFraction ?? M;
  const dropMask = keep < M ? `{{${M + 2 - (M - keep)}{1'b1}}, ${M - keep}'d0}` : null;
  return [
    `// ${r.name}: reference rounding of m * 2^(e + ${r.expOffset}) to ${r.out.name.toUpperCase()}, ${rz ? `toward zero${keep < M ? ` keeping ${keep} fraction bits` : ''}` : 'round to nearest even'},`,
    `// ${r.overflow === 'saturate' ? 'saturating at the largest finite value' : 'overflow to Inf'}, ${flush ? 'subnormals flushed to zero' : 'subnormals kept'}; written from`,
    '// the definition in src/round-float.ts (see formal/round-reference.ts), independent of the generated rounder.',
    `module ${r.name} (`,
    `  input  wire [${W - 1}:0] m,`,
    `  input  wire [${r.expWidth - 1}:0] e,`,
    '  input  wire sign,',
    `  output wire [${RW - 1}:0] r`,
    ');',
    '  // t: the position of the leading one of m, by a plain scan',
    `  reg [${TW - 1}:0] t;`,
    '  integer i;',
    '  always @* begin',
    `    t = ${TW}'d0;`,
    `    for (i = 0; i < ${W}; i = i + 1) if (m[i]) t = i[${TW - 1}:0];`,
    '  end',
    `  wire signed [${SW - 1}:0] ev = $signed({${SW - r.expWidth}'d0, e}) ${r.expOffset < 0 ? '-' : '+'} ${s(SW, Math.abs(r.expOffset))};`,
    `  wire signed [${SW - 1}:0] top = ev + $signed({${SW - TW}'d0, t});`,
    `  wire normal = top >= ${s(SW, emin)};`,
    `  wire signed [${SW - 1}:0] q = (normal ? top : ${s(SW, emin)}) - ${s(SW, M)};`,
    '  // s = q - ev bits of m lie below the quantum; m is shifted right by s through M + 1 zeros below it',
    `  wire signed [${SW - 1}:0] sa0 = q - ev + ${s(SW, M + 1)};`,
    `  wire [${SAW - 1}:0] sa = sa0 > ${s(SW, X + 1)} ? ${SAW}'d${X + 1} : sa0[${SAW - 1}:0];`,
    `  wire [${X - 1}:0] ext = {m, ${M + 1}'d0};`,
    '  // only the low bits of the shifted values are used',
    '  /* verilator lint_off UNUSEDSIGNAL */',
    `  wire [${X - 1}:0] shifted = ext >> sa;`,
    ...(rz ? [] : [`  wire [${X - 1}:0] shifted1 = ext >> (sa - ${SAW}'d1);`]),
    '  /* verilator lint_on UNUSEDSIGNAL */',
    `  wire [${M + 1}:0] kept = shifted[${M + 1}:0];`,
    ...(rz ? [] : ['  wire rnd = shifted1[0];', `  wire sticky = |(ext & ~({${X}{1'b1}} << (sa - ${SAW}'d1)));`]),
    ...(rz ? ['  // toward zero: no increment'] : ['  wire up = rnd & (sticky | kept[0]);']),
    rz ? `  wire [${M + 1}:0] kept2 = kept${dropMask ? ` & ${dropMask}` : ''};` : `  wire [${M + 1}:0] kept2 = kept + {${M + 1}'d0, up};`,
    `  wire signed [${SW - 1}:0] qq = q + ${s(SW, -qmin)};`,
    `  wire [${CW - 1}:0] code = {qq, ${M}'d0} + {${CW - (M + 2)}'d0, kept2};`,
    `  wire ovf = top > ${s(SW, emax)} || code >= ${CW}'d${infCode};`,
    ...(flush ? [`  wire tiny = top < ${s(SW, emin)};`] : []),
    `  assign r = (m == ${W}'d0${rz ? ` || (!ovf && code[${E + M - 1}:0] == ${E + M}'d0)` : ''}) ? ${zeroValue} : ${flush ? `tiny ? {sign, ${E + M}'d0} : ` : ''}ovf ? ${overflowValue} : {sign, code[${E + M - 1}:0]};`,
    'endmodule',
    '',
  ].join('\n');
}

/**
 * Boundary magnitudes of a W-bit input, for checking the reference at full width: 0, 1, every power
 * of two and its neighbours, and for every binade the points around its rounding boundaries (half a
 * quantum, ties, one either side) at the result's precision, plus the largest value.
 */
export function boundaryMagnitudes(W: number, M: number): bigint[] {
  const out = new Set<bigint>([0n, 1n, 2n, 3n, (1n << BigInt(W)) - 1n]);
  for (let j = 1; j < W; j++) {
    const p = 1n << BigInt(j);
    for (const d of [-1n, 0n, 1n]) out.add(p + d);
    // below the quantum of a value with its top bit at j: s = j - M bits
    const sh = j - M;
    for (let k = Math.max(0, sh - 2); k <= Math.max(0, sh + 1); k++) {
      const half = k > 0 ? 1n << BigInt(k - 1) : 0n;
      for (const base of [p, p | (1n << BigInt(k)), p | ((1n << BigInt(j)) - 1n) ^ ((1n << BigInt(k)) - 1n)]) {
        for (const d of [-1n, 0n, 1n]) {
          const v = base + half + d;
          if (v > 0n && v < 1n << BigInt(W)) out.add(v);
        }
      }
    }
  }
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
