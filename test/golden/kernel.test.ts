/** The fast dot-product kernel (src/dot-kernel.ts) against dotBlock, for every configuration. */
import { describe, expect, it } from 'vitest';
import {
  BF16,
  ELEMENT_FORMATS,
  FP32,
  SCALE_FORMATS,
  decodeScale,
  dotBlock,
  dotKernel,
  elementBits,
  scaleBits,
  type ElementFormat,
} from '../../src/index.js';

const ELEMS = Object.values(ELEMENT_FORMATS);
const SCALES = Object.values(SCALE_FORMATS);

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Codes biased towards the corners: zeros, the largest codes, the special codes at the top. */
function code(f: ElementFormat, r: () => number): number {
  const n = 2 ** elementBits(f);
  const u = r();
  if (u < 0.1) return 0;
  if (u < 0.2) return (n / 2 - 1 - Math.floor(r() * 2)) | (r() < 0.5 ? n / 2 : 0);
  if (u < 0.25) return n - 1 - Math.floor(r() * 4);
  return Math.floor(r() * n);
}

describe('dotKernel', () => {
  for (const fa of ELEMS) {
    for (const fb of ELEMS) {
      it(`${fa.name} x ${fb.name}: equals dotBlock for every scale format, FP32 and BF16, k from 1 to 40`, () => {
        const r = rng(elementBits(fa) * 131 + elementBits(fb) * 7 + fa.name.length);
        for (const fs of SCALES) {
          const ns = 2 ** scaleBits(fs);
          for (const out of [FP32, BF16]) {
            const kern = dotKernel(fa, fb, fs, out, 40);
            for (let t = 0; t < 150; t++) {
              const k = 1 + Math.floor(r() * 40);
              const a = Array.from({ length: k }, () => code(fa, r));
              const b = Array.from({ length: k }, () => code(fb, r));
              const u = r();
              const sa = u < 0.1 ? ns - 1 : u < 0.2 ? 0 : Math.floor(r() * ns);
              const sb = r() < 0.1 ? ns - 2 : Math.floor(r() * ns);
              const want = dotBlock(fa, a, fb, b, decodeScale(fs, sa), decodeScale(fs, sb), out);
              const got = kern(a, 0, b, 0, k, sa, sb);
              if (got !== want) expect(`${fs.name} ${out.name} a=[${a}] b=[${b}] ${sa} ${sb}: ${got}`).toBe(`${fs.name} ${out.name} a=[${a}] b=[${b}] ${sa} ${sb}: ${want}`);
            }
          }
        }
      });
    }
  }
});
