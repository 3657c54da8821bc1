// Shared by the formal tests: generate a configuration into a temporary folder, edit the generated
// Verilog, run `node dist/formal/run.js` on it and read its report.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { generateInto } from '../../generator/generate.js';
import { configTag, makeConfig } from '../../generator/units/config.js';

/** The combinational unit families (the MAC array has tests of its own: mac.test.ts). */
export const COMBINATIONAL = ['mul', 'dequant', 'dot', 'add'];
import type { Report } from '../../formal/report.js';

export const ROOT = join(import.meta.dirname, '../..');
export const RUN = join(ROOT, 'dist/formal/run.js');

/** The proofs run from the built files (their worker threads load dist/formal/worker.js). */
export function requireBuild(): void {
  if (!existsSync(RUN) || !existsSync(join(ROOT, 'dist/formal/worker.js'))) {
    throw new Error('dist/formal is missing: build first (npx tsc -p tsconfig.json, which make unit does)');
  }
}

export async function tempDir(tag: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `mxrtl-formal-${tag}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A configuration to generate: formats by name (defaults MXFP4), block size k. */
export interface GenSpec {
  readonly elem?: string;
  readonly elemB?: string;
  readonly scale?: string;
  readonly out?: string;
  readonly k: number;
}

export function specConfig(s: GenSpec): ReturnType<typeof makeConfig> {
  const elem = s.elem ?? 'e2m1';
  return makeConfig({ elemA: elem, elemB: s.elemB ?? elem, scale: s.scale ?? 'e8m0', out: s.out ?? 'fp32', block: s.k, units: COMBINATIONAL });
}

/** `mxrtl gen ... --out dir`, through the generator's own functions; returns the configuration tag. */
export async function generate(dir: string, s: GenSpec | number): Promise<string> {
  const c = specConfig(typeof s === 'number' ? { k: s } : s);
  await generateInto(dir, c);
  return configTag(c);
}

/**
 * Edit one generated file: `pattern` must match exactly once (or the test would check nothing).
 * Returns the edited line(s) for messages.
 */
export async function mutate(path: string, pattern: RegExp, replace: string | ((...m: string[]) => string)): Promise<string> {
  const text = await readFile(path, 'utf8');
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
  const hits = [...text.matchAll(global)];
  expect(hits.length, `${pattern} must match exactly once in ${path}`).toBe(1);
  const edited = text.replace(pattern, replace as string);
  expect(edited).not.toBe(text);
  await writeFile(path, edited);
  return hits[0][0];
}

export interface FormalRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: Report | null;
}

/** Run the proofs on `rtl`, reports and work files under `out`. */
export async function formal(rtl: string, out: string, ...args: string[]): Promise<FormalRun> {
  const r = await execa('node', [RUN, '--rtl', rtl, '--reports', join(out, 'reports'), '--work', join(out, 'work'), ...args], { reject: false, cwd: ROOT });
  const config = await readConfig(rtl);
  const partial = args.includes('--only');
  const path = join(out, 'reports', `${config}${partial ? '.partial' : ''}.json`);
  const report = existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as Report) : null;
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr, report };
}

async function readConfig(rtl: string): Promise<string> {
  try {
    const m = JSON.parse(await readFile(join(rtl, 'manifest.json'), 'utf8')) as { config: Parameters<typeof makeConfig>[0] };
    return configTag(makeConfig(m.config));
  } catch {
    return 'none';
  }
}

/** Status of every obligation in a report, by id. */
export function statuses(r: Report | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const u of r?.units ?? []) for (const o of u.obligations) out[o.id] = o.status;
  return out;
}

export function obligation(r: Report | null, id: string): Report['units'][number]['obligations'][number] {
  const o = r?.units.flatMap((u) => u.obligations).find((x) => x.id === id);
  if (!o) throw new Error(`no obligation ${id} in the report`);
  return o;
}
