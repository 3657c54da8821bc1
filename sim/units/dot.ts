/**
 * dot: the block dot product. Directed vectors of every corner class first (sim/units/dot-corners),
 * then random block pairs: element codes drawn per lane from tables of the formats (finite codes,
 * positive or negative ones, small ones, raw codes with their NaN / Inf codes, cancelling pairs),
 * scale pairs drawn so that random vectors reach the subnormal, overflowing and NaN results, not
 * only the middle of the range. The golden values come from the fast kernel (src/dot-kernel.ts);
 * the first random vectors of every run are also checked against dotBlock itself.
 */
import { dotBlock } from '../../src/dot.js';
import { dotKernel, productTable } from '../../src/dot-kernel.js';
import { decodeScale, elementBits, scaleBits } from '../../src/formats/format.js';
import { floatInf } from '../../src/formats/float.js';
import { hex32 } from '../../src/fp32.js';
import { DOT_PORTS, dotFamily, type DotParams } from '../../generator/units/dot.js';
import { count } from '../format.js';
import { fieldOf, slotOf, wordsToHex, type RecordLayout } from '../layout.js';
import { Xoshiro128 } from '../prng.js';
import type { Batch } from '../stream.js';
import { elementCodes, scaleCodes } from './codes.js';
import { CLASS_MEANING, DOT_CLASSES, dotCorners, dotSpace, facts, type DotClass } from './dot-corners.js';
import { chain, putField, recordInputs, reportLines, type OpenBench, type UnitBench } from './types.js';

/** Element modes of random vectors (3 bits of the control word). */
const ELEMENT_MODES = ['uniform', 'uniform', 'uniform', 'positive', 'negative products', 'small', 'raw codes (NaN / Inf included)', 'cancelling lane pairs'] as const;
/** Scale modes of random vectors (3 bits of the control word). */
const SCALE_MODES = ['uniform', 'uniform', 'near 1', 'near the subnormal range', 'near the subnormal range', 'near overflow', 'extreme codes', 'uniform'] as const;

/** Random vectors whose golden value is also computed by dotBlock (the kernel's cross-check). */
const CROSS_CHECKED = 2000;

/** Result classes counted from the expected results of the random vectors. */
const RESULT_CLASSES = ['normal', 'subnormal', 'zero', 'inf', 'nan'] as const;

export const dotBench: UnitBench<DotParams> = {
  family: 'dot',
  legend: () => DOT_CLASSES.map((c) => `${c}: ${CLASS_MEANING[c]}`),
  open(p: DotParams, layout: RecordLayout): OpenBench {
    const k = p.block;
    const wa = elementBits(p.a);
    const wb = elementBits(p.b);
    const kernel = dotKernel(p.a, p.b, p.scale, p.out, k);
    const so = {
      a: slotOf(layout.inputs, DOT_PORTS.a),
      b: slotOf(layout.inputs, DOT_PORTS.b),
      sa: slotOf(layout.inputs, DOT_PORTS.scaleA).offset,
      sb: slotOf(layout.inputs, DOT_PORTS.scaleB).offset,
      res: slotOf(layout.outputs, DOT_PORTS.result).offset,
    };
    const W = layout.inWords;
    const ca = new Uint8Array(k);
    const cb = new Uint8Array(k);
    const unpack = (input: ArrayLike<number>, off: number): void => {
      for (let i = 0; i < k; i++) {
        ca[i] = fieldOf(input, off + so.a.offset, wa * i, wa);
        cb[i] = fieldOf(input, off + so.b.offset, wb * i, wb);
      }
    };
    const pack = packer(p, layout);
    const bench: OpenBench = {
      golden(input, inOff, out, outOff) {
        unpack(input, inOff);
        out[outOff + so.res] = kernel(ca, 0, cb, 0, k, input[inOff + so.sa], input[inOff + so.sb]);
      },
      report(m) {
        const v = recordInputs(layout, m.input, 0);
        unpack(m.input, 0);
        const [la, lb, lsa, lsb] = dotFamily.describeInputs(p, v);
        const f = facts(dotSpace(p, kernel), { a: ca, b: cb, sa: Number(v.scale_a), sb: Number(v.scale_b) });
        const exact = f.nan
          ? 'NaN (a NaN element or scale, +Inf meeting -Inf, or Inf times zero)'
          : f.inf !== 0
            ? `${f.inf > 0 ? '+' : '-'}Inf (an infinite product)`
            : `sum a_i*b_i = ${f.sum}*2^${productTable(p.a, p.b).lsb}; times the scales: ${f.neg ? '-' : '+'}${f.mag}*2^${f.exp}`;
        const pad = (label: string, text: string): string => `${label.padEnd(7)} = ${text.replace(/^\S+ = /, '')}`;
        return [
          pad('a', la),
          `          (hex ${wordsToHex(m.input, so.a.offset, so.a.width)})`,
          pad('b', lb),
          `          (hex ${wordsToHex(m.input, so.b.offset, so.b.width)})`,
          pad('scale_a', lsa),
          pad('scale_b', lsb),
          `exact   = ${exact}`,
          ...reportLines(layout, m, () => [], (port, x) => dotFamily.describeOutput(p, port, x)),
        ];
      },
      plan(opts) {
        const space = dotSpace(p, kernel);
        const corners = dotCorners(space, new Xoshiro128(opts.seed ^ 0x5bd1e995));
        const perClass = new Map<DotClass, number>(DOT_CLASSES.map((c) => [c, 0]));
        const cin = new Uint32Array(corners.vectors.length * W);
        const cexp = new Uint32Array(corners.vectors.length * layout.outWords);
        corners.vectors.forEach((c, v) => {
          perClass.set(c.cls, (perClass.get(c.cls) ?? 0) + 1);
          pack(cin, v * W, c.a, c.b, c.sa, c.sb);
          cexp[v * layout.outWords + so.res] = kernel(c.a, 0, c.b, 0, k, c.sa, c.sb);
        });
        let cornerAt = 0;
        const cornerSource = (): Batch | null => {
          if (cornerAt >= corners.vectors.length) return null;
          const n = Math.min(opts.batchSize, corners.vectors.length - cornerAt);
          const first = cornerAt;
          cornerAt += n;
          return {
            count: n,
            input: cin.subarray(first * W, (first + n) * W),
            expected: cexp.subarray(first * layout.outWords, (first + n) * layout.outWords),
            label: (i) => `directed, class ${corners.vectors[first + i].cls}`,
          };
        };
        const classCounts = new Float64Array(RESULT_CLASSES.length);
        const random = dotRandomSource(p, layout, kernel, opts.vectors, opts.seed, opts.batchSize, classCounts);
        const notReached = DOT_CLASSES.filter((c) => corners.missing[c] !== undefined);
        return {
          total: corners.vectors.length + opts.vectors,
          what: `${count(opts.vectors)} random + ${count(corners.vectors.length)} directed vectors`,
          next: chain(cornerSource, random),
          details: () => [
            `directed: ${DOT_CLASSES.filter((c) => !notReached.includes(c)).map((c) => `${c} ${count(perClass.get(c) ?? 0)}`).join(', ')}`,
            ...(notReached.length > 0 ? [`not reachable in this configuration: ${notReached.map((c) => `${c} (${corners.missing[c]})`).join('; ')}`] : []),
            `random results: ${RESULT_CLASSES.map((c, i) => `${c} ${count(classCounts[i])}`).join(', ')}`,
          ],
        };
      },
    };
    return bench;
  },
};

/** Code widths of A and B and the word offsets of the four input ports in a record. */
function inputSlots(p: DotParams, layout: RecordLayout): { wa: number; wb: number; ao: number; bo: number; sao: number; sbo: number } {
  return {
    wa: elementBits(p.a),
    wb: elementBits(p.b),
    ao: slotOf(layout.inputs, DOT_PORTS.a).offset,
    bo: slotOf(layout.inputs, DOT_PORTS.b).offset,
    sao: slotOf(layout.inputs, DOT_PORTS.scaleA).offset,
    sbo: slotOf(layout.inputs, DOT_PORTS.scaleB).offset,
  };
}

/** Writes a block pair and its scales into an input record (lane i of A at bits [wa*i, wa*i + wa)). */
function packer(p: DotParams, layout: RecordLayout): (input: Uint32Array, off: number, a: ArrayLike<number>, b: ArrayLike<number>, sa: number, sb: number) => void {
  const { wa, wb, ao, bo, sao, sbo } = inputSlots(p, layout);
  return (input, off, a, b, sa, sb) => {
    for (let i = 0; i < p.block; i++) {
      putField(input, off + ao, wa * i, wa, a[i]);
      putField(input, off + bo, wb * i, wb, b[i]);
    }
    input[off + sao] = sa;
    input[off + sbo] = sb;
  };
}

/**
 * The random part of a dot-product run: `total` vectors from `seed`, in batches of `batchSize`.
 * Counts the expected results per class into `classCounts` (indexed like RESULT_CLASSES).
 */
export function dotRandomSource(
  p: DotParams,
  layout: RecordLayout,
  kernel: ReturnType<typeof dotKernel>,
  total: number,
  seed: number,
  batchSize: number,
  classCounts: Float64Array,
): () => Batch | null {
  const k = p.block;
  const W = layout.inWords;
  const res = slotOf(layout.outputs, DOT_PORTS.result).offset;
  const ta = elementCodes(p.a);
  const tb = elementCodes(p.b);
  const sc = scaleCodes(p.scale);
  const ns = 2 ** scaleBits(p.scale);
  const out = p.out;
  const rng = new Xoshiro128(seed);
  const signBit = 2 ** (out.ebits + out.mbits);
  const infCode = floatInf(out, false);
  const minNormal = 2 ** out.mbits;
  // the typical size of a block's sum: its largest product's position plus half of log2(k)
  const prod = productTable(p.a, p.b);
  const typicalTop = prod.lsb + prod.maxAbs.toString(2).length - 1 + Math.floor(Math.log2(k) / 2);
  const emin = 1 - out.bias;
  const emax = 2 ** out.ebits - 2 - out.bias;
  const extremes = [0, 1, 2, sc.max - 1, sc.max, sc.nan, sc.one];
  /** a scale pair whose exponents add up to about x */
  const pairFor = (x: number): [number, number] => {
    const lo = Math.max(sc.lbMin, x - sc.lbMax);
    const hi = Math.min(sc.lbMax, x - sc.lbMin);
    const la = lo > hi ? (x < 2 * sc.lbMin ? sc.lbMin : sc.lbMax) : lo + rng.below(hi - lo + 1);
    const lb = Math.min(sc.lbMax, Math.max(sc.lbMin, x - la));
    const pick = (l: number): number => {
      for (let d = 0; ; d++) {
        const list = sc.byLb.get(l + d) ?? sc.byLb.get(l - d);
        if (list) return list[rng.below(list.length)];
      }
    };
    return [pick(la), pick(lb)];
  };
  // lanes of a block start on a word boundary (ka = k rounded up to a multiple of 4), and so do the
  // random bytes of each operand: a control word, ka bytes for A, ka for B, one spare word
  const ka = (k + 3) & ~3;
  const codesA = new Uint8Array(batchSize * ka + 4);
  const codesB = new Uint8Array(batchSize * ka + 4);
  const R = 2 + (2 * ka) / 4;
  const rnd = new Uint32Array(batchSize * R);
  const rnd8 = new Uint8Array(rnd.buffer);
  const { wa, wb, ao, bo, sao, sbo } = inputSlots(p, layout);
  /** lanes codes[o .. o+k) of width w into consecutive words from input[at] (every word written) */
  const packLanes = (input: Uint32Array, at: number, codes: Uint8Array, codes32: Uint32Array, o: number, w: number): void => {
    if (w === 8) {
      // one code per byte already: the words are the bytes
      const n32 = k >>> 2;
      const o32 = o >>> 2;
      for (let j = 0; j < n32; j++) input[at + j] = codes32[o32 + j];
      if (k & 3) {
        let acc = 0;
        for (let i = n32 * 4; i < k; i++) acc |= codes[o + i] << (8 * (i & 3));
        input[at + n32] = acc;
      }
      return;
    }
    if (w === 4) {
      // eight lanes per word: squeeze the nibbles of two byte words together
      const full = k >>> 3;
      const o32 = o >>> 2;
      for (let j = 0; j < full; j++) {
        let x = codes32[o32 + 2 * j];
        let y = codes32[o32 + 2 * j + 1];
        x = (x | (x >>> 4)) & 0x00ff00ff;
        x = (x | (x >>> 8)) & 0xffff;
        y = (y | (y >>> 4)) & 0x00ff00ff;
        y = (y | (y >>> 8)) & 0xffff;
        input[at + j] = x | (y << 16);
      }
      if (k & 7) {
        let acc = 0;
        for (let i = full * 8; i < k; i++) acc |= codes[o + i] << (4 * (i & 7));
        input[at + full] = acc;
      }
      return;
    }
    let acc = 0;
    let bits = 0;
    for (let i = 0; i < k; i++) {
      const c = codes[o + i];
      acc |= c << bits;
      bits += w;
      if (bits >= 32) {
        input[at++] = acc;
        bits -= 32;
        acc = bits > 0 ? c >>> (w - bits) : 0;
      }
    }
    if (bits > 0) input[at] = acc;
  };
  /**
   * A draw table that is (byte & and) | or for every byte is drawn four lanes per word; the others
   * byte by byte.
   */
  const wordForm = (t: Uint8Array): { and: number; or: number } | null => {
    for (const and of [0xff, 0x7f, 0x3f, 0x1f, 0x0f, 0x07, 0x09]) {
      for (const or of [0, 0x80, 0x20, 0x08]) {
        if (t.every((c, b) => c === ((b & and) | or))) return { and: (and * 0x01010101) >>> 0, or: (or * 0x01010101) >>> 0 };
      }
    }
    return null;
  };
  const forms = new Map<Uint8Array, { and: number; or: number } | null>();
  const formOf = (t: Uint8Array): { and: number; or: number } | null => {
    if (!forms.has(t)) forms.set(t, wordForm(t));
    return forms.get(t) ?? null;
  };
  const codesA32 = new Uint32Array(codesA.buffer);
  const codesB32 = new Uint32Array(codesB.buffer);
  /** lanes o .. o+k of `codes` drawn from random bytes from rnd8[q] through table t */
  const draw = (codes: Uint8Array, codes32: Uint32Array, o: number, q: number, t: Uint8Array): void => {
    const f = formOf(t);
    if (f && (o & 3) === 0 && (q & 3) === 0) {
      const n32 = (k + 3) >>> 2;
      const o32 = o >>> 2;
      const q32 = q >>> 2;
      for (let j = 0; j < n32; j++) codes32[o32 + j] = (rnd[q32 + j] & f.and) | f.or;
      return;
    }
    for (let i = 0; i < k; i++) codes[o + i] = t[rnd8[q + i]];
  };
  let made = 0;
  const pool: { input: Uint32Array; expected: Uint32Array; modes: Uint8Array }[] = [];
  return () => {
    if (made >= total) return null;
    const n = Math.min(batchSize, total - made);
    const firstIndex = made;
    made += n;
    const bufs = pool.pop() ?? { input: new Uint32Array(batchSize * W), expected: new Uint32Array(batchSize * layout.outWords), modes: new Uint8Array(batchSize) };
    const input = n === batchSize ? bufs.input : bufs.input.subarray(0, n * W);
    const expected = n === batchSize ? bufs.expected : bufs.expected.subarray(0, n * layout.outWords);
    const modes = bufs.modes;
    rng.fill(rnd, 0, n * R);
    for (let v = 0; v < n; v++) {
      const c = rnd[v * R];
      const em = c & 7;
      const q = 4 * (v * R + 1); // first random byte of this vector
      const o = v * ka;
      const drawA = em === 3 || em === 4 ? ta.draw.positive : em === 5 ? ta.draw.small : em === 6 ? ta.draw.raw : ta.draw.finite;
      const drawB = em === 3 ? tb.draw.positive : em === 4 ? tb.draw.negative : em === 5 ? tb.draw.small : em === 6 ? tb.draw.raw : tb.draw.finite;
      draw(codesA, codesA32, o, q, drawA);
      draw(codesB, codesB32, o, q + ka, drawB);
      if (em === 7) {
        for (let i = 1; i < k; i += 2) {
          codesA[o + i] = codesA[o + i - 1];
          codesB[o + i] = tb.neg(codesB[o + i - 1]);
        }
        if ((c >>> 30) & 1) codesA[o + (c >>> 24) % k] = ta.draw.finite[rnd8[q + 2 * ka]];
      }
      const sm = (c >>> 3) & 7;
      let sa: number;
      let sb: number;
      if (sm === 2) [sa, sb] = pairFor(-((c >>> 8) & 3) + ((c >>> 10) & 3));
      else if (sm === 3 || sm === 4) [sa, sb] = pairFor(emin - out.mbits - typicalTop + ((c >>> 8) % (out.mbits + 12)) - 6);
      else if (sm === 5) [sa, sb] = pairFor(emax - typicalTop - 4 + ((c >>> 8) % 9));
      else if (sm === 6) {
        sa = extremes[(c >>> 8) % extremes.length];
        sb = extremes[(c >>> 12) % extremes.length];
      } else {
        sa = (c >>> 8) & (ns - 1);
        sb = (c >>> 16) & (ns - 1);
      }
      const io = v * W;
      packLanes(input, io + ao, codesA, codesA32, o, wa);
      packLanes(input, io + bo, codesB, codesB32, o, wb);
      input[io + sao] = sa;
      input[io + sbo] = sb;
      modes[v] = c & 63;
      const r = kernel(codesA, o, codesB, o, k, sa, sb);
      expected[v * layout.outWords + res] = r;
      if (firstIndex + v < CROSS_CHECKED) {
        const g = dotBlock(p.a, codesA.subarray(o, o + k), p.b, codesB.subarray(o, o + k), decodeScale(p.scale, sa), decodeScale(p.scale, sb), out) >>> 0;
        if (g !== r >>> 0) throw new Error(`golden model: dotKernel gives ${hex32(r)} but dotBlock gives ${hex32(g)} (random vector #${firstIndex + v})`);
      }
      const m = r % signBit;
      classCounts[m === 0 ? 2 : m < minNormal ? 1 : m < infCode ? 0 : m === infCode ? 3 : 4]++;
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
