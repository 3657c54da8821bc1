// `node dist/formal/run.js` as make formal meets it: a clean configuration is fully proven, the
// report says how to rerun each obligation and the rerun agrees; a timeout or an RTL Yosys cannot
// read is never reported as proven; bad usage is one line and exit code 2.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, formal, generate, mutate, obligation, requireBuild, statuses, tempDir, type FormalRun } from './helpers.js';

const DOT4 = 'mx_dot_e2m1_e8m0_k4';
const ALL = [
  'mx_mul_e2m1.table',
  'mx_dequant_e2m1_e8m0_k4.lanes',
  ...['products', 'tree', 'scales', 'magnitude', 'round', 'specials'].map((p) => `${DOT4}.${p}`),
  ...['stage', 'round', 'specials'].map((p) => `mx_add_fp32.${p}`),
];

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  requireBuild();
  ({ dir, cleanup } = await tempDir('run'));
});
afterAll(async () => cleanup());

describe('the unmutated k = 4 configuration', () => {
  let run: FormalRun;
  let rtl: string;
  let out: string;
  beforeAll(async () => {
    rtl = join(dir, 'k4');
    out = join(dir, 'k4-out');
    await generate(rtl, 4);
    run = await formal(rtl, out);
  }, 120_000);

  it('is fully proven: every obligation of every unit, exit code 0', () => {
    expect(run.code).toBe(0);
    expect(statuses(run.report)).toEqual(Object.fromEntries(ALL.map((id) => [id, 'proven'])));
    expect(run.report?.result).toBe('proven');
    expect(run.stdout).toMatch(/^formal: PROVEN, e2m1_e8m0_k4: 11 obligations in /m);
  });

  it('shows progress, one line per obligation started and finished', () => {
    for (const id of ALL) {
      expect(run.stderr).toMatch(new RegExp(`running ${id.replace('.', '\\.')} `));
      expect(run.stderr).toMatch(new RegExp(`done\\] ${id.replace('.', '\\.')}: proven in `));
    }
  });

  it('writes a Markdown report with the Yosys version, times, scripts and the coverage argument', async () => {
    const md = await readFile(join(out, 'reports', 'e2m1_e8m0_k4.md'), 'utf8');
    expect(md).toMatch(/^# Formal equivalence: e2m1_e8m0_k4/);
    expect(md).toMatch(/Yosys: Yosys 0\.\d+ .*@yowasp\/yosys 0\.\d+/);
    expect(md).toMatch(/\| dot \| mx_dot_e2m1_e8m0_k4\.tree \| Yosys SAT \| proven \| \d+\.\d+ s \|/);
    expect(md).toMatch(/\| dot \| mx_dot_e2m1_e8m0_k4\.round \| exhaustive \(Yosys netlist\) \| proven \|/);
    expect(md).toMatch(/### Why the obligations cover the whole unit/);
    expect(md).toMatch(/## Sequential equivalence\n\nEvery unit in the manifest is combinational \(no clock\): there is no sequential proof to run\./);
    for (const id of ALL) expect(md).toContain(`--only ${id}\n`);
    expect(run.report?.yosys.package).toMatch(/^@yowasp\/yosys /);
    for (const o of run.report?.units.flatMap((u) => u.obligations) ?? []) {
      expect(o.seconds).toBeGreaterThan(0);
      expect(existsSync(join(ROOT, o.script as string)), o.id).toBe(true);
      for (const f of o.files) expect(existsSync(join(ROOT, f)), f).toBe(true);
    }
  });

  it('lets anyone rerun an obligation by hand from its script, with the same result', async () => {
    const o = obligation(run.report, `${DOT4}.tree`);
    const script = join(ROOT, o.script as string);
    const r = await execa('node', [join(ROOT, 'dist/formal/yosys-cli.js'), '-s', script.split('/').pop() as string], { cwd: join(script, '..'), reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/SAT proof finished - no model found: SUCCESS!/);
    const lanes = obligation(run.report, 'mx_dequant_e2m1_e8m0_k4.lanes');
    const r2 = await execa('node', [join(ROOT, 'dist/formal/yosys-cli.js'), '-s', (lanes.script as string).split('/').pop() as string], { cwd: join(ROOT, lanes.script as string, '..'), reject: false });
    expect(r2.exitCode).toBe(0);
    expect(r2.stdout).toMatch(/Executing AIGER backend/);
  }, 60_000);
});

describe('block sizes that are not powers of two', () => {
  it.each([1, 3])('k = %i is fully proven', async (k) => {
    const rtl = join(dir, `k${k}`);
    await generate(rtl, k);
    const run = await formal(rtl, join(dir, `k${k}-out`), '--only', 'dot,dequant');
    expect(run.code).toBe(0);
    expect(Object.values(statuses(run.report))).toEqual(new Array(7).fill('proven'));
  }, 120_000);
});

describe('never proven without a proof', () => {
  it('a proof past its time limit is unknown and the run exits with 1', async () => {
    const rtl = join(dir, 'timeout');
    await generate(rtl, 8);
    const run = await formal(rtl, join(dir, 'timeout-out'), '--only', 'mx_dequant_e2m1_e8m0_k8.lanes', '--timeout', '0.2');
    expect(run.code).toBe(1);
    expect(statuses(run.report)).toEqual({ 'mx_dequant_e2m1_e8m0_k8.lanes': 'unknown' });
    expect(obligation(run.report, 'mx_dequant_e2m1_e8m0_k8.lanes').detail).toMatch(/timed out after 0\.2 s/);
    expect(run.stdout).toMatch(/UNKNOWN +mx_dequant_e2m1_e8m0_k8\.lanes/);
  }, 60_000);

  it('RTL that Yosys cannot read is an error for every obligation of its unit, and the run exits with 1', async () => {
    const rtl = join(dir, 'syntax');
    await generate(rtl, 4);
    const path = join(rtl, 'mx_dot_e2m1_e8m0_k4.v');
    await writeFile(path, (await readFile(path, 'utf8')).replace('endmodule', 'endmodul'));
    const run = await formal(rtl, join(dir, 'syntax-out'), '--only', 'dot,mul');
    expect(run.code).toBe(1);
    const st = statuses(run.report);
    expect(st['mx_mul_e2m1.table']).toBe('proven');
    for (const p of ['products', 'tree', 'scales', 'magnitude', 'round', 'specials']) expect(st[`${DOT4}.${p}`]).toBe('error');
    expect(obligation(run.report, `${DOT4}.tree`).detail).toMatch(/Yosys could not elaborate mx_dot_e2m1_e8m0_k4/);
  }, 60_000);

  it('a dot product without the wire a proof cuts at is an error, not a pass', async () => {
    const rtl = join(dir, 'renamed');
    await generate(rtl, 4);
    const path = join(rtl, 'mx_dot_e2m1_e8m0_k4.v');
    await writeFile(path, (await readFile(path, 'utf8')).replaceAll('round_exp', 'round_e'));
    const run = await formal(rtl, join(dir, 'renamed-out'), '--only', 'dot');
    expect(run.code).toBe(1);
    expect(obligation(run.report, `${DOT4}.magnitude`).status).toBe('error');
    expect(obligation(run.report, `${DOT4}.magnitude`).detail).toMatch(/no wire 'round_exp'/);
    expect(obligation(run.report, `${DOT4}.round`).status).not.toBe('proven');
    expect(obligation(run.report, `${DOT4}.products`).status).toBe('proven');
    expect(obligation(run.report, `${DOT4}.tree`).status).toBe('proven');
  }, 60_000);
});

describe('bad usage', () => {
  it.each([
    [['--rtl', '/nonexistent/rtl'], /manifest\.json not found: generate a configuration first/],
    [['--timeout', 'soon'], /--timeout must be a positive number of seconds/],
    [['--jobs', '0'], /--jobs must be a whole number/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('%j: one line, exit code 2', async (args, msg) => {
    const r = await execa('node', [join(ROOT, 'dist/formal/run.js'), ...args], { reject: false, cwd: ROOT });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(msg);
  });

  it('a malformed manifest or an unknown --only name: one line, exit code 2', async () => {
    const rtl = join(dir, 'usage');
    await generate(rtl, 2);
    let r = await execa('node', [join(ROOT, 'dist/formal/run.js'), '--rtl', rtl, '--only', 'dot.nothing'], { reject: false, cwd: ROOT });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--only: no unit or obligation 'dot\.nothing' in e2m1_e8m0_k2 \(choose from: mul, mx_mul_e2m1, mx_mul_e2m1\.table, /);
    await writeFile(join(rtl, 'manifest.json'), '{"generator": "mxrtl", "units": 3}');
    r = await execa('node', [join(ROOT, 'dist/formal/run.js'), '--rtl', rtl], { reject: false, cwd: ROOT });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not an mxrtl manifest/);
  });
});

describe('a file edited after generation', () => {
  it('is named on the console and in the report; an edit that keeps the unit correct is proven as it stands', async () => {
    const rtl = join(dir, 'edited');
    await generate(rtl, 4);
    const file = join(rtl, 'mx_mul_e2m1.v');
    await writeFile(file, (await readFile(file, 'utf8')) + '// reviewed\n');
    const run = await formal(rtl, join(dir, 'edited-out'), '--only', 'mul');
    expect(run.code).toBe(0);
    const note = 'mx_mul_e2m1.v differs from the SHA-256 in manifest.json; the edited file is proven equal to the golden model as it stands';
    expect(run.stdout).toContain(`formal: note: mx_mul_e2m1: edited after generation: ${note}`);
    expect(await readFile(join(dir, 'edited-out', 'reports', 'e2m1_e8m0_k4.partial.md'), 'utf8')).toContain(`**Edited after generation:** ${note}`);
  }, 60_000);
});

describe('a later stage that reads a cut net under another name', () => {
  const cases = [
    { label: 'exhaustive rounding (E2M1, k = 4)', spec: { k: 4 }, top: 'mx_dot_e2m1_e8m0_k4', w: 10 },
    { label: 'SAT rounding (E4M3, k = 32)', spec: { elem: 'e4m3', k: 32 }, top: 'mx_dot_e4m3_e8m0_k32', w: 41 },
  ];
  // rnd_zero reads the magnitude as sum_abs: the very net that is cut as round_mag
  it.each(cases)('$label: is proven, the other name given the cut value', async ({ spec, top, w }) => {
    const alias = join(dir, `alias-${top}`);
    await generate(alias, spec);
    await mutate(join(alias, `${top}.v`), new RegExp(`wire rnd_zero = round_mag == ${w}'(h|d)0;`), `wire rnd_zero = sum_abs == ${w}'d0;`);
    const run = await formal(alias, join(dir, `alias-${top}-out`), '--only', `${top}.round`);
    expect(run.code, run.stdout).toBe(0);
    expect(statuses(run.report)).toEqual({ [`${top}.round`]: 'proven' });
    expect(obligation(run.report, `${top}.round`).scriptText).toMatch(/# other names of cut nets: cut too, .*sum_abs = round_mag/);
  }, 120_000);
});

describe('a later stage that reads a unit input past a cut', () => {
  const cases = [
    { label: 'exhaustive rounding (E2M1, k = 4)', spec: { k: 4 }, top: 'mx_dot_e2m1_e8m0_k4', w: 10 },
    { label: 'SAT rounding (E4M3, k = 32)', spec: { elem: 'e4m3', k: 32 }, top: 'mx_dot_e4m3_e8m0_k32', w: 41 },
  ];
  // the rounder's zero test also reads the A block: the cut obligation must not pass, even though
  // the whole unit still computes the right results (an all-ones A block is never a zero sum)
  it.each(cases)('$label: is not proven', async ({ spec, top, w }) => {
    const input = join(dir, `input-${top}`);
    await generate(input, spec);
    await mutate(join(input, `${top}.v`), new RegExp(`wire rnd_zero = round_mag == ${w}'(h|d)0;`), `wire rnd_zero = (round_mag == ${w}'d0) | (&a);`);
    const bad = await formal(input, join(dir, `input-${top}-out`), '--only', `${top}.round`);
    expect(bad.code).toBe(1);
    const st = statuses(bad.report)[`${top}.round`];
    expect(['failed', 'error']).toContain(st);
    if (st === 'error') expect(obligation(bad.report, `${top}.round`).detail).toMatch(/result depends on inputs outside the enumerated ones \(a\[/);
  }, 120_000);
});

describe('configurations beyond FP4', () => {
  it('NVFP4 (E2M1, UE4M3, k = 16) is fully proven, its scale significands included', async () => {
    const rtl = join(dir, 'nvfp4');
    await generate(rtl, { scale: 'ue4m3', k: 16 });
    const run = await formal(rtl, join(dir, 'nvfp4-out'));
    expect(run.code).toBe(0);
    const st = statuses(run.report);
    expect(st['mx_dot_e2m1_ue4m3_k16.scaling']).toBe('proven');
    expect(Object.values(st).every((s) => s === 'proven')).toBe(true);
  }, 180_000);

  it('FP8 E4M3: every obligation is proven, the rounding by SAT against the reference rounder after its own check', async () => {
    const rtl = join(dir, 'e4m3');
    await generate(rtl, { elem: 'e4m3', k: 32 });
    const run = await formal(rtl, join(dir, 'e4m3-out'), '--only', 'dot');
    expect(run.code).toBe(0);
    const st = statuses(run.report);
    expect(Object.keys(st).length).toBe(7);
    expect(Object.values(st).every((s) => s === 'proven')).toBe(true);
    const round = obligation(run.report, 'mx_dot_e4m3_e8m0_k32.round');
    expect(round.method).toBe('sat');
    // 2 signs x 509 exponents x the boundary magnitudes of 41 bits were compared with the golden rounding
    expect(round.detail).toMatch(/the reference equals the golden model at all [\d,]+ boundary points/);
    expect(run.stdout).toMatch(/formal: PROVEN, e4m3_e8m0_k32: 7 obligations/);
  }, 180_000);
});

describe('the GPU-compatible fused dot-add', () => {
  const fusedConfig = async (rtl: string, a: string, b: string, gpu: string, scale = 'e8m0', adders?: string): Promise<void> => {
    const { generateInto } = await import('../../generator/generate.js');
    const { makeConfig } = await import('../../generator/units/config.js');
    await generateInto(rtl, makeConfig({ elemA: a, elemB: b, scale, out: 'fp32', block: gpu === 'blackwell-f4' ? 64 : 32, units: ['fused'], gpu, adders }));
  };
  const PARTS = ['exponents', 'align', 'sum', 'flags', 'round', 'specials'];
  // kind::mxf4nvf4: the group module proven as the dot product's stages (E2M1 products have no flags;
  // E8M0 significands are 1, so there is no scaling)
  const GROUP = (scale: string): string[] => ['products', 'tree', 'scales', 'magnitude', ...(scale === 'ue4m3' ? ['scaling'] : [])].map((q) => `group.${q}`);

  it.each([
    ['e4m3', 'e5m2', 'blackwell', 'e8m0', 'mx_fused_e4m3xe5m2_e8m0_k32_blackwell'],
    ['e4m3', 'e5m2', 'hopper', 'e8m0', 'mx_fused_e4m3xe5m2_k32_hopper'],
    ['e2m1', 'e2m1', 'blackwell-f4', 'e8m0', 'mx_fused_e2m1_e8m0_k64_blackwell_f4'],
    ['e2m1', 'e2m1', 'blackwell-f4', 'ue4m3', 'mx_fused_e2m1_ue4m3_k64_blackwell_f4'],
    // ripple-carry adder trees: the aligned terms' sum and each group's exact sum
    ['e2m1', 'e2m1', 'blackwell-f4', 'ue4m3', 'mx_fused_e2m1_ue4m3_k64_blackwell_f4_ripple', 'ripple'],
  ])('%s x %s, %s (%s): every obligation proven (%s)', async (a, b, gpu, scale, top, adders?: string) => {
    const rtl = join(dir, `fused-${gpu}-${scale}${adders ? `-${adders}` : ''}`);
    await fusedConfig(rtl, a, b, gpu, scale, adders);
    const run = await formal(rtl, join(dir, `fused-${gpu}-${scale}${adders ? `-${adders}` : ''}-out`));
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const parts = [...(gpu === 'blackwell-f4' ? GROUP(scale) : ['lane']), ...PARTS];
    expect(statuses(run.report)).toEqual(Object.fromEntries(parts.map((q) => [`${top}.${q}`, 'proven'])));
  }, 240_000);

  it.each([
    ["a zero UE4M3 scale given a subnormal's exponent", 'exponents', 'zero', /- \(szero_a_0 \? 9'd120 : 9'd0\)/, "- (szero_a_0 ? 9'd0 : 9'd0)"],
    ['a group wired to the wrong scale code', 'exponents', 'wiring', /\.scale_b\(scale_b\[7\*i \+: 7\]\)/, '.scale_b(scale_a[7*i +: 7])'],
  ])('mxf4nvf4: %s fails the %s obligation', async (_what, part, tag, pattern, replace) => {
    const rtl = join(dir, `fused-f4-bad-${tag}`);
    await fusedConfig(rtl, 'e2m1', 'e2m1', 'blackwell-f4', 'ue4m3');
    await mutate(join(rtl, 'mx_fused_e2m1_ue4m3_k64_blackwell_f4.v'), pattern, replace);
    const top = 'mx_fused_e2m1_ue4m3_k64_blackwell_f4';
    const run = await formal(rtl, join(dir, `fused-f4-bad-${tag}-out`), '--only', `${top}.${part}`);
    expect(run.code).toBe(1);
    expect(statuses(run.report)).toEqual({ [`${top}.${part}`]: 'failed' });
  }, 120_000);

  it.each([
    ["a zero's exponent -125 instead of -126", 'lane', 'mx_fused_lane_e4m3xe5m2.v', /wire \[7:0\] a_gexp = a_sig == 4'd0 \? 8'd0 :/, "wire [7:0] a_gexp = a_sig == 4'd0 ? 8'd1 :"],
    ['a term truncated one place too far', 'align', 'mx_fused_e4m3xe5m2_e8m0_k32_blackwell.v', /wire \[26:0\] mag_5 = \{lane_sig\[41:35\], 20'h0\} >> dist_5;/, "wire [26:0] mag_5 = {lane_sig[41:35], 20'h0} >> (dist_5 + 10'd1);"],
    ['a value truncated to zero keeps its sign', 'round', 'mx_fused_e4m3xe5m2_e8m0_k32_blackwell.v', /wire rnd_zero = \(sum_mag == 33'h0\) \| \(\(rnd_body == 31'h0\) & ~rnd_overflow\);/, "wire rnd_zero = (sum_mag == 33'h0);"],
    ['NaN as 0x7FC00000', 'specials', 'mx_fused_e4m3xe5m2_e8m0_k32_blackwell.v', /res_nan \? 32'h7fffffff :/, "res_nan ? 32'h7fc00000 :"],
  ])('%s fails the %s obligation', async (_what, part, file, pattern, replace) => {
    const rtl = join(dir, `fused-bad-${part}`);
    await fusedConfig(rtl, 'e4m3', 'e5m2', 'blackwell');
    await mutate(join(rtl, file), pattern, replace);
    const run = await formal(rtl, join(dir, `fused-bad-${part}-out`), '--only', `mx_fused_e4m3xe5m2_e8m0_k32_blackwell.${part}`);
    expect(run.code).toBe(1);
    expect(statuses(run.report)).toEqual({ [`mx_fused_e4m3xe5m2_e8m0_k32_blackwell.${part}`]: 'failed' });
  }, 120_000);
});
