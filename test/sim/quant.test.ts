// The quantizer (--units quant): floor and ceil with E8M0 scales for FP4, FP8 and INT8 elements,
// nv (NVFP4 and others) with and without the guard, floor / ceil with UE4M3 / UE5M3 scales, against
// the golden quantizeBlockReference in Verilator, and broken units (a tie rounded away under
// ties-to-even, an FP32 subnormal taken as if normal, ceil stepping up at max_elem itself, the scale
// clamped one code low; nv: a division's remainder left out of the sticky bit, in a lane and in the
// scale) that the bench must catch. Pipelined quantizers (--stages 1, 2) give the same codes, read
// S - 1 edges later, in Verilator and in the Icarus testbench, and one whose lanes read the scale of
// the stage before fails.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInto } from '../../generator/generate.js';
import { makeConfig } from '../../generator/units/config.js';
import { execa } from 'execa';
import { ROOT, sim, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('quant'));
});
afterAll(async () => cleanup());

const gen = (out: string, elem: string, recipe: string, round: 'rne' | 'away' = 'rne', block = 32, inFormat: 'fp32' | 'bf16' = 'fp32', scale = 'e8m0', guard = false, stages = 0) =>
  generateInto(out, makeConfig({ elemA: elem, elemB: elem, scale, out: 'fp32', block, units: ['quant'], quant: { recipe, round, in: inFormat, guard, stages } }));

describe('the quantizer matches the golden model', () => {
  for (const [elem, recipe, round, block, inFormat] of [
    ['e2m1', 'floor', 'rne', 32, 'fp32'],
    ['e4m3', 'floor', 'rne', 32, 'fp32'],
    ['e5m2', 'ceil', 'away', 16, 'fp32'],
    ['int8', 'ceil', 'rne', 32, 'fp32'],
    ['e3m2', 'floor', 'away', 7, 'fp32'],
    ['e4m3', 'ceil', 'rne', 32, 'bf16'],
  ] as const) {
    it(`${elem}, ${recipe}, ${round}, k = ${block}, ${inFormat} in: every class of block, every kind of scale code`, async () => {
      const rtl = join(dir, `${elem}${recipe}${round}${block}${inFormat}`);
      await gen(rtl, elem, recipe, round, block, inFormat);
      const r = await sim(['--rtl', rtl, '--vectors', '40000', '--seed', '7', '--out-dir', join(dir, 'out')]);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/ {4}PASS 40,000 checked, 0 mismatches/);
      const n = (s: string | undefined): number => Number((s ?? '').replace(/,/g, ''));
      const sc = /scale codes: NaN ([0-9,]+), all-zero blocks ([0-9,]+), 0 \(the smallest scale, clamped from below\) ([0-9,]+), 254 \(the largest\) ([0-9,]+), others ([0-9,]+)/.exec(r.out);
      // 254 needs amax / 2^127 to reach max_elem: INT8 (max 127/64 < 2) alone gets there
      for (const i of [1, 2, 3, 5, ...(elem === 'int8' ? [4] : [])]) expect(n(sc?.[i]), `scale class ${i} in ${r.out}`).toBeGreaterThan(0);
    }, 180_000);
  }

  for (const [elem, scale, recipe, guard, round, block] of [
    ['e2m1', 'ue4m3', 'nv', false, 'rne', 16],
    ['e2m1', 'ue4m3', 'nv', true, 'rne', 16],
    ['e4m3', 'ue5m3', 'nv', false, 'away', 16],
    ['int8', 'ue4m3', 'nv', true, 'rne', 8],
    ['e2m1', 'ue4m3', 'floor', false, 'rne', 16],
    ['e2m3', 'ue5m3', 'ceil', true, 'rne', 16],
  ] as const) {
    it(`${elem}, ${scale}, ${recipe}${guard ? ', guard' : ''}, ${round}, k = ${block}: every class of block, every kind of scale code`, async () => {
      const rtl = join(dir, `${elem}${scale}${recipe}${guard}${round}${block}`);
      await gen(rtl, elem, recipe, round, block, 'fp32', scale, guard);
      const r = await sim(['--rtl', rtl, '--vectors', '40000', '--seed', '7', '--out-dir', join(dir, 'out')]);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/ {4}PASS 40,000 checked, 0 mismatches/);
      const n = (s: string | undefined): number => Number((s ?? '').replace(/,/g, ''));
      const sc = /scale codes: NaN ([0-9,]+), all-zero blocks ([0-9,]+), zero \(the block flushed\) ([0-9,]+), 1 \(the smallest scale[^)]*\) ([0-9,]+), (\d+) \(the largest\) ([0-9,]+), others ([0-9,]+)/.exec(r.out);
      expect(sc, r.out).not.toBeNull();
      // a zero scale only without the guard; the largest scale: the largest finite code (nv) or power of two
      const largest = recipe === 'nv' ? (scale === 'ue4m3' ? 0x7e : 0xfe) : scale === 'ue4m3' ? (8 + 7) << 3 : (16 + 15) << 3;
      expect(n(sc?.[5])).toBe(largest);
      for (const i of [1, 2, 4, 6, 7]) expect(n(sc?.[i]), `scale class ${i} in ${r.out}`).toBeGreaterThan(0);
      if (guard) expect(n(sc?.[3])).toBe(0);
      else expect(n(sc?.[3])).toBeGreaterThan(0);
    }, 180_000);
  }
});

describe('the pipelined quantizer', () => {
  for (const [stages, elem, recipe, scale, block] of [
    [1, 'e4m3', 'floor', 'e8m0', 32],
    [2, 'e2m1', 'nv', 'ue4m3', 16],
  ] as const) {
    const top = `mx_quant_${elem}_${scale}_k${block}_${recipe}_s${stages}`;
    it(`${top}: the combinational quantizer's codes, ${stages - 1} edge(s) later, in Verilator and in Icarus`, async () => {
      const rtl = join(dir, top);
      await gen(rtl, elem, recipe, 'rne', block, 'fp32', scale, false, stages);
      const v = await sim(['--rtl', rtl, '--vectors', '40000', '--seed', '5', '--out-dir', join(dir, 'out')]);
      expect(v.code, v.out).toBe(0);
      expect(v.out).toMatch(/ {4}PASS 40,000 checked, 0 mismatches/);
      const i = await sim(['--rtl', rtl, '--vectors', '1000', '--seed', '5', '--simulator', 'icarus', '--out-dir', join(dir, 'out')]);
      expect(i.code, i.out).toBe(0);
      expect(i.out).toMatch(/ {4}PASS 1,000 checked, 0 mismatches/);
    }, 180_000);
  }

  it('lanes that read the scale of the stage before fail the bench', async () => {
    const rtl = join(dir, 'bad-pipeline');
    await gen(rtl, 'e2m1', 'nv', 'rne', 16, 'fp32', 'ue4m3', false, 2);
    const path = join(rtl, 'mx_quant_e2m1_ue4m3_k16_nv_s2.v');
    const text = await readFile(path, 'utf8');
    expect(text.split('.sc(sc_p2)').length - 1).toBe(1);
    await writeFile(path, text.replace('.sc(sc_p2)', '.sc(sc)'));
    const r = await sim(['--rtl', rtl, '--vectors', '20000', '--seed', '3', '--out-dir', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/MISMATCH 1 of [0-9,]+: mx_quant_e2m1_ue4m3_k16_nv_s2 vector \d+/);
  }, 180_000);
});

describe('the one-lane FP32 sweep benchmark (bench/quant-sweep.ts)', () => {
  it('checks a window of patterns of the default quantizer, and refuses a malformed --others', async () => {
    const run = (args: string[]) => execa('node', [join(ROOT, 'dist', 'bench', 'quant-sweep.js'), ...args], { reject: false, cwd: ROOT });
    // the window around 2^-127 .. 2^-126 and the other lanes at 1.0: subnormal lanes against a fixed scale
    const ok = await run(['--from', '007f0000', '--count', '60000', '--others', '3f800000']);
    expect(ok.exitCode, String(ok.stderr)).toBe(0);
    expect(String(ok.stdout)).toMatch(/quant-sweep: PASS 60,000 of 60,000 patterns checked, 0 mismatches/);
    const bad = await run(['--others', '1.0']);
    expect(bad.exitCode).toBe(2);
    expect(String(bad.stderr).trim()).toBe("quant-sweep: error: --others needs FP32 bits in hex (e.g. 3f800000 for 1.0), got '1.0'");
  }, 120_000);
});

const MUTANTS: { name: string; elem: string; recipe: string; file: string; good: string; bad: string; scale?: string; block?: number }[] = [
  { name: 'a tie rounded up whatever the kept bit (ties away under ties to even)', elem: 'e4m3', recipe: 'floor', file: 'mx_qlane_e4m3.v', good: 'wire r_up = r_y[0] & (r_sticky | r_y[1]);', bad: 'wire r_up = r_y[0];' },
  { name: 'an FP32 subnormal taken at the exponent of the smallest normal', elem: 'e4m3', recipe: 'floor', file: 'mx_qlane_e4m3.v', good: "wire [8:0] t = sub ? 9'd22 - {4'b0, nrm_lz} :", bad: "wire [8:0] t = sub ? 9'd23 :" },
  { name: "ceil stepping up at max_elem's significand itself", elem: 'e4m3', recipe: 'ceil', file: 'mx_quant_e4m3_e8m0_k32_ceil.v', good: "wire a_up = a_sig > 24'he00000;", bad: "wire a_up = a_sig >= 24'he00000;" },
  { name: 'the scale clamped at code 253', elem: 'int8', recipe: 'ceil', file: 'mx_quant_int8_e8m0_k32_ceil.v', good: "8'd254 : sc_wide[7:0]", bad: "8'd253 : sc_wide[7:0]" },
  { name: "an nv lane's remainder left out of its sticky bit", elem: 'e2m1', recipe: 'nv', scale: 'ue4m3', block: 16, file: 'mx_qlane_e2m1_ue4m3.v', good: 'wire dsticky = |mant[9:0] | |dv_r0;', bad: 'wire dsticky = |mant[9:0];' },
  { name: "the nv scale's remainder left out of its sticky bit", elem: 'e2m1', recipe: 'nv', scale: 'ue4m3', block: 16, file: 'mx_quant_e2m1_ue4m3_k16_nv.v', good: 'wire s_dsticky = |a_sig[11:0] | |s_dv_r0;', bad: 'wire s_dsticky = |a_sig[11:0];' },
  { name: 'the scale clamped from below at code 1', elem: 'e2m1', recipe: 'floor', file: 'mx_quant_e2m1_e8m0_k32_floor.v', good: "wire [7:0] sc = a_t < 9'd24 ? 8'd0 :", bad: "wire [7:0] sc = a_t < 9'd24 ? 8'd1 :" },
];

describe('broken quantizers fail the bench', () => {
  for (const m of MUTANTS) {
    it(m.name, async () => {
      const rtl = join(dir, `bad-${MUTANTS.indexOf(m)}`);
      await gen(rtl, m.elem, m.recipe, 'rne', m.block ?? 32, 'fp32', m.scale ?? 'e8m0');
      const path = join(rtl, m.file);
      const text = await readFile(path, 'utf8');
      expect(text.split(m.good).length - 1).toBe(1);
      await writeFile(path, text.replace(m.good, m.bad));
      const r = await sim(['--rtl', rtl, '--vectors', '20000', '--seed', '3', '--out-dir', join(dir, 'out')]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(new RegExp(`MISMATCH 1 of [0-9,]+: mx_quant_${m.elem}_${m.scale ?? 'e8m0'}_k${m.block ?? 32}_${m.recipe} vector \\d+`));
    }, 180_000);
  }
});
