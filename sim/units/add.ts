/**
 * add: the FP32 adder. Directed vectors first: every pair of a corner set (each sign of zero, the
 * smallest and largest subnormals, the smallest normal, 1 and its neighbours, the largest finite
 * value, Inf, NaN of both kinds); then random pairs drawn from operand classes that reach every path of
 * an adder: uniform bit patterns, exponents a few places apart (the sticky bit and the alignment
 * shifter), partial cancellation (|a| - |b| of 1 to 2^23 ulps, opposite signs: every normalization
 * shift), near cancellation (a few ulps apart), subnormal pairs, pairs
 * near overflow, and pairs with an exact tie of the rounding. Golden: src/fp32.ts fp32Add.
 */
import { FP32_QNAN } from '../../src/fp32.js';
import { ADD_PORTS, addFamily, addGolden, type AddParams } from '../../generator/units/add.js';
import { count } from '../format.js';
import { slotOf, type RecordLayout } from '../layout.js';
import { Xoshiro128 } from '../prng.js';
import type { Batch } from '../stream.js';
import { chain, reportLines, recordInputs, type OpenBench, type UnitBench } from './types.js';

/** Random operand classes (the low 3 bits of a control word pick one). */
export const ADD_CLASSES = ['uniform bits', 'exponents 0..31 apart', 'partial cancellation', 'near cancellation', 'subnormal pair', 'near overflow', 'rounding tie', 'uniform bits'] as const;

const MAGNITUDES = [0, 1, 2, 3, 0x3fffff, 0x400000, 0x7ffffe, 0x7fffff, 0x800000, 0x800001, 0xffffff, 0x3f7fffff, 0x3f800000, 0x3f800001, 0x3fffffff, 0x4b7fffff, 0x4b800000, 0x7f000000, 0x7f7ffffe, 0x7f7fffff, 0x7f800000, 0x7f800001, 0x7fc00000, 0x7fffffff];

/** Every sign of every corner magnitude. */
export function addCorners(): number[] {
  return [...MAGNITUDES, ...MAGNITUDES.map((m) => (m | 0x80000000) >>> 0)];
}

function randomPair(rng: Xoshiro128, cls: number): [number, number] {
  const r = (): number => rng.next();
  const sign = (): number => (r() & 1 ? 0x80000000 : 0);
  const frac = (): number => r() & 0x7fffff;
  switch (ADD_CLASSES[cls]) {
    case 'exponents 0..31 apart': {
      const e = 1 + (r() % 254);
      const f = Math.max(0, Math.min(254, e - (r() & 31)));
      return [(sign() | (e << 23) | frac()) >>> 0, (sign() | (f << 23) | frac()) >>> 0];
    }
    case 'partial cancellation': {
      // opposite signs, |a| - |b| of 1 .. 2^23 ulps: the normalization shifts by every amount 0 .. 23
      const a = ((1 + (r() % 253)) << 23) | frac();
      const d = 1 + (r() % 2 ** (1 + (r() % 23)));
      const b = Math.max(0, a - d);
      const s = sign();
      return [(s | a) >>> 0, ((s ^ 0x80000000) | b) >>> 0];
    }
    case 'near cancellation': {
      const a = (r() & 0x7f7fffff) >>> 0;
      const b = Math.max(0, Math.min(0x7f7fffff, a + (r() % 9) - 4));
      const s = sign();
      return [(s | a) >>> 0, ((s ^ 0x80000000) | b) >>> 0];
    }
    case 'subnormal pair':
      // exponent fields 0 and 1: subnormals and the smallest normals
      return [(sign() | (r() & 0xffffff)) >>> 0, (sign() | (r() & 0xffffff)) >>> 0];
    case 'near overflow':
      return [(sign() | ((252 + (r() % 3)) << 23) | frac()) >>> 0, (sign() | ((250 + (r() % 5)) << 23) | frac()) >>> 0];
    case 'rounding tie': {
      // b's lowest set bit sits exactly one place below a's last significand bit
      const e = 2 + (r() % 200);
      const d = 1 + (r() % 24);
      return [(sign() | (e << 23) | frac()) >>> 0, (sign() | (Math.max(1, e - d) << 23) | (frac() | 1)) >>> 0];
    }
    default:
      return [r() >>> 0, r() >>> 0];
  }
}

export const addBench: UnitBench<AddParams> = {
  family: 'add',
  legend: () => ADD_CLASSES.filter((c, i) => ADD_CLASSES.indexOf(c) === i).map((c) => `random class: ${c}`),
  open(p: AddParams, layout: RecordLayout): OpenBench {
    const add = addGolden(p.format);
    const ao = slotOf(layout.inputs, ADD_PORTS.a).offset;
    const bo = slotOf(layout.inputs, ADD_PORTS.b).offset;
    const so = slotOf(layout.outputs, ADD_PORTS.sum).offset;
    const W = layout.inWords;
    const results = { nan: 0, inf: 0, zero: 0, subnormal: 0, normal: 0 };
    const tally = (s: number): void => {
      const e = (s >>> 23) & 0xff;
      const f = s & 0x7fffff;
      if (e === 0xff) results[f !== 0 ? 'nan' : 'inf']++;
      else if (e === 0) results[f === 0 ? 'zero' : 'subnormal']++;
      else results.normal++;
    };
    const batchOf = (pairs: Uint32Array, n: number, label: (i: number) => string, countResults: boolean): Batch => {
      const input = new Uint32Array(n * W);
      const expected = new Uint32Array(n * layout.outWords);
      for (let v = 0; v < n; v++) {
        input[v * W + ao] = pairs[2 * v];
        input[v * W + bo] = pairs[2 * v + 1];
        const s = add(pairs[2 * v], pairs[2 * v + 1]);
        expected[v * layout.outWords + so] = s;
        if (countResults) tally(s);
      }
      return { count: n, input, expected, label };
    };
    const bench: OpenBench = {
      golden(input, inOff, out, outOff) {
        out[outOff + so] = add(input[inOff + ao], input[inOff + bo]);
      },
      report: (m) => [
        ...reportLines(layout, m, (v) => addFamily.describeInputs(p, v), (port, v) => addFamily.describeOutput(p, port, v)),
        ...(() => {
          const v = recordInputs(layout, m.input, 0);
          const want = add(Number(v.a), Number(v.b));
          return want === FP32_QNAN ? ['(the golden sum is the quiet NaN: a NaN operand or +Inf + -Inf)'] : [];
        })(),
      ],
      plan(opts) {
        const corners = addCorners();
        const nc = corners.length * corners.length;
        const pairs = new Uint32Array(2 * nc);
        corners.forEach((x, i) => corners.forEach((y, j) => {
          pairs[2 * (i * corners.length + j)] = x;
          pairs[2 * (i * corners.length + j) + 1] = y;
        }));
        let cornerAt = 0;
        const cornerSource = (): Batch | null => {
          if (cornerAt >= nc) return null;
          const n = Math.min(opts.batchSize, nc - cornerAt);
          const first = cornerAt;
          cornerAt += n;
          return batchOf(pairs.subarray(2 * first, 2 * (first + n)), n, () => 'directed: a pair of corner values', false);
        };
        const rng = new Xoshiro128(opts.seed ^ 0x68e31da4);
        const perClass = new Map<string, number>();
        let made = 0;
        const randomSource = (): Batch | null => {
          if (made >= opts.vectors) return null;
          const n = Math.min(opts.batchSize, opts.vectors - made);
          const first = made;
          made += n;
          const pr = new Uint32Array(2 * n);
          const cls: string[] = [];
          for (let v = 0; v < n; v++) {
            const c = rng.next() & 7;
            const [x, y] = randomPair(rng, c);
            pr[2 * v] = x;
            pr[2 * v + 1] = y;
            cls.push(ADD_CLASSES[c]);
            perClass.set(ADD_CLASSES[c], (perClass.get(ADD_CLASSES[c]) ?? 0) + 1);
          }
          return batchOf(pr, n, (i) => `random pair #${first + i} (${cls[i]})`, true);
        };
        return {
          total: nc + opts.vectors,
          what: `${count(opts.vectors)} random + ${count(nc)} directed pairs (every pair of ${corners.length} corner values)`,
          next: chain(cornerSource, randomSource),
          details: () => [
            `random classes: ${[...perClass].map(([c, n]) => `${c} ${count(n)}`).join(', ')}`,
            `random results: ${Object.entries(results).map(([c, n]) => `${c} ${count(n)}`).join(', ')}`,
          ],
        };
      },
    };
    return bench;
  },
};
