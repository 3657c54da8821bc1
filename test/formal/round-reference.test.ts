// The reference rounder of the SAT rounding proofs (formal/round-reference.ts): lint clean, equal
// to the golden rounding (src/round-float.ts) at every input of small widths for both result
// formats, every option and both zero rules; and the boundary magnitudes the proofs check it on at
// full width are shown to catch a wrong tie rule, a lost sticky bit and subnormals one bit too wide.
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAagWithPorts } from '../../formal/aig.js';
import { evaluateRound } from '../../formal/exhaustive.js';
import { boundaryMagnitudes, referenceRounder, type ReferenceRounderSpec } from '../../formal/round-reference.js';
import type { RoundSpace } from '../../formal/spec.js';
import { yosys } from '../../formal/yosys.js';
import { recipeFor } from '../../formal/recipes/index.js';
import { isUnplanned } from '../../formal/recipes/common.js';
import { inspect, runObligation } from '../../formal/tasks.js';
import type { ObligationSpec, UnitRef } from '../../formal/spec.js';
import type { Manifest } from '../../generator/manifest.js';
import { BF16, FP32 } from '../../src/index.js';
import { generate } from './helpers.js';
import { readFile } from 'node:fs/promises';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mxrtl-rref-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const MAP = ['proc', 'opt -fast', 'techmap', 'opt -fast', 'aigmap', 'opt_clean', 'write_aiger -ascii -map r.map r.aag', 'delete t:*', 'opt_clean -purge', 'write_json p.json'];

async function evaluate(name: string, text: string, space: Omit<RoundSpace, 'type' | 'aagFile' | 'mapFile' | 'portsFile' | 'top' | 'mag' | 'exp' | 'sign' | 'zeros' | 'result'>) {
  const run = await yosys(['-s', 't.ys'], { [`${name}.v`]: text, 't.ys': [`read_verilog ${name}.v`, `hierarchy -check -top ${name}`, ...MAP, ''].join('\n') });
  expect(run.code, run.log.slice(-2000)).toBe(0);
  const aig = parseAagWithPorts(run.files['r.aag'], run.files['r.map'], run.files['p.json'], name);
  return evaluateRound(aig, { type: 'round', aagFile: '', mapFile: '', portsFile: '', top: name, mag: 'm', exp: 'e', sign: 'sign', zeros: [], result: 'r', ...space });
}

const show = (o: { first: readonly { pattern: readonly bigint[] }[] }): string => JSON.stringify(o.first[0] ?? {}, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

const OPTIONS: { label: string; overflow?: 'saturate'; subnormals?: 'flush' }[] = [
  { label: 'Inf on overflow' },
  { label: 'saturation', overflow: 'saturate' },
  { label: 'flush to zero', subnormals: 'flush' },
  { label: 'saturation and flush', overflow: 'saturate', subnormals: 'flush' },
];

describe.each([['FP32', FP32], ['BF16', BF16]] as const)('the reference rounder to %s', (_label, out) => {
  it.each(OPTIONS.flatMap((o) => (['positive', 'keep-sign'] as const).map((zero) => ({ ...o, zero }))))(
    '$label, zero $zero: every (sign, exponent, magnitude) of a 9-bit magnitude over 2^-300 .. 2^130 equals the golden rounding',
    async ({ overflow, subnormals, zero }) => {
      const spec: ReferenceRounderSpec = { name: `ref_${out.name}_${overflow ?? 'inf'}_${subnormals ?? 'keep'}_${zero.replace('-', '_')}`, magWidth: 9, expWidth: 9, expOffset: -300, out, zero, ...(overflow ? { overflow } : {}), ...(subnormals ? { subnormals } : {}) };
      const text = referenceRounder(spec);
      const file = join(dir, `${spec.name}.v`);
      await writeFile(file, text);
      const lint = await execa('verilator', ['--lint-only', '-Wall', file], { reject: false });
      expect(lint.stderr + lint.stdout).toBe('');
      const o = await evaluate(spec.name, text, { magMax: 511n, expMax: 420, expOffset: -300, out: out.name, options: { ...(overflow ? { overflow } : {}), ...(subnormals ? { subnormals } : {}) }, zero });
      expect(o.error).toBeUndefined();
      expect(o.points).toBe(2 * 421 * 512);
      expect(o.mismatches, show(o)).toBe(0);
    },
    60_000,
  );
});

describe('the reference rounder toward zero (the GPU-compatible fused dot-add)', () => {
  it.each([
    { keep: 23, zero: 'positive' as const },
    { keep: 13, zero: 'positive' as const },
    { keep: 13, zero: 'keep-sign' as const },
  ])('FP32, $keep fraction bits kept, zero $zero: every input of a 9-bit magnitude over 2^-300 .. 2^130 equals the golden rounding', async ({ keep, zero }) => {
    const spec: ReferenceRounderSpec = { name: `ref_rz_${keep}_${zero.replace('-', '_')}`, magWidth: 9, expWidth: 9, expOffset: -300, out: FP32, zero, mode: 'toward-zero', keepFraction: keep };
    const text = referenceRounder(spec);
    const file = join(dir, `${spec.name}.v`);
    await writeFile(file, text);
    const lint = await execa('verilator', ['--lint-only', '-Wall', file], { reject: false });
    expect(lint.stderr + lint.stdout).toBe('');
    const o = await evaluate(spec.name, text, { magMax: 511n, expMax: 420, expOffset: -300, out: 'fp32', options: { mode: 'toward-zero', keepFraction: keep }, zero });
    expect(o.error).toBeUndefined();
    expect(o.points).toBe(2 * 421 * 512);
    expect(o.mismatches, show(o)).toBe(0);
  }, 60_000);
});

describe('the boundary magnitudes a full-width reference is checked on', () => {
  it('hold 0, every power of two with its neighbours, the largest value, and ties of every binade', () => {
    const W = 40;
    const M = 23;
    const mags = new Set(boundaryMagnitudes(W, M));
    expect(mags.has(0n) && mags.has((1n << 40n) - 1n)).toBe(true);
    for (let j = 1; j < W; j++) for (const d of [-1n, 0n, 1n]) expect(mags.has((1n << BigInt(j)) + d)).toBe(true);
    // a tie of the binade with its top bit at j = 30: 7 bits below the quantum, the half is bit 6
    const tieOdd = (1n << 30n) | (1n << 7n) | (1n << 6n);
    const tieEven = (1n << 30n) | (1n << 6n);
    expect(mags.has(tieOdd) && mags.has(tieEven)).toBe(true);
    expect(mags.has(tieEven + 1n) && mags.has(tieEven - 1n)).toBe(true);
    const sorted = boundaryMagnitudes(W, M);
    expect(sorted.every((v, i) => i === 0 || v > sorted[i - 1])).toBe(true);
  });

  // each defect is one a rounder can have; the boundary points must expose it at full width
  const defects: [string, (t: string) => string][] = [
    ['ties rounded away from zero', (t) => t.replace('wire up = rnd & (sticky | kept[0]);', 'wire up = rnd;')],
    ['the sticky bits ignored', (t) => t.replace('wire up = rnd & (sticky | kept[0]);', 'wire up = rnd & kept[0];')],
    ['subnormals kept one bit too wide', (t) => t.replace(/\(normal \? top : -(\d+)'sd(\d+)\)/, (_m, w, k) => `(normal ? top : -${w}'sd${Number(k) + 1})`)],
  ];
  it.each(defects)('a reference with %s disagrees with the golden rounding there (FP32, 40-bit magnitudes)', async (label, mutate) => {
    const spec: ReferenceRounderSpec = { name: 'ref_w40', magWidth: 40, expWidth: 9, expOffset: -190, out: FP32, zero: 'positive' };
    const good = referenceRounder(spec);
    const bad = mutate(good);
    expect(bad, label).not.toBe(good);
    const space = { magMax: (1n << 40n) - 1n, mags: boundaryMagnitudes(40, FP32.mbits), expMax: 400, expOffset: -190, out: FP32.name };
    const ok = await evaluate('ref_w40', good, space);
    expect(ok.error).toBeUndefined();
    expect(ok.mismatches, show(ok)).toBe(0);
    const o = await evaluate('ref_w40', bad, space);
    expect(o.error).toBeUndefined();
    expect(o.mismatches).toBeGreaterThan(0);
  }, 60_000);
});

describe('a rounding proof whose reference fails its own check', () => {
  it('is an error, never proven, even where the SAT run alone would pass', async () => {
    const rtl = join(dir, 'e4m3');
    await generate(rtl, { elem: 'e4m3', k: 32 });
    const manifest = JSON.parse(await readFile(join(rtl, 'manifest.json'), 'utf8')) as Manifest;
    const mu = manifest.units.find((x) => x.family === 'dot');
    if (!mu) throw new Error('no dot unit');
    const files = await Promise.all(mu.files.map(async (name) => ({ name, text: await readFile(join(rtl, name), 'utf8') })));
    const u: UnitRef = { family: mu.family, top: mu.top, files, ports: mu.ports.map((q) => ({ name: q.name, dir: q.dir, width: q.width })), parameters: mu.parameters };
    const ins = await inspect({ type: 'inspect', files, top: u.top });
    expect(ins.error).toBeNull();
    const planned = recipeFor('dot')?.plan(u, (name) => ins.modules[name]) ?? [];
    const round = planned.find((x) => x.id === `${u.top}.round`);
    if (!round || isUnplanned(round) || !round.referenceCheck) throw new Error('the rounding is not planned with a reference');
    // the reference checked before the proof rounds ties away from zero; the proof itself is untouched
    const c = round.referenceCheck;
    const broken: ObligationSpec = { ...round, referenceCheck: { ...c, files: c.files.map((f) => ({ ...f, text: f.text.replace('wire up = rnd & (sticky | kept[0]);', 'wire up = rnd;') })) } };
    expect(broken.referenceCheck?.files[0].text).not.toBe(c.files[0].text);
    const r = await runObligation(broken);
    expect(r.status).toBe('error');
    expect(r.detail).toMatch(/the reference disagrees with the golden model at [\d,]+ of [\d,]+ boundary points .*nothing is proven/);
  }, 120_000);
});
