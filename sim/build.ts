/**
 * Build a unit's Verilator harness, cached by content: sim/build/<hash>/ holds the model built from
 * exactly that Verilog text, harness source, Verilator version and flag set, so a second run with
 * the same inputs starts at once. A build happens in a private temporary folder that is renamed
 * into place when complete, so concurrent runs never see a half-built harness.
 */
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { harnessSource } from './harness.js';
import type { RecordLayout } from './layout.js';

/** The environment lacks a tool, or a tool failed: reported as one line, exit code 3. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}

export const VERILATOR_MISSING = 'verilator not found: apt-get install -y verilator (run as root), or install it from your distribution';

/** Verilator builds a model with make and a C++ compiler ($CXX, else g++): each named when missing. */
export function buildToolsMissing(env: NodeJS.ProcessEnv = process.env): string | null {
  const cxx = (env.CXX ?? '').trim().split(/\s+/)[0] || 'g++';
  const tools: [string, string | null][] = [['make', 'make'], [cxx, cxx === 'g++' ? 'g++' : null]];
  const missing = tools.filter(([tool]) => (tool.includes('/') ? !isExecutable(tool) : findOnPath(tool, env) === null));
  if (missing.length === 0) return null;
  const names = missing.map(([t]) => t);
  const pkgs = missing.map(([, pkg]) => pkg).filter((x): x is string => x !== null);
  return `${names.join(' and ')} not found: Verilator builds the simulation harness with make and a C++ compiler${pkgs.length > 0 ? `; apt-get install -y ${pkgs.join(' ')} (run as root)` : ''}${names.includes(cxx) && cxx !== 'g++' ? ` (CXX is '${env.CXX}')` : ''}`;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Verilator options of every harness build (part of the cache key). */
export const VERILATOR_FLAGS: readonly string[] = [
  '--cc',
  '--exe',
  '--build',
  '-O3',
  '--x-assign',
  'fast',
  '--x-initial',
  'fast',
  '--noassert',
  '-Wno-fatal',
  '-CFLAGS',
  '-O2',
  // The model's own files are compiled with OPT_FAST, which comes after CFLAGS on the command line.
  '-MAKEFLAGS',
  'OPT_FAST=-O2',
];

/** Bumped when the build recipe changes in a way the flags above do not show. */
const RECIPE = 'mxrtl-sim-harness/2';

const HARNESS_BINARY = 'harness';

/** Full path of an executable found on PATH, or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not in this folder
    }
  }
  return null;
}

export interface VerilatorInfo {
  readonly path: string;
  readonly version: string;
}

const infoCache = new Map<string, VerilatorInfo>();

/** Locate Verilator and read its version; ToolError with the install hint when it is missing. */
export async function verilatorInfo(env: NodeJS.ProcessEnv = process.env): Promise<VerilatorInfo> {
  const path = findOnPath('verilator', env);
  if (path === null) throw new ToolError(VERILATOR_MISSING);
  const known = infoCache.get(path);
  if (known) return known;
  const r = await execa(path, ['--version'], { reject: false, env });
  if (r.exitCode !== 0) throw new ToolError(`${path} --version failed (exit ${r.exitCode}): ${String(r.stderr).split('\n')[0]}`);
  const info = { path, version: String(r.stdout).trim() };
  infoCache.set(path, info);
  return info;
}

export interface BuildRequest {
  /** top module name */
  readonly top: string;
  /** the Verilog files of the unit's hierarchy (name and text), submodules first */
  readonly sources: readonly { readonly name: string; readonly text: string }[];
  readonly layout: RecordLayout;
  /** cache folder (sim/build by default) */
  readonly buildRoot: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface BuiltHarness {
  readonly binary: string;
  readonly dir: string;
  readonly hash: string;
  /** true when the harness came from the cache */
  readonly cached: boolean;
  /** build time (0 when cached) */
  readonly seconds: number;
  /** Verilator warning lines of the build (an empty list when cached) */
  readonly warnings: readonly string[];
}

/** The cache key of a build. */
export function buildHash(sources: readonly { readonly name: string; readonly text: string }[], harness: string, verilatorVersion: string): string {
  const h = createHash('sha256');
  for (const part of [RECIPE, verilatorVersion, VERILATOR_FLAGS.join(' '), ...sources.flatMap((f) => [f.name, f.text]), harness]) {
    h.update(String(part.length)).update(':').update(part);
  }
  return h.digest('hex').slice(0, 24);
}

export async function buildHarness(req: BuildRequest): Promise<BuiltHarness> {
  const env = req.env ?? process.env;
  const tool = await verilatorInfo(env);
  const source = harnessSource(req.top, req.layout);
  const hash = buildHash(req.sources, source, tool.version);
  const dir = join(req.buildRoot, hash);
  const binary = join(dir, 'obj', HARNESS_BINARY);
  if (existsSync(binary)) return { binary, dir, hash, cached: true, seconds: 0, warnings: [] };
  const missing = buildToolsMissing(env);
  if (missing !== null) throw new ToolError(missing);

  const t0 = performance.now();
  await mkdir(req.buildRoot, { recursive: true });
  const tmp = join(req.buildRoot, `${hash}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp, { recursive: true });
  try {
    for (const f of req.sources) {
      if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(f.name)) throw new ToolError(`bad Verilog file name '${f.name}'`);
      await writeFile(join(tmp, f.name), f.text);
    }
    await writeFile(join(tmp, 'harness.cpp'), source);
    const buildEnv: NodeJS.ProcessEnv = { ...env };
    if (findOnPath('ccache', env) !== null && buildEnv.OBJCACHE === undefined) buildEnv.OBJCACHE = 'ccache';
    const args = [
      ...VERILATOR_FLAGS,
      '-j',
      String(Math.max(1, availableParallelism())),
      '--top-module',
      req.top,
      '-Mdir',
      'obj',
      '-o',
      HARNESS_BINARY,
      ...req.sources.map((f) => f.name),
      'harness.cpp',
    ];
    const r = await execa(tool.path, args, { cwd: tmp, env: buildEnv, reject: false, all: true });
    const log = String(r.all ?? '');
    await writeFile(join(tmp, 'build.log'), `$ ${tool.path} ${args.join(' ')}\n${log}`);
    if (r.exitCode !== 0 || !existsSync(join(tmp, 'obj', HARNESS_BINARY))) {
      const failed = join(req.buildRoot, `${hash}.failed.log`);
      await writeFile(failed, `$ ${tool.path} ${args.join(' ')}\n${log}`);
      const first = log.split('\n').find((l) => /%Error|error:/.test(l)) ?? log.split('\n').find((l) => l.trim() !== '') ?? '';
      throw new ToolError(`verilator build of ${req.top} failed (exit ${r.exitCode}): ${first.trim()} (full log: ${failed})`);
    }
    const warnings = log.split('\n').filter((l) => l.startsWith('%Warning'));
    await writeFile(join(tmp, 'build.json'), JSON.stringify({ top: req.top, hash, verilator: tool.version, flags: VERILATOR_FLAGS, objcache: buildEnv.OBJCACHE ?? '' }, null, 2) + '\n');
    try {
      await rename(tmp, dir);
    } catch (e) {
      // Another run finished the same build first: its result is identical, use it.
      if (!existsSync(binary)) throw e;
      await rm(tmp, { recursive: true, force: true });
    }
    return { binary, dir, hash, cached: false, seconds: (performance.now() - t0) / 1000, warnings };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
