/**
 * Exhaustive evaluation of the dot product's normalize-and-round stage: the and-inverter graph
 * Yosys builds from the cut RTL is evaluated on every point of the stage's input space (32 points
 * per machine word) and each result compared with the golden model.
 */
import { AigEvaluator, outputSupport, transpose32, type Aig } from './aig.js';
import type { RoundMismatch } from './decode.js';
import { FP32_QNAN, dotTail } from './golden.js';
import type { RoundStageSpace } from './spec.js';

export interface ExhaustiveOutcome {
  /** points evaluated */
  readonly points: number;
  readonly mismatches: number;
  /** up to 16 mismatches, those of smallest |sum| first */
  readonly first: readonly RoundMismatch[];
  /** why the evaluation could not be done (the stage reads other inputs, a port is missing) */
  readonly error?: string;
}

const KEEP = 16;

function portWidths(names: readonly { port: string; bit: number }[]): Map<string, number> {
  const w = new Map<string, number>();
  for (const n of names) w.set(n.port, Math.max(w.get(n.port) ?? 0, n.bit + 1));
  return w;
}

export function evaluateRoundStage(aig: Aig, space: RoundStageSpace): ExhaustiveOutcome {
  const none = (error: string): ExhaustiveOutcome => ({ points: 0, mismatches: 0, first: [], error });
  const cut = new Set([space.sumWire, space.expWire, space.nanWire]);
  // The stage must be a function of the cut points alone, or enumerating them would not cover it.
  const outside = new Set<string>();
  for (const i of outputSupport(aig)) {
    const n = aig.inputNames[i];
    if (!cut.has(n.port)) outside.add(`${n.port}[${n.bit}]`);
  }
  if (outside.size > 0) {
    const list = [...outside];
    return none(`${space.resultPort} depends on inputs other than the cut points (${list.slice(0, 8).join(', ')}${list.length > 8 ? ', ...' : ''}): the cut is not a stage boundary`);
  }
  const inW = portWidths(aig.inputNames);
  const ws = inW.get(space.sumWire) ?? 0;
  const we = inW.get(space.expWire) ?? 0;
  const wn = inW.get(space.nanWire) ?? 0;
  if (ws === 0 || we === 0 || wn !== 1) return none(`the netlist lacks the cut inputs (${space.sumWire}: ${ws} bits, ${space.expWire}: ${we} bits, ${space.nanWire}: ${wn} bits)`);
  if (ws > 30 || we > 16) return none(`the stage's inputs are too wide to enumerate (${space.sumWire}: ${ws} bits, ${space.expWire}: ${we} bits)`);
  const outIdx: number[] = [];
  for (let b = 0; b < 32; b++) {
    const i = aig.outputNames.findIndex((n) => n.port === space.resultPort && n.bit === b);
    if (i < 0) return none(`the netlist has no output ${space.resultPort}[${b}]`);
    outIdx.push(i);
  }
  const S = space.sumMax;
  if (S >= 2 ** (ws - 1)) return none(`${space.sumWire} is ${ws} bits, too narrow for +-${S}`);
  const N = 2 * S + 1;
  const words = Math.ceil(N / 32);
  const ev = new AigEvaluator(aig, words);

  // sum: pattern p is s = -S + p (the padding of the last word repeats the last s)
  const sumOf = (p: number): number => -S + Math.min(p, N - 1);
  for (let j = 0; j < ws; j++) {
    const arr = ev.input(space.sumWire, j);
    if (!arr) continue;
    arr.fill(0);
    for (let p = 0; p < words * 32; p++) {
      const s = sumOf(p);
      const u = s < 0 ? s + 2 ** ws : s;
      if (Math.floor(u / 2 ** j) % 2 === 1) arr[p >> 5] |= 1 << (p & 31);
    }
  }
  const lastMask = N % 32 === 0 ? -1 : (1 << N % 32) - 1;
  const setConst = (port: string, width: number, value: number): void => {
    for (let j = 0; j < width; j++) ev.input(port, j)?.fill(Math.floor(value / 2 ** j) % 2 === 1 ? -1 : 0);
  };

  let points = 0;
  let mismatches = 0;
  const first: RoundMismatch[] = [];
  const gold = new Int32Array(words * 32);
  const block = new Int32Array(32);
  const qnanWords = Array.from({ length: 32 }, (_, b) => ((FP32_QNAN >>> b) & 1 ? -1 : 0));

  const record = (w: number, diff: number, e: number, nan: boolean): void => {
    for (let j = 0; j < 32; j++) {
      if (((diff >>> j) & 1) === 0) continue;
      mismatches++;
      const p = 32 * w + j;
      const s = sumOf(p);
      if (first.length >= KEEP && Math.abs(s) >= Math.abs(first[first.length - 1].sum)) continue;
      let actual = 0;
      for (let b = 0; b < 32; b++) actual |= ((ev.output(outIdx[b], w) >>> j) & 1) << b;
      if (first.length >= KEEP) first.pop();
      first.push({ sum: s, exp: e, nan, expected: (nan ? FP32_QNAN : gold[p]) >>> 0, actual: actual >>> 0 });
      first.sort((x, y) => Math.abs(x.sum) - Math.abs(y.sum));
    }
  };

  const pass = (nan: boolean, eBits: number, e: number): void => {
    setConst(space.expWire, we, eBits);
    setConst(space.nanWire, 1, nan ? 1 : 0);
    ev.run();
    if (!nan) for (let p = 0; p < words * 32; p++) gold[p] = dotTail(false, sumOf(p), e);
    for (let w = 0; w < words; w++) {
      const valid = w === words - 1 ? lastMask : -1;
      let any = 0;
      if (nan) {
        for (let b = 0; b < 32; b++) any |= ev.output(outIdx[b], w) ^ qnanWords[b];
      } else {
        for (let j = 0; j < 32; j++) block[j] = gold[32 * w + j];
        transpose32(block);
        for (let b = 0; b < 32; b++) any |= ev.output(outIdx[b], w) ^ block[b];
      }
      any &= valid;
      if (any !== 0) record(w, any, e, nan);
    }
    points += N;
  };

  // any_nan = 0: every exponent the scales can give
  for (let e = space.expLo; e <= space.expHi; e++) pass(false, e < 0 ? e + 2 ** we : e, e);
  // any_nan = 1: every pattern of sum_exp
  for (let u = 0; u < 2 ** we; u++) pass(true, u, u >= 2 ** (we - 1) ? u - 2 ** we : u);
  return { points, mismatches, first };
}
