/**
 * What the proofs take from the golden model (src/), in one place: the truth tables, the unit
 * functions used to confirm counterexamples, and readable format values (from src/text.ts).
 */
import { dequantBlockE2M1E8M0 } from '../src/dequant.js';
import { dotE2M1E8M0 } from '../src/dot.js';
import { E2M1 } from '../src/formats/e2m1.js';
import { E8M0_BIAS, E8M0_NAN } from '../src/formats/e8m0.js';
import { FP32_QNAN, roundToFp32 } from '../src/fp32.js';
import { MUL_E2M1_TABLE, MUL_E2M1_WIDTH, mulE2M1, mulElements } from '../src/mul.js';
import { e2m1List, e2m1Text, e8m0Text, fp32Text, hexDigits } from '../src/text.js';
import { twos } from './verilog.js';

export { E8M0_BIAS, E8M0_NAN, FP32_QNAN, MUL_E2M1_TABLE, MUL_E2M1_WIDTH, roundToFp32 };
export { e2m1Text, e8m0Text, fp32Text };

/**
 * The exponent of the multiplier's product LSB: every E2M1 product a*b equals
 * MUL_E2M1_TABLE[a,b] * 2^e. Derived from the golden model's exact products and checked on all
 * 256 pairs (throws if the table is not such a scaled product).
 */
export function productLsbExp(): number {
  let e: number | null = null;
  for (let i = 0; i < 256; i++) {
    const r = mulElements(E2M1, i >> 4, E2M1, i & 15);
    const sig = Number(r.sig);
    const t = MUL_E2M1_TABLE[i];
    const value = (r.sign ? -sig : sig) * 2 ** r.exp;
    if (t === 0) {
      if (sig !== 0) throw new Error(`MUL_E2M1_TABLE[${i}] is 0 but the product is not`);
      continue;
    }
    const ratio = value / t;
    const le = Math.log2(ratio);
    if (!Number.isInteger(le)) throw new Error(`MUL_E2M1_TABLE[${i}] = ${t} is not the product ${value} times a power of two`);
    if (e === null) e = le;
    else if (e !== le) throw new Error(`MUL_E2M1_TABLE is not in one unit: 2^${e} and 2^${le}`);
  }
  if (e === null) throw new Error('MUL_E2M1_TABLE is all zeros');
  return e;
}

/** The distinct product values of MUL_E2M1_TABLE, ascending, and the largest magnitude. */
export function productValues(): { values: number[]; max: number } {
  const values = [...new Set(Array.from(MUL_E2M1_TABLE))].sort((x, y) => x - y);
  return { values, max: Math.max(...values.map((v) => Math.abs(v))) };
}

/**
 * The tail of the golden dot product after the exact sum: with s the sum of products (units of
 * 2^lsb) and e the exponent of its unit with both scales applied. Mirrors src/dot.ts
 * dotE2M1E8M0 (checked against it by `checkDotTail`).
 */
export function dotTail(nan: boolean, s: number, e: number): number {
  if (nan) return FP32_QNAN;
  if (s === 0) return 0;
  return roundToFp32(s < 0, s < 0 ? -s : s, e);
}

/**
 * Check on `n` pseudo-random blocks (and corner cases) that dotE2M1E8M0 is dotTail of
 * sum(MUL_E2M1_TABLE) and sa + sb - 2*bias + lsb: the decomposition the dot-product proof uses.
 * Returns a description of the first disagreement, or null.
 */
export function checkDotTail(k: number, n: number): string | null {
  const lsb = productLsbExp();
  let seed = 0x9e3779b9;
  const rnd = (m: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % m;
  };
  const a = new Array<number>(k);
  const b = new Array<number>(k);
  for (let t = 0; t < n; t++) {
    const mode = t % 4;
    for (let i = 0; i < k; i++) {
      a[i] = mode === 0 ? 0x7 : rnd(16);
      b[i] = mode === 0 ? (i % 2 === 0 ? 0x7 : 0xf) : rnd(16);
    }
    const sa = mode === 1 ? 255 - rnd(3) : rnd(256);
    const sb = mode === 2 ? rnd(4) : rnd(256);
    let s = 0;
    for (let i = 0; i < k; i++) s += MUL_E2M1_TABLE[(a[i] << 4) | b[i]];
    const want = dotE2M1E8M0(a, 0, b, 0, k, sa, sb) >>> 0;
    const got = dotTail(sa === E8M0_NAN || sb === E8M0_NAN, s, sa + sb - 2 * E8M0_BIAS + lsb) >>> 0;
    if (want !== got) return `a=[${a.join(',')}] b=[${b.join(',')}] sa=${sa} sb=${sb}: dotE2M1E8M0 gives ${fp32Text(want)}, the decomposition ${fp32Text(got)}`;
  }
  return null;
}

/** Input port values of a unit, as bigints. */
export type PortValues = Readonly<Record<string, bigint>>;

/** Lane values of a packed block, lane 0 in the low bits. */
export function lanes(v: bigint, k: number, width: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < k; i++) out.push(Number((v >> BigInt(width * i)) & ((1n << BigInt(width)) - 1n)));
  return out;
}

/** Golden outputs of a unit on one input vector (bigints, unsigned), or null for an unknown kind. */
export function goldenOutputs(kind: string, k: number, inputs: PortValues): Record<string, bigint> | null {
  switch (kind) {
    case 'mul_e2m1':
      return { prod: twos(mulE2M1(Number(inputs.a), Number(inputs.b)), MUL_E2M1_WIDTH) };
    case 'dequant_e2m1_e8m0': {
      const words = dequantBlockE2M1E8M0(lanes(inputs.elems, k, 4), Number(inputs.scale));
      let r = 0n;
      for (let i = k - 1; i >= 0; i--) r = (r << 32n) | BigInt(words[i] >>> 0);
      return { result: r };
    }
    case 'dot_e2m1_e8m0':
      return { result: BigInt(dotE2M1E8M0(lanes(inputs.a, k, 4), 0, lanes(inputs.b, k, 4), 0, k, Number(inputs.scale_a), Number(inputs.scale_b)) >>> 0) };
    default:
      return null;
  }
}

/** A unit's input vector in format values, one line per port. */
export function describeInputs(kind: string, k: number, inputs: PortValues): string[] {
  const block = (v: bigint): string => e2m1List(lanes(v, k, 4));
  switch (kind) {
    case 'mul_e2m1':
      return [`a = 0x${inputs.a.toString(16)} (${e2m1Text(Number(inputs.a))})`, `b = 0x${inputs.b.toString(16)} (${e2m1Text(Number(inputs.b))})`];
    case 'dequant_e2m1_e8m0':
      return [`elems = ${block(inputs.elems)} (lane 0 first)`, `scale = ${e8m0Text(Number(inputs.scale))}`];
    case 'dot_e2m1_e8m0':
      return [
        `a = ${block(inputs.a)} (lane 0 first)`,
        `b = ${block(inputs.b)}`,
        `scale_a = ${e8m0Text(Number(inputs.scale_a))}`,
        `scale_b = ${e8m0Text(Number(inputs.scale_b))}`,
      ];
    default:
      return Object.entries(inputs).map(([n, v]) => `${n} = 0x${v.toString(16)}`);
  }
}

/** An output value in format values (a dequantizer result: see `dequantLanes`). */
export function describeOutput(kind: string, port: string, v: bigint, width: number): string {
  if (kind === 'mul_e2m1' && port === 'prod') {
    const s = Number(BigInt.asIntN(width, v));
    return `0x${hexDigits(v, width)} (${s} * 2^${productLsbExp()} = ${s * 2 ** productLsbExp()})`;
  }
  if (width === 32) return fp32Text(Number(v));
  return `0x${hexDigits(v, width)}`;
}
