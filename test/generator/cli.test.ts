// The gen command as a user meets it: files, manifest, determinism, and refusals.
import { execa } from 'execa';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
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
    ['an unknown flag', ['--blok', '32'], /unknown option '--blok'/],
    ['an unknown element format', ['--elem', 'e9m9'], /unknown element format 'e9m9'/],
    ['a missing value', ['--block'], /--block needs a value$/m],
    ['a negative block', ['--block', '-3'], /--block needs a value, got '-3'/],
    ['an option where a value belongs', ['--block', '--elem', 'e2m1'], /--block needs a value \(found the option '--elem' after it\)/],
    ['a stray argument', ['32'], /unexpected argument '32'/],
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

  it('refuses an output folder that is a file, with one line and exit code 2', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'keep');
    const r = await gen('--out', join(file, 'sub'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toMatch(/^mxrtl gen: error: cannot create the output folder '.*a-file\/sub': a file is in the way of that folder$/);
    expect(await readFile(file, 'utf8')).toBe('keep');
  });

  it('prints usage with every command on stderr and exits 2 when no command is given', async () => {
    const r = await execa('node', [BIN], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    for (const c of ['gen', 'quantize', 'dequantize', 'dot']) expect(r.stderr).toMatch(new RegExp(`^  ${c} +\\S`, 'm'));
    const h = await execa('node', [BIN, '--help'], { reject: false });
    expect([h.exitCode, h.stdout]).toEqual([0, r.stderr.trimEnd()]);
  });

  it('refuses an unknown command', async () => {
    const r = await execa('node', [BIN, 'frobnicate'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
