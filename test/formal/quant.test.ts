// The quantizer's proofs: every obligation of MXFP4 (floor), E3M2 (ceil, ties away, k = 16), BF16
// inputs, NVFP4 (nv, with and without the guard) and E2M1 floor with UE4M3 scales proven, and broken
// quantizers failing exactly the obligation that covers the edit: a tie rounded up under ties to
// even and an FP32 subnormal given the normal branch (lane), ceil stepping up at max_elem itself
// (scale), a comparison of the max tree reversed (amax); nv: a lane's remainder left out of the
// sticky bit (lane), the scale's (scale), an all-zero block not flushed (scale). Pipelined
// quantizers (--stages 1, 2) prove the same obligations plus their register stages; a register
// dropped or added on one path fails the pipeline check, a register holding the wrong value the
// obligation of the logic after it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInto } from '../../generator/generate.js';
import { makeConfig } from '../../generator/units/config.js';
import { formal, mutate, requireBuild, statuses, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  requireBuild();
  ({ dir, cleanup } = await tempDir('quant'));
});
afterAll(async () => cleanup());

const gen = (out: string, elem: string, recipe: string, round: 'rne' | 'away' = 'rne', block = 32, inFormat: 'fp32' | 'bf16' = 'fp32', scale = 'e8m0', guard = false, stages = 0): Promise<unknown> =>
  generateInto(out, makeConfig({ elemA: elem, elemB: elem, scale, out: 'fp32', block, units: ['quant'], quant: { recipe, round, in: inFormat, guard, stages } }));

describe('quantizer proofs', () => {
  it.each([
    ['e2m1', 'floor', 'rne', 32, 'fp32', 'mx_quant_e2m1_e8m0_k32_floor'],
    ['e3m2', 'ceil', 'away', 16, 'fp32', 'mx_quant_e3m2_e8m0_k16_ceil_away'],
    ['e2m1', 'ceil', 'rne', 16, 'bf16', 'mx_quant_e2m1_e8m0_k16_ceil_bf16in'],
    ['e2m1', 'nv', 'rne', 16, 'fp32', 'mx_quant_e2m1_ue4m3_k16_nv', 'ue4m3', false],
    ['e2m1', 'nv', 'rne', 16, 'fp32', 'mx_quant_e2m1_ue4m3_k16_nv_guard', 'ue4m3', true],
    ['e2m1', 'floor', 'rne', 16, 'fp32', 'mx_quant_e2m1_ue4m3_k16_floor', 'ue4m3', false],
  ] as const)('%s, %s, %s, k = %i, %s in: every obligation proven (%s)', async (elem, recipe, round, block, inFormat, top, scale = 'e8m0', guard = false) => {
    const rtl = join(dir, `good-${top}`);
    await gen(rtl, elem, recipe, round, block, inFormat, scale, guard);
    const r = await formal(rtl, join(dir, `good-${top}-out`));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(statuses(r.report)).toEqual(Object.fromEntries(['amax', 'scale', 'lane'].map((p) => [`${top}.${p}`, 'proven'])));
  }, 300_000);

  it.each([
    ["an nv lane's remainder left out of its sticky bit", 'lane', 'mx_qlane_e2m1_ue4m3.v', /wire dsticky = \|mant\[9:0\] \| \|dv_r0;/, 'wire dsticky = |mant[9:0];'],
    ["the nv scale's remainder left out of its sticky bit", 'scale', 'mx_quant_e2m1_ue4m3_k16_nv.v', /wire s_dsticky = \|a_sig\[11:0\] \| \|s_dv_r0;/, 'wire s_dsticky = |a_sig[11:0];'],
    ['an all-zero block not flushed', 'scale', 'mx_quant_e2m1_ue4m3_k16_nv.v', /wire flush = \(sc == 7'd0\) \| all_zero;/, "wire flush = sc == 7'd0;"],
  ])('NVFP4 nv: %s fails the %s obligation', async (what, part, file, pattern, replace) => {
    const rtl = join(dir, `bad-nv-${what.length}`);
    await gen(rtl, 'e2m1', 'nv', 'rne', 16, 'fp32', 'ue4m3');
    await mutate(join(rtl, file), pattern, replace);
    const top = 'mx_quant_e2m1_ue4m3_k16_nv';
    const r = await formal(rtl, join(dir, `bad-nv-${what.length}-out`), '--only', `${top}.${part}`);
    expect(r.code).toBe(1);
    expect(statuses(r.report)).toEqual({ [`${top}.${part}`]: 'failed' });
  }, 120_000);

  it.each([
    ['a tie rounded up under ties to even', 'lane', 'floor', 'mx_qlane_e2m1.v', /wire r_up = r_y\[0\] & \(r_sticky \| r_y\[1\]\);/, 'wire r_up = r_y[0];'],
    ['an FP32 subnormal given the normal branch', 'lane', 'floor', 'mx_qlane_e2m1.v', /wire normal = \(~sub\) & \(u > 10'd277\);/, "wire normal = u > 10'd277;"],
    ["ceil stepping up at max_elem's significand itself", 'scale', 'ceil', 'mx_quant_e2m1_e8m0_k32_ceil.v', /wire a_up = a_sig > 24'hc00000;/, "wire a_up = a_sig >= 24'hc00000;"],
    ['a comparison of the max tree reversed', 'amax', 'floor', 'mx_quant_e2m1_e8m0_k32_floor.v', /wire \[30:0\] amax_l1_3 = mag_6 > mag_7 \? mag_6 : mag_7;/, 'wire [30:0] amax_l1_3 = mag_6 > mag_7 ? mag_7 : mag_6;'],
  ])('%s fails the %s obligation', async (what, part, recipe, file, pattern, replace) => {
    const rtl = join(dir, `bad-${what.length}`);
    await gen(rtl, 'e2m1', recipe);
    await mutate(join(rtl, file), pattern, replace);
    const top = `mx_quant_e2m1_e8m0_k32_${recipe}`;
    const r = await formal(rtl, join(dir, `bad-${what.length}-out`), '--only', `${top}.${part}`);
    expect(r.code).toBe(1);
    expect(statuses(r.report)).toEqual({ [`${top}.${part}`]: 'failed' });
  }, 120_000);

  it.each([
    [1, 'e2m1', 'floor', 32, 'e8m0', 'mx_quant_e2m1_e8m0_k32_floor_s1'],
    [2, 'e2m1', 'nv', 16, 'ue4m3', 'mx_quant_e2m1_ue4m3_k16_nv_s2'],
  ] as const)('%i register stage(s), %s %s k = %i %s: every obligation and the pipeline proven', async (stages, elem, recipe, block, scale, top) => {
    const rtl = join(dir, `good-${top}`);
    await gen(rtl, elem, recipe, 'rne', block, 'fp32', scale, false, stages);
    const r = await formal(rtl, join(dir, `good-${top}-out`));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(statuses(r.report)).toEqual(Object.fromEntries(['amax', 'scale', 'lane', 'pipeline'].map((p) => [`${top}.${p}`, 'proven'])));
    const md = await readFile(join(dir, `good-${top}-out`, 'reports', `${top.replace(/^mx_quant_/, '').replace(/_(floor|nv)_s\d$/, '')}.md`), 'utf8');
    expect(md).toContain(`\`${top}\` is a pipeline of ${stages} register stage`);
  }, 300_000);

  it.each([
    ['the lanes read the scale of the stage before (a register dropped)', 'pipeline', /\.sc\(sc_p2\)/, '.sc(sc)'],
    ['the scale registered twice on its way to the lanes', 'pipeline', /\.sc\(sc_p2\)/, '.sc(sc_p3)'],
    ["a value register holding its neighbour's bits", 'lane', /    x_p2 <= x_p1;/, '    x_p2 <= {x_p1[510:0], x_p1[511]};'],
  ])('NVFP4 nv, 2 stages: %s fails the %s obligation', async (what, part, pattern, replace) => {
    const rtl = join(dir, `bad-s2-${what.length}`);
    await gen(rtl, 'e2m1', 'nv', 'rne', 16, 'fp32', 'ue4m3', false, 2);
    const top = 'mx_quant_e2m1_ue4m3_k16_nv_s2';
    const file = join(rtl, `${top}.v`);
    await mutate(file, pattern, replace);
    // the extra register: declared and clocked beside the stage's own
    if (replace === '.sc(sc_p3)') await mutate(file, /  always @\(posedge clk\) begin\n    all_zero_p2/, '  reg [6:0] sc_p3;\n  always @(posedge clk) sc_p3 <= sc_p2;\n  always @(posedge clk) begin\n    all_zero_p2');
    const r = await formal(rtl, join(dir, `bad-s2-${what.length}-out`), '--only', `${top}.${part}`);
    expect(r.code).toBe(1);
    expect(statuses(r.report)).toEqual({ [`${top}.${part}`]: 'failed' });
  }, 120_000);
});
