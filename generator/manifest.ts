/** rtl-out/manifest.json: what was generated, for people and for the sim and formal flows. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileListName, type FlowFile } from './filelists.js';
import { configNames, configTag, makeConfig, type ConfigNames, type GenConfig } from './units/config.js';
import { FAMILIES, generateUnits } from './units/index.js';
import { uniqueModules, type Unit } from './units/unit.js';
import { GENERATOR_VERSION } from './version.js';

export const MANIFEST_FILE = 'manifest.json';

export interface ManifestPort {
  readonly name: string;
  readonly dir: 'input' | 'output';
  readonly width: number;
  readonly description: string;
}

export interface ManifestFile {
  readonly name: string;
  /** verilog: one module; filelist: a unit's files (`<top>.f`); fusesoc: the FuseSoC core description */
  readonly kind: 'verilog' | 'filelist' | 'fusesoc';
  /** the module a Verilog file holds */
  readonly module?: string;
  readonly sha256: string;
}

export interface ManifestUnit {
  /** unit family: mul, dequant or dot */
  readonly family: string;
  readonly top: string;
  /** the files of the unit's hierarchy, submodules first, the top's file last */
  readonly files: readonly string[];
  /** the same list as a file list (`<top>.f`) for simulators and synthesis tools */
  readonly fileList: string;
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly ports: readonly ManifestPort[];
}

export interface Manifest {
  readonly generator: 'mxrtl';
  readonly version: string;
  readonly command: string;
  readonly config: ConfigNames;
  readonly files: readonly ManifestFile[];
  readonly units: readonly ManifestUnit[];
}

export interface RenderedFile {
  readonly name: string;
  readonly module: string;
  readonly text: string;
}

/** One file per module of the units, each module once. */
export function renderFiles(units: readonly Unit[]): RenderedFile[] {
  return uniqueModules(units).map((m) => ({ name: `${m.name}.v`, module: m.name, text: m.render() }));
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function buildManifest(config: GenConfig, command: string, units: readonly Unit[], files: readonly RenderedFile[], flow: readonly FlowFile[]): Manifest {
  return {
    generator: 'mxrtl',
    version: GENERATOR_VERSION,
    command,
    config: configNames(config),
    files: [
      ...files.map((f) => ({ name: f.name, kind: 'verilog' as const, module: f.module, sha256: sha256(f.text) })),
      ...flow.map((f) => ({ name: f.name, kind: f.kind, sha256: sha256(f.text) })),
    ],
    units: units.map((u) => ({
      family: u.family,
      top: u.top.name,
      files: u.modules.map((m) => `${m.name}.v`),
      fileList: fileListName(u.top.name),
      parameters: u.parameters,
      ports: u.top.portList().map((p) => ({ name: p.name, dir: p.dir, width: p.width, description: p.comment })),
    })),
  };
}

/** A manifest that is missing, unreadable or malformed; the message is one line naming the file. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Check the shape of a manifest read from disk; throws a ManifestError naming what is wrong. */
export function parseManifest(text: string, where: string): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new ManifestError(`${where}: not valid JSON`);
  }
  const o = m as Partial<Manifest> & { config?: Partial<ConfigNames> & { elem?: unknown } };
  if (!o || typeof o !== 'object' || o.generator !== 'mxrtl' || !o.config || !Array.isArray(o.units)) throw new ManifestError(`${where}: not an mxrtl manifest`);
  const c = o.config;
  if (typeof c.elem === 'string' && c.elemA === undefined) throw new ManifestError(`${where}: written by an older mxrtl (one element format); regenerate it with mxrtl gen`);
  if (typeof c.elemA !== 'string' || typeof c.elemB !== 'string' || typeof c.scale !== 'string' || typeof c.out !== 'string' || !Number.isInteger(c.block) || (c.block ?? 0) < 1 || !Array.isArray(c.units)) {
    throw new ManifestError(`${where}: malformed "config" (expected elemA, elemB, scale, out, a block size and units)`);
  }
  if (!Array.isArray(o.files)) throw new ManifestError(`${where}: malformed: no "files" list`);
  const names = new Set<string>();
  for (const f of o.files) {
    const kind = (f as { kind?: unknown } | null)?.kind ?? 'verilog';
    const known = kind === 'verilog' || kind === 'filelist' || kind === 'fusesoc';
    if (!f || typeof f.name !== 'string' || !FILE_NAME.test(f.name) || !known || (kind === 'verilog' && typeof f.module !== 'string') || typeof f.sha256 !== 'string') {
      throw new ManifestError(`${where}: malformed file entry ${JSON.stringify(f)}`);
    }
    names.add(f.name);
  }
  for (const u of o.units) {
    if (!u || typeof u.family !== 'string' || typeof u.top !== 'string' || !Array.isArray(u.files) || !Array.isArray(u.ports) || typeof u.parameters !== 'object' || u.parameters === null) {
      throw new ManifestError(`${where}: malformed unit entry`);
    }
    if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(u.top)) throw new ManifestError(`${where}: unit ${u.family}: bad module name '${u.top}'`);
    if (u.files.length === 0) throw new ManifestError(`${where}: unit ${u.top} lists no files`);
    for (const f of u.files) if (typeof f !== 'string' || !names.has(f)) throw new ManifestError(`${where}: unit ${u.top}: file '${String(f)}' is not in "files"`);
    for (const p of u.ports) {
      if (!p || typeof p.name !== 'string' || (p.dir !== 'input' && p.dir !== 'output') || !Number.isInteger(p.width) || p.width < 1) throw new ManifestError(`${where}: unit ${u.top}: malformed port entry`);
    }
  }
  return o as Manifest;
}

/** Read and check DIR/manifest.json. */
export async function readManifest(dir: string): Promise<{ manifest: Manifest; path: string }> {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ManifestError(`${path} not found: generate a configuration first (make gen, or npx mxrtl gen --out ${dir})`);
    throw new ManifestError(`${path}: cannot read (${code ?? String(e)})`);
  }
  const manifest = parseManifest(text, path);
  checkConfigUnits(manifest, path);
  return { manifest, path };
}

/**
 * The units a manifest lists must be the ones its "config" generates: the same top modules with the
 * same parameters (a manifest whose block size or formats were edited apart from its units is refused).
 * Units of a family this mxrtl does not know are left to the caller.
 */
export function checkConfigUnits(m: Manifest, where: string): void {
  let c: GenConfig;
  try {
    c = makeConfig({ ...m.config, units: m.config.units.filter((f) => Object.prototype.hasOwnProperty.call(FAMILIES, f)) });
  } catch (e) {
    throw new ManifestError(`${where}: "config": ${e instanceof Error ? e.message : String(e)}`);
  }
  const want = generateUnits(c, m.command);
  for (const u of m.units) {
    if (!Object.prototype.hasOwnProperty.call(FAMILIES, u.family)) continue;
    const same = want.filter((w) => w.family === u.family);
    const w = same.find((x) => x.top.name === u.top);
    if (!w) {
      const has = same.length > 0 ? `its ${u.family} units are ${same.map((x) => x.top.name).join(', ')}` : `it has no ${u.family} unit`;
      throw new ManifestError(`${where}: unit ${u.top} does not belong to the configuration in "config" (${configTag(c)}: ${has}); regenerate the folder with mxrtl gen`);
    }
    const params = (r: Readonly<Record<string, unknown>>): string => Object.keys(r).sort().map((k) => `${k} ${String(r[k])}`).join(', ');
    if (params(w.parameters) !== params(u.parameters)) {
      throw new ManifestError(`${where}: unit ${u.top} has parameters (${params(u.parameters)}) that disagree with "config" (${params(w.parameters)}); regenerate the folder with mxrtl gen`);
    }
  }
}
