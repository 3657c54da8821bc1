/**
 * dot_e2m1_e8m0: the MXFP4 block dot product. Directed vectors of every corner class first, then
 * random block pairs in the hot loop: random words are the packed element codes, spread to one
 * code per byte for the golden fast path, with scales drawn from several ranges so that random
 * vectors reach subnormal, overflowing and NaN results, not only the middle of the range.
 */
import { dotE2M1E8M0 } from '../../src/dot.js';
import { E8M0_BIAS, E8M0_NAN } from '../../src/formats/e8m0.js';
import { FP32_QNAN } from '../../src/fp32.js';
import { mulE2M1 } from '../../src/mul.js';
import { e2m1List, e8m0Text, fp32Text, num } from '../../src/text.js';
import { count } from '../format.js';
import { fieldOf, slotOf, wordsToHex, type PortSpec, type RecordLayout } from '../layout.js';
import { Xoshiro128 } from '../prng.js';
import type { Batch, Mismatch } from '../stream.js';
import { CLASS_MEANING, DOT_CLASSES, dotCorners, type DotClass } from './dot-corners.js';
import { chain, type UnitBench } from './types.js';

function blockOf(ports: readonly PortSpec[]): number {
  const a = ports.find((p) => p.name === 'a');
  return a ? Math.max(1, Math.floor(a.width / 4)) : 1;
}

export function codesOf(words: ArrayLike<number>, off: number, k: number): Uint8Array {
  const c = new Uint8Array(k);
  for (let i = 0; i < k; i++) c[i] = fieldOf(words, off, 4 * i, 4);
  return c;
}

interface DotSlots {
  readonly k: number;
  readonly a: number;
  readonly b: number;
  readonly sa: number;
  readonly sb: number;
  readonly res: number;
  /** words per block */
  readonly aw: number;
}

function slots(layout: RecordLayout): DotSlots {
  const a = slotOf(layout.inputs, 'a');
  return {
    k: a.width / 4,
    a: a.offset,
    b: slotOf(layout.inputs, 'b').offset,
    sa: slotOf(layout.inputs, 'scale_a').offset,
    sb: slotOf(layout.inputs, 'scale_b').offset,
    res: slotOf(layout.outputs, 'result').offset,
    aw: a.words,
  };
}

/** Element modes of random vectors (3 bits of the control word). */
const ELEMENT_MODES = ['uniform', 'uniform', 'uniform', 'uniform', 'positive', 'negative products', 'small (+-0, +-0.5)', 'b = a with alternate signs flipped'];
/** Scale modes of random vectors (3 bits of the control word). */
const SCALE_MODES = ['uniform', 'uniform', 'uniform', 'near 2^0', 'near the subnormal range', 'near the subnormal range', 'near overflow', 'extreme codes'];
const EXTREME_SCALES = [0x00, 0x01, 0x02, 0x7f, 0xfd, 0xfe, 0xff, -1];

/** Random-vector result classes counted from the expected results. */
const RESULT_CLASSES = ['normal', 'subnormal', 'zero', 'inf', 'nan'] as const;

/**
 * The random part of a dot-product run: `total` vectors from `seed`, in batches of `batchSize`.
 * Counts the expected results per class into `classCounts` (indexed like RESULT_CLASSES).
 */
export function dotRandomSource(layout: RecordLayout, total: number, seed: number, batchSize: number, classCounts: Float64Array): () => Batch | null {
  const s = slots(layout);
  const { k, aw } = s;
  const W = layout.inWords;
  if (W !== 2 * aw + 2) throw new Error('dot_e2m1_e8m0: the record has words the generator does not write');
  const rng = new Xoshiro128(seed);
  const R = 1 + 2 * aw; // random words per vector: control, a words, b words
  const lastMask = k % 8 === 0 ? 0xffffffff : (2 ** (4 * (k % 8)) - 1) >>> 0;
  const S = 8 * aw; // codes per block in the code arrays (>= k, a multiple of 8)
  let made = 0;
  // Scratch arrays of the generator, and a pool of batch arrays handed back by recycle():
  // fresh large typed arrays cost page faults, which were a third of the time per vector.
  const rnd = new Uint32Array(batchSize * R);
  const codesA = new Uint8Array(batchSize * S);
  const codesB = new Uint8Array(batchSize * S);
  const a32 = new Uint32Array(codesA.buffer);
  const b32 = new Uint32Array(codesB.buffer);
  const pool: { input: Uint32Array; expected: Uint32Array; modes: Uint8Array }[] = [];
  return () => {
    if (made >= total) return null;
    const n = Math.min(batchSize, total - made);
    const firstIndex = made;
    made += n;
    rng.fill(rnd, 0, n * R);
    const bufs = pool.pop() ?? { input: new Uint32Array(batchSize * W), expected: new Uint32Array(batchSize), modes: new Uint8Array(batchSize) };
    const input = n === batchSize ? bufs.input : bufs.input.subarray(0, n * W);
    const expected = n === batchSize ? bufs.expected : bufs.expected.subarray(0, n);
    const modes = bufs.modes;
    let p = 0;
    for (let v = 0; v < n; v++) {
      const c = rnd[p];
      const em = c & 7;
      const io = v * W;
      let q = v * (S >>> 2);
      for (let j = 0; j < aw; j++) {
        let wa = rnd[p + 1 + j];
        let wb = rnd[p + 1 + aw + j];
        if (em === 4) {
          wa &= 0x77777777;
          wb &= 0x77777777;
        } else if (em === 5) {
          wa &= 0x77777777;
          wb |= 0x88888888;
        } else if (em === 6) {
          wa &= 0x99999999;
          wb &= 0x99999999;
        } else if (em === 7) {
          wb = wa ^ 0x80808080;
        }
        if (j === aw - 1) {
          wa &= lastMask;
          wb &= lastMask;
        }
        input[io + s.a + j] = wa;
        input[io + s.b + j] = wb;
        // spread 8 nibbles to 8 bytes, lane order kept (little-endian words)
        let x = wa & 0xffff;
        x = (x | (x << 8)) & 0x00ff00ff;
        a32[q] = (x | (x << 4)) & 0x0f0f0f0f;
        x = wa >>> 16;
        x = (x | (x << 8)) & 0x00ff00ff;
        a32[q + 1] = (x | (x << 4)) & 0x0f0f0f0f;
        x = wb & 0xffff;
        x = (x | (x << 8)) & 0x00ff00ff;
        b32[q] = (x | (x << 4)) & 0x0f0f0f0f;
        x = wb >>> 16;
        x = (x | (x << 8)) & 0x00ff00ff;
        b32[q + 1] = (x | (x << 4)) & 0x0f0f0f0f;
        q += 2;
      }
      p += R;
      const sm = (c >>> 3) & 7;
      let sa: number;
      let sb: number;
      if (sm < 3) {
        sa = (c >>> 8) & 255;
        sb = (c >>> 16) & 255;
      } else if (sm === 3) {
        sa = E8M0_BIAS - 8 + ((c >>> 8) & 15);
        sb = E8M0_BIAS - 8 + ((c >>> 12) & 15);
      } else if (sm === 7) {
        sa = EXTREME_SCALES[(c >>> 8) & 7];
        sb = EXTREME_SCALES[(c >>> 11) & 7];
        if (sa < 0) sa = (c >>> 16) & 255;
        if (sb < 0) sb = c >>> 24;
      } else {
        // scale exponents summing to T: [88, 135] puts typical sums around the subnormal range,
        // [360, 391] around 2^128
        const t = sm === 6 ? 360 + ((((c >>> 8) & 0xffff) * 32) >>> 16) : 88 + ((((c >>> 8) & 0xffff) * 48) >>> 16);
        const lo = t > 254 ? t - 254 : 0;
        const hi = t < 254 ? t : 254;
        sa = lo + (((c >>> 24) * (hi - lo + 1)) >>> 8);
        sb = t - sa;
      }
      input[io + s.sa] = sa;
      input[io + s.sb] = sb;
      modes[v] = c & 63;
      const r = dotE2M1E8M0(codesA, v * S, codesB, v * S, k, sa, sb);
      expected[v] = r;
      const m = r & 0x7fffffff;
      classCounts[m === 0 ? 2 : m < 0x800000 ? 1 : m < 0x7f800000 ? 0 : m === 0x7f800000 ? 3 : 4]++;
    }
    return {
      count: n,
      input,
      expected,
      label: (i) => `random #${firstIndex + i} (elements: ${ELEMENT_MODES[modes[i] & 7]}; scales: ${SCALE_MODES[modes[i] >>> 3]})`,
      recycle: () => {
        pool.push(bufs);
      },
    };
  };
}

export const dotBench: UnitBench = {
  kind: 'dot_e2m1_e8m0',

  expectedPorts(ports: readonly PortSpec[]): PortSpec[] {
    const k = blockOf(ports);
    return [
      { name: 'a', dir: 'input', width: 4 * k },
      { name: 'b', dir: 'input', width: 4 * k },
      { name: 'scale_a', dir: 'input', width: 8 },
      { name: 'scale_b', dir: 'input', width: 8 },
      { name: 'result', dir: 'output', width: 32 },
    ];
  },

  golden(layout: RecordLayout, input: Uint32Array, inOff: number, out: Uint32Array, outOff: number): void {
    const s = slots(layout);
    const a = codesOf(input, inOff + s.a, s.k);
    const b = codesOf(input, inOff + s.b, s.k);
    out[outOff + s.res] = dotE2M1E8M0(a, 0, b, 0, s.k, input[inOff + s.sa], input[inOff + s.sb]);
  },

  report(layout: RecordLayout, m: Mismatch): string[] {
    const s = slots(layout);
    const a = codesOf(m.input, s.a, s.k);
    const b = codesOf(m.input, s.b, s.k);
    const sa = m.input[s.sa];
    const sb = m.input[s.sb];
    let sum = 0;
    for (let i = 0; i < s.k; i++) sum += mulE2M1(a[i], b[i]);
    const exp = sa + sb - 2 * E8M0_BIAS - 2;
    const lines = [
      `a       = ${e2m1List(a)}`,
      `          (hex ${wordsToHex(m.input, s.a, 4 * s.k)})`,
      `b       = ${e2m1List(b)}`,
      `          (hex ${wordsToHex(m.input, s.b, 4 * s.k)})`,
      `scale_a = ${e8m0Text(sa)}`,
      `scale_b = ${e8m0Text(sb)}`,
    ];
    if (sa === E8M0_NAN || sb === E8M0_NAN) lines.push(`exact   = NaN (a NaN scale)`);
    else lines.push(`exact   = sum a_i*b_i = ${num(sum / 4)} = ${sum}*2^-2; times the scales: ${sum}*2^${exp}`);
    lines.push(`result expected ${fp32Text(m.expected[s.res])}`, `       actual   ${fp32Text(m.actual[s.res])}`);
    return lines;
  },

  plan(layout: RecordLayout, opts) {
    const s = slots(layout);
    const W = layout.inWords;
    const rng = new Xoshiro128(opts.seed ^ 0x5bd1e995);
    const corners = dotCorners(s.k, rng);
    const perClass = new Map<DotClass, number>(DOT_CLASSES.map((c) => [c, 0]));
    const input = new Uint32Array(corners.length * W);
    const expected = new Uint32Array(corners.length);
    for (let v = 0; v < corners.length; v++) {
      const c = corners[v];
      perClass.set(c.cls, (perClass.get(c.cls) ?? 0) + 1);
      for (let i = 0; i < s.k; i++) {
        input[v * W + s.a + (i >>> 3)] |= c.a[i] << (4 * (i & 7));
        input[v * W + s.b + (i >>> 3)] |= c.b[i] << (4 * (i & 7));
      }
      input[v * W + s.sa] = c.sa;
      input[v * W + s.sb] = c.sb;
      expected[v] = dotE2M1E8M0(c.a, 0, c.b, 0, s.k, c.sa, c.sb);
    }
    let cornerDone = false;
    const cornerSource = (): Batch | null => {
      if (cornerDone || corners.length === 0) return null;
      cornerDone = true;
      return { count: corners.length, input, expected, label: (i) => `directed, class ${corners[i].cls}` };
    };
    const classCounts = new Float64Array(RESULT_CLASSES.length);
    const random = dotRandomSource(layout, opts.vectors, opts.seed, opts.batchSize, classCounts);
    const nanCorners = expected.filter((r) => r === FP32_QNAN).length;
    return {
      total: corners.length + opts.vectors,
      what: `${count(opts.vectors)} random + ${count(corners.length)} directed vectors`,
      next: chain(cornerSource, random),
      details: () => [
        `directed: ${DOT_CLASSES.map((c) => `${c} ${count(perClass.get(c) ?? 0)}`).join(', ')} (${count(nanCorners)} NaN results)`,
        `random results: ${RESULT_CLASSES.map((c, i) => `${c} ${count(classCounts[i])}`).join(', ')}`,
      ],
    };
  },
};

/** One line per class: what the directed vectors of that class are. */
export function dotClassLegend(): string[] {
  return DOT_CLASSES.map((c) => `${c}: ${CLASS_MEANING[c]}`);
}
