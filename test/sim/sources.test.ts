// The bench's own parts, without Verilator: PRNG, record layout, C++ harness text, vector sources
// and the directed-class checks (including that a check can fail).
import { describe, expect, it } from 'vitest';
import { dotFamily, type DotParams } from '../../generator/units/dot.js';
import { dequantFamily, type DequantParams } from '../../generator/units/dequant.js';
import { fieldOf, recordLayout, type RecordLayout } from '../../sim/layout.js';
import { harnessSource } from '../../sim/harness.js';
import { Xoshiro128, parseSeed } from '../../sim/prng.js';
import { checkClass, dotCorners, dotSpace, unreachable, DOT_CLASSES, type DotVector } from '../../sim/units/dot-corners.js';
import { dotBench } from '../../sim/units/dot.js';
import { dequantBench } from '../../sim/units/dequant.js';
import { dequantElement } from '../../src/dequant.js';
import { dotBlock } from '../../src/dot.js';
import { dotKernel } from '../../src/dot-kernel.js';
import { BF16, E2M1, E3M2, E4M3, E5M2, E8M0, FP32, INT8, UE4M3, UE5M3, decodeScale, elementBits, floatBits } from '../../src/index.js';

function dotLayout(p: DotParams): RecordLayout {
  return recordLayout(dotFamily.generate(p, '').top.portList());
}

function codesOf(words: ArrayLike<number>, off: number, k: number, w: number): number[] {
  return Array.from({ length: k }, (_, i) => fieldOf(words, off, w * i, w));
}

const MXFP4 = (k: number): DotParams => ({ a: E2M1, b: E2M1, scale: E8M0, out: FP32, block: k });
const DOTS: DotParams[] = [MXFP4(1), MXFP4(4), MXFP4(32), { a: E5M2, b: INT8, scale: UE4M3, out: BF16, block: 8 }, { a: E4M3, b: E4M3, scale: UE5M3, out: FP32, block: 3 }, { a: E5M2, b: E5M2, scale: E8M0, out: BF16, block: 5 }];
const name = (p: DotParams): string => `${p.a.name} x ${p.b.name}, ${p.scale.name}, ${p.out.name}, k = ${p.block}`;

/** xoshiro128** written out with BigInt arithmetic, seeded the same way. */
function reference(seed: number, n: number): number[] {
  const M = 0xffffffffn;
  let x = BigInt(seed >>> 0);
  const split = (): bigint => {
    x = (x + 0x9e3779b9n) & M;
    let z = x;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & M;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & M;
    return z ^ (z >> 16n);
  };
  const s = [split(), split(), split(), split()];
  const rotl = (v: bigint, k: bigint): bigint => ((v << k) | (v >> (32n - k))) & M;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(Number((rotl((s[1] * 5n) & M, 7n) * 9n) & M));
    const t = (s[1] << 9n) & M;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
  }
  return out;
}

describe('Xoshiro128', () => {
  it('matches a BigInt reference, through next() and fill() alike', () => {
    for (const seed of [0, 1, 0xdeadbeef]) {
      const ref = reference(seed, 100);
      const g = new Xoshiro128(seed);
      expect(Array.from({ length: 50 }, () => g.next())).toEqual(ref.slice(0, 50));
      const buf = new Uint32Array(50);
      g.fill(buf);
      expect([...buf]).toEqual(ref.slice(50));
    }
  });

  it('parses seeds in decimal and hex', () => {
    expect(parseSeed('0x1F')).toBe(31);
    expect(parseSeed('4294967295')).toBe(0xffffffff);
    expect(parseSeed('4294967296')).toBeNull();
    expect(parseSeed('-1')).toBeNull();
  });
});

describe('record layout and harness text', () => {
  const layout = dotLayout(MXFP4(32));

  it('packs each port into whole 32-bit words in manifest order', () => {
    expect(layout.inputs.map((p) => [p.name, p.offset, p.words])).toEqual([
      ['a', 0, 4],
      ['b', 4, 4],
      ['scale_a', 8, 1],
      ['scale_b', 9, 1],
    ]);
    expect(layout.inWords).toBe(10);
    expect(layout.outWords).toBe(1);
    const mul = recordLayout([
      { name: 'a', dir: 'input', width: 4 },
      { name: 'prod', dir: 'output', width: 9 },
    ]);
    expect(mul.outputs[0].topMask).toBe(0x1ff);
  });

  it('fills the C++ template: wide ports word by word, narrow ports masked', () => {
    const cpp = harnessSource('mx_dot_e2m1_e8m0_k32', layout);
    expect(cpp).toContain('#include "Vmx_dot_e2m1_e8m0_k32.h"');
    expect(cpp).toContain('m->a[3] = w[3];');
    expect(cpp).toContain('m->b[0] = w[4];');
    expect(cpp).toContain('m->scale_a = (w[8] & 0xffu);');
    expect(cpp).toContain('w[0] = static_cast<uint32_t>(m->result);');
    expect(cpp).not.toMatch(/\{\{[A-Z_]+\}\}/);
  });
});

describe('dot-product vectors', () => {
  for (const p of DOTS) {
    it(`random vectors, ${name(p)}: expected results agree with dotBlock, codes packed lane by lane`, () => {
      const layout = dotLayout(p);
      const plan = dotBench.open(p, layout).plan({ vectors: 3000, seed: 99, batchSize: 1000 });
      const wa = elementBits(p.a);
      const wb = elementBits(p.b);
      const [ia, ib, isa, isb] = layout.inputs;
      let n = 0;
      for (let b = plan.next(); b !== null; b = plan.next()) {
        for (let v = 0; v < b.count; v++) {
          const o = v * layout.inWords;
          const a = codesOf(b.input, o + ia.offset, p.block, wa);
          const bb = codesOf(b.input, o + ib.offset, p.block, wb);
          const sa = b.input[o + isa.offset];
          const sb = b.input[o + isb.offset];
          expect(b.expected[v]).toBe(dotBlock(p.a, a, p.b, bb, decodeScale(p.scale, sa), decodeScale(p.scale, sb), p.out) >>> 0);
          // bits above lane k-1 stay zero
          const used = (wa * p.block) % 32;
          if (used !== 0) expect(b.input[o + ia.offset + ia.words - 1] >>> used).toBe(0);
        }
        n += b.count;
        b.recycle?.();
      }
      expect(n).toBe(plan.total);
    });
  }

  it('the same seed gives the same vectors, a different seed others', () => {
    const p = { a: E4M3, b: E2M1, scale: E8M0, out: FP32, block: 32 };
    const layout = dotLayout(p);
    const first = (seed: number) => dotBench.open(p, layout).plan({ vectors: 500, seed, batchSize: 100000 }).next();
    const one = first(5);
    const two = first(5);
    expect(one?.input).toEqual(two?.input);
    expect(one?.expected).toEqual(two?.expected);
    expect(first(6)?.input).not.toEqual(one?.input);
  });

  it('directed vectors: every reachable class is present, each vector passes its check, and unreachable classes say why', () => {
    for (const p of DOTS) {
      const space = dotSpace(p, dotKernel(p.a, p.b, p.scale, p.out, p.block));
      const { vectors, missing } = dotCorners(space, new Xoshiro128(17));
      for (const c of DOT_CLASSES) {
        if (missing[c] !== undefined) {
          expect(vectors.some((v) => v.cls === c), `${c}, ${name(p)}`).toBe(false);
          expect(missing[c]).toMatch(/\w/);
        } else expect(vectors.some((v) => v.cls === c), `${c}, ${name(p)}`).toBe(true);
      }
      for (const v of vectors) expect(checkClass(space, v), `${v.cls}, ${name(p)}`).toBeNull();
    }
  });

  it('the reachability of classes follows from the formats', () => {
    const mxfp4 = dotSpace(MXFP4(32), dotKernel(E2M1, E2M1, E8M0, FP32, 32));
    expect(Object.keys(unreachable(mxfp4)).filter((x) => x !== 'range').sort()).toEqual(['inf-element', 'inf-minus-inf', 'inf-times-zero', 'inf-zero-scale', 'nan-element']);
    const nvfp4 = dotSpace({ a: E2M1, b: E2M1, scale: UE4M3, out: FP32, block: 16 }, dotKernel(E2M1, E2M1, UE4M3, FP32, 16));
    const u = unreachable(nvfp4);
    // the smallest non-zero NVFP4 value is 0.25 * (2^-9)^2 = 2^-20; the largest 16 * 36 * 448^2 < 2^31
    expect(u.subnormal).toMatch(/2\^-20/);
    expect(u['overflow-inf']).toBeDefined();
    expect(u['tie-even']).toBeDefined();
    const e5 = dotSpace({ a: E5M2, b: E5M2, scale: UE5M3, out: FP32, block: 2 }, dotKernel(E5M2, E5M2, UE5M3, FP32, 2));
    expect(unreachable(e5)['inf-zero-scale']).toBeUndefined();
    expect(unreachable(e5)['nan-element']).toBeUndefined();
    // one E3M2 product (at most 3 x 3 significant bits) times two UE4M3 significands (4 bits each):
    // at most 14 significant bits, far from the 25 a tie needs, although the sum's range spans more
    const one = dotSpace({ a: E3M2, b: E3M2, scale: UE4M3, out: FP32, block: 1 }, dotKernel(E3M2, E3M2, UE4M3, FP32, 1));
    expect(unreachable(one)['tie-even']).toMatch(/at most 1[0-4] significant bits/);
    const two = dotSpace({ a: E3M2, b: E3M2, scale: UE4M3, out: FP32, block: 2 }, dotKernel(E3M2, E3M2, UE4M3, FP32, 2));
    expect(unreachable(two)['tie-even']).toBeUndefined();
    expect(dotCorners(two, new Xoshiro128(3)).vectors.some((v) => v.cls === 'tie-even')).toBe(true);
  });

  it('the class checks reject vectors outside their class', () => {
    const p = MXFP4(8);
    const space = dotSpace(p, dotKernel(E2M1, E2M1, E8M0, FP32, 8));
    const { vectors } = dotCorners(space, new Xoshiro128(4));
    const pick = (c: string): DotVector => {
      const v = vectors.find((x) => x.cls === c);
      if (!v) throw new Error(c);
      return v;
    };
    expect(checkClass(space, { ...pick('tie-even'), cls: 'tie-odd' })).not.toBeNull();
    expect(checkClass(space, { ...pick('tie-odd'), cls: 'tie-even' })).not.toBeNull();
    expect(checkClass(space, { ...pick('subnormal'), cls: 'overflow-inf' })).not.toBeNull();
    expect(checkClass(space, { ...pick('overflow-inf'), cls: 'max-exponent-finite' })).not.toBeNull();
    expect(checkClass(space, { ...pick('all-max'), cls: 'cancel-to-zero' })).not.toBeNull();
    const tie = pick('tie-even');
    // one scale step up doubles the value: no longer a half-ulp tie
    expect(checkClass(space, { ...tie, sa: tie.sa + 1 })).not.toBeNull();
  });

  it('directed MXFP4 ties really are halfway cases: the exact value sits between the two neighbours', () => {
    const space = dotSpace(MXFP4(32), dotKernel(E2M1, E2M1, E8M0, FP32, 32));
    const ties = dotCorners(space, new Xoshiro128(8)).vectors.filter((v) => v.cls === 'tie-even' || v.cls === 'tie-odd');
    expect(ties.length).toBe(400);
    for (const v of ties) {
      // exact value in units of 2^-150 (half the smallest subnormal): an odd number
      let sum = 0n;
      for (let i = 0; i < 32; i++) {
        const h = (c: number): bigint => BigInt([0, 1, 2, 3, 4, 6, 8, 12][c & 7]) * (c & 8 ? -1n : 1n);
        sum += h(v.a[i]) * h(v.b[i]);
      }
      const e = v.sa + v.sb - 256 + 150; // value = sum * 2^(e - 150)
      expect(e).toBeLessThanOrEqual(0);
      const mag = sum < 0n ? -sum : sum;
      expect(mag % (1n << BigInt(-e))).toBe(0n);
      const halfUlps = mag >> BigInt(-e);
      expect(halfUlps % 2n).toBe(1n);
      const lower = halfUlps >> 1n;
      const r = dotBlock(E2M1, v.a, E2M1, v.b, decodeScale(E8M0, v.sa), decodeScale(E8M0, v.sb)) & 0x7fffffff;
      expect(BigInt(r)).toBe(lower % 2n === 0n ? lower : lower + 1n);
      expect(v.cls).toBe(lower % 2n === 0n ? 'tie-even' : 'tie-odd');
    }
  });
});

describe('dequantizer vectors', () => {
  it.each([
    ['e2m1 x e8m0 to fp32, k = 8', E2M1, E8M0, FP32, 8],
    ['e4m3 x ue4m3 to bf16, k = 3', E4M3, UE4M3, BF16, 3],
  ] as const)('every (code, scale) pair on every lane, then random blocks, expected values from the golden model: %s', (_label, elem, scale, out, k) => {
    const p: DequantParams = { elem, scale, out, block: k };
    const layout = recordLayout(dequantFamily.generate(p, '').top.portList());
    const plan = dequantBench.open(p, layout).plan({ vectors: 0, seed: 0, batchSize: 1 << 14 });
    const we = elementBits(elem);
    const wr = floatBits(out);
    const pairs = 2 ** we * 2 ** (scale.name === 'ue4m3' ? 7 : 8);
    const seen = new Set<string>();
    let n = 0;
    let neighboursEqual = 0;
    for (let b = plan.next(); b !== null; b = plan.next()) {
      for (let v = 0; v < b.count; v++) {
        const scaleCode = b.input[v * layout.inWords + layout.inputs[1].offset];
        const codes = codesOf(b.input, v * layout.inWords, k, we);
        for (let i = 0; i < k; i++) {
          seen.add(`${i}:${codes[i]}:${scaleCode}`);
          expect(fieldOf(b.expected, v * layout.outWords, wr * i, wr)).toBe(dequantElement(elem, codes[i], decodeScale(scale, scaleCode), out));
          if (i > 0 && codes[i] === codes[i - 1]) neighboursEqual++;
        }
      }
      n += b.count;
    }
    expect(n).toBe(plan.total);
    expect(seen.size).toBe(k * pairs);
    // the random blocks hold independent codes, so neighbouring lanes sometimes share one
    expect(neighboursEqual).toBeGreaterThan(0);
    expect(plan.details()).toEqual([`coverage: ${k} of ${k} lanes saw all ${pairs.toLocaleString('en-US')} (element code, scale) pairs`]);
  });
});
