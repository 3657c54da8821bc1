// Every generated file on its own: lint-clean under `verilator --lint-only -Wall`, accepted by
// Icarus Verilog as Verilog-2005, and synthesizable by Yosys.
import { runYosys } from '@yowasp/yosys';
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderUnits, type RenderedUnit } from '../../generator/manifest.js';
import { makeConfig } from '../../generator/units/config.js';
import { generateUnits } from '../../generator/units/index.js';

const BLOCKS = [1, 2, 3, 4, 16, 32, 33];
let dir: string;
const byBlock = new Map<number, { rendered: RenderedUnit[]; paths: string[] }>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mxrtl-quality-'));
  for (const k of BLOCKS) {
    const rendered = renderUnits(generateUnits(makeConfig('e2m1', 'e8m0', k), `mxrtl gen --block ${k}`));
    const paths: string[] = [];
    await mkdir(join(dir, `k${k}`));
    for (const r of rendered) {
      const p = join(dir, `k${k}`, r.file);
      await writeFile(p, r.text);
      paths.push(p);
    }
    byBlock.set(k, { rendered, paths });
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(BLOCKS)('generated RTL, k = %i', (k) => {
  it('lints clean with verilator --lint-only -Wall, file by file', async () => {
    for (const [i, p] of byBlock.get(k)!.paths.entries()) {
      const top = byBlock.get(k)!.rendered[i].unit.module.name;
      const r = await execa('verilator', ['--lint-only', '-Wall', '--top-module', top, p], { reject: false });
      expect({ file: p, code: r.exitCode, out: r.stderr + r.stdout }).toEqual({ file: p, code: 0, out: '' });
    }
  });
  it('is accepted by Icarus Verilog as Verilog-2005', async () => {
    for (const p of byBlock.get(k)!.paths) {
      const r = await execa('iverilog', ['-g2005', '-o', '/dev/null', p], { reject: false });
      expect({ file: p, code: r.exitCode, out: r.stderr + r.stdout }).toEqual({ file: p, code: 0, out: '' });
    }
  });
});

describe('synthesis with Yosys', () => {
  it.each([4, 32])('synthesizes every unit of k = %i to gates with no problem reported by check', async (k) => {
    for (const r of byBlock.get(k)!.rendered) {
      const top = r.unit.module.name;
      let log = '';
      const files = (await runYosys(
        ['-q', '-p', `read_verilog design.v; synth -flatten -top ${top}; check -assert; tee -q -o stat.txt stat`],
        { 'design.v': r.text },
        { stdout: (b) => void (b && (log += Buffer.from(b).toString())), stderr: (b) => void (b && (log += Buffer.from(b).toString())) },
      )) as Record<string, string>;
      const stat = String(files['stat.txt']);
      const cells = Number(/Number of cells:\s+(\d+)/.exec(stat)?.[1] ?? /(\d+)\s+cells/.exec(stat)?.[1]);
      expect(cells, `${top}: ${log}`).toBeGreaterThan(10);
    }
  }, 120_000);
});
