// The clocked MAC array: the default 2 x 2 MXFP4 array (k = 32) through 2 x 10^5 PE results in
// Verilator (make sim runs it through 10^6 as part of the default configuration) and a short run in Icarus, the exact (fixed-point) accumulation, and broken arrays (a
// missing accumulator clear, swapped rows, the result register bypassed, a reset that leaves the
// accumulator, out_valid a cycle early, an exact accumulator one bit short, flags that forget a
// NaN block) that the cycle-by-cycle comparison must catch.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInto } from '../../generator/generate.js';
import { makeConfig } from '../../generator/units/config.js';
import { sim, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('mac'));
});
afterAll(async () => cleanup());

async function genMac(out: string, block: number, rows = 2, cols = 2, maxBlocks = 8, stages = 0, accum: 'fp32' | 'exact' = 'fp32'): Promise<void> {
  await generateInto(out, makeConfig({ elemA: 'e2m1', elemB: 'e2m1', scale: 'e8m0', out: 'fp32', block, units: ['mac_array'], mac: { rows, cols, accum, maxBlocks, stages } }));
}

describe('the default MAC array (MXFP4, k = 32, 2 x 2, fp32 accumulation)', () => {
  it('matches the golden cycle model on 2 x 10^5 PE results, every output of every cycle', async () => {
    const rtl = join(dir, 'k32');
    await genMac(rtl, 32);
    const r = await sim(['--rtl', rtl, '--vectors', '200000', '--out-dir', join(dir, 'out')]);
    expect(r.code).toBe(0);
    const done = /completed sums: ([0-9,]+) \(([0-9,]+) PE results\), idle cycles ([0-9,]+), resets ([0-9,]+)/.exec(r.out);
    expect(done).not.toBeNull();
    const n = (s: string | undefined): number => Number((s ?? '').replace(/,/g, ''));
    expect(n(done?.[2])).toBeGreaterThanOrEqual(200_000);
    expect(n(done?.[3])).toBeGreaterThan(0);
    expect(n(done?.[4])).toBeGreaterThan(1);
    // every class of result occurs: the directed sums reach Inf, NaN, zero and subnormals
    const cls = /PE results: normal ([0-9,]+), subnormal ([0-9,]+), zero ([0-9,]+), inf ([0-9,]+), nan ([0-9,]+)/.exec(r.out);
    for (let i = 1; i <= 5; i++) expect(n(cls?.[i])).toBeGreaterThan(0);
    expect(r.out).toMatch(/ {4}PASS [0-9,]+ checked, 0 mismatches/);
  }, 300_000);

  it('also passes in Icarus Verilog (a clocked testbench, one vector per cycle)', async () => {
    const rtl = join(dir, 'k32');
    const r = await sim(['--rtl', rtl, '--simulator', 'icarus', '--vectors', '200', '--out-dir', join(dir, 'out')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ {4}PASS [0-9,]+ checked, 0 mismatches/);
  }, 120_000);
});

describe('the array with one register stage (S = 1, latency 2)', () => {
  it('matches the golden cycle model, a 3 x 2 E4M3 x E2M1 array, UE4M3 scales, k = 8', async () => {
    const rtl = join(dir, 's1');
    await generateInto(rtl, makeConfig({ elemA: 'e4m3', elemB: 'e2m1', scale: 'ue4m3', out: 'fp32', block: 8, units: ['mac_array'], mac: { rows: 3, cols: 2, stages: 1 } }));
    const r = await sim(['--rtl', rtl, '--vectors', '60000', '--out-dir', join(dir, 'out')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ {4}PASS [0-9,]+ checked, 0 mismatches/);
  }, 120_000);

  it('fails when out_valid skips the stage', async () => {
    const rtl = join(dir, 's1-bad');
    await genMac(rtl, 4, 2, 2, 8, 1);
    const path = join(rtl, 'mx_mac_e2m1_e8m0_k4_2x2_fp32_s1.v');
    const text = await readFile(path, 'utf8');
    expect(text.split('out_valid_q <= done_q1;').length - 1).toBe(1);
    await writeFile(path, text.replace('out_valid_q <= done_q1;', 'out_valid_q <= in_valid & last;'));
    const r = await sim(['--rtl', rtl, '--vectors', '20000', '--out-dir', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/MISMATCH 1 of /);
  }, 120_000);
});

describe('exact accumulation (--accum exact): a fixed-point accumulator rounded once at read-out', () => {
  it('MXFP4, k = 32, 2 x 2, up to 8 blocks: matches the golden cycle model, every result class reached', async () => {
    const rtl = join(dir, 'exact');
    await genMac(rtl, 32, 2, 2, 8, 0, 'exact');
    const manifest = JSON.parse(await readFile(join(rtl, 'manifest.json'), 'utf8')) as { units: { parameters: Record<string, unknown> }[] };
    // 8 blocks of |sum| <= 32 * 36 units of 2^-2 at scales up to 2^127 * 2^127: 2^3 * 1152 * 2^508 < 2^522, and a sign bit
    expect(manifest.units[0].parameters.acc_bits).toBe(525);
    expect(manifest.units[0].parameters.acc_lsb).toBe(-256);
    const r = await sim(['--rtl', rtl, '--vectors', '100000', '--out-dir', join(dir, 'out')]);
    expect(r.code).toBe(0);
    const n = (s: string | undefined): number => Number((s ?? '').replace(/,/g, ''));
    const cls = /PE results: normal ([0-9,]+), subnormal ([0-9,]+), zero ([0-9,]+), inf ([0-9,]+), nan ([0-9,]+)/.exec(r.out);
    for (let i = 1; i <= 5; i++) expect(n(cls?.[i])).toBeGreaterThan(0);
    expect(r.out).toMatch(/ {4}PASS [0-9,]+ checked, 0 mismatches/);
  }, 300_000);

  it('E5M2 x E4M3 with UE4M3 scales (Inf elements, scale significands), k = 8, 3 x 2, one register stage', async () => {
    const rtl = join(dir, 'exact-s1');
    await generateInto(rtl, makeConfig({ elemA: 'e5m2', elemB: 'e4m3', scale: 'ue4m3', out: 'fp32', block: 8, units: ['mac_array'], mac: { rows: 3, cols: 2, accum: 'exact', maxBlocks: 3, stages: 1 } }));
    const r = await sim(['--rtl', rtl, '--vectors', '30000', '--out-dir', join(dir, 'out')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ {4}PASS [0-9,]+ checked, 0 mismatches/);
  }, 120_000);

  const EXACT_MUTANTS = [
    { name: 'the accumulator register one bit short (its sign bit lost)', good: 'reg [524:0] acc;', bad: 'reg [523:0] acc;', file: 'mx_pe_e2m1_e8m0_k32_exact.v' },
    { name: 'the NaN flag not sticky (a NaN block is forgotten by the next one)', good: 'wire acc_nan_next = first ? blk_nan : acc_nan | blk_nan;', bad: 'wire acc_nan_next = blk_nan;', file: 'mx_pe_e2m1_e8m0_k32_exact.v' },
  ];
  for (const m of EXACT_MUTANTS) {
    it(`fails: ${m.name}`, async () => {
      const rtl = join(dir, `exact-bad-${EXACT_MUTANTS.indexOf(m)}`);
      await genMac(rtl, 32, 2, 2, 8, 0, 'exact');
      const path = join(rtl, m.file);
      const text = await readFile(path, 'utf8');
      expect(text).toContain(m.good);
      await writeFile(path, text.split(m.good).join(m.bad));
      const r = await sim(['--rtl', rtl, '--vectors', '4000', '--seed', '7', '--out-dir', join(dir, 'out')]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/MISMATCH 1 of [0-9,]+: mx_mac_e2m1_e8m0_k32_2x2_exact vector \d+, cycle \d+: /);
    }, 120_000);
  }
});

describe('read-out in BF16 (--out-format bf16)', () => {
  for (const accum of ['fp32', 'exact'] as const) {
    it(`${accum} accumulation: a 2 x 2 E4M3 x E2M1 array, k = 8, matches the golden cycle model`, async () => {
      const rtl = join(dir, `bf16-${accum}`);
      await generateInto(rtl, makeConfig({ elemA: 'e4m3', elemB: 'e2m1', scale: 'e8m0', out: 'bf16', block: 8, units: ['mac_array'], mac: { rows: 2, cols: 2, accum, maxBlocks: 4 } }));
      const r = await sim(['--rtl', rtl, '--vectors', '30000', '--out-dir', join(dir, 'out')]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`mx_mac_e4m3xe2m1_e8m0_k8_2x2_${accum}_bf16`));
      expect(r.out).toMatch(/ {4}PASS [0-9,]+ checked, 0 mismatches/);
    }, 120_000);
  }
});

const MUTANTS: { name: string; file: string; good: string; bad: string }[] = [
  { name: 'first does not clear the accumulator', file: 'mx_pe_e2m1_e8m0_k4_fp32.v', good: 'wire [31:0] acc_next = first ? block_dot : acc_sum;', bad: 'wire [31:0] acc_next = acc_sum;' },
  { name: 'rows 0 and 1 swapped', file: 'mx_mac_e2m1_e8m0_k4_2x2_fp32.v', good: '.a(a[16*(r) +: 16]),', bad: '.a(a[16*(r ^ 1) +: 16]),' },
  { name: 'the result register bypassed (result shows the accumulator)', file: 'mx_pe_e2m1_e8m0_k4_fp32.v', good: 'assign result = result_q;', bad: 'assign result = acc;' },
  { name: 'reset leaves the accumulator as it is', file: 'mx_pe_e2m1_e8m0_k4_fp32.v', good: "      acc <= 32'h0;", bad: '      acc <= acc;' },
  { name: 'out_valid a cycle early (not registered)', file: 'mx_mac_e2m1_e8m0_k4_2x2_fp32.v', good: 'assign out_valid = out_valid_q;', bad: 'assign out_valid = in_valid & last;' },
];

describe('broken MAC arrays fail the bench', () => {
  for (const m of MUTANTS) {
    it(m.name, async () => {
      const rtl = join(dir, `bad-${MUTANTS.indexOf(m)}`);
      await genMac(rtl, 4);
      const path = join(rtl, m.file);
      const text = await readFile(path, 'utf8');
      expect(text.split(m.good).length - 1).toBe(1);
      await writeFile(path, text.replace(m.good, m.bad));
      const r = await sim(['--rtl', rtl, '--vectors', '20000', '--seed', '5', '--out-dir', join(dir, 'out')]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/MISMATCH 1 of [0-9,]+: mx_mac_e2m1_e8m0_k4_2x2_fp32 vector \d+, cycle \d+: /);
      expect(r.out).toMatch(/rerun with --seed 0x00000005 to reproduce/);
    }, 120_000);
  }
});

describe('GPU-compatible accumulation (--accum blackwell, hopper): one GPU fused dot-add per beat', () => {
  it.each([
    ['blackwell', 'e4m3', 'e2m1'],
    ['hopper', 'e4m3', 'e5m2'],
  ] as const)('%s, %s x %s, k = 32, 2 x 2: matches the golden cycle model, every result class reached', async (accum, a, b) => {
    const rtl = join(dir, accum);
    await generateInto(rtl, makeConfig({ elemA: a, elemB: b, scale: 'e8m0', out: 'fp32', block: 32, units: ['mac_array'], mac: { rows: 2, cols: 2, accum } }));
    const r = await sim(['--rtl', rtl, '--vectors', '40000', '--seed', '5', '--out-dir', join(dir, 'out')]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/ {4}PASS [0-9,]+ checked, 0 mismatches/);
    const n = (s: string | undefined): number => Number((s ?? '').replace(/,/g, ''));
    const cls = /PE results: normal ([0-9,]+), subnormal ([0-9,]+), zero ([0-9,]+), inf ([0-9,]+), nan ([0-9,]+)/.exec(r.out);
    for (let i = 1; i <= 5; i++) expect(n(cls?.[i]), r.out).toBeGreaterThan(0);
  }, 180_000);
});
