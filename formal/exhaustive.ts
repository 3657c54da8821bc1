/**
 * Exhaustive obligations: the and-inverter graph Yosys builds from the (cut) RTL is evaluated on
 * every point of an input space, 32 points per machine word, and every compared output bit is
 * checked against the golden model. First the graph's structural support is checked, so that the
 * enumerated inputs are all the compared outputs can depend on.
 *
 * - lanes: every lane of a block receives the same pattern at once (its own inputs, then the shared
 *   ones); each lane's outputs may read only its own inputs and the shared ones.
 * - round: the rounding stage of a dot product at every (sign, exponent, magnitude) of its range.
 */
import { AigEvaluator, outputSupport, transpose32, type Aig } from './aig.js';
import { laneGolden, roundGolden } from './golden.js';
import { floatFormat } from '../generator/units/config.js';
import type { Field, LaneSpace, RoundSpace, Tie } from './spec.js';

/** A point where the netlist and the golden model differ, decoded. */
export interface ExhaustiveMismatch {
  /** lane space: the lane and the pattern's field values; round space: sign, exp, mag */
  readonly lane?: number;
  readonly pattern: readonly bigint[];
  /** the output field that differs, and both values */
  readonly output: string;
  readonly expected: bigint;
  readonly actual: bigint;
}

export interface ExhaustiveOutcome {
  /** points evaluated (patterns times lanes) */
  readonly points: number;
  readonly mismatches: number;
  /** the first few mismatches */
  readonly first: readonly ExhaustiveMismatch[];
  /** why the evaluation could not be done (a port is missing, the cut is not a stage boundary) */
  readonly error?: string;
  /** a lane's outputs read another lane's inputs: the unit is wrong, whatever the values */
  readonly violation?: string;
}

const KEEP = 8;
/** Largest pattern (lane inputs and shared inputs) a lane space enumerates, in bits. */
export const LANE_PATTERN_BITS_MAX = 26;
/** Words evaluated per run of the graph (the evaluator's memory is the graph's size times this). */
const CHUNK_WORDS = 32;

function key(port: string, bit: number): string {
  return `${port}[${bit}]`;
}

function fieldBits(f: Field): string[] {
  return Array.from({ length: f.width }, (_, i) => key(f.port, f.lo + i));
}

function outputIndex(aig: Aig): Map<string, number> {
  const m = new Map<string, number>();
  aig.outputNames.forEach((n, i) => m.set(key(n.port, n.bit), i));
  return m;
}

/** Every alias input takes its cut's values. */
function tieAll(ev: AigEvaluator, ties: readonly Tie[] = []): void {
  for (const t of ties) for (let b = 0; b < t.width; b++) ev.tie(t.alias, b, t.cut, b);
}

/** The inputs each listed output reads; an error text when one reads outside `allowed`. */
function checkSupport(aig: Aig, outputs: readonly number[], allowed: ReadonlySet<string>, what: string): string | null {
  const sub: Aig = { ...aig, outputLits: outputs.map((i) => aig.outputLits[i]), outputNames: outputs.map((i) => aig.outputNames[i]) };
  const outside: string[] = [];
  for (const i of outputSupport(sub)) {
    const n = aig.inputNames[i];
    const k = key(n.port, n.bit);
    if (!allowed.has(k)) outside.push(k);
  }
  if (outside.length === 0) return null;
  return `${what} depends on inputs outside the enumerated ones (${outside.slice(0, 8).join(', ')}${outside.length > 8 ? ', ...' : ''})`;
}

export function evaluateLanes(aig: Aig, space: LaneSpace): ExhaustiveOutcome {
  const none = (error: string): ExhaustiveOutcome => ({ points: 0, mismatches: 0, first: [], error });
  const outs = outputIndex(aig);
  const sharedBits = space.shared.flatMap(fieldBits);
  const laneOuts: number[][][] = [];
  for (const [j, lane] of space.lanes.entries()) {
    const idx: number[][] = [];
    for (const f of lane.outputs) {
      const bits: number[] = [];
      for (const b of fieldBits(f)) {
        const i = outs.get(b);
        if (i === undefined) return none(`the netlist has no output ${b}`);
        bits.push(i);
      }
      idx.push(bits);
    }
    const allowed = new Set([...lane.inputs.flatMap(fieldBits), ...sharedBits, ...(space.ties ?? []).flatMap((t) => fieldBits({ port: t.alias, lo: 0, width: t.width }))]);
    const err = checkSupport(aig, idx.flat(), allowed, `lane ${j}'s output`);
    if (err) return { points: 0, mismatches: 0, first: [], violation: `${err}: the golden lane reads only its own inputs` };
    laneOuts.push(idx);
  }
  const widths = [...space.lanes[0].inputs.map((f) => f.width), ...space.shared.map((f) => f.width)];
  const patternBits = widths.reduce((s, w) => s + w, 0);
  if (patternBits > LANE_PATTERN_BITS_MAX) return none(`the lane pattern has ${patternBits} bits, too many to enumerate`);
  const P = 2 ** patternBits;
  const golden = laneGolden(space.golden);
  const split = (p: number): number[] => {
    const out: number[] = [];
    let x = p;
    for (const w of widths) {
      out.push(x & (2 ** w - 1));
      x = Math.floor(x / 2 ** w);
    }
    return out;
  };
  const totalWords = Math.ceil(P / 32);
  const marks = [P / 4, P / 2, (3 * P) / 4, (7 * P) / 8];
  const taken = marks.map(() => false);
  const ev = new AigEvaluator(aig, Math.min(CHUNK_WORDS, totalWords));
  tieAll(ev, space.ties);
  const W = Math.min(CHUNK_WORDS, totalWords);
  let mismatches = 0;
  const first: ExhaustiveMismatch[] = [];
  const nOut = space.lanes[0].outputs.length;
  const gold = new Int32Array(32);
  const mask = new Int32Array(32);
  for (let w0 = 0; w0 < totalWords; w0 += W) {
    // inputs: pattern bit i of field f of every lane (and of the shared fields)
    const setField = (f: Field, shift: number): void => {
      for (let b = 0; b < f.width; b++) {
        const arr = ev.input(f.port, f.lo + b);
        if (!arr) continue;
        for (let w = 0; w < W; w++) {
          let word = 0;
          for (let j = 0; j < 32; j++) {
            const p = Math.min(P - 1, 32 * (w0 + w) + j);
            if (Math.floor(p / 2 ** (shift + b)) % 2 === 1) word |= 1 << j;
          }
          arr[w] = word;
        }
      }
    };
    for (const lane of space.lanes) {
      let shift = 0;
      for (const f of lane.inputs) {
        setField(f, shift);
        shift += f.width;
      }
    }
    let shift = space.lanes[0].inputs.reduce((s, f) => s + f.width, 0);
    for (const f of space.shared) {
      setField(f, shift);
      shift += f.width;
    }
    ev.run();
    for (let w = 0; w < W && w0 + w < totalWords; w++) {
      const base = 32 * (w0 + w);
      const valid = base + 32 <= P ? -1 : (1 << (P - base)) - 1;
      const values = Array.from({ length: 32 }, (_, j) => golden(split(Math.min(P - 1, base + j))));
      for (let o = 0; o < nOut; o++) {
        const fw = space.lanes[0].outputs[o].width;
        for (let b0 = 0; b0 < fw; b0 += 32) {
          const nb = Math.min(32, fw - b0);
          // gold[bit] = the 32 patterns' values of output bit b0 + bit
          for (let j = 0; j < 32; j++) {
            const v = values[j][o];
            gold[j] = v === null ? 0 : Number((v >> BigInt(b0)) & 0xffffffffn) | 0;
            mask[j] = v === null ? 0 : -1;
          }
          transpose32(gold);
          let m = 0;
          for (let j = 0; j < 32; j++) if (mask[j] !== 0) m |= 1 << j;
          m &= valid;
          for (const [j, idx] of laneOuts.entries()) {
            let diff = 0;
            for (let bit = 0; bit < nb; bit++) diff |= (ev.output(idx[o][b0 + bit], w) ^ gold[bit]) & m;
            if (diff === 0) continue;
            for (let q = 0; q < 32; q++) {
              if (((diff >>> q) & 1) === 0) continue;
              mismatches++;
              // the first few, then the first at each quarter of the pattern space (a counterexample the whole
              // unit can show, e.g. with scales away from the extremes, is likelier among them)
              const at = base + q;
              const mark = marks.findIndex((x, i) => !taken[i] && at >= x);
              if (first.length >= KEEP / 2 && mark < 0) continue;
              if (mark >= 0 && first.length >= KEEP / 2) taken.fill(true, 0, mark + 1);
              let actual = 0n;
              for (let bit = 0; bit < fw; bit++) if ((ev.output(idx[o][bit], w) >>> q) & 1) actual |= 1n << BigInt(bit);
              first.push({ lane: j, pattern: split(base + q).map(BigInt), output: space.lanes[j].outputs[o].port, expected: values[q][o] ?? 0n, actual });
            }
          }
        }
      }
    }
  }
  return { points: P * space.lanes.length, mismatches, first };
}

/** Points the round space has: 2 signs x (expMax + 1) exponents x (magMax + 1) magnitudes. */
export function roundPoints(s: Pick<RoundSpace, 'magMax' | 'expMax'>): number {
  return 2 * (s.expMax + 1) * (Number(s.magMax) + 1);
}

export function evaluateRound(aig: Aig, space: RoundSpace): ExhaustiveOutcome {
  const none = (error: string): ExhaustiveOutcome => ({ points: 0, mismatches: 0, first: [], error });
  const out = floatFormat(space.out);
  const outs = outputIndex(aig);
  const rw = 1 + out.ebits + out.mbits;
  const resultIdx: number[] = [];
  for (let b = 0; b < rw; b++) {
    const i = outs.get(key(space.result, b));
    if (i === undefined) return none(`the netlist has no output ${key(space.result, b)}`);
    resultIdx.push(i);
  }
  const widthOf = (port: string): number => aig.inputNames.filter((n) => n.port === port).reduce((m, n) => Math.max(m, n.bit + 1), 0);
  const wm = widthOf(space.mag);
  const we = widthOf(space.exp);
  const allowed = new Set<string>();
  for (const [p, w] of [[space.mag, wm], [space.exp, we], [space.sign, widthOf(space.sign)], ...space.zeros.map((z) => [z, widthOf(z)] as [string, number])] as [string, number][]) {
    for (let b = 0; b < w; b++) allowed.add(key(p, b));
  }
  for (const t of space.ties ?? []) for (let b = 0; b < t.width; b++) allowed.add(key(t.alias, b));
  const err = checkSupport(aig, resultIdx, allowed, `${space.result}`);
  if (err) return none(err);
  if (space.magMax >= 2n ** BigInt(Math.max(wm, 1)) && wm > 0) return none(`${space.mag} is ${wm} bits, too narrow for ${space.magMax}`);
  // every magnitude 0 .. magMax, or the listed ones
  const list = space.mags;
  if (!list && space.magMax > BigInt(Number.MAX_SAFE_INTEGER)) return none(`magnitudes up to ${space.magMax} are too many to enumerate`);
  const N = list ? list.length : Number(space.magMax) + 1;
  const magAt = (i: number): bigint => (list ? list[Math.min(N - 1, i)] : BigInt(Math.min(N - 1, i)));
  const totalWords = Math.ceil(N / 32);
  const W = Math.min(CHUNK_WORDS, totalWords);
  const ev = new AigEvaluator(aig, W);
  tieAll(ev, space.ties);
  const setConst = (port: string, width: number, value: number): void => {
    for (let b = 0; b < width; b++) ev.input(port, b)?.fill(Math.floor(value / 2 ** b) % 2 === 1 ? -1 : 0);
  };
  for (const z of space.zeros) setConst(z, widthOf(z), 0);
  let mismatches = 0;
  let points = 0;
  const first: ExhaustiveMismatch[] = [];
  const block = new Int32Array(32);
  const chunkMags: bigint[] = new Array<bigint>(W * 32).fill(0n);
  // the golden rounding is faster on numbers: used while every magnitude is a safe integer
  const small = (list ? list.every((m) => m <= BigInt(Number.MAX_SAFE_INTEGER)) : true);
  const chunkNums = new Float64Array(W * 32);
  for (let w0 = 0; w0 < totalWords; w0 += W) {
    // the magnitudes of this chunk, then every sign and exponent with them
    for (let j = 0; j < W * 32; j++) {
      chunkMags[j] = magAt(32 * w0 + j);
      chunkNums[j] = Number(chunkMags[j]);
    }
    for (let b = 0; b < wm; b++) {
      const arr = ev.input(space.mag, b);
      if (!arr) continue;
      const bit = BigInt(b);
      for (let w = 0; w < W; w++) {
        let word = 0;
        for (let j = 0; j < 32; j++) if ((chunkMags[32 * w + j] >> bit) & 1n) word |= 1 << j;
        arr[w] = word;
      }
    }
    for (let sign = 0; sign < 2; sign++) {
      setConst(space.sign, widthOf(space.sign), sign);
      for (let e = 0; e <= space.expMax; e++) {
        setConst(space.exp, we, e);
        ev.run();
        for (let w = 0; w < W && w0 + w < totalWords; w++) {
          const base = 32 * (w0 + w);
          const valid = base + 32 <= N ? -1 : (1 << (N - base)) - 1;
          for (let j = 0; j < 32; j++) block[j] = roundGolden(out, sign === 1, small ? chunkNums[32 * w + j] : chunkMags[32 * w + j], e + space.expOffset, space.options, space.zero) | 0;
          const want = Int32Array.from(block);
          transpose32(block);
          let diff = 0;
          for (let b = 0; b < rw; b++) diff |= ev.output(resultIdx[b], w) ^ block[b];
          diff &= valid;
          points += Math.min(32, N - base);
          if (diff === 0) continue;
          for (let q = 0; q < 32; q++) {
            if (((diff >>> q) & 1) === 0) continue;
            mismatches++;
            // keep the smallest magnitudes: the likeliest sums of an input block
            const mag = chunkMags[32 * w + q];
            if (first.length >= KEEP && mag >= first[first.length - 1].pattern[2]) continue;
            let actual = 0n;
            for (let b = 0; b < rw; b++) if ((ev.output(resultIdx[b], w) >>> q) & 1) actual |= 1n << BigInt(b);
            if (first.length >= KEEP) first.pop();
            first.push({ pattern: [BigInt(sign), BigInt(e), mag], output: space.result, expected: BigInt(want[q] >>> 0), actual });
            first.sort((x, y) => (x.pattern[2] < y.pattern[2] ? -1 : x.pattern[2] > y.pattern[2] ? 1 : 0));
          }
        }
      }
    }
  }
  return { points, mismatches, first };
}
