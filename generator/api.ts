/**
 * The generator as a library call: `generate(options)` gives the files of a configuration (and
 * writes them into a folder when `out` is given, exactly as `mxrtl gen --out` does).
 */
import { configFromFlags } from './commands/gen.js';
import { generateConfig, generateInto } from './generate.js';
import type { Manifest } from './manifest.js';
import { configTag } from './units/config.js';

/** The options of `mxrtl gen`, by name; format names as the command line takes them. */
export interface GenerateOptions {
  readonly preset?: string;
  readonly elem?: string;
  readonly elemA?: string;
  readonly elemB?: string;
  readonly scale?: string;
  readonly block?: number;
  readonly outFormat?: string;
  readonly units?: readonly string[];
  /** operator (default) or ripple: how the adder trees add (gen --adders) */
  readonly adders?: string;
  /** a folder to write into (refused, as by mxrtl gen, when it holds files mxrtl did not write) */
  readonly out?: string;
}

export interface Generated {
  /** e.g. "e4m3xe2m1_e8m0_k32" */
  readonly config: string;
  /** every file, the Verilog first, then the file lists and the FuseSoC core (manifest.json not included) */
  readonly files: readonly { readonly name: string; readonly text: string }[];
  readonly manifest: Manifest;
}

export async function generate(o: GenerateOptions = {}): Promise<Generated> {
  const flags = new Map<string, string>();
  const set = (flag: string, v: string | number | undefined): void => {
    if (v !== undefined) flags.set(flag, String(v));
  };
  set('--preset', o.preset);
  set('--elem', o.elem);
  set('--elem-a', o.elemA);
  set('--elem-b', o.elemB);
  set('--scale', o.scale);
  set('--block', o.block);
  set('--out-format', o.outFormat);
  set('--adders', o.adders);
  if (o.units !== undefined) flags.set('--units', o.units.join(','));
  const c = configFromFlags(flags);
  const g = generateConfig(c);
  if (o.out !== undefined) await generateInto(o.out, c);
  return { config: configTag(c), files: [...g.files, ...g.flow].map((f) => ({ name: f.name, text: f.text })), manifest: g.manifest };
}
