// Shared by the sim tests: generate a configuration into a temporary folder and run the sim
// command in-process with its output captured.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateInto } from '../../generator/generate.js';
import { makeConfig } from '../../generator/units/config.js';

/** The project's root (dist/ holds the built benchmarks). */
export const ROOT = join(import.meta.dirname, '../..');

/** The combinational unit families (the MAC array has tests of its own: mac.test.ts). */
export const COMBINATIONAL = ['mul', 'dequant', 'dot', 'add'];
import { main, type CliIo } from '../../sim/cli.js';

export async function tempDir(tag: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `mxrtl-sim-${tag}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** `mxrtl gen --block k --out dir` (MXFP4 unless other formats are given), through the generator's own functions. */
export async function generate(dir: string, k: number, f: { elem?: string; elemB?: string; scale?: string; out?: string } = {}): Promise<void> {
  const elem = f.elem ?? 'e2m1';
  await generateInto(dir, makeConfig({ elemA: elem, elemB: f.elemB ?? elem, scale: f.scale ?? 'e8m0', out: f.out ?? 'fp32', block: k, units: COMBINATIONAL }));
}

export interface Captured {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Run `node dist/sim/run.js ARGS` in-process. */
export async function sim(args: string[], env?: NodeJS.ProcessEnv): Promise<Captured> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), tty: false, env };
  const code = await main(args, io);
  return { code, out, err };
}
