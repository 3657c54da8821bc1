/** Generate one configuration into a folder: what `mxrtl gen` does, callable from code and tests. */
import { buildManifest, renderUnits, type Manifest, type RenderedUnit } from './manifest.js';
import type { GenConfig } from './units/config.js';
import { generateUnits } from './units/index.js';
import { writeOutput } from './write-out.js';

/** The command line that generates `c`, as written into file headers and the manifest. */
export function genCommandLine(c: GenConfig): string {
  return `mxrtl gen --block ${c.block} --elem ${c.elem} --scale ${c.scale}`;
}

export async function generateInto(dir: string, c: GenConfig): Promise<{ rendered: RenderedUnit[]; manifest: Manifest }> {
  const command = genCommandLine(c);
  const rendered = renderUnits(generateUnits(c, command));
  const manifest = buildManifest(c, command, rendered);
  await writeOutput(dir, rendered.map((r) => ({ name: r.file, text: r.text })), JSON.stringify(manifest, null, 2) + '\n');
  return { rendered, manifest };
}
