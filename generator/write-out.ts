/**
 * Write a generated folder as one step. Every file goes into a temporary folder beside the
 * target, which then takes the target's place, so a reader never sees one configuration's manifest
 * next to another's files, and a failure or an interrupt leaves the earlier folder as it was.
 *
 * The target may hold only what an earlier run wrote: the files its manifest lists, unchanged.
 * Anything else (a file mxrtl did not write, a generated file edited since, a folder without a
 * manifest) stops the run with one line before anything is written, so no file of the user's is
 * ever overwritten or deleted. A lock beside the target keeps two runs from writing it at once;
 * the temporaries of a run that was killed are cleaned up by the next one.
 */
import { existsSync, readdirSync, rmSync, renameSync, statSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './cli-args.js';
import { MANIFEST_FILE, parseManifest, sha256 } from './manifest.js';

/** What marks a folder as a tool's own: the manifest's file name and the files it lists (name -> SHA-256). */
export interface FolderOwner {
  /** the command, for messages ('mxrtl gen') */
  readonly tool: string;
  /** who did not write a foreign file ('mxrtl'), and what the user should do instead ('generate') */
  readonly writer: string;
  readonly verb: string;
  readonly manifest: string;
  /** the listed files of a manifest's text; throws when it is not the tool's manifest */
  readonly listed: (text: string, path: string) => Map<string, string>;
}

/** A folder written by mxrtl gen: manifest.json lists the generated files. */
export const GEN_OWNER: FolderOwner = {
  tool: 'mxrtl gen',
  writer: 'mxrtl',
  verb: 'generate',
  manifest: MANIFEST_FILE,
  listed: (text, path) => new Map(parseManifest(text, path).files.map((f) => [f.name, f.sha256])),
};

const LOCK = 'mxrtl-lock';
const TMP = 'mxrtl-tmp';
const OLD = 'mxrtl-old';

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code === 'EEXIST' || code === 'ENOTDIR') return 'a file is in the way of that folder';
  return code ?? (e instanceof Error ? e.message : String(e));
}

/** The sibling paths of a run: `<parent>/.<name>.<kind>-<pid>`. */
function sibling(dir: string, kind: string, pid: number = process.pid): string {
  return join(dirname(dir), `.${basename(dir)}.${kind}-${pid}`);
}

/** Remove what killed runs left beside `dir`; put a folder back that an interrupted swap moved aside. */
function cleanStale(dir: string): void {
  const parent = dirname(dir);
  const prefix = `.${basename(dir)}.`;
  let names: string[] = [];
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  for (const n of names) {
    const m = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(${TMP}|${OLD})-(\\d+)$`).exec(n);
    if (!m || alive(Number(m[2]))) continue;
    const p = join(parent, n);
    if (m[1] === OLD && !existsSync(dir)) renameSync(p, dir);
    else rmSync(p, { recursive: true, force: true });
  }
}

/** Take the lock beside `dir`, or say who holds it. */
async function lock(dir: string, owner: FolderOwner): Promise<() => void> {
  const path = join(dirname(dir), `.${basename(dir)}.${LOCK}`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await mkdir(path);
      await writeFile(join(path, 'pid'), String(process.pid));
      return () => rmSync(path, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`cannot write beside the output folder '${dir}': ${why(e)}`);
      let holder = NaN;
      try {
        holder = Number(await readFile(join(path, 'pid'), 'utf8'));
      } catch {
        // a lock being taken or left without its pid: treat as stale only once it is old
        const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
        if (age < 10_000) throw new UsageError(`another ${owner.tool} is writing '${dir}' right now; try again when it has finished`);
      }
      if (Number.isInteger(holder) && alive(holder)) throw new UsageError(`another ${owner.tool} (process ${holder}) is writing '${dir}'; try again when it has finished`);
      rmSync(path, { recursive: true, force: true });
    }
  }
  throw new UsageError(`cannot take the lock ${path}`);
}

/** Refuse a target folder that holds anything an earlier run did not write, unchanged. */
async function checkTarget(dir: string, owner: FolderOwner): Promise<'missing' | 'replace'> {
  const MANIFEST = owner.manifest;
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new UsageError(`cannot read the output folder '${dir}': ${why(e)}`);
  }
  if (!st.isDirectory()) throw new UsageError(`cannot create the output folder '${dir}': a file is in the way of that folder`);
  const entries = await readdir(dir);
  if (entries.length === 0) return 'replace';
  if (!entries.includes(MANIFEST)) {
    const shown = entries.slice(0, 4).join(', ') + (entries.length > 4 ? `, ... (${entries.length} entries)` : '');
    throw new UsageError(`'${dir}' holds files ${owner.writer} did not write (${shown}) and no ${MANIFEST}; ${owner.verb} into an empty or new folder (--out), or move them away`);
  }
  let listed: Map<string, string>;
  try {
    listed = owner.listed(await readFile(join(dir, MANIFEST), 'utf8'), join(dir, MANIFEST));
  } catch (e) {
    throw new UsageError(`'${dir}' holds a ${MANIFEST} ${owner.writer} cannot read (${e instanceof Error ? e.message : String(e)}); ${owner.verb} into an empty or new folder, or move it away`);
  }
  const foreign: string[] = [];
  const edited: string[] = [];
  for (const name of entries) {
    if (name === MANIFEST) continue;
    const want = listed.get(name);
    if (want === undefined) {
      foreign.push(name);
      continue;
    }
    const p = join(dir, name);
    if (!statSync(p).isFile() || sha256(await readFile(p, 'utf8')) !== want) edited.push(name);
  }
  if (foreign.length > 0 || edited.length > 0) {
    const parts = [...(foreign.length > 0 ? [`files ${owner.writer} did not write: ${foreign.slice(0, 4).join(', ')}${foreign.length > 4 ? ', ...' : ''}`] : []), ...(edited.length > 0 ? [`generated files edited since: ${edited.slice(0, 4).join(', ')}${edited.length > 4 ? ', ...' : ''}`] : [])];
    throw new UsageError(`'${dir}' holds ${parts.join('; and ')}; nothing was written. Move them away, or ${owner.verb} into another folder (--out)`);
  }
  return 'replace';
}

export async function writeOutput(target: string, files: { name: string; text: string }[], manifestText: string, owner: FolderOwner = GEN_OWNER): Promise<void> {
  const dir = resolve(target);
  for (const f of files) if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(f.name)) throw new Error(`refusing to write the file name '${f.name}'`);
  try {
    await mkdir(dirname(dir), { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot create the output folder '${target}': ${why(e)}`);
  }
  const unlock = await lock(dir, owner);
  const tmp = sibling(dir, TMP);
  const old = sibling(dir, OLD);
  // an interrupt puts the folder back as it was and removes what this run wrote
  const undo = (): void => {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(dir)) renameSync(old, dir);
    rmSync(old, { recursive: true, force: true });
    unlock();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    undo();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    cleanStale(dir);
    const state = await checkTarget(dir, owner);
    try {
      await mkdir(tmp);
      for (const f of files) await writeFile(join(tmp, f.name), f.text);
      await writeFile(join(tmp, owner.manifest), manifestText);
    } catch (e) {
      throw new UsageError(`cannot write beside the output folder '${target}': ${why(e)}`);
    }
    try {
      if (state === 'replace') await rename(dir, old);
      await rename(tmp, dir);
    } catch (e) {
      throw new UsageError(`cannot replace the output folder '${target}': ${why(e)}`);
    }
    await rm(old, { recursive: true, force: true });
  } catch (e) {
    undo();
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  unlock();
}
