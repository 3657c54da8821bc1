/**
 * Reading the inputs and writing the outputs of the numerics commands (quantize, dequantize, dot).
 *
 * Inputs: a path ending in .npy is read as NumPy, any other path as raw bytes, `-` (stdin) as
 * NumPy when it starts with the .npy magic (\x93NUMPY), else as raw bytes. Outputs: the same rule;
 * every output is checked, then written to a temporary file in the target's folder, then renamed
 * into place once all of them are written; a file that was already there is moved aside first and
 * put back on failure or interrupt. So a failure leaves the files the user had as they were and no
 * new output file behind.
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readSync, renameSync, rmSync } from 'node:fs';
import { access, lstat, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../cli-args.js';
import { formatNpy, hasNpyMagic, isNpyPath, NpyError, parseNpy } from './npy.js';

/** Bytes read per system call: large inputs (above 2 GiB too) are read piece by piece. */
export const READ_CHUNK = 1 << 26;

/**
 * Every byte of a file or of stdin. A regular file is read into one buffer of its size, in pieces
 * of READ_CHUNK bytes, so its size is bounded by memory, not by the 2 GiB of a single read; a pipe
 * is read until its end. The buffer starts at offset 0 of its own ArrayBuffer.
 */
export function readBytes(path: string, chunk: number = READ_CHUNK): Uint8Array {
  let fd: number;
  try {
    fd = path === '-' ? 0 : openSync(path, 'r');
  } catch (e) {
    throw new UsageError(`cannot read '${path}': ${readError(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UsageError(`cannot read '${path}': is a folder`);
    if (st.isFile()) {
      const out = new Uint8Array(st.size);
      let at = 0;
      while (at < out.length) {
        const n = readSync(fd, out, at, Math.min(chunk, out.length - at), null);
        if (n === 0) break;
        at += n;
      }
      return at === out.length ? out : out.slice(0, at);
    }
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const part = new Uint8Array(chunk);
      let n: number;
      try {
        n = readSync(fd, part, 0, chunk, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EOF') break;
        throw e;
      }
      if (n === 0) break;
      parts.push(part.subarray(0, n));
      total += n;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read '${path}': ${readError(e)}`);
  } finally {
    if (path !== '-') closeSync(fd);
  }
}

function readError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (e instanceof RangeError) return `too large to hold in memory (${e.message})`;
  return code ?? (e as Error).message;
}

/** A path's bytes are NumPy: by its .npy name, or for stdin by the magic bytes. */
function isNpyInput(path: string, bytes: Uint8Array): boolean {
  return isNpyPath(path) || (path === '-' && hasNpyMagic(bytes));
}

function npyOf(path: string, bytes: Uint8Array) {
  try {
    return parseNpy(bytes);
  } catch (e) {
    if (e instanceof NpyError) throw new UsageError(`'${path}': ${e.message}`);
    throw e;
  }
}

export interface Float32Input {
  /** The FP32 values as bits, in storage (C) order. */
  readonly bits: Uint32Array;
  /** The .npy shape, or [n] for raw input. */
  readonly shape: readonly number[];
}

/** Read float32 values (raw little-endian or .npy '<f4' / '>f4'). */
export function readFloat32(path: string): Float32Input {
  const bytes = readBytes(path);
  if (isNpyInput(path, bytes)) {
    const a = npyOf(path, bytes);
    if (!/^[<>=]f4$/.test(a.descr)) throw new UsageError(`'${path}': the .npy must hold float32 (dtype '<f4'), got '${a.descr}'`);
    return { bits: wordsOf(a.data, a.descr.startsWith('>')), shape: a.shape };
  }
  if (bytes.length % 4 !== 0) throw new UsageError(`'${path}': ${bytes.length} bytes is not a whole number of float32 values (a multiple of 4)`);
  return { bits: wordsOf(bytes, false), shape: [bytes.length / 4] };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function wordsOf(data: Uint8Array, bigEndian: boolean): Uint32Array {
  const n = data.length / 4;
  // little-endian words on a little-endian machine, aligned: the bytes themselves, no copy
  if (!bigEndian && LITTLE_ENDIAN && data.byteOffset % 4 === 0) return new Uint32Array(data.buffer, data.byteOffset, n);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const p = 4 * i;
    out[i] = bigEndian
      ? ((data[p] << 24) | (data[p + 1] << 16) | (data[p + 2] << 8) | data[p + 3]) >>> 0
      : (data[p] | (data[p + 1] << 8) | (data[p + 2] << 16) | (data[p + 3] << 24)) >>> 0;
  }
  return out;
}

/** Read uint8 codes (raw bytes or .npy '|u1' / '|i1'). */
export function readCodes(path: string): Uint8Array {
  const bytes = readBytes(path);
  if (isNpyInput(path, bytes)) {
    const a = npyOf(path, bytes);
    if (!/^[<>=|]?[ui]1$/.test(a.descr)) throw new UsageError(`'${path}': the .npy must hold uint8 codes (dtype '|u1'), got '${a.descr}'`);
    return a.data.slice();
  }
  return bytes;
}

/** The file contents for a uint8 array (raw bytes, or .npy '|u1' of shape [n]). */
export function codesFile(path: string, codes: Uint8Array): Uint8Array {
  return isNpyPath(path) ? formatNpy('|u1', [codes.length], codes) : codes;
}

/** The file contents for FP32 values given as bits (raw little-endian, or .npy '<f4' with `shape`). */
export function float32File(path: string, bits: Uint32Array, shape: readonly number[]): Uint8Array {
  const raw = new Uint8Array(bits.length * 4);
  for (let i = 0; i < bits.length; i++) {
    const w = bits[i];
    raw[4 * i] = w & 0xff;
    raw[4 * i + 1] = (w >>> 8) & 0xff;
    raw[4 * i + 2] = (w >>> 16) & 0xff;
    raw[4 * i + 3] = w >>> 24;
  }
  return isNpyPath(path) ? formatNpy('<f4', shape, raw) : raw;
}

export interface OutputFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** A file output with its resolved path (symbolic links in its folder followed, for comparisons). */
interface Target extends OutputFile {
  readonly real: string;
  readonly exists: boolean;
}

function errCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/** The path with its folder resolved through symbolic links when it exists (the file itself too). */
async function realPath(path: string): Promise<string> {
  const abs = resolve(path);
  try {
    return await realpath(abs);
  } catch {
    try {
      return join(await realpath(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

/**
 * Check one output before anything is written: its folder exists, is a folder and can be written
 * in; the path itself is not a folder or another kind of non-regular file (a device, a pipe).
 */
async function checkTarget(f: OutputFile): Promise<Target> {
  const abs = resolve(f.path);
  const folder = dirname(abs);
  const where = `cannot write '${f.path}'`;
  try {
    if (!(await stat(folder)).isDirectory()) throw new UsageError(`${where}: '${dirname(f.path)}' is not a folder`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = errCode(e);
    if (code === 'ENOENT') throw new UsageError(`${where}: no such folder '${dirname(f.path)}'`);
    if (code === 'ENOTDIR') throw new UsageError(`${where}: '${dirname(f.path)}' is not a folder`);
    throw new UsageError(`${where}: ${code ?? (e as Error).message}`);
  }
  try {
    await access(folder, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`${where}: no permission to write in '${dirname(f.path)}'`);
  }
  let exists = true;
  try {
    const st = await stat(abs);
    if (st.isDirectory()) throw new UsageError(`${where}: it is a folder`);
    if (!st.isFile()) throw new UsageError(`${where}: it is not a regular file (use - for stdout)`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = errCode(e);
    if (code !== 'ENOENT') throw new UsageError(`${where}: ${code ?? (e as Error).message}`);
    exists = (await lstat(abs).catch(() => null)) !== null;
  }
  return { ...f, real: await realPath(abs), exists };
}

/**
 * Write every output, or none: each output is checked first (its folder, the path itself, no two
 * outputs and no output and input naming the same file), then written to a temporary file in its
 * folder, then renamed into place. A file already at a target is first moved aside next to it and
 * put back if a later step fails, so a failure leaves every existing file as it was and no new file.
 * At most one output may be `-` (stdout), written after the files are in place. `inputs` are the
 * paths the command read (`-` for stdin is skipped). SIGINT / SIGTERM while files are written puts
 * everything back before the exit (130 / 143); what a run killed outright left beside a target is
 * cleaned up by the next run that writes that target.
 */
export async function writeOutputs(outputs: readonly OutputFile[], inputs: readonly string[] = []): Promise<void> {
  const toStdout = outputs.filter((o) => o.path === '-');
  if (toStdout.length > 1) throw new UsageError('only one output can go to stdout (-)');
  const targets: Target[] = [];
  for (const o of outputs) if (o.path !== '-') targets.push(await checkTarget(o));
  const seen = new Map<string, string>();
  for (const t of targets) {
    const other = seen.get(t.real);
    if (other !== undefined) throw new UsageError(`two outputs name the same file: '${other}' and '${t.path}'`);
    seen.set(t.real, t.path);
  }
  for (const input of inputs) {
    if (input === '-') continue;
    const real = await realPath(input);
    const clash = targets.find((t) => t.real === real);
    if (clash) throw new UsageError(`the output '${clash.path}' is the input '${input}'`);
  }

  for (const folder of new Set(targets.map((t) => dirname(resolve(t.path))))) cleanStale(folder);
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const side = (t: Target, i: number, what: string) => join(dirname(resolve(t.path)), `.${basename(t.path)}.${what}-${tag}-${i}`);
  const temps = targets.map((t, i) => side(t, i, 'tmp'));
  const backups = targets.map((t, i) => side(t, i, 'old'));
  const written: string[] = [];
  /** per target: 0 untouched, 1 moved aside, 2 moved aside and replaced, 3 new file in place */
  const state = targets.map(() => 0);
  let failed = '';
  // Ctrl-C or a kill while the files are written or renamed: put everything back, then exit
  const onSignal = (signal: NodeJS.Signals): void => {
    undoNow(targets, backups, temps);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (let i = 0; i < targets.length; i++) {
      failed = targets[i].path;
      await writeFile(temps[i], targets[i].bytes, { flag: 'wx' });
      written.push(temps[i]);
    }
    for (let i = 0; i < targets.length; i++) {
      failed = targets[i].path;
      if (targets[i].exists) {
        await rename(resolve(targets[i].path), backups[i]);
        state[i] = 1;
      }
      await rename(temps[i], resolve(targets[i].path));
      state[i] = state[i] === 1 ? 2 : 3;
    }
  } catch (e) {
    const left = await undo(targets, backups, state, written);
    const code = errCode(e);
    const why = code === 'ENOENT' ? 'no such folder' : code === 'EISDIR' ? 'it is a folder' : code ?? (e as Error).message;
    throw new UsageError(`cannot write '${failed}': ${why}${left.length > 0 ? `; ${left.join('; ')}` : ''}`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  await Promise.all(backups.filter((_, i) => state[i] === 2).map((b) => rm(b, { force: true })));
  for (const o of toStdout) await writeStdout(o.bytes);
}

/**
 * Put back what writeOutputs changed, last change first: new files removed, files moved aside
 * renamed back, temporary files removed. Returns what it could not undo, as text for the error.
 */
async function undo(targets: readonly Target[], backups: readonly string[], state: readonly number[], written: readonly string[]): Promise<string[]> {
  const left: string[] = [];
  for (let i = targets.length - 1; i >= 0; i--) {
    const path = resolve(targets[i].path);
    if (state[i] === 3) {
      await rm(path, { force: true }).catch(() => left.push(`could not remove the new '${targets[i].path}'`));
    } else if (state[i] === 1 || state[i] === 2) {
      await rename(backups[i], path).catch(() => left.push(`could not put back '${targets[i].path}', it is kept as '${backups[i]}'`));
    }
  }
  for (const t of written) await rm(t, { force: true }).catch(() => undefined);
  return left;
}

/**
 * undo, at once (from a signal handler, where a rename may have finished without its state being
 * recorded): judged by what is on disk. A file moved aside goes back over whatever took its place;
 * a target that did not exist before and exists now is this run's and is removed.
 */
function undoNow(targets: readonly Target[], backups: readonly string[], temps: readonly string[]): void {
  for (let i = targets.length - 1; i >= 0; i--) {
    const path = resolve(targets[i].path);
    try {
      if (existsSync(backups[i])) renameSync(backups[i], path);
      else if (!targets[i].exists) rmSync(path, { force: true });
    } catch {
      // left for the next run's cleanStale
    }
  }
  for (const t of temps) rmSync(t, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What killed runs left in `folder` (`.<name>.tmp-<pid>-…` and `.<name>.old-<pid>-…` of a process
 * that no longer runs): temporaries removed; a file moved aside put back when nothing took its
 * place, else removed (the run had replaced it).
 */
function cleanStale(folder: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const n of names) {
    const m = /^\.(.+)\.(tmp|old)-(\d+)-[0-9a-z]+-\d+$/.exec(n);
    if (!m || alive(Number(m[3]))) continue;
    const p = join(folder, n);
    const target = join(folder, m[1]);
    try {
      if (m[2] === 'old' && !existsSync(target)) renameSync(p, target);
      else rmSync(p, { force: true });
    } catch {
      // not ours to fix: leave it
    }
  }
}

function writeStdout(bytes: Uint8Array): Promise<void> {
  return new Promise((done, reject) => {
    process.stdout.write(bytes, (err) => (err ? reject(err) : done()));
  });
}
