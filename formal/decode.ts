/**
 * From what a proof engine found (a SAT model at the obligation's own inputs, or a point of the
 * round stage) to input vectors of the whole unit that should show the difference, and lines that
 * say what was found in format values.
 */
import { E8M0_BIAS, E8M0_NAN, MUL_E2M1_WIDTH, e2m1Text, e8m0Text, fp32Text, lanes, productLsbExp, productValues, type PortValues } from './golden.js';
import { codesForProduct, packLanes, realizeScales, realizeSum } from './realize.js';
import { laneOffset } from './plan.js';
import type { ObligationSpec } from './spec.js';
import { fromTwos } from './verilog.js';
import { bitsToBigInt } from './yosys.js';

export interface Decoded {
  /** what the engine found, in format values */
  readonly at: string[];
  /** candidate input vectors of the whole unit, best first */
  readonly candidates: PortValues[];
  readonly note?: string;
}

/** A point of the round stage where the netlist and the golden model differ. */
export interface RoundMismatch {
  readonly sum: number;
  readonly exp: number;
  readonly nan: boolean;
  readonly expected: number;
  readonly actual: number;
}

function part(spec: ObligationSpec): string {
  return spec.id.slice(spec.unit.kind.length + 1);
}

function get(model: Map<string, string>, name: string): bigint {
  const bits = model.get(name);
  if (bits === undefined) throw new Error(`the SAT model has no value for '${name}'`);
  const v = bitsToBigInt(bits);
  if (v === null) throw new Error(`the SAT model leaves '${name}' undefined (${bits})`);
  return v;
}

function widthOf(model: Map<string, string>, name: string): number {
  return (model.get(name) ?? '').length;
}

function blockWith(k: number, lane: number, code: number): bigint {
  const codes = new Array<number>(k).fill(0);
  codes[lane] = code;
  return packLanes(codes, 4);
}

/** Decode the SAT model of a failed `sat` / `equiv` obligation. */
export function decodeModel(spec: ObligationSpec, model: Map<string, string>): Decoded {
  const k = spec.unit.k;
  const gold = get(model, 'gold_y');
  const gate = get(model, 'gate_y');
  const key = `${spec.unit.kind}.${part(spec).replace(/^lanes_\d+_\d+$/, 'lanes')}`;
  switch (key) {
    case 'mul_e2m1.table': {
      const a = get(model, 'a');
      const b = get(model, 'b');
      const s = (v: bigint): string => {
        const x = Number(fromTwos(v, MUL_E2M1_WIDTH));
        return `${x} (= ${x * 2 ** productLsbExp()})`;
      };
      return {
        at: [`a = 0x${a.toString(16)} (${e2m1Text(Number(a))}), b = 0x${b.toString(16)} (${e2m1Text(Number(b))}): table prod = ${s(gold)}, generated prod = ${s(gate)}`],
        candidates: [{ a, b }],
      };
    }
    case 'dequant_e2m1_e8m0.lanes': {
      const elems = get(model, 'elems');
      const scale = get(model, 'scale');
      const lo = laneOffset(part(spec));
      const n = widthOf(model, 'gold_y') / 32;
      const g = lanes(gold, n, 32);
      const h = lanes(gate, n, 32);
      const codes = lanes(elems, k, 4);
      const at: string[] = [];
      for (let j = 0; j < n; j++) {
        const i = lo + j;
        if (g[j] !== h[j]) at.push(`lane ${i}: element 0x${codes[i].toString(16)} (${e2m1Text(codes[i])}), scale ${e8m0Text(Number(scale))}: table ${fp32Text(g[j])}, generated ${fp32Text(h[j])}`);
      }
      return { at, candidates: [{ elems, scale }] };
    }
    case 'dot_e2m1_e8m0.products': {
      const a = get(model, 'a');
      const b = get(model, 'b');
      const cw = widthOf(model, 'gold_y') / k;
      const ca = lanes(a, k, 4);
      const cb = lanes(b, k, 4);
      const at: string[] = [];
      const candidates: PortValues[] = [];
      const one = BigInt(E8M0_BIAS);
      for (let i = 0; i < k; i++) {
        const gi = fromTwos((gold >> BigInt(cw * i)) & ((1n << BigInt(cw)) - 1n), cw);
        const hi = fromTwos((gate >> BigInt(cw * i)) & ((1n << BigInt(cw)) - 1n), cw);
        if (gi === hi) continue;
        at.push(`lane ${i}: a_${i} = ${e2m1Text(ca[i])}, b_${i} = ${e2m1Text(cb[i])}: table prod = ${gi}, generated prod_${i} = ${hi} (units of 2^${productLsbExp()})`);
        if (candidates.length === 0) candidates.push({ a: blockWith(k, i, ca[i]), b: blockWith(k, i, cb[i]), scale_a: one, scale_b: one });
      }
      candidates.push({ a, b, scale_a: one, scale_b: one });
      return { at, candidates };
    }
    case 'dot_e2m1_e8m0.tree': {
      const wp = widthOf(model, 'prod_0');
      const prods = Array.from({ length: k }, (_, i) => Number(fromTwos(get(model, `prod_${i}`), wp)));
      const ws = widthOf(model, 'gold_y');
      const codes = codesForProduct();
      const ca = prods.map((p) => (codes.get(p) ?? [0, 0])[0]);
      const cb = prods.map((p) => (codes.get(p) ?? [0, 0])[1]);
      const one = BigInt(E8M0_BIAS);
      return {
        at: [`prod = [${prods.join(', ')}] (lane 0 first, units of 2^${productLsbExp()}): reference sum ${fromTwos(gold, ws)}, generated sum ${fromTwos(gate, ws)}`],
        candidates: [{ a: packLanes(ca, 4), b: packLanes(cb, 4), scale_a: one, scale_b: one }],
      };
    }
    case 'dot_e2m1_e8m0.exponent': {
      const sa = get(model, 'scale_a');
      const sb = get(model, 'scale_b');
      const w = widthOf(model, 'gold_y') - 1;
      const show = (v: bigint): string => {
        const nan = (v >> BigInt(w)) & 1n;
        return nan === 1n ? 'NaN' : `exponent ${fromTwos(v & ((1n << BigInt(w)) - 1n), w)}`;
      };
      const { values, max } = productValues();
      const codes = codesForProduct();
      const sums = [4, 1, -4, max * k];
      const candidates: PortValues[] = [];
      for (const s of sums) {
        const lp = realizeSum(s, k, values);
        if (!lp) continue;
        candidates.push({
          a: packLanes(lp.map((p) => (codes.get(p) ?? [0, 0])[0]), 4),
          b: packLanes(lp.map((p) => (codes.get(p) ?? [0, 0])[1]), 4),
          scale_a: sa,
          scale_b: sb,
        });
      }
      return { at: [`scale_a = ${e8m0Text(Number(sa))}, scale_b = ${e8m0Text(Number(sb))}: reference ${show(gold)}, generated ${show(gate)}`], candidates };
    }
    default:
      throw new Error(`no counterexample decoder for ${spec.id}`);
  }
}

/** Decode a mismatch of the round stage into input blocks that produce that sum and exponent. */
export function decodeRound(spec: ObligationSpec, m: RoundMismatch): Decoded {
  const k = spec.unit.k;
  const lsb = productLsbExp();
  const at = [
    `sum = ${m.sum} (units of 2^${lsb}), sum_exp = ${m.exp}, any_nan = ${m.nan ? 1 : 0}, i.e. ${m.nan ? 'NaN' : `${m.sum} * 2^${m.exp}`}: golden ${fp32Text(m.expected)}, generated ${fp32Text(m.actual)}`,
  ];
  const { values } = productValues();
  const lp = realizeSum(m.sum, k, values);
  const scales = m.nan ? ([E8M0_NAN, E8M0_BIAS] as [number, number]) : realizeScales(m.exp, E8M0_BIAS, lsb, E8M0_NAN);
  if (!lp || !scales) {
    return { at, candidates: [], note: `no input block gives sum ${m.sum} with sum_exp ${m.exp}: the difference is outside what the whole unit can reach` };
  }
  const codes = codesForProduct();
  return {
    at,
    candidates: [
      {
        a: packLanes(lp.map((p) => (codes.get(p) ?? [0, 0])[0]), 4),
        b: packLanes(lp.map((p) => (codes.get(p) ?? [0, 0])[1]), 4),
        scale_a: BigInt(scales[0]),
        scale_b: BigInt(scales[1]),
      },
    ],
  };
}
