// The MAC array's proofs: every obligation of a 2 x 2 MXFP4 array proven (its dot product and adder
// obligations included), and broken arrays failing exactly the obligation that covers the edit:
// the PE step (first not clearing, the result register bypassed, a reset that keeps the
// accumulator, acc_next reading the wrong adder input) and the array (rows swapped, out_valid not
// registered, a PE's en tied to first).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInto } from '../../generator/generate.js';
import { makeConfig } from '../../generator/units/config.js';
import { formal, mutate, requireBuild, statuses, tempDir } from './helpers.js';

const TOP = 'mx_mac_e2m1_e8m0_k4_2x2_fp32';
const PE = 'mx_pe_e2m1_e8m0_k4_fp32.v';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  requireBuild();
  ({ dir, cleanup } = await tempDir('mac'));
});
afterAll(async () => cleanup());

async function gen(out: string, stages = 0): Promise<void> {
  await generateInto(out, makeConfig({ elemA: 'e2m1', elemB: 'e2m1', scale: 'e8m0', out: 'fp32', block: 4, units: ['mac_array'], mac: { rows: 2, cols: 2, stages } }));
}

describe('MAC array proofs', () => {
  it('proves every obligation of the 2 x 2 MXFP4 array (k = 4), its dot product and FP32 adder included', async () => {
    const rtl = join(dir, 'good');
    await gen(rtl);
    const r = await formal(rtl, join(dir, 'good-out'));
    expect(r.code).toBe(0);
    const st = statuses(r.report);
    for (const p of ['dot.products', 'dot.tree', 'dot.round', 'add.stage', 'add.round', 'add.specials', 'pe', 'array']) expect(st[`${TOP}.${p}`]).toBe('proven');
    expect(Object.values(st).every((s) => s === 'proven')).toBe(true);
  }, 300_000);

  it('proves the array with one register stage (S = 1), and that its PE is the S = 0 PE one cycle later', async () => {
    const rtl = join(dir, 'good-s1');
    await gen(rtl, 1);
    const r = await formal(rtl, join(dir, 'good-s1-out'), '--only', `${TOP}_s1.pe,${TOP}_s1.array,${TOP}_s1.retime`);
    expect(r.code).toBe(0);
    expect(statuses(r.report)).toEqual({ [`${TOP}_s1.pe`]: 'proven', [`${TOP}_s1.array`]: 'proven', [`${TOP}_s1.retime`]: 'proven' });
  }, 300_000);

  // the netlist-to-netlist proof fails for a stage the step proof alone would not relate to S = 0
  const RETIME_CASES: { name: string; pattern: RegExp; replace: string }[] = [
    { name: 'the accumulation reads this beat\'s dot product', pattern: /wire \[31:0\] acc_next = first_q \? dot_q : acc_sum;/, replace: 'wire [31:0] acc_next = first_q ? block_dot : acc_sum;' },
    { name: 'a reset that does not clear the staged beat', pattern: /      en_q <= 1'd0;/, replace: '      en_q <= en;' },
  ];
  for (const c of RETIME_CASES) {
    it(`S = 1, ${c.name}: retime fails`, async () => {
      const rtl = join(dir, `retime-bad-${RETIME_CASES.indexOf(c)}`);
      await gen(rtl, 1);
      await mutate(join(rtl, 'mx_pe_e2m1_e8m0_k4_fp32_s1.v'), c.pattern, c.replace);
      const r = await formal(rtl, join(dir, `retime-bad-${RETIME_CASES.indexOf(c)}-out`), '--only', `${TOP}_s1.retime`);
      expect(r.code).toBe(1);
      expect(statuses(r.report)).toEqual({ [`${TOP}_s1.retime`]: 'failed' });
    }, 300_000);
  }

  const CASES: { name: string; file: string; pattern: RegExp; replace: string; fails: 'pe' | 'array'; stages?: number }[] = [
    { name: 'first does not clear the accumulator', file: PE, pattern: /wire \[31:0\] acc_next = first \? block_dot : acc_sum;/, replace: 'wire [31:0] acc_next = acc_sum;', fails: 'pe' },
    { name: 'the result register bypassed', file: PE, pattern: /assign result = result_q;/, replace: 'assign result = acc;', fails: 'pe' },
    { name: 'reset keeps the accumulator', file: PE, pattern: /      acc <= 32'h0;/, replace: '      acc <= acc;', fails: 'pe' },
    { name: 'the result register takes the old accumulator', file: PE, pattern: /      result_q <= acc_next;/, replace: '      result_q <= acc;', fails: 'pe' },
    { name: 'rows 0 and 1 swapped', file: `${TOP}.v`, pattern: /\.a\(a\[16\*\(r\) \+: 16\]\),/, replace: '.a(a[16*(r ^ 1) +: 16]),', fails: 'array' },
    { name: 'out_valid taken from in_valid alone', file: `${TOP}.v`, pattern: /out_valid_q <= in_valid & last;/, replace: 'out_valid_q <= in_valid;', fails: 'array' },
    { name: 'the PEs enabled by first instead of in_valid', file: `${TOP}.v`, pattern: /\.en\(in_valid\),/, replace: '.en(first),', fails: 'array' },
    { name: 'S = 1: the accumulation reads this beat\'s dot product, not the registered one', file: 'mx_pe_e2m1_e8m0_k4_fp32_s1.v', pattern: /wire \[31:0\] acc_next = first_q \? dot_q : acc_sum;/, replace: 'wire [31:0] acc_next = first_q ? block_dot : acc_sum;', fails: 'pe', stages: 1 },
    { name: 'S = 1: the stage\'s last bit not registered', file: 'mx_pe_e2m1_e8m0_k4_fp32_s1.v', pattern: /      last_q <= last;/, replace: '      last_q <= first;', fails: 'pe', stages: 1 },
    { name: 'S = 1: out_valid skips the stage (a cycle early)', file: `${TOP}_s1.v`, pattern: /out_valid_q <= done_q1;/, replace: 'out_valid_q <= in_valid & last;', fails: 'array', stages: 1 },
  ];
  for (const c of CASES) {
    it(`${c.name}: ${c.fails} fails, the other part stays proven`, async () => {
      const rtl = join(dir, `bad-${CASES.indexOf(c)}`);
      await gen(rtl, c.stages ?? 0);
      await mutate(join(rtl, c.file), c.pattern, c.replace);
      const top = c.stages ? `${TOP}_s${c.stages}` : TOP;
      const r = await formal(rtl, join(dir, `bad-${CASES.indexOf(c)}-out`), '--only', `${top}.pe,${top}.array`);
      expect(r.code).toBe(1);
      const st = statuses(r.report);
      expect(st[`${top}.${c.fails}`]).toBe('failed');
      expect(st[`${top}.${c.fails === 'pe' ? 'array' : 'pe'}`]).toBe('proven');
    }, 120_000);
  }
});

// The exact accumulation: a 2 x 2 E5M2 x E2M1 array with UE4M3 scales (Inf elements, scale
// significands) at k = 4, and broken PEs failing the obligation that covers the edit.
const XTOP = 'mx_mac_e5m2xe2m1_ue4m3_k4_2x2_exact';
const XPE = 'mx_pe_e5m2xe2m1_ue4m3_k4_exact.v';

async function genExact(out: string, stages = 0): Promise<void> {
  await generateInto(out, makeConfig({ elemA: 'e5m2', elemB: 'e2m1', scale: 'ue4m3', out: 'fp32', block: 4, units: ['mac_array'], mac: { rows: 2, cols: 2, accum: 'exact', maxBlocks: 4, stages } }));
}

describe('exact MAC array proofs', () => {
  it('proves every obligation: the dot product\'s stages, the step, the read-out and its rounding, the array', async () => {
    const rtl = join(dir, 'x-good');
    await genExact(rtl);
    const r = await formal(rtl, join(dir, 'x-good-out'));
    expect(r.code).toBe(0);
    const st = statuses(r.report);
    const parts = ['dot.products', 'dot.tree', 'dot.flags', 'dot.scales', 'dot.magnitude', 'dot.scaling', 'pe', 'readout', 'round', 'specials', 'array'];
    expect(Object.keys(st).sort()).toEqual(parts.map((p) => `${XTOP}.${p}`).sort());
    expect(Object.values(st).every((s) => s === 'proven')).toBe(true);
    // the read-out is proven for every accumulator value up to acc_max: that bound must cover the
    // largest sum of max-blocks = 4 blocks, each k = 4 products of the largest E5M2 (57344) and E2M1
    // (6) values at the largest UE4M3 scales (448), in the accumulator's unit 2^acc_lsb
    const manifest = JSON.parse(await readFile(join(rtl, 'manifest.json'), 'utf8')) as { units: { parameters: Record<string, unknown> }[] };
    const prm = manifest.units[0].parameters;
    expect(prm.acc_lsb).toBe(-35);
    const largest = 4n * 4n * 57344n * 6n * 448n * 448n * (1n << 35n);
    expect(BigInt(String(prm.acc_max))).toBeGreaterThanOrEqual(largest);
    expect(BigInt(String(prm.acc_max))).toBeLessThan(1n << BigInt(Number(prm.acc_bits) - 1));
  }, 300_000);

  it('proves the step with one register stage (S = 1), and that its PE is the S = 0 PE one cycle later', async () => {
    const rtl = join(dir, 'x-good-s1');
    await genExact(rtl, 1);
    const r = await formal(rtl, join(dir, 'x-good-s1-out'), '--only', `${XTOP}_s1.pe,${XTOP}_s1.retime`);
    expect(r.code).toBe(0);
    expect(statuses(r.report)).toEqual({ [`${XTOP}_s1.pe`]: 'proven', [`${XTOP}_s1.retime`]: 'proven' });
  }, 300_000);

  const XCASES: { name: string; pattern: RegExp; replace: string; fails: string }[] = [
    { name: 'first does not clear the accumulator', pattern: /wire \[(\d+):0\] acc_next = first \? blk_value : acc_sum;/, replace: 'wire [$1:0] acc_next = acc_sum;', fails: 'pe' },
    { name: 'the NaN flag not sticky', pattern: /wire acc_nan_next = first \? blk_nan : acc_nan \| blk_nan;/, replace: 'wire acc_nan_next = blk_nan;', fails: 'pe' },
    { name: 'the block value not negated for a negative sum', pattern: /wire \[(\d+):0\] blk_value = blk_sign \? \d+'h0 - blk_aligned : blk_aligned;/, replace: 'wire [$1:0] blk_value = blk_aligned;', fails: 'pe' },
    { name: '+Inf and -Inf blocks not NaN at read-out', pattern: /wire acc_next_nan = acc_nan_next \| \(acc_pinf_next & acc_ninf_next\);/, replace: 'wire acc_next_nan = acc_nan_next;', fails: 'readout' },
  ];
  for (const c of XCASES) {
    it(`${c.name}: ${c.fails} fails`, async () => {
      const rtl = join(dir, `x-bad-${XCASES.indexOf(c)}`);
      await genExact(rtl);
      await mutate(join(rtl, XPE), c.pattern, c.replace);
      const r = await formal(rtl, join(dir, `x-bad-${XCASES.indexOf(c)}-out`), '--only', `${XTOP}.pe,${XTOP}.readout`);
      expect(r.code).toBe(1);
      const st = statuses(r.report);
      expect(st[`${XTOP}.${c.fails}`]).toBe('failed');
      expect(st[`${XTOP}.${c.fails === 'pe' ? 'readout' : 'pe'}`]).toBe('proven');
    }, 120_000);
  }
});

// BF16 read-out of an FP32 accumulator: the step with the read-out cut, the FP32 decode, the rounding
describe('MAC array proofs, BF16 read-out', () => {
  const BTOP = 'mx_mac_e2m1_e8m0_k4_2x2_fp32_bf16';
  const genBf = (out: string): Promise<void> => generateInto(out, makeConfig({ elemA: 'e2m1', elemB: 'e2m1', scale: 'e8m0', out: 'bf16', block: 4, units: ['mac_array'], mac: { rows: 2, cols: 2 } })).then(() => undefined);
  const PARTS = ['pe', 'readout', 'round', 'specials', 'array'];
  it('proves the step, the read-out decode, its rounding and specials, and the array', async () => {
    const rtl = join(dir, 'bf-good');
    await genBf(rtl);
    const r = await formal(rtl, join(dir, 'bf-good-out'), '--only', PARTS.map((p) => `${BTOP}.${p}`).join(','));
    expect(r.code).toBe(0);
    expect(statuses(r.report)).toEqual(Object.fromEntries(PARTS.map((p) => [`${BTOP}.${p}`, 'proven'])));
  }, 300_000);
  it('a read-out that truncates the FP32 sum instead of rounding it: round fails', async () => {
    const rtl = join(dir, 'bf-bad');
    await genBf(rtl);
    await mutate(join(rtl, 'mx_pe_e2m1_e8m0_k4_fp32_bf16.v'), /wire ro_result_up = [^;]+;/, "wire ro_result_up = 1'b0;");
    const r = await formal(rtl, join(dir, 'bf-bad-out'), '--only', `${BTOP}.round,${BTOP}.pe`);
    expect(r.code).toBe(1);
    expect(statuses(r.report)).toEqual({ [`${BTOP}.round`]: 'failed', [`${BTOP}.pe`]: 'proven' });
  }, 300_000);
});

describe('MAC array proofs, blackwell accumulation (a GPU fused dot-add per beat)', () => {
  const GTOP = 'mx_mac_e2m1xe4m3_e8m0_k32_2x2_blackwell';
  const GPE = 'mx_pe_e2m1xe4m3_e8m0_k32_blackwell.v';
  const genG = (out: string): Promise<void> => generateInto(out, makeConfig({ elemA: 'e2m1', elemB: 'e4m3', scale: 'e8m0', out: 'fp32', block: 32, units: ['mac_array'], mac: { rows: 2, cols: 2, accum: 'blackwell' } })).then(() => undefined);
  it('proves the fused dot-add on the PE, the PE step and the array', async () => {
    const rtl = join(dir, 'bw-good');
    await genG(rtl);
    const r = await formal(rtl, join(dir, 'bw-good-out'));
    expect(r.code, r.stdout).toBe(0);
    const parts = ['fused.lane', 'fused.exponents', 'fused.align', 'fused.sum', 'fused.flags', 'fused.round', 'fused.specials', 'pe', 'array'];
    expect(statuses(r.report)).toEqual(Object.fromEntries(parts.map((p) => [`${GTOP}.${p}`, 'proven'])));
  }, 300_000);
  it('hopper, E4M3 x E5M2: proves the fused dot-add (with the scales in its exponents) on the PE, the PE step and the array', async () => {
    const top = 'mx_mac_e4m3xe5m2_e8m0_k32_2x2_hopper';
    const rtl = join(dir, 'hopper-good');
    await generateInto(rtl, makeConfig({ elemA: 'e4m3', elemB: 'e5m2', scale: 'e8m0', out: 'fp32', block: 32, units: ['mac_array'], mac: { rows: 2, cols: 2, accum: 'hopper' } }));
    const r = await formal(rtl, join(dir, 'hopper-good-out'));
    expect(r.code, r.stdout).toBe(0);
    const parts = ['fused.lane', 'fused.exponents', 'fused.align', 'fused.sum', 'fused.flags', 'fused.round', 'fused.specials', 'pe', 'array'];
    expect(statuses(r.report)).toEqual(Object.fromEntries(parts.map((p) => [`${top}.${p}`, 'proven'])));
  }, 300_000);
  it.each([
    ['the addend is the accumulator on a first beat', /wire \[31:0\] fused_c = first \? 32'h0 : acc;/, "wire [31:0] fused_c = acc;"],
    ['the result register takes the accumulator before the beat', /result_q <= block_acc;/, 'result_q <= acc;'],
  ])('%s: pe fails', async (_what, pattern, replace) => {
    const rtl = join(dir, `bw-bad-${String(replace).length}`);
    await genG(rtl);
    await mutate(join(rtl, GPE), pattern, replace);
    const r = await formal(rtl, join(dir, `bw-bad-${String(replace).length}-out`), '--only', `${GTOP}.pe`);
    expect(r.code).toBe(1);
    expect(statuses(r.report)).toEqual({ [`${GTOP}.pe`]: 'failed' });
  }, 120_000);
});
