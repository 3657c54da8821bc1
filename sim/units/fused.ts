/**
 * fused: the GPU-compatible fused dot-add. Random vectors from classes that separate the GPU's
 * arithmetic from "exact sum, one rounding": uniform codes; a large C beside small products (the
 * products truncated away); cancelling halves (a_{i+k/2} = -a_i), so that C and the truncation decide;
 * terms a few places below the truncation grain of the largest one; tiny scales and subnormal C
 * (subnormal results); huge scales and the largest codes (overflow to Inf); zero elements beside
 * huge scales (a zero's exponent raising E); and NaN / Inf codes, NaN scales, NaN / Inf C.
 * Golden: src/fused.ts fusedDotAdd.
 */
import { elementBits, isE8M0, scaleBits, type ScaleFormat } from '../../src/formats/format.js';
import { FUSED_NAN, FUSED_SHAPES } from '../../src/fused.js';
import { minifloatInfCode, minifloatMaxCode, minifloatNanCode, type MinifloatSpec } from '../../src/formats/minifloat.js';
import { FUSED_PORTS, fusedFamily, fusedScaleBlock, type FusedParams } from '../../generator/units/fused.js';
import { count } from '../format.js';
import { slotOf, type RecordLayout } from '../layout.js';
import { Xoshiro128 } from '../prng.js';
import { classedBatches, goldenFromValues, putField, reportLines, type OpenBench, type UnitBench } from './types.js';

export const FUSED_CLASSES = ['uniform codes', 'large C, small products', 'cancelling halves', 'just below the grain', 'subnormal results', 'overflow', 'zeros beside huge scales', 'specials'] as const;

interface Vector {
  a: number[];
  b: number[];
  sa: number[];
  sb: number[];
  c: number;
}

/**
 * Scale codes by magnitude, for either scale format: near 1, uniform, tiny, huge, and a band given
 * as a fraction of the way from 1 to the largest code; the NaN code; and (UE4M3) the zero code.
 */
function scaleCodes(p: FusedParams, r: () => number) {
  const s = p.scale;
  const e8 = s === null || isE8M0(s);
  const ms = e8 ? 0 : (s as MinifloatSpec).mbits;
  const one = e8 ? 127 : (s as MinifloatSpec).bias << ms;
  const max = e8 ? 254 : minifloatMaxCode(s as MinifloatSpec);
  const within = (lo: number, hi: number): number => Math.max(0, Math.min(max, lo + (r() % (hi - lo + 1))));
  const band = (from: number, to: number): number => within(Math.round(one + (max - one) * from), Math.round(one + (max - one) * to));
  return {
    near: (): number => within(one - (4 << ms), one + (4 << ms)),
    uniform: (): number => r() & (e8 ? 0xff : (1 << scaleBits(s as ScaleFormat)) - 1),
    tiny: (): number => (e8 ? within(30, 79) : within(0, 2 << ms)),
    huge: (): number => within(max - 4, max),
    band,
    nan: e8 ? 0xff : minifloatNanCode(s as MinifloatSpec),
    zero: e8 ? null : 0,
  };
}

function vectorOf(p: FusedParams, rng: Xoshiro128, cls: (typeof FUSED_CLASSES)[number]): Vector {
  const k = FUSED_SHAPES[p.kind].k;
  const ns = p.scale ? k / fusedScaleBlock(p) : 0;
  const r = (): number => rng.next();
  const sc = scaleCodes(p, r);
  const scales = (f: () => number): number[] => Array.from({ length: ns }, f);
  const code = (f: typeof p.a): number => r() & ((1 << elementBits(f)) - 1);
  const finite = (f: typeof p.a): number => {
    const max = minifloatMaxCode(f);
    const sign = r() & 1 ? 1 << (f.ebits + f.mbits) : 0;
    return sign | (r() % (max + 1));
  };
  const small = (f: typeof p.a): number => (r() & 1 ? 1 << (f.ebits + f.mbits) : 0) | (r() % (1 << f.mbits) + (r() & 1 ? 0 : 1 << f.mbits));
  const fp32 = (lo: number, hi: number): number => (((r() & 1) << 31) | ((lo + (r() % (hi - lo + 1))) << 23) | (r() & 0x7fffff)) >>> 0;
  const v: Vector = { a: [], b: [], sa: scales(sc.near), sb: scales(sc.near), c: fp32(110, 140) };
  for (let i = 0; i < k; i++) {
    v.a.push(finite(p.a));
    v.b.push(finite(p.b));
  }
  switch (cls) {
    case 'uniform codes':
      v.a = v.a.map(() => code(p.a));
      v.b = v.b.map(() => code(p.b));
      v.sa = scales(sc.uniform);
      v.sb = scales(sc.uniform);
      v.c = r() >>> 0;
      break;
    case 'large C, small products':
      v.a = v.a.map(() => small(p.a));
      v.b = v.b.map(() => small(p.b));
      v.c = fp32(140, 170);
      break;
    case 'cancelling halves': {
      // element i + k/2 cancels element i (with the same scales on both halves)
      const sign = 1 << (p.a.ebits + p.a.mbits);
      for (let i = 0; i < k / 2; i++) {
        v.a[i + k / 2] = v.a[i] ^ sign;
        v.b[i + k / 2] = v.b[i];
      }
      for (let j = 0; j < ns / 2; j++) {
        v.sa[j + ns / 2] = v.sa[j];
        v.sb[j + ns / 2] = v.sb[j];
      }
      v.c = r() & 1 ? fp32(100, 135) : 0;
      break;
    }
    case 'just below the grain': {
      // one large term, the rest 20 to 35 binades below it, C near the large one or zero
      v.a[0] = minifloatMaxCode(p.a) - (r() & 3);
      v.b[0] = minifloatMaxCode(p.b) - (r() & 3);
      if (ns > 1) {
        v.sa[0] = sc.band(0.3, 0.6);
        for (let j = 1; j < ns; j++) v.sa[j] = sc.tiny();
      }
      v.c = r() & 1 ? fp32(127 + 10, 127 + 18) : 0;
      break;
    }
    case 'subnormal results':
      // products near 2^-150 (tiny scales) beside a zero or subnormal C; without scales (hopper)
      // the products are zero and C decides
      v.sa = scales(sc.tiny);
      v.sb = scales(sc.tiny);
      // UE4M3 products cannot come near 2^-126: zero scale codes on one side (exponent -126 + e_b) let C decide
      if (sc.zero !== null && r() & 1) v.sa = scales(() => sc.zero ?? 0);
      // (a zero product's exponent is -126 plus the other element's, so the zeros are both-sided)
      if (!p.scale) {
        v.a = v.a.map(() => (r() % 64 === 0 ? small(p.a) : 0));
        v.b = v.b.map((x, i) => (v.a[i] === 0 ? 0 : x));
      }
      v.c = r() & 1 ? (((r() & 1) << 31) | (r() & 0x7fffff)) >>> 0 : 0;
      break;
    case 'overflow':
      v.a = v.a.map(() => minifloatMaxCode(p.a) - (r() & 1) + (r() & 1 ? 1 << (p.a.ebits + p.a.mbits) : 0));
      v.b = v.b.map(() => minifloatMaxCode(p.b) - (r() & 1));
      v.sa = scales(sc.huge);
      v.sb = scales(sc.huge);
      break;
    case 'zeros beside huge scales':
      // A all zero (or nearly): the zero products' exponent, -126 + e_b + both scales, meets C's
      v.a = v.a.map(() => (r() & 1 && r() % 16 === 0 ? finite(p.a) : 0));
      v.sa = scales(() => sc.band(0.5, 1));
      v.sb = scales(() => sc.band(0.2, 0.6));
      // a zero scale code (UE4M3): its exponent, -126, leaves its group out of E
      if (sc.zero !== null && r() & 1) v.sa[r() % ns] = sc.zero;
      v.c = fp32(110, 150);
      break;
    case 'specials': {
      const pick = r() % 6;
      const i = r() % k;
      const nanA = minifloatNanCode(p.a);
      const infB = minifloatInfCode(p.b);
      if (pick === 0 && nanA >= 0) v.a[i] = nanA | (r() & 1 ? 1 << (p.a.ebits + p.a.mbits) : 0);
      else if (pick === 1 && infB >= 0) v.b[i] = infB | (r() & 1 ? 1 << (p.b.ebits + p.b.mbits) : 0);
      else if (pick === 2 && ns > 0) v.sa[r() % ns] = sc.nan;
      else if (pick === 3) v.c = r() & 1 ? 0x7f800000 : 0xff800000;
      else if (pick === 4) v.c = (0x7f800001 + (r() & 0x3fffff)) >>> 0;
      else if (infB >= 0) {
        v.b[i] = infB;
        v.a[i] = 0;
      } else if (ns > 0) v.sb[r() % ns] = sc.nan;
      break;
    }
  }
  return v;
}

export const fusedBench: UnitBench<FusedParams> = {
  family: 'fused',
  legend: () => FUSED_CLASSES.map((c) => `random class: ${c}`),
  open(p: FusedParams, layout: RecordLayout): OpenBench {
    const golden = goldenFromValues(layout, fusedFamily.golden(p));
    const scaled = p.scale !== null;
    const ws = p.scale ? scaleBits(p.scale) : 0;
    const ao = slotOf(layout.inputs, FUSED_PORTS.a).offset;
    const bo = slotOf(layout.inputs, FUSED_PORTS.b).offset;
    const co = slotOf(layout.inputs, FUSED_PORTS.c).offset;
    const sao = scaled ? slotOf(layout.inputs, FUSED_PORTS.scaleA).offset : -1;
    const sbo = scaled ? slotOf(layout.inputs, FUSED_PORTS.scaleB).offset : -1;
    const dOff = slotOf(layout.outputs, FUSED_PORTS.d).offset;
    const wa = elementBits(p.a);
    const wb = elementBits(p.b);
    const results = { nan: 0, inf: 0, zero: 0, subnormal: 0, normal: 0 };
    const tally = (d: number): void => {
      const e = (d >>> 23) & 0xff;
      if (d === FUSED_NAN) results.nan++;
      else if (e === 0xff) results.inf++;
      else if (e === 0) results[(d & 0x7fffff) === 0 ? 'zero' : 'subnormal']++;
      else results.normal++;
    };
    return {
      golden,
      report: (m) => reportLines(layout, m, (v) => fusedFamily.describeInputs(p, v), (port, v) => fusedFamily.describeOutput(p, port, v)),
      plan(opts) {
        const rng = new Xoshiro128(opts.seed ^ 0x2f0d5e11);
        // (8 classes: the draw is the low 3 bits of the word, as before)
        const { next, perClass } = classedBatches(opts, layout, rng, FUSED_CLASSES, 'vector', (input, off, expected, outOff, c) => {
          const v = vectorOf(p, rng, c);
          v.a.forEach((x, i) => putField(input, off + ao, wa * i, wa, x));
          v.b.forEach((x, i) => putField(input, off + bo, wb * i, wb, x));
          if (scaled) {
            v.sa.forEach((x, j) => putField(input, off + sao, ws * j, ws, x));
            v.sb.forEach((x, j) => putField(input, off + sbo, ws * j, ws, x));
          }
          input[off + co] = v.c;
          golden(input, off, expected, outOff);
          tally(expected[outOff + dOff]);
        });
        return {
          total: opts.vectors,
          what: `${count(opts.vectors)} random vectors in ${FUSED_CLASSES.length} classes`,
          next,
          details: () => [
            `random classes: ${[...perClass].map(([c, x]) => `${c} ${count(x)}`).join(', ')}`,
            `results: ${Object.entries(results).map(([c, x]) => `${c} ${count(x)}`).join(', ')}`,
          ],
        };
      },
    };
  },
};
