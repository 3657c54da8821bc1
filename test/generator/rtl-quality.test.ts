// Every generated unit: lint-clean under `verilator --lint-only -Wall` with its file list, accepted by
// Icarus Verilog as Verilog-2005, and synthesizable by Yosys; for every element pair, scale format
// and result format, for the default formats at several block sizes, for a few MAC arrays, and for
// the fused dot-add of every GPU format pair and both mxf4nvf4 scale kinds.
import { runYosys } from '@yowasp/yosys';
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateConfig } from '../../generator/generate.js';
import { configTag, makeConfig, type GenConfig } from '../../generator/units/config.js';
import { ELEMENT_FORMATS, SCALE_FORMATS } from '../../src/index.js';

const ELEMS = Object.keys(ELEMENT_FORMATS);
const SCALES = Object.keys(SCALE_FORMATS);
const BLOCKS = [1, 2, 3, 4, 16, 32, 33];

/** The combinational units of a configuration (the arrays are the few listed below). */
const config = (a: string, b: string, scale: string, out: string, block: number): GenConfig => makeConfig({ elemA: a, elemB: b, scale, out, block, units: ['mul', 'dequant', 'dot', 'add'] });

/** Every element pair x scale format x result format at k = 4, and the default formats at every block size. */
const CONFIGS: GenConfig[] = [
  ...ELEMS.flatMap((a) => ELEMS.flatMap((b) => SCALES.flatMap((s) => ['fp32', 'bf16'].map((o) => config(a, b, s, o, 4))))),
  ...BLOCKS.filter((k) => k !== 4).map((k) => config('e2m1', 'e2m1', 'e8m0', 'fp32', k)),
  // MAC arrays (clocked): square, rectangular, mixed formats, one PE; fp32 and exact accumulation, 0 and 1 stages
  ...(
    [
      ['e2m1', 'e2m1', 'e8m0', 4, 2, 2, 'fp32', 0],
      ['e4m3', 'e5m2', 'ue4m3', 3, 3, 2, 'fp32', 1],
      ['int8', 'e2m3', 'ue5m3', 1, 1, 1, 'fp32', 0],
      ['e2m1', 'e2m1', 'e8m0', 4, 2, 2, 'exact', 0],
      ['e5m2', 'e4m3', 'ue4m3', 3, 1, 2, 'exact', 1],
      ['int8', 'int8', 'e8m0', 2, 1, 1, 'exact', 0],
      ['e2m1', 'e4m3', 'e8m0', 2, 2, 1, 'fp32', 1, 'bf16'],
      ['e5m2', 'e5m2', 'ue5m3', 2, 1, 2, 'exact', 0, 'bf16'],
      ['e4m3', 'e2m1', 'e8m0', 32, 2, 2, 'blackwell', 0],
    ] as const
  ).map(([a, b, scale, block, rows, cols, accum, stages, out]) => makeConfig({ elemA: a, elemB: b, scale, out: out ?? 'fp32', block, units: ['mac_array'], mac: { rows, cols, accum, stages } })),
  // the GPU-compatible fused dot-add: every kind::mxf8f6f4 element pair, every Hopper FP8 pair
  ...['e4m3', 'e5m2', 'e3m2', 'e2m3', 'e2m1'].flatMap((a) => ['e4m3', 'e5m2', 'e3m2', 'e2m3', 'e2m1'].map((b) => makeConfig({ elemA: a, elemB: b, scale: 'e8m0', out: 'fp32', block: 32, units: ['fused'], gpu: 'blackwell' }))),
  ...['e4m3', 'e5m2'].flatMap((a) => ['e4m3', 'e5m2'].map((b) => makeConfig({ elemA: a, elemB: b, scale: 'e8m0', out: 'fp32', block: 32, units: ['fused'], gpu: 'hopper' }))),
  // the quantizer: both recipes, both element roundings, every element family
  ...(
    [
      ['e2m1', 'floor', 'rne', 32],
      ['e4m3', 'ceil', 'rne', 32],
      ['e5m2', 'floor', 'away', 16],
      ['int8', 'ceil', 'away', 32],
      ['e3m2', 'floor', 'rne', 1],
    ] as const
  ).map(([e, recipe, round, block]) => makeConfig({ elemA: e, elemB: e, scale: 'e8m0', out: 'fp32', block, units: ['quant'], quant: { recipe, round } })),
  makeConfig({ elemA: 'e4m3', elemB: 'e4m3', scale: 'e8m0', out: 'fp32', block: 32, units: ['quant'], quant: { in: 'bf16' } }),
  // nv over both non-power-of-two scale formats, with and without the guard and ties away; the
  // power-of-two recipes with UE4M3 / UE5M3 scales
  ...(
    [
      ['e2m1', 'ue4m3', 'nv', 'rne', false, 16],
      ['e4m3', 'ue5m3', 'nv', 'away', true, 32],
      ['int8', 'ue4m3', 'nv', 'away', false, 16],
      ['e3m2', 'ue5m3', 'nv', 'rne', true, 3],
      ['e2m1', 'ue4m3', 'floor', 'rne', false, 16],
      ['e5m2', 'ue5m3', 'ceil', 'rne', true, 16],
    ] as const
  ).map(([e, scale, recipe, round, guard, block]) => makeConfig({ elemA: e, elemB: e, scale, out: 'fp32', block, units: ['quant'], quant: { recipe, round, guard } })),
  // pipelined quantizers: one and two register stages
  makeConfig({ elemA: 'e4m3', elemB: 'e4m3', scale: 'e8m0', out: 'fp32', block: 32, units: ['quant'], quant: { in: 'bf16', stages: 1 } }),
  makeConfig({ elemA: 'e2m1', elemB: 'e2m1', scale: 'ue4m3', out: 'fp32', block: 16, units: ['quant'], quant: { recipe: 'nv', guard: true, stages: 2 } }),
  // kind::mxf4nvf4 with both of its scale kinds
  ...['e8m0', 'ue4m3'].map((scale) => makeConfig({ elemA: 'e2m1', elemB: 'e2m1', scale, out: 'fp32', block: 64, units: ['fused'], gpu: 'blackwell-f4' })),
  // ripple-carry adder trees: a mixed pair, the widest sum (E5M2), one lane, a MAC array with exact accumulation
  ...(
    [
      ['e4m3', 'e2m1', 'ue4m3', 32],
      ['e5m2', 'e5m2', 'e8m0', 32],
      ['int8', 'e2m3', 'e8m0', 1],
    ] as const
  ).map(([a, b, scale, block]) => makeConfig({ elemA: a, elemB: b, scale, out: 'fp32', block, units: ['mul', 'dot'], adders: 'ripple' })),
  makeConfig({ elemA: 'e2m1', elemB: 'e4m3', scale: 'e8m0', out: 'fp32', block: 8, units: ['mac_array'], mac: { rows: 2, cols: 1, accum: 'exact', stages: 1 }, adders: 'ripple' }),
  makeConfig({ elemA: 'e2m1', elemB: 'e2m1', scale: 'ue4m3', out: 'fp32', block: 64, units: ['fused'], gpu: 'blackwell-f4', adders: 'ripple' }),
  makeConfig({ elemA: 'e5m2', elemB: 'e4m3', scale: 'e8m0', out: 'fp32', block: 32, units: ['fused'], gpu: 'hopper', adders: 'ripple' }),
];

interface Top {
  readonly tag: string;
  readonly top: string;
  readonly files: string[];
}

let dir: string;
/** each unit's top with the paths of its files, each unique module linted once */
const tops: Top[] = [];
const seenTops = new Set<string>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mxrtl-quality-'));
  for (const c of CONFIGS) {
    const g = generateConfig(c);
    const sub = join(dir, `${configTag(c)}${c.units.includes('mac_array') ? `_mac_${c.mac.accum}_s${c.mac.stages}_${c.out.name}` : ''}${c.units.includes('fused') ? `_${c.gpu}` : ''}${c.units.includes('quant') ? `_${c.quant.recipe}_${c.quant.round}_${c.quant.in}_s${c.quant.stages}` : ''}`);
    await mkdir(sub);
    for (const f of g.files) await writeFile(join(sub, f.name), f.text);
    for (const u of g.manifest.units) {
      if (seenTops.has(u.top)) continue;
      seenTops.add(u.top);
      tops.push({ tag: configTag(c), top: u.top, files: u.files.map((f) => join(sub, f)) });
    }
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Yosys `synth -flatten` of a configuration's first unit, with `check -assert`: its `stat` text. */
async function synthStat(g: ReturnType<typeof generateConfig>): Promise<string> {
  const u = g.manifest.units[0];
  const files: Record<string, string> = {};
  for (const f of u.files) files[f] = g.files.find((x) => x.name === f)?.text ?? '';
  const out = (await runYosys(['-q', '-p', `${u.files.map((f) => `read_verilog ${f}`).join('; ')}; synth -flatten -top ${u.top}; check -assert; tee -q -o stat.txt stat`], files, {
    stdout: () => undefined,
    stderr: () => undefined,
  })) as Record<string, string>;
  return String(out['stat.txt']);
}

/** Run `fn` over `items`, two at a time (the machine class has two cores). */
async function both<T>(items: readonly T[], fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all([worker(), worker()]);
}

describe('generated RTL', () => {
  it(`lints clean with verilator --lint-only -Wall: every unit of ${CONFIGS.length} configurations, each top with its file list`, async () => {
    expect(tops.length).toBeGreaterThan(250);
    const failures: string[] = [];
    await both(tops, async (t) => {
      const r = await execa('verilator', ['--lint-only', '-Wall', '--top-module', t.top, ...t.files], { reject: false });
      if (r.exitCode !== 0 || r.stderr + r.stdout !== '') failures.push(`${t.top}: ${(r.stderr + r.stdout).split('\n').slice(0, 3).join(' | ')}`);
    });
    expect(failures).toEqual([]);
  }, 600_000);

  it('is accepted by Icarus Verilog as Verilog-2005', async () => {
    const failures: string[] = [];
    await both(tops, async (t) => {
      const r = await execa('iverilog', ['-g2005', '-o', '/dev/null', '-s', t.top, ...t.files], { reject: false });
      if (r.exitCode !== 0 || r.stderr + r.stdout !== '') failures.push(`${t.top}: ${(r.stderr + r.stdout).split('\n').slice(0, 3).join(' | ')}`);
    });
    expect(failures).toEqual([]);
  }, 600_000);
});

describe('synthesis with Yosys', () => {
  it.each([
    ['e2m1', 'e2m1', 'e8m0', 'fp32', 4],
    ['e2m1', 'e2m1', 'e8m0', 'fp32', 32],
    ['e4m3', 'e4m3', 'e8m0', 'fp32', 4],
    ['e5m2', 'int8', 'ue4m3', 'bf16', 4],
  ] as const)('synthesizes every unit of %s x %s, %s, %s, k = %i to gates with no problem reported by check', async (a, b, s, o, k) => {
    const g = generateConfig(config(a, b, s, o, k));
    for (const u of g.manifest.units) {
      const files: Record<string, string> = {};
      for (const f of u.files) files[f] = g.files.find((x) => x.name === f)?.text ?? '';
      let log = '';
      const out = (await runYosys(
        ['-q', '-p', `${u.files.map((f) => `read_verilog ${f}`).join('; ')}; synth -flatten -top ${u.top}; check -assert; tee -q -o stat.txt stat`],
        files,
        { stdout: (x) => void (x && (log += Buffer.from(x).toString())), stderr: (x) => void (x && (log += Buffer.from(x).toString())) },
      )) as Record<string, string>;
      const stat = String(out['stat.txt']);
      const cells = Number(/Number of cells:\s+(\d+)/.exec(stat)?.[1] ?? /(\d+)\s+cells/.exec(stat)?.[1]);
      expect(cells, `${u.top}: ${log}`).toBeGreaterThan(10);
    }
  }, 180_000);

  it('synthesizes the 2 x 2 MXFP4 MAC array (k = 4): every accumulator, result and out_valid bit a flip-flop', async () => {
    const g = generateConfig(makeConfig({ elemA: 'e2m1', elemB: 'e2m1', scale: 'e8m0', out: 'fp32', block: 4, units: ['mac_array'], mac: { rows: 2, cols: 2 } }));
    const stat = await synthStat(g);
    // flip-flops: 4 PEs x (32 accumulator + 32 result bits) + out_valid, all with synchronous reset
    const ffs = [...stat.matchAll(/^\s+(\d+)\s+\$_S?DFF\w*_\s*$/gm), ...stat.matchAll(/^\s+\$_S?DFF\w*_\s+(\d+)\s*$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(ffs, stat).toBe(4 * 64 + 1);
  }, 180_000);

  it('synthesizes the fused dot-add (kind::mxf8f6f4, E4M3 x E5M2) to gates, combinational, no problem reported by check', async () => {
    const g = generateConfig(makeConfig({ elemA: 'e4m3', elemB: 'e5m2', scale: 'e8m0', out: 'fp32', block: 32, units: ['fused'], gpu: 'blackwell' }));
    const stat = await synthStat(g);
    const cells = Number(/Number of cells:\s+(\d+)/.exec(stat)?.[1] ?? /(\d+)\s+cells/.exec(stat)?.[1]);
    expect(cells, stat).toBeGreaterThan(1000);
    expect(stat).not.toMatch(/DFF/);
  }, 300_000);

  it.each([
    ['the nv quantizer (NVFP4, k = 4)', 'e2m1', 'ue4m3', 'nv'],
    ['the quantizer (E4M3, ceil, k = 4)', 'e4m3', 'e8m0', 'ceil'],
  ] as const)('synthesizes %s to gates, combinational, no problem reported by check', async (_what, elem, scale, recipe) => {
    const g = generateConfig(makeConfig({ elemA: elem, elemB: elem, scale, out: 'fp32', block: 4, units: ['quant'], quant: { recipe } }));
    const stat = await synthStat(g);
    const cells = Number(/Number of cells:\s+(\d+)/.exec(stat)?.[1] ?? /(\d+)\s+cells/.exec(stat)?.[1]);
    expect(cells, stat).toBeGreaterThan(500);
    expect(stat).not.toMatch(/DFF/);
  }, 300_000);
});
