// Shared by the sim tests: generate a configuration into a temporary folder and run the sim
// command in-process with its output captured.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildManifest, renderUnits } from '../../generator/manifest.js';
import { makeConfig } from '../../generator/units/config.js';
import { generateUnits } from '../../generator/units/index.js';
import { writeOutput } from '../../generator/write-out.js';
import { main, type CliIo } from '../../sim/cli.js';

export async function tempDir(tag: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `mxrtl-sim-${tag}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** `mxrtl gen --block k --out dir`, through the generator's own functions. */
export async function generate(dir: string, k: number): Promise<void> {
  const config = makeConfig('e2m1', 'e8m0', k);
  const command = `mxrtl gen --block ${k} --elem e2m1 --scale e8m0`;
  const rendered = renderUnits(generateUnits(config, command));
  await writeOutput(dir, rendered.map((r) => ({ name: r.file, text: r.text })), JSON.stringify(buildManifest(config, command, rendered), null, 2) + '\n');
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
