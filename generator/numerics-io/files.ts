/**
 * Reading the inputs and writing the outputs of the numerics commands (quantize, dequantize, dot).
 *
 * Inputs: a path ending in .npy is read as NumPy, any other path as raw bytes, `-` as raw bytes
 * from stdin. Outputs: the same rule; every output is first written to a temporary file in the
 * target's folder and renamed into place only once all of them are written, so a failure leaves
 * no output file behind.
 */
import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../cli-args.js';
import { formatNpy, isNpyPath, NpyError, parseNpy } from './npy.js';

function readBytes(path: string): Uint8Array {
  try {
    const b = path === '-' ? readFileSync(0) : readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : code ?? (e as Error).message;
    throw new UsageError(`cannot read '${path}': ${why}`);
  }
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
  if (isNpyPath(path)) {
    const a = npyOf(path, bytes);
    if (!/^[<>=]f4$/.test(a.descr)) throw new UsageError(`'${path}': the .npy must hold float32 (dtype '<f4'), got '${a.descr}'`);
    return { bits: wordsOf(a.data, a.descr.startsWith('>')), shape: a.shape };
  }
  if (bytes.length % 4 !== 0) throw new UsageError(`'${path}': ${bytes.length} bytes is not a whole number of float32 values (a multiple of 4)`);
  return { bits: wordsOf(bytes, false), shape: [bytes.length / 4] };
}

function wordsOf(data: Uint8Array, bigEndian: boolean): Uint32Array {
  const n = data.length / 4;
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
  if (isNpyPath(path)) {
    const a = npyOf(path, bytes);
    if (!/^[<>=|]?[ui]1$/.test(a.descr)) throw new UsageError(`'${path}': the .npy must hold uint8 codes (dtype '|u1'), got '${a.descr}'`);
    return a.data.slice();
  }
  return bytes.slice();
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

/**
 * Write every output, or none: temporary files in the target folders first, then renames.
 * At most one output may be `-` (stdout), written after the files are in place.
 */
export async function writeOutputs(outputs: readonly OutputFile[]): Promise<void> {
  const toStdout = outputs.filter((o) => o.path === '-');
  if (toStdout.length > 1) throw new UsageError('only one output can go to stdout (-)');
  const files = outputs.filter((o) => o.path !== '-');
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new UsageError(`two outputs name the same file '${f.path}'`);
    seen.add(f.path);
  }
  const temps: string[] = [];
  const renamed: string[] = [];
  try {
    for (const f of files) {
      const tmp = join(dirname(f.path), `.${basename(f.path)}.tmp-${process.pid}-${temps.length}`);
      temps.push(tmp);
      await writeFile(tmp, f.bytes);
    }
    for (let i = 0; i < files.length; i++) {
      await rename(temps[i], files[i].path);
      renamed.push(files[i].path);
    }
  } catch (e) {
    await Promise.all([...temps, ...renamed].map((t) => rm(t, { force: true })));
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot write the output: ${code ?? (e as Error).message}${code === 'ENOENT' ? ' (no such folder)' : ''}`);
  }
  for (const o of toStdout) await writeStdout(o.bytes);
}

function writeStdout(bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(bytes, (err) => (err ? reject(err) : resolve()));
  });
}
