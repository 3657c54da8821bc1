// The bench's own parts, without Verilator: PRNG, record layout, C++ harness text, vector sources
// and the directed-class checks (including that a check can fail).
import { describe, expect, it } from 'vitest';
import { dotE2M1E8M0Generic } from '../../src/dot.js';
import { dequantE2M1E8M0 } from '../../src/dequant.js';
import { fieldOf, recordLayout } from '../../sim/layout.js';
import { harnessSource } from '../../sim/harness.js';
import { Xoshiro128, parseSeed } from '../../sim/prng.js';
import { checkClass, dotCorners, DOT_CLASSES, type DotVector } from '../../sim/units/dot-corners.js';
import { codesOf, dotBench, dotRandomSource } from '../../sim/units/dot.js';
import { dequantBench } from '../../sim/units/dequant.js';

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
  const ports = dotBench.expectedPorts([{ name: 'a', dir: 'input', width: 128 }]);
  const layout = recordLayout(ports);

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
  for (const k of [1, 4, 32]) {
    it(`random vectors for k = ${k}: expected results agree with the generic golden path`, () => {
      const layout = recordLayout(dotBench.expectedPorts([{ name: 'a', dir: 'input', width: 4 * k }]));
      const counts = new Float64Array(5);
      const next = dotRandomSource(layout, 3000, 99, 1000, counts);
      let n = 0;
      for (let b = next(); b !== null; b = next()) {
        for (let v = 0; v < b.count; v++) {
          const o = v * layout.inWords;
          const a = codesOf(b.input, o, k);
          const bb = codesOf(b.input, o + layout.inputs[1].offset, k);
          const sa = b.input[o + layout.inputs[2].offset];
          const sb = b.input[o + layout.inputs[3].offset];
          expect(sa).toBeLessThan(256);
          expect(sb).toBeLessThan(256);
          expect(b.expected[v]).toBe(dotE2M1E8M0Generic(a, bb, sa, sb));
          // bits above lane k-1 stay zero
          if (k % 8 !== 0) expect(b.input[o + layout.inputs[0].words - 1] >>> (4 * (k % 8))).toBe(0);
        }
        n += b.count;
        b.recycle?.();
      }
      expect(n).toBe(3000);
      expect(counts.reduce((s, c) => s + c, 0)).toBe(3000);
      for (let i = 0; i < 5; i++) expect(counts[i]).toBeGreaterThan(0);
    });
  }

  it('the same seed gives the same vectors', () => {
    const layout = recordLayout(dotBench.expectedPorts([{ name: 'a', dir: 'input', width: 128 }]));
    const one = dotRandomSource(layout, 500, 5, 500, new Float64Array(5))();
    const two = dotRandomSource(layout, 500, 5, 500, new Float64Array(5))();
    expect(one?.input).toEqual(two?.input);
    expect(one?.expected).toEqual(two?.expected);
  });

  it('directed vectors: every class is present and each vector passes its check', () => {
    for (const k of [2, 32]) {
      const corners = dotCorners(k, new Xoshiro128(17));
      for (const c of DOT_CLASSES) expect(corners.some((v) => v.cls === c), `${c}, k = ${k}`).toBe(true);
      for (const v of corners) expect(checkClass(v)).toBeNull();
    }
  });

  it('the class checks reject vectors outside their class', () => {
    const corners = dotCorners(8, new Xoshiro128(4));
    const pick = (c: string): DotVector => {
      const v = corners.find((x) => x.cls === c);
      if (!v) throw new Error(c);
      return v;
    };
    expect(checkClass({ ...pick('tie-even'), cls: 'tie-odd' })).not.toBeNull();
    expect(checkClass({ ...pick('tie-odd'), cls: 'tie-even' })).not.toBeNull();
    expect(checkClass({ ...pick('subnormal'), cls: 'overflow-inf' })).not.toBeNull();
    expect(checkClass({ ...pick('overflow-inf'), cls: 'max-exponent-finite' })).not.toBeNull();
    expect(checkClass({ ...pick('all-max'), cls: 'cancel-to-zero' })).not.toBeNull();
    const tie = pick('tie-even');
    // one scale step up doubles the value: no longer a half-ulp tie
    expect(checkClass({ ...tie, sa: tie.sa + 1 })).not.toBeNull();
  });

  it('directed ties really are halfway cases: the exact value sits between the two neighbours', () => {
    const corners = dotCorners(32, new Xoshiro128(8)).filter((v) => v.cls === 'tie-even' || v.cls === 'tie-odd');
    expect(corners.length).toBe(400);
    for (const v of corners) {
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
      const r = dotE2M1E8M0Generic(v.a, v.b, v.sa, v.sb) & 0x7fffffff;
      expect(BigInt(r)).toBe(lower % 2n === 0n ? lower : lower + 1n);
      expect(v.cls).toBe(lower % 2n === 0n ? 'tie-even' : 'tie-odd');
    }
  });
});

describe('dequantizer vectors', () => {
  it('16 x 256 vectors put every (code, scale) pair on every lane, expected values from the golden model', () => {
    const k = 8;
    const layout = recordLayout(dequantBench.expectedPorts([{ name: 'elems', dir: 'input', width: 4 * k }]));
    const plan = dequantBench.plan(layout, { vectors: 0, seed: 0, batchSize: 1 << 14 });
    const seen = new Set<string>();
    let n = 0;
    for (let b = plan.next(); b !== null; b = plan.next()) {
      for (let v = 0; v < b.count; v++) {
        const scale = b.input[v * layout.inWords + 1];
        for (let i = 0; i < k; i++) {
          const code = fieldOf(b.input, v * layout.inWords, 4 * i, 4);
          seen.add(`${i}:${code}:${scale}`);
          expect(b.expected[v * k + i]).toBe(dequantE2M1E8M0(code, scale));
        }
      }
      n += b.count;
    }
    expect(n).toBe(4096);
    expect(seen.size).toBe(k * 16 * 256);
    expect(plan.details()).toEqual([`coverage: ${k} of ${k} lanes saw all 4096 (element code, scale) pairs`]);
  });
});
