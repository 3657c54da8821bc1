/**
 * Write generated files into the output folder so that a failure leaves nothing half-written:
 * every file is written to a temporary name and renamed into place, the manifest last; files an
 * earlier manifest listed and this one does not are removed.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './cli-args.js';
import { MANIFEST_FILE, parseManifest } from './manifest.js';

export async function writeOutput(dir: string, files: { name: string; text: string }[], manifestText: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way of that folder' : code === 'EACCES' ? 'permission denied' : (code ?? String(e));
    throw new UsageError(`cannot create the output folder '${dir}': ${why}`);
  }
  let previous: string[] = [];
  try {
    previous = parseManifest(await readFile(join(dir, MANIFEST_FILE), 'utf8'), MANIFEST_FILE).files.map((f) => f.name);
  } catch {
    previous = [];
  }
  const temps: string[] = [];
  try {
    const all = [...files, { name: MANIFEST_FILE, text: manifestText }];
    for (const f of all) {
      const tmp = join(dir, `.${f.name}.tmp-${process.pid}`);
      temps.push(tmp);
      await writeFile(tmp, f.text);
    }
    for (const f of all) await rename(join(dir, `.${f.name}.tmp-${process.pid}`), join(dir, f.name));
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw e;
  }
  const current = new Set(files.map((f) => f.name));
  for (const old of previous) if (!current.has(old) && /^[A-Za-z0-9_.-]+$/.test(old)) await rm(join(dir, old), { force: true });
}
