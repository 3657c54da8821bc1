/** Generate one configuration into a folder: what `mxrtl gen` does, callable from code and tests. */
import { flowFiles, type FlowFile } from './filelists.js';
import { buildManifest, renderFiles, type Manifest, type RenderedFile } from './manifest.js';
import { DEFAULT_ADDERS, DEFAULT_UNITS, type GenConfig } from './units/config.js';
import { generateUnits } from './units/index.js';
import type { Unit } from './units/unit.js';
import { writeOutput } from './write-out.js';

/** The command line that generates `c`, as written into file headers and the manifest. */
export function genCommandLine(c: GenConfig): string {
  const elems = c.elemA === c.elemB ? `--elem ${c.elemA.name}` : `--elem-a ${c.elemA.name} --elem-b ${c.elemB.name}`;
  const units = c.units.length === DEFAULT_UNITS.length && c.units.every((u, i) => u === DEFAULT_UNITS[i]) ? '' : ` --units ${c.units.join(',')}`;
  const mac = c.units.includes('mac_array') ? ` --array ${c.mac.rows}x${c.mac.cols} --accum ${c.mac.accum} --max-blocks ${c.mac.maxBlocks}${c.mac.stages > 0 ? ` --stages ${c.mac.stages}` : ''}` : '';
  const gpu = c.units.includes('fused') ? ` --gpu ${c.gpu}` : '';
  const q = c.quant;
  const qStages = q.stages > 0 && !c.units.includes('mac_array') ? ` --stages ${q.stages}` : '';
  const quant = c.units.includes('quant') ? ` --recipe ${q.recipe}${q.guard ? ' --guard' : ''} --round ${q.round} --in-format ${q.in}${qStages}` : '';
  const adders = c.adders !== DEFAULT_ADDERS ? ` --adders ${c.adders}` : '';
  return `mxrtl gen ${elems} --scale ${c.scale.name} --block ${c.block} --out-format ${c.out.name}${units}${mac}${gpu}${quant}${adders}`;
}

/** The units, files and manifest of a configuration, without writing anything. */
export function generateConfig(c: GenConfig): { units: Unit[]; files: RenderedFile[]; flow: FlowFile[]; manifest: Manifest } {
  const command = genCommandLine(c);
  const units = generateUnits(c, command);
  const files = renderFiles(units);
  const flow = flowFiles(c, units, command);
  return { units, files, flow, manifest: buildManifest(c, command, units, files, flow) };
}

export async function generateInto(dir: string, c: GenConfig): Promise<{ files: RenderedFile[]; manifest: Manifest }> {
  const g = generateConfig(c);
  await writeOutput(dir, [...g.files, ...g.flow].map((f) => ({ name: f.name, text: f.text })), JSON.stringify(g.manifest, null, 2) + '\n');
  return { files: g.files, manifest: g.manifest };
}
