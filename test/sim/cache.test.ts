// The harness build cache: the same Verilog and harness are built once; any change rebuilds.
import { statSync, symlinkSync, mkdirSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolError, buildHarness, findOnPath } from '../../sim/build.js';
import { recordLayout } from '../../sim/layout.js';
import { generate, sim, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let rtl: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cache'));
  rtl = join(dir, 'rtl');
  await generate(rtl, 2);
});
afterAll(async () => cleanup());

describe('harness cache', () => {
  it('builds once, then reuses the binary; a changed Verilog text builds anew', async () => {
    const buildRoot = join(dir, 'build');
    const manifest = JSON.parse(await readFile(join(rtl, 'manifest.json'), 'utf8')) as { units: { family: string; top: string; files: string[]; ports: { name: string; dir: 'input' | 'output'; width: number }[] }[] };
    const u = manifest.units.find((x) => x.family === 'mul');
    if (!u) throw new Error('no mul unit');
    const sources = await Promise.all(u.files.map(async (name) => ({ name, text: await readFile(join(rtl, name), 'utf8') })));
    const req = { top: u.top, sources, layout: recordLayout(u.ports), buildRoot };

    const first = await buildHarness(req);
    expect(first.cached).toBe(false);
    expect(first.dir).toBe(join(buildRoot, first.hash));
    const mtime = statSync(first.binary).mtimeMs;

    const second = await buildHarness(req);
    expect(second.cached).toBe(true);
    expect(second.binary).toBe(first.binary);
    expect(statSync(second.binary).mtimeMs).toBe(mtime);

    const edited = await buildHarness({ ...req, sources: sources.map((f) => ({ ...f, text: f.text + '// edited\n' })) });
    expect(edited.cached).toBe(false);
    expect(edited.hash).not.toBe(first.hash);
    // only the two finished builds remain: no temporary folders
    expect((await readdir(buildRoot)).sort()).toEqual([first.hash, edited.hash].sort());

    // the cached binary is a working harness: one record in, one record out
    const r = await execa(first.binary, [], { input: Buffer.from(new Uint32Array([0x3, 0xe]).buffer), encoding: 'buffer' });
    const out = new Uint32Array(new Uint8Array(r.stdout).buffer);
    expect([...out]).toEqual([(-24 & 0x1ff) >>> 0]); // 1.5 * -4 = -6 = -24 * 2^-2
  }, 90_000);

  it('a second sim run reports every harness as cached', async () => {
    const buildRoot = join(dir, 'build-sim');
    const args = ['--rtl', rtl, '--vectors', '1000', '--seed', '3', '--build-dir', buildRoot];
    const first = await sim(args);
    expect(first.code).toBe(0);
    expect(first.out.match(/harness built in/g)).toHaveLength(4);
    const second = await sim(args);
    expect(second.code).toBe(0);
    expect(second.out.match(/harness cached/g)).toHaveLength(4);
    expect(second.out).not.toMatch(/harness built in/);
  }, 90_000);
});

describe('a machine without make or g++', () => {
  // a PATH with Verilator (and the perl it runs on) but not the tools it builds with
  function pathWith(names: string[]): string {
    const bin = join(dir, `bin-${names.join('-')}`);
    mkdirSync(bin, { recursive: true });
    for (const n of names) {
      const p = findOnPath(n);
      if (!p) throw new Error(`${n} is not installed`);
      symlinkSync(p, join(bin, n));
    }
    return bin;
  }

  it.each([
    ['make and g++', ['verilator', 'perl'], /^make and g\+\+ not found: Verilator builds the simulation harness with make and a C\+\+ compiler; apt-get install -y make g\+\+ \(run as root\)$/],
    ['g++', ['verilator', 'perl', 'make'], /^g\+\+ not found: .*; apt-get install -y g\+\+ \(run as root\)$/],
    ['make', ['verilator', 'perl', 'g++'], /^make not found: .*; apt-get install -y make \(run as root\)$/],
  ])('without %s: a build names the missing tools in one line', async (_label, tools, re) => {
    const manifest = JSON.parse(await readFile(join(rtl, 'manifest.json'), 'utf8')) as { units: { family: string; top: string; files: string[]; ports: { name: string; dir: 'input' | 'output'; width: number }[] }[] };
    const u = manifest.units.find((x) => x.family === 'mul');
    if (!u) throw new Error('no mul unit');
    const sources = await Promise.all(u.files.map(async (name) => ({ name, text: await readFile(join(rtl, name), 'utf8') })));
    const env = { ...process.env, PATH: pathWith(tools), CXX: undefined };
    const err = await buildHarness({ top: u.top, sources, layout: recordLayout(u.ports), buildRoot: join(dir, `nobuild-${tools.length}`), env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as Error).message).toMatch(re);
  });
});
