/**
 * The MAC array's cycle model against dotMx (each PE over one accumulation), with gaps, back-to-back
 * accumulations and resets in the stream, and against values worked out by hand.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BF16, E2M1, E4M3, E5M2, E8M0, INT8, UE4M3, MacArrayModel, dotMx, elementBits, scaleBits, type ElementFormat, type MacAccumulation, type MacBeat, type ScaleFormat } from '../../src/index.js';

interface Acc {
  /** per beat: row blocks and column blocks */
  readonly a: number[][][];
  readonly sa: number[][];
  readonly b: number[][][];
  readonly sb: number[][];
}

const beat = (x: Partial<MacBeat> & Pick<MacBeat, 'a' | 'b' | 'scaleA' | 'scaleB'>): MacBeat => ({ reset: false, valid: true, first: false, last: false, ...x });

/** PE (i, j)'s expected result: dotMx of row i and column j over the accumulation's blocks. */
function expected(x: Acc, i: number, j: number, fa: ElementFormat, fb: ElementFormat, s: ScaleFormat, k: number, accum: MacAccumulation): number {
  // MacAccumulation names are dotMx accumulations too
  return (
    dotMx(
      { elem: fa, scale: s, codes: x.a.flatMap((rows) => rows[i]), scales: x.sa.map((r) => r[i]) },
      { elem: fb, scale: s, codes: x.b.flatMap((cols) => cols[j]), scales: x.sb.map((c) => c[j]) },
      k,
      accum,
    ) >>> 0
  );
}

const CONFIGS: { fa: ElementFormat; fb: ElementFormat; s: ScaleFormat; k: number }[] = [
  { fa: E2M1, fb: E2M1, s: E8M0, k: 4 },
  { fa: E4M3, fb: E5M2, s: E8M0, k: 2 },
  { fa: INT8, fb: E4M3, s: UE4M3, k: 3 },
];

function accArb(fa: ElementFormat, fb: ElementFormat, s: ScaleFormat, k: number, R: number, C: number): fc.Arbitrary<Acc> {
  const codes = (f: ElementFormat) => fc.array(fc.integer({ min: 0, max: 2 ** elementBits(f) - 1 }), { minLength: k, maxLength: k });
  // scales near the middle of the range most of the time, so that sums neither all overflow nor vanish
  const mid = s === E8M0 ? 127 : 56;
  const scale = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: mid - 6, max: mid + 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** scaleBits(s) - 1 }) });
  return fc.integer({ min: 1, max: 5 }).chain((n) =>
    fc.record({
      a: fc.array(fc.array(codes(fa), { minLength: R, maxLength: R }), { minLength: n, maxLength: n }),
      sa: fc.array(fc.array(scale, { minLength: R, maxLength: R }), { minLength: n, maxLength: n }),
      b: fc.array(fc.array(codes(fb), { minLength: C, maxLength: C }), { minLength: n, maxLength: n }),
      sb: fc.array(fc.array(scale, { minLength: C, maxLength: C }), { minLength: n, maxLength: n }),
    }),
  );
}

describe('MAC array cycle model', () => {
  for (const { fa, fb, s, k } of CONFIGS) {
    for (const accum of ['fp32', 'exact'] as const) {
      it(`${fa.name} x ${fb.name}, ${s.name}, k = ${k}, ${accum}: every PE's result is dotMx of its row and column, across gaps and back-to-back sums`, () => {
        const R = 2;
        const C = 3;
        fc.assert(
          fc.property(fc.array(fc.tuple(accArb(fa, fb, s, k, R, C), fc.array(fc.boolean(), { maxLength: 6 })), { minLength: 1, maxLength: 3 }), (accs) => {
            const m = new MacArrayModel({ elemA: fa, elemB: fb, scale: s, block: k, rows: R, cols: C, accum });
            const junk = beat({ valid: false, first: true, last: true, a: [[0], [0]], scaleA: [255, 255], b: [[1], [1], [1]], scaleB: [0, 0, 0] });
            let prev: readonly number[] = new Array<number>(R * C).fill(0);
            for (const [x, gaps] of accs) {
              const n = x.a.length;
              for (let t = 0; t < n; t++) {
                // idle cycles (valid low, whatever the data) inside the accumulation change nothing
                for (const g of gaps) if (g) expect(m.step(junk)).toEqual({ result: prev, outValid: false });
                const o = m.step(beat({ first: t === 0, last: t === n - 1, a: x.a[t], scaleA: x.sa[t], b: x.b[t], scaleB: x.sb[t] }));
                expect(o.outValid).toBe(t === n - 1);
                if (t < n - 1) expect(o.result).toEqual(prev);
                else prev = o.result;
              }
              for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) expect(prev[C * i + j]).toBe(expected(x, i, j, fa, fb, s, k, accum));
            }
          }),
          { numRuns: 150 },
        );
      });
    }
  }

  it('with S register stages, the outputs are the same model\'s S cycles later, and a reset drops the staged beats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 120, max: 134 })), { minLength: 1, maxLength: 40 }), (S, xs) => {
        const shape = { elemA: E2M1, elemB: E2M1, scale: E8M0, block: 1, rows: 1, cols: 1, accum: 'fp32' as const };
        const m0 = new MacArrayModel(shape);
        const mS = new MacArrayModel({ ...shape, stages: S });
        const beats = xs.map(([v, f, l, c, sc]) => beat({ valid: v, first: f, last: l, a: [[c]], scaleA: [sc], b: [[c ^ 1]], scaleB: [127] }));
        const idle = beat({ valid: false, a: [[0]], scaleA: [127], b: [[0]], scaleB: [127] });
        const outs0 = beats.map((b) => m0.step(b));
        const outsS = [...beats, ...new Array<MacBeat>(S).fill(idle)].map((b) => mS.step(b));
        // no reset: the staged model shows at cycle t + S what the plain one shows at t
        expect(outsS.slice(S)).toEqual(outs0);
        // a reset clears the stages: beats presented just before it never reach the accumulator
        const mR = new MacArrayModel({ ...shape, stages: S });
        for (const b of beats) mR.step(b);
        mR.step(beat({ reset: true, a: [[0]], scaleA: [127], b: [[0]], scaleB: [127] }));
        for (let i = 0; i < S; i++) expect(mR.step(idle)).toEqual({ result: [0], outValid: false });
      }),
      { numRuns: 200 },
    );
  });

  it('reset clears the results and the accumulators; a beat without first then adds to zero', () => {
    for (const accum of ['fp32', 'exact'] as const) {
      const m = new MacArrayModel({ elemA: E2M1, elemB: E2M1, scale: E8M0, block: 1, rows: 1, cols: 1, accum });
      // 6 * 6 = 36, then reset in the middle of a sum
      expect(m.step(beat({ first: true, last: true, a: [[0x7]], scaleA: [127], b: [[0x7]], scaleB: [127] })).result).toEqual([0x42100000]);
      m.step(beat({ first: true, a: [[0x7]], scaleA: [127], b: [[0x7]], scaleB: [127] }));
      expect(m.step(beat({ reset: true, a: [[0x7]], scaleA: [127], b: [[0x7]], scaleB: [127] }))).toEqual({ result: [0], outValid: false });
      // -0.5 * 1 = -0.5 added to +0 (no first): -0.5
      expect(m.step(beat({ last: true, a: [[0x9]], scaleA: [127], b: [[0x2]], scaleB: [127] })).result).toEqual([0xbf000000]);
    }
  });

  it('fp32: an accumulator that overflows stays Inf, and +Inf + -Inf is NaN; exact: the same blocks cancel exactly', () => {
    // E5M2 max 57344 = 1.75 * 2^15; with scales 2^98 * 2^0 one product is 1.75^2 * 2^128 > FP32 max
    const big = 0x7b; // +57344
    const nbig = 0xfb; // -57344
    const one = 0x3c; // 1.0
    const run = (accum: MacAccumulation, codes: number[]) => {
      const m = new MacArrayModel({ elemA: E5M2, elemB: E5M2, scale: E8M0, block: 1, rows: 1, cols: 1, accum });
      let r = 0;
      codes.forEach((c, t) => {
        r = m.step(beat({ first: t === 0, last: t === codes.length - 1, a: [[c]], scaleA: [225], b: [[big]], scaleB: [127] })).result[0];
      });
      return r;
    };
    expect(run('fp32', [big, big])).toBe(0x7f800000);
    expect(run('fp32', [big, nbig])).toBe(0x7fc00000);
    // exact: 57344^2 * 2^98 - the same = 0 exactly, then + 1 * 57344 * 2^98 = 1.75 * 2^113
    expect(run('exact', [big, nbig, one])).toBe(((113 + 127) << 23) | 0x600000);
    // fp32: the first block alone is already Inf, so the sum stays NaN / Inf
    expect(run('fp32', [big, nbig, one])).toBe(0x7fc00000);
  });
});

describe('MAC array cycle model, GPU-compatible accumulation', () => {
  it.each([
    ['blackwell', E4M3, E2M1],
    ['hopper', E4M3, E5M2],
  ] as const)('%s, %s x %s, k = 32: every PE\'s result is dotMx of its row and column in that mode, across gaps and back-to-back sums', (accum, fa, fb) => {
    const R = 2;
    const C = 2;
    const k = 32;
    fc.assert(
      fc.property(fc.array(fc.tuple(accArb(fa, fb, E8M0, k, R, C), fc.array(fc.boolean(), { maxLength: 4 })), { minLength: 1, maxLength: 3 }), (accs) => {
        const m = new MacArrayModel({ elemA: fa, elemB: fb, scale: E8M0, block: k, rows: R, cols: C, accum });
        m.step(beat({ reset: true, valid: false, a: [], b: [], scaleA: [], scaleB: [] }));
        for (const [x, gaps] of accs) {
          const n = x.a.length;
          let out = m.step(beat({ valid: false, a: [], b: [], scaleA: [], scaleB: [] }));
          for (let t = 0; t < n; t++) {
            if (gaps[t]) m.step(beat({ valid: false, first: true, last: true, a: [], b: [], scaleA: [], scaleB: [] }));
            out = m.step(beat({ first: t === 0, last: t === n - 1, a: x.a[t], scaleA: x.sa[t], b: x.b[t], scaleB: x.sb[t] }));
          }
          expect(out.outValid).toBe(true);
          for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) expect(out.result[C * i + j]).toBe(expected(x, i, j, fa, fb, E8M0, k, accum));
        }
      }),
      { numRuns: 150, seed: 77 },
    );
  });
});

describe('MAC array read-out in BF16', () => {
  // blocks of one E4M3 element (1.0 = code 0x38) at E8M0 scales 2^0, 2^-8 and 2^-30: the exact sum
  // 1 + 2^-8 + 2^-30 lies just above the BF16 tie 1 + 2^-8 (BF16 keeps 7 fraction bits), so it
  // rounds up to 1 + 2^-7 = 0x3f81; in FP32 the 2^-30 is lost (below half an FP32 ulp of 1, 2^-24),
  // and the FP32 sum 1 + 2^-8, a tie, rounds to even: 1.0 = 0x3f80
  const run = (accum: MacAccumulation): number => {
    const m = new MacArrayModel({ elemA: E4M3, elemB: E4M3, scale: E8M0, block: 1, rows: 1, cols: 1, accum, out: BF16 });
    const scales = [127, 127 - 8, 127 - 30];
    let out = m.step({ ...beat({ a: [[0x38]], b: [[0x38]], scaleA: [127], scaleB: [127] }), reset: true });
    scales.forEach((s, t) => (out = m.step(beat({ a: [[0x38]], b: [[0x38]], scaleA: [s], scaleB: [127], first: t === 0, last: t === scales.length - 1 }))));
    expect(out.outValid).toBe(true);
    return out.result[0];
  };
  it('exact: the exact sum rounded once to BF16', () => expect(run('exact')).toBe(0x3f81));
  it('fp32: the FP32 sum rounded to BF16 (a second rounding)', () => expect(run('fp32')).toBe(0x3f80));
  it('NaN and signed zeros: the BF16 quiet NaN, -0 kept from an FP32 -0 sum', () => {
    const m = new MacArrayModel({ elemA: E4M3, elemB: E4M3, scale: E8M0, block: 1, rows: 1, cols: 1, accum: 'fp32', out: BF16 });
    m.step({ ...beat({ a: [[0]], b: [[0]], scaleA: [127], scaleB: [127] }), reset: true });
    // -2^-9 * 2^-9 (the E4M3 smallest subnormals, 0x81 and 0x01) at scales 2^-127 * 2^-127: -2^-272 rounds
    // to FP32 -0; then -0 + -0 = -0, which BF16 keeps
    m.step(beat({ a: [[0x81]], b: [[0x01]], scaleA: [0], scaleB: [0], first: true }));
    expect(m.step(beat({ a: [[0x81]], b: [[0x01]], scaleA: [0], scaleB: [0], last: true })).result[0]).toBe(0x8000);
    // the E8M0 NaN scale
    expect(m.step(beat({ a: [[0x38]], b: [[0x38]], scaleA: [0xff], scaleB: [127], first: true, last: true })).result[0]).toBe(0x7fc0);
  });
});
