/** rtl-out/manifest.json: what was generated, for people and for the sim and formal flows. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GenConfig } from './units/config.js';
import type { Unit } from './units/unit.js';
import { GENERATOR_VERSION } from './version.js';

export const MANIFEST_FILE = 'manifest.json';

export interface ManifestPort {
  readonly name: string;
  readonly dir: 'input' | 'output';
  readonly width: number;
  readonly description: string;
}

export interface ManifestUnit {
  readonly kind: string;
  readonly top: string;
  readonly file: string;
  readonly sha256: string;
  readonly parameters: Record<string, string | number>;
  readonly ports: ManifestPort[];
}

export interface Manifest {
  readonly generator: 'mxrtl';
  readonly version: string;
  readonly command: string;
  readonly config: GenConfig;
  readonly units: ManifestUnit[];
}

export interface RenderedUnit {
  readonly unit: Unit;
  readonly file: string;
  readonly text: string;
}

export function renderUnits(units: Unit[]): RenderedUnit[] {
  return units.map((unit) => ({ unit, file: `${unit.module.name}.v`, text: unit.module.render() }));
}

export function buildManifest(config: GenConfig, command: string, rendered: RenderedUnit[]): Manifest {
  return {
    generator: 'mxrtl',
    version: GENERATOR_VERSION,
    command,
    config,
    units: rendered.map(({ unit, file, text }) => ({
      kind: unit.kind,
      top: unit.module.name,
      file,
      sha256: createHash('sha256').update(text).digest('hex'),
      parameters: unit.parameters,
      ports: unit.module.portList().map((p) => ({ name: p.name, dir: p.dir, width: p.width, description: p.comment })),
    })),
  };
}

/** A manifest that is missing, unreadable or malformed; the message is one line naming the file. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

/** Check the shape of a manifest read from disk; throws a ManifestError naming what is wrong. */
export function parseManifest(text: string, where: string): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new ManifestError(`${where}: not valid JSON`);
  }
  const o = m as Partial<Manifest>;
  if (!o || o.generator !== 'mxrtl' || !o.config || !Array.isArray(o.units)) throw new ManifestError(`${where}: not an mxrtl manifest`);
  const c = o.config as Partial<GenConfig>;
  if (typeof c.elem !== 'string' || typeof c.scale !== 'string' || !Number.isInteger(c.block) || (c.block ?? 0) < 1) {
    throw new ManifestError(`${where}: malformed "config" (expected elem, scale and a block size)`);
  }
  for (const u of o.units) {
    if (typeof u.kind !== 'string' || typeof u.top !== 'string' || typeof u.file !== 'string' || !Array.isArray(u.ports)) {
      throw new ManifestError(`${where}: malformed unit entry`);
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(u.file)) throw new ManifestError(`${where}: unit ${u.kind}: bad file name '${u.file}'`);
    if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(u.top)) throw new ManifestError(`${where}: unit ${u.kind}: bad module name '${u.top}'`);
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
  return { manifest: parseManifest(text, path), path };
}
