/**
 * mac_array: the array clocked through a stream of cycles, one record per cycle, every output of
 * every cycle compared with the golden cycle model (src/mac.ts). The stream starts with a reset and
 * is a run of accumulations of 1 .. max-blocks beats each, with random idle cycles (in_valid low,
 * random data and random first / last, which the array must ignore) between beats, back-to-back
 * accumulations, and now and then a reset in the middle of one (the beats after it add to zero).
 * Directed accumulations come first: a NaN in one block of a long sum, a sum that cancels to zero
 * across blocks, an FP32 accumulator that overflows to Inf, +Inf then -Inf, and subnormal partial sums.
 * `--vectors N` asks for N PE results (completed sums times the PEs), not N cycles.
 */
import { dotKernel } from '../../src/dot-kernel.js';
import { FP32, floatBits, type FloatFormat } from '../../src/formats/float.js';
import { elementBits, scaleBits } from '../../src/formats/format.js';
import { MacArrayModel, type MacBeat } from '../../src/mac.js';
import { MAC_PORTS, macFamily, type MacParams } from '../../generator/units/mac.js';
import { count } from '../format.js';
import { slotOf, type PortSlot, type RecordLayout } from '../layout.js';
import { Xoshiro128 } from '../prng.js';
import type { Batch } from '../stream.js';
import { elementCodes, scaleCodes } from './codes.js';
import { goldenFromValues, putField, reportLines, type OpenBench, type UnitBench } from './types.js';

/** One cycle of the stream and what it is, for the mismatch report. */
interface Cycle {
  readonly beat: MacBeat;
  readonly label: string;
}

/** The directed accumulations, by name. */
export const MAC_DIRECTED = ['NaN in one block of a long sum', 'cancellation to zero across blocks', 'FP32 overflow to Inf', '+Inf then -Inf', 'subnormal partial sums', 'after a reset, a sum of zero blocks without first'] as const;

const RESULT_CLASSES = ['normal', 'subnormal', 'zero', 'inf', 'nan'] as const;

function resultClass(f: FloatFormat, x: number): (typeof RESULT_CLASSES)[number] {
  const e = (x >>> f.mbits) & ((1 << f.ebits) - 1);
  const m = x & ((1 << f.mbits) - 1);
  if (e === (1 << f.ebits) - 1) return m !== 0 ? 'nan' : 'inf';
  if (e === 0) return m === 0 ? 'zero' : 'subnormal';
  return 'normal';
}

export const macBench: UnitBench<MacParams> = {
  family: 'mac_array',
  legend: () => [
    'cycles: a reset, then accumulations of 1 .. max-blocks beats with random idle cycles, back-to-back sums and resets mid-sum',
    ...MAC_DIRECTED.map((d) => `directed accumulation: ${d}`),
  ],
  open(p: MacParams, layout: RecordLayout): OpenBench {
    const { rows: R, cols: C, block: k } = p;
    const wa = elementBits(p.a);
    const wb = elementBits(p.b);
    const ws = scaleBits(p.scale);
    const ea = elementCodes(p.a);
    const eb = elementCodes(p.b);
    const sc = scaleCodes(p.scale);
    const slot = (n: string): PortSlot => slotOf(layout.inputs, n);
    const [rs, vs, fs, ls, as, sas, bs, sbs] = [MAC_PORTS.reset, MAC_PORTS.valid, MAC_PORTS.first, MAC_PORTS.last, MAC_PORTS.a, MAC_PORTS.scaleA, MAC_PORTS.b, MAC_PORTS.scaleB].map(slot);
    const res = slotOf(layout.outputs, MAC_PORTS.result);
    const ov = slotOf(layout.outputs, MAC_PORTS.outValid);
    const kern = p.accum === 'fp32' ? dotKernel(p.a, p.b, p.scale, FP32, k) : null;
    const fast = kern ? (a: readonly number[], b: readonly number[], sa: number, sb: number): number => kern(a, 0, b, 0, k, sa, sb) : undefined;
    const newModel = (): MacArrayModel => new MacArrayModel({ elemA: p.a, elemB: p.b, scale: p.scale, block: k, rows: R, cols: C, accum: p.accum, stages: p.stages, out: p.out }, fast);
    const wr = floatBits(p.out);

    const encode = (beat: MacBeat, words: Uint32Array, off: number): void => {
      words[off + rs.offset] = beat.reset ? 1 : 0;
      words[off + vs.offset] = beat.valid ? 1 : 0;
      words[off + fs.offset] = beat.first ? 1 : 0;
      words[off + ls.offset] = beat.last ? 1 : 0;
      beat.a.forEach((row, r) => row.forEach((c, i) => putField(words, off + as.offset, wa * (k * r + i), wa, c)));
      beat.scaleA.forEach((s, r) => putField(words, off + sas.offset, ws * r, ws, s));
      beat.b.forEach((col, c) => col.forEach((x, i) => putField(words, off + bs.offset, wb * (k * c + i), wb, x)));
      beat.scaleB.forEach((s, c) => putField(words, off + sbs.offset, ws * c, ws, s));
    };

    const bench: OpenBench = {
      golden: goldenFromValues(layout, macFamily.golden(p)),
      report: (m) => [
        'note: the outputs of a cycle depend on the cycles before it; rerun with the same seed to reproduce',
        ...reportLines(layout, m, (v) => macFamily.describeInputs(p, v), (port, v) => macFamily.describeOutput(p, port, v)),
      ],
      plan(opts) {
        const rng = new Xoshiro128(opts.seed ^ 0x3ac5f1e7);
        const r32 = (): number => rng.next();
        const below = (n: number): number => r32() % n;
        const blockOf = (draw: Uint8Array): number[] => Array.from({ length: k }, () => draw[r32() & 0xff]);
        const midScale = (): number => {
          // scales whose product keeps most sums normal: floor(log2) within a few places of 1.0's
          const lb = below(9) - 4;
          const pool = sc.byLb.get(lb) ?? [sc.one];
          return pool[below(pool.length)];
        };
        const anyScale = (): number => r32() % sc.count;
        const scale = (): number => (below(8) === 0 ? anyScale() : midScale());
        const randomBeat = (first: boolean, last: boolean): MacBeat => ({
          reset: false,
          valid: true,
          first,
          last,
          a: Array.from({ length: R }, () => blockOf(below(16) === 0 ? ea.draw.raw : ea.draw.finite)),
          scaleA: Array.from({ length: R }, scale),
          b: Array.from({ length: C }, () => blockOf(below(16) === 0 ? eb.draw.raw : eb.draw.finite)),
          scaleB: Array.from({ length: C }, scale),
        });
        const idle = (): MacBeat => ({ ...randomBeat(below(2) === 0, below(2) === 0), valid: false });
        const resetBeat = (): MacBeat => ({ ...randomBeat(below(2) === 0, below(2) === 0), reset: true, valid: below(2) === 0 });

        // directed accumulations: blocks chosen so that the sum takes the named path
        const uniform = (code: number): number[] => new Array<number>(k).fill(code);
        const beats = (n: number, make: (t: number) => Omit<MacBeat, 'reset' | 'valid' | 'first' | 'last'>): MacBeat[] =>
          Array.from({ length: n }, (_, t) => ({ reset: false, valid: true, first: t === 0, last: t === n - 1, ...make(t) }));
        const rowsOf = <T,>(n: number, f: () => T): T[] => Array.from({ length: n }, f);
        const maxScale = sc.max;
        // a scale pair whose product puts sums of small elements near 2^-140, among FP32 subnormals
        // (scale formats too narrow for that, UE4M3 / UE5M3, give their smallest product instead)
        const scaleNear = (lb: number): number => {
          const c = Math.max(sc.lbMin, Math.min(sc.lbMax, lb));
          return (sc.byLb.get(c) ?? [sc.one])[0];
        };
        const tinyA = scaleNear(-70);
        const tinyB = scaleNear(-140 - Math.max(sc.lbMin, Math.min(sc.lbMax, -70)));
        const n0 = Math.max(2, p.maxBlocks);
        const directed: { name: string; beats: MacBeat[] }[] = [
          {
            name: MAC_DIRECTED[0],
            beats: beats(n0, (t) => {
              const nanBlock = t === n0 >> 1;
              const a = rowsOf(R, () => blockOf(ea.draw.finite));
              if (nanBlock && ea.nans.length > 0) a.forEach((row) => (row[below(k)] = ea.nans[0]));
              return { a, scaleA: rowsOf(R, () => (nanBlock && ea.nans.length === 0 ? sc.nan : midScale())), b: rowsOf(C, () => blockOf(eb.draw.finite)), scaleB: rowsOf(C, midScale) };
            }),
          },
          {
            name: MAC_DIRECTED[1],
            beats: (() => {
              const a = rowsOf(R, () => blockOf(ea.draw.finite));
              const b = rowsOf(C, () => blockOf(eb.draw.finite));
              const sa = rowsOf(R, midScale);
              const sb = rowsOf(C, midScale);
              const neg = a.map((row) => row.map((c) => ea.neg(c)));
              return beats(2, (t) => ({ a: t === 0 ? a : neg, scaleA: sa, b, scaleB: sb }));
            })(),
          },
          { name: MAC_DIRECTED[2], beats: beats(p.accum === 'exact' ? p.maxBlocks : n0, () => ({ a: rowsOf(R, () => uniform(ea.maxPos)), scaleA: rowsOf(R, () => maxScale), b: rowsOf(C, () => uniform(eb.maxPos)), scaleB: rowsOf(C, () => maxScale) })) },
          {
            name: MAC_DIRECTED[3],
            beats: beats(3, (t) => ({ a: rowsOf(R, () => uniform(t === 1 ? ea.maxNeg : ea.maxPos)), scaleA: rowsOf(R, () => maxScale), b: rowsOf(C, () => uniform(eb.maxPos)), scaleB: rowsOf(C, () => maxScale) })),
          },
          {
            name: MAC_DIRECTED[4],
            beats: beats(n0, () => ({ a: rowsOf(R, () => blockOf(ea.draw.small)), scaleA: rowsOf(R, () => tinyA), b: rowsOf(C, () => blockOf(eb.draw.small)), scaleB: rowsOf(C, () => tinyB) })),
          },
          {
            // the accumulator a reset leaves must be +0 exactly: zero blocks added to it show any other value
            name: MAC_DIRECTED[5],
            beats: [
              { ...randomBeat(false, false), reset: true, valid: false },
              { reset: false, valid: true, first: false, last: true, a: rowsOf(R, () => uniform(0)), scaleA: rowsOf(R, midScale), b: rowsOf(C, () => uniform(0)), scaleB: rowsOf(C, midScale) },
            ],
          },
        ];

        const peResults = R * C;
        const randomSums = Math.max(1, Math.ceil(opts.vectors / peResults));
        // the schedule: per random accumulation its length, then the idle cycles before each beat
        const sched = new Xoshiro128(opts.seed ^ 0x51ed270b);
        const lengths = new Uint32Array(randomSums);
        const gaps: Uint8Array[] = [];
        const resetAt = new Int32Array(randomSums).fill(-1);
        let cycles = 1 + directed.reduce((s, d) => s + d.beats.length, 0);
        for (let j = 0; j < randomSums; j++) {
          lengths[j] = 1 + (sched.next() % p.maxBlocks);
          const g = new Uint8Array(lengths[j]);
          // about half the sums start back to back with the one before; otherwise gaps of 1 .. 3
          for (let t = 0; t < g.length; t++) g[t] = sched.next() % 4 === 0 ? 1 + (sched.next() % 3) : 0;
          gaps.push(g);
          if (sched.next() % 64 === 0) resetAt[j] = sched.next() % lengths[j];
          cycles += lengths[j] + g.reduce((s, x) => s + x, 0) + (resetAt[j] >= 0 ? 1 : 0);
        }

        function* stream(): Generator<Cycle> {
          yield { beat: resetBeat(), label: 'reset (the first cycle)' };
          for (const d of directed) for (const [t, b] of d.beats.entries()) yield { beat: b, label: `directed: ${d.name}, beat ${t + 1} of ${d.beats.length}` };
          for (let j = 0; j < randomSums; j++) {
            const n = lengths[j];
            for (let t = 0; t < n; t++) {
              for (let g = 0; g < gaps[j][t]; g++) yield { beat: idle(), label: `idle cycle before beat ${t + 1} of random sum #${j}` };
              if (resetAt[j] === t) yield { beat: resetBeat(), label: `reset inside random sum #${j} (before beat ${t + 1} of ${n})` };
              yield { beat: randomBeat(t === 0, t === n - 1), label: `random sum #${j}, beat ${t + 1} of ${n}` };
            }
          }
        }

        const model = newModel();
        const it = stream();
        const tally = new Map<string, number>(RESULT_CLASSES.map((c) => [c, 0]));
        let made = 0;
        let completed = 0;
        let resets = 0;
        let idles = 0;
        const next = (): Batch | null => {
          if (made >= cycles) return null;
          const n = Math.min(opts.batchSize, cycles - made);
          const input = new Uint32Array(n * layout.inWords);
          const expected = new Uint32Array(n * layout.outWords);
          const labels: string[] = [];
          for (let i = 0; i < n; i++) {
            const c = it.next();
            if (c.done) throw new Error('mac bench: the stream ended before its planned length');
            const { beat, label } = c.value;
            encode(beat, input, i * layout.inWords);
            const o = model.step(beat);
            const eo = i * layout.outWords;
            o.result.forEach((x, q) => putField(expected, eo + res.offset, wr * q, wr, x));
            expected[eo + ov.offset] = o.outValid ? 1 : 0;
            if (beat.reset) resets++;
            else if (!beat.valid) idles++;
            if (o.outValid) {
              completed++;
              for (const x of o.result) tally.set(resultClass(p.out, x), (tally.get(resultClass(p.out, x)) ?? 0) + 1);
            }
            labels.push(label);
          }
          const first = made;
          made += n;
          return { count: n, input, expected, label: (i) => `cycle ${first + i}: ${labels[i]}` };
        };
        return {
          total: cycles,
          what: `${count(cycles)} cycles: ${count(randomSums)} random sums of 1 .. ${p.maxBlocks} blocks on ${R} x ${C} PEs (${count(randomSums * peResults)} PE results) after ${directed.length} directed sums`,
          next,
          details: () => [
            `completed sums: ${count(completed)} (${count(completed * peResults)} PE results), idle cycles ${count(idles)}, resets ${count(resets)}`,
            `PE results: ${[...tally].map(([c, x]) => `${c} ${count(x)}`).join(', ')}`,
          ],
        };
      },
    };
    return bench;
  },
};
