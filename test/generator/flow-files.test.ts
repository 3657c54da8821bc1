// The files a hardware flow reads beside the Verilog: a file list per unit top and a FuseSoC core
// description per configuration. Each is read the way its tool reads it: the file lists by Verilator
// (-F, from another folder) and Icarus (-c, from the folder), the core by a YAML parser against the
// CAPI 2 fields FuseSoC uses. (FuseSoC itself is a Python package that Debian does not ship; it is
// not run here.)
import { execa } from 'execa';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateInto } from '../../generator/generate.js';
import { sha256, type Manifest } from '../../generator/manifest.js';
import { configTag, makeConfig } from '../../generator/units/config.js';
import { GENERATOR_VERSION } from '../../generator/version.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mxrtl-flow-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const CONFIGS = [
  { elemA: 'e2m1', elemB: 'e2m1', scale: 'e8m0', out: 'fp32', block: 32 },
  { elemA: 'e4m3', elemB: 'e5m2', scale: 'ue5m3', out: 'bf16', block: 16 },
];

describe.each(CONFIGS.map((c) => [configTag(makeConfig(c)), c] as const))('%s', (tag, c) => {
  let rtl: string;
  let manifest: Manifest;
  beforeAll(async () => {
    rtl = join(dir, tag);
    ({ manifest } = await generateInto(rtl, makeConfig(c)));
  });

  it('has a file list per unit: its files, submodules first, read by Verilator (-F) and Icarus (-c)', async () => {
    for (const u of manifest.units) {
      expect(u.fileList).toBe(`${u.top}.f`);
      const text = await readFile(join(rtl, u.fileList), 'utf8');
      expect(text.split('\n').filter((l) => l !== '' && !l.startsWith('//'))).toEqual(u.files);
      // -F: paths relative to the list, whatever the current folder
      const lint = await execa('verilator', ['--lint-only', '-Wall', '-F', join(rtl, u.fileList), '--top-module', u.top], { cwd: '/', reject: false });
      expect(lint.exitCode, lint.stderr).toBe(0);
      expect(lint.stderr + lint.stdout).toBe('');
      const ivl = await execa('iverilog', ['-g2005', '-c', u.fileList, '-s', u.top, '-o', join(dir, `${tag}-${u.top}.vvp`)], { cwd: rtl, reject: false });
      expect(ivl.exitCode, ivl.stderr).toBe(0);
    }
  }, 60_000);

  it('has a FuseSoC core (CAPI 2) naming every Verilog file and a lint target per unit', async () => {
    const name = `mxrtl_${tag}.core`;
    const text = await readFile(join(rtl, name), 'utf8');
    expect(text.split('\n')[0]).toBe('CAPI=2:');
    const core = parse(text) as {
      name: string;
      filesets: { rtl: { file_type: string; files: string[] } };
      targets: Record<string, { filesets: string[]; toplevel?: string; default_tool?: string; tools?: { verilator?: { mode?: string } } }>;
    };
    expect(core.name).toBe(`mxrtl:mx:${tag}:${GENERATOR_VERSION}`);
    expect(core.filesets.rtl.file_type).toBe('verilogSource');
    const verilog = manifest.files.filter((f) => f.kind === 'verilog').map((f) => f.name);
    expect([...core.filesets.rtl.files].sort()).toEqual([...verilog].sort());
    // every module is declared in a file before the first file that instances it
    const declaredAt = new Map<string, number>();
    let instances = 0;
    for (const [i, f] of core.filesets.rtl.files.entries()) {
      const text = await readFile(join(rtl, f), 'utf8');
      for (const [, inst] of text.matchAll(/^\s*(mx_\w+)\s+(?:#\(.*\)\s*)?u_\w+\s*\(/gm)) {
        expect(declaredAt.get(inst), `${f} instances ${inst}`).toBeLessThan(i);
        instances++;
      }
      for (const [, mod] of text.matchAll(/^module\s+(\w+)/gm)) declaredAt.set(mod, i);
    }
    expect(instances).toBeGreaterThanOrEqual(4); // the dot's sum, the sum's multipliers, the PE's dot and adder, the array's PEs
    for (const u of manifest.units) {
      for (const f of u.files) expect(core.filesets.rtl.files).toContain(f);
      const t = core.targets[`lint_${u.top}`];
      expect(t.toplevel).toBe(u.top);
      expect(t.filesets).toEqual(['rtl']);
      expect(t.default_tool).toBe('verilator');
      expect(t.tools?.verilator?.mode).toBe('lint-only');
    }
    expect(core.targets.default.filesets).toEqual(['rtl']);
  });

  it('lists the file lists and the core in the manifest with their SHA-256, and nothing else is in the folder', async () => {
    const on = (await readdir(rtl)).sort();
    expect(on).toEqual([...manifest.files.map((f) => f.name), 'manifest.json'].sort());
    for (const f of manifest.files) expect(sha256(await readFile(join(rtl, f.name), 'utf8')), f.name).toBe(f.sha256);
    expect(manifest.files.filter((f) => f.kind === 'filelist').map((f) => f.name).sort()).toEqual(manifest.units.map((u) => `${u.top}.f`).sort());
    expect(manifest.files.filter((f) => f.kind === 'fusesoc').map((f) => f.name)).toEqual([`mxrtl_${tag}.core`]);
  });
});
