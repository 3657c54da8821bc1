/** rtl-out/manifest.json: what was generated, for people and for the sim and formal flows. */
import { createHash } from 'node:crypto';
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

/** Check the shape of a manifest read from disk; throws a one-line Error naming what is wrong. */
export function parseManifest(text: string, where: string): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new Error(`${where}: not valid JSON`);
  }
  const o = m as Partial<Manifest>;
  if (!o || o.generator !== 'mxrtl' || !o.config || !Array.isArray(o.units)) throw new Error(`${where}: not an mxrtl manifest`);
  for (const u of o.units) {
    if (typeof u.kind !== 'string' || typeof u.top !== 'string' || typeof u.file !== 'string' || !Array.isArray(u.ports)) {
      throw new Error(`${where}: malformed unit entry`);
    }
  }
  return o as Manifest;
}
