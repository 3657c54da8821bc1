// mxrtl export-tb: the self-checking Verilog testbenches run unchanged in Icarus, pass on the
// generated RTL with the golden model's vectors, fail with the vector named on a broken unit, and
// an output folder holding someone else's files is refused.
import { execa } from 'execa';
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../generator/manifest.js';
import { generate, sim, tempDir } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VECTORS = 3000;

function mxrtl(args: string[]) {
  return execa('node', [join(ROOT, 'bin/mxrtl.js'), ...args], { reject: false });
}

/** Build and run one testbench in Icarus, from the testbench folder. */
async function icarus(tb: string, rtl: string, top: string, files: readonly string[]): Promise<string> {
  await execa('iverilog', ['-g2005', '-o', join(tb, `tb_${top}`), ...files.map((f) => join(rtl, f)), join(tb, `tb_${top}.v`)]);
  return (await execa('vvp', ['-n', `tb_${top}`], { cwd: tb })).stdout;
}

let dir: string;
let cleanup: () => Promise<void>;
let rtl: string;
let tb: string;
let manifest: Manifest;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('tb'));
  rtl = join(dir, 'rtl');
  tb = join(dir, 'tb');
  await generate(rtl, 4);
  manifest = JSON.parse(await readFile(join(rtl, 'manifest.json'), 'utf8')) as Manifest;
  const r = await mxrtl(['export-tb', '--rtl', rtl, '--out', tb, '--vectors', String(VECTORS)]);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
}, 60_000);
afterAll(async () => cleanup());

describe('mxrtl export-tb', () => {
  it('writes a testbench and two vector files per unit, and nothing else', async () => {
    const want = manifest.units.flatMap((u) => [`tb_${u.top}.v`, `${u.top}.in.hex`, `${u.top}.out.hex`]).sort();
    expect((await readdir(tb)).sort()).toEqual(want);
    // the multiplier's vectors: every code pair (256 of them), one line each
    expect((await readFile(join(tb, 'mx_mul_e2m1.in.hex'), 'utf8')).trim().split('\n')).toHaveLength(256);
  });

  it('every testbench passes in Icarus on the generated RTL', async () => {
    for (const u of manifest.units) {
      const lines = (await readFile(join(tb, `${u.top}.in.hex`), 'utf8')).trim().split('\n').length;
      expect(lines).toBeLessThanOrEqual(VECTORS);
      expect(await icarus(tb, rtl, u.top, u.files)).toContain(`tb_${u.top}: PASS ${lines} vectors`);
    }
  }, 120_000);

  it('a broken unit fails its testbench, the mismatching vectors named', async () => {
    const broken = join(dir, 'broken');
    await mkdir(broken, { recursive: true });
    const text = await readFile(join(rtl, 'mx_mul_e2m1.v'), 'utf8');
    await writeFile(join(broken, 'mx_mul_e2m1.v'), text.replace('wire p_sign = a_sign ^ b_sign;', 'wire p_sign = a_sign | b_sign;'));
    const out = await icarus(tb, broken, 'mx_mul_e2m1', ['mx_mul_e2m1.v']);
    expect(out).toMatch(/MISMATCH vector \d+: inputs [0-9a-f]+, expected [0-9a-f]+, got [0-9a-f]+/);
    expect(out).toMatch(/tb_mx_mul_e2m1: FAIL \d+ of 256 vectors differ/);
  }, 60_000);

  it('make sim SIM=icarus: the same bench through Icarus, passing on the generated RTL', async () => {
    const r = await sim(['--rtl', rtl, '--simulator', 'icarus', '--vectors', '2000', '--seed', '5', '--out-dir', join(dir, 'sim-out')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^mxrtl sim: .*Icarus Verilog version \d+/m);
    expect(r.out.trim().split('\n').at(-1)).toMatch(/^mxrtl sim: PASS, 4 units, /);
    expect(r.out).toMatch(/PASS 256 checked, 0 mismatches/);
  }, 60_000);

  it('through Icarus, a multiplier whose product sign is an OR fails on exactly the 49 pairs of two negative non-zero codes', async () => {
    const broken = join(dir, 'broken-sim');
    await cp(rtl, broken, { recursive: true });
    const file = join(broken, 'mx_mul_e2m1.v');
    await writeFile(file, (await readFile(file, 'utf8')).replace('wire p_sign = a_sign ^ b_sign;', 'wire p_sign = a_sign | b_sign;'));
    const r = await sim(['--rtl', broken, '--simulator', 'icarus', '--units', 'mul', '--out-dir', join(dir, 'sim-out')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL 49 mismatches in 256 checked/);
    expect(r.out).toMatch(/a = 0x9 \(-0\.5\)\n\s+b = 0x9 \(-0\.5\)\n\s+prod expected 0x001 \(1 \* 2\^-2 = 0\.25\)\n\s+actual {3}0x1ff/);
    expect(r.out).toMatch(/waveform of those vectors \(Icarus Verilog\): \S+\.vcd/);
  }, 60_000);

  it('refuses an output folder that holds other files, with one line and exit code 2', async () => {
    const other = join(dir, 'other');
    await mkdir(other, { recursive: true });
    await writeFile(join(other, 'notes.txt'), 'mine\n');
    const r = await mxrtl(['export-tb', '--rtl', rtl, '--out', other]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/holds files mxrtl export-tb did not write \(notes\.txt\)/);
    expect(await readFile(join(other, 'notes.txt'), 'utf8')).toBe('mine\n');
  });
});
