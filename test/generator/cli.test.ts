// The gen command as a user meets it: files, manifest, determinism, and refusals.
import { execa } from 'execa';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/mxrtl.js');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mxrtl-gen-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const gen = (...args: string[]) => execa('node', [BIN, 'gen', ...args], { reject: false });

describe('mxrtl gen', () => {
  it('writes the three units and a manifest describing them', async () => {
    const out = join(dir, 'k32');
    const r = await gen('--block', '32', '--out', out);
    expect(r.exitCode).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['manifest.json', 'mx_dequant_e2m1_e8m0_k32.v', 'mx_dot_e2m1_e8m0_k32.v', 'mx_mul_e2m1.v']);
    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(m.config).toEqual({ elem: 'e2m1', scale: 'e8m0', block: 32 });
    const dot = m.units.find((u: { kind: string }) => u.kind === 'dot_e2m1_e8m0');
    expect(dot.top).toBe('mx_dot_e2m1_e8m0_k32');
    expect(dot.ports.map((p: { name: string; width: number; dir: string }) => [p.name, p.dir, p.width])).toEqual([
      ['a', 'input', 128],
      ['b', 'input', 128],
      ['scale_a', 'input', 8],
      ['scale_b', 'input', 8],
      ['result', 'output', 32],
    ]);
    const deq = m.units.find((u: { kind: string }) => u.kind === 'dequant_e2m1_e8m0');
    expect(deq.ports.map((p: { width: number }) => p.width)).toEqual([128, 8, 1024]);
    for (const u of m.units) {
      const text = await readFile(join(out, u.file), 'utf8');
      expect(text.startsWith(`// ${u.top}: `)).toBe(true);
      expect(text).toContain(`module ${u.top} (`);
      expect(text.match(/^module /gm)).toHaveLength(1);
    }
  });

  it('is byte-identical for identical arguments', async () => {
    const a = join(dir, 'det-a');
    const b = join(dir, 'det-b');
    expect((await gen('--block', '7', '--out', a)).exitCode).toBe(0);
    expect((await gen('--out', b, '--block', '7')).exitCode).toBe(0);
    for (const f of await readdir(a)) expect(await readFile(join(b, f), 'utf8')).toBe(await readFile(join(a, f), 'utf8'));
  });

  it('replaces the files of an earlier configuration in the same folder', async () => {
    const out = join(dir, 'switch');
    await gen('--block', '4', '--out', out);
    await gen('--block', '8', '--out', out);
    expect((await readdir(out)).sort()).toEqual(['manifest.json', 'mx_dequant_e2m1_e8m0_k8.v', 'mx_dot_e2m1_e8m0_k8.v', 'mx_mul_e2m1.v']);
  });

  for (const [what, args, msg] of [
    ['block 0', ['--block', '0'], /--block must be from 1 to 4096/],
    ['a fractional block', ['--block', '3.5'], /--block needs a whole number/],
    ['a block that is too large', ['--block', '4097'], /--block must be from 1 to 4096/],
    ['an unknown flag', ['--blok', '32'], /Unknown option '--blok'/],
    ['an unknown element format', ['--elem', 'e9m9'], /unknown element format 'e9m9'/],
    ['a missing value', ['--block'], /argument missing/],
  ] as const) {
    it(`refuses ${what} with one line, exit code 2, and writes nothing`, async () => {
      const out = join(dir, `bad-${what.replace(/ /g, '-')}`);
      const r = await gen('--out', out, ...args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
      await expect(readdir(out)).rejects.toThrow();
    });
  }

  it('refuses an unknown command', async () => {
    const r = await execa('node', [BIN, 'frobnicate'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
