// The GPU-compatible fused dot-add (--units fused): kind::mxf8f6f4 E4M3 x E5M2 and E2M1, Hopper FP8
// E4M3 x E5M2, kind::mxf4nvf4 with E8M0 and UE4M3 scales against the golden fusedDotAdd in
// Verilator, and broken units (a zero's exponent off by one, a truncated zero that keeps its sign,
// the IEEE quiet NaN instead of the GPU's, a zero UE4M3 scale given its subnormal exponent) that the
// bench must catch.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInto } from '../../generator/generate.js';
import { makeConfig } from '../../generator/units/config.js';
import { sim, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('fused'));
});
afterAll(async () => cleanup());

const gen = (out: string, a: string, b: string, gpu: string, scale = 'e8m0') =>
  generateInto(out, makeConfig({ elemA: a, elemB: b, scale, out: 'fp32', block: gpu === 'blackwell-f4' ? 64 : 32, units: ['fused'], gpu }));

describe('the fused dot-add matches the golden model', () => {
  for (const [a, b, gpu, scale] of [
    ['e4m3', 'e5m2', 'blackwell', 'e8m0'],
    ['e2m1', 'e2m1', 'blackwell', 'e8m0'],
    ['e4m3', 'e5m2', 'hopper', 'e8m0'],
    ['e2m1', 'e2m1', 'blackwell-f4', 'e8m0'],
    ['e2m1', 'e2m1', 'blackwell-f4', 'ue4m3'],
  ] as const) {
    it(`${a} x ${b}, ${gpu}${gpu === 'blackwell-f4' ? ` (${scale})` : ''}: every class of vector and every class of result`, async () => {
      const rtl = join(dir, `${a}${b}${gpu}${scale}`);
      await gen(rtl, a, b, gpu, scale);
      const r = await sim(['--rtl', rtl, '--vectors', '60000', '--seed', '11', '--out-dir', join(dir, 'out')]);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/ {4}PASS 60,000 checked, 0 mismatches/);
      const n = (s: string | undefined): number => Number((s ?? '').replace(/,/g, ''));
      const res = /results: nan ([0-9,]+), inf ([0-9,]+), zero ([0-9,]+), subnormal ([0-9,]+), normal ([0-9,]+)/.exec(r.out);
      for (let i = 1; i <= 5; i++) expect(n(res?.[i]), `result class ${i} in ${r.out}`).toBeGreaterThan(0);
    }, 180_000);
  }
});

const MUTANTS: { name: string; file: string; good: string; bad: string; f4?: boolean }[] = [
  { name: "a zero's exponent -125 instead of -126", file: 'mx_fused_lane_e4m3xe5m2.v', good: "wire [7:0] a_gexp = a_sig == 4'd0 ? 8'd0 :", bad: "wire [7:0] a_gexp = a_sig == 4'd0 ? 8'd1 :" },
  { name: 'a value truncated to zero keeps its sign (-0)', file: 'mx_fused_e4m3xe5m2_e8m0_k32_blackwell.v', good: "wire rnd_zero = (sum_mag == 33'h0) | ((rnd_body == 31'h0) & ~rnd_overflow);", bad: "wire rnd_zero = (sum_mag == 33'h0);" },
  { name: 'NaN as 0x7FC00000', file: 'mx_fused_e4m3xe5m2_e8m0_k32_blackwell.v', good: "res_nan ? 32'h7fffffff :", bad: "res_nan ? 32'h7fc00000 :" },
  {
    name: "mxf4nvf4: a zero UE4M3 scale of group 0 given a subnormal's exponent (-6) instead of -126",
    file: 'mx_fused_e2m1_ue4m3_k64_blackwell_f4.v',
    good: "- (szero_a_0 ? 9'd120 : 9'd0)",
    bad: "- (szero_a_0 ? 9'd0 : 9'd0)",
    f4: true,
  },
];

describe('broken fused units fail the bench', () => {
  for (const m of MUTANTS) {
    it(m.name, async () => {
      const rtl = join(dir, `bad-${MUTANTS.indexOf(m)}`);
      await (m.f4 ? gen(rtl, 'e2m1', 'e2m1', 'blackwell-f4', 'ue4m3') : gen(rtl, 'e4m3', 'e5m2', 'blackwell'));
      const path = join(rtl, m.file);
      const text = await readFile(path, 'utf8');
      expect(text.split(m.good).length - 1).toBe(1);
      await writeFile(path, text.replace(m.good, m.bad));
      const r = await sim(['--rtl', rtl, '--vectors', '40000', '--seed', '3', '--out-dir', join(dir, 'out')]);
      expect(r.code).toBe(1);
      const top = m.f4 ? 'mx_fused_e2m1_ue4m3_k64_blackwell_f4' : 'mx_fused_e4m3xe5m2_e8m0_k32_blackwell';
      expect(r.out).toMatch(new RegExp(`MISMATCH 1 of [0-9,]+: ${top} vector \\d+`));
    }, 180_000);
  }
});
