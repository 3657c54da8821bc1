/**
 * Vector files: input vectors of one unit (named by its top module), saved to be replayed on any generated configuration
 * with the same ports.
 *
 *   { "format": "mxrtl-vectors/1",
 *     "unit": "<the unit's top module, e.g. mx_dot_e2m1_e8m0_k32>",
 *     "vectors": [ { "<input port>": "<hex, MSB first, no 0x, ceil(width/4) digits>", ... } ] }
 *
 * Every vector names every input port of the unit and nothing else.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hexDigits } from '../src/text.js';
import { hexToWords, wordsToHex, type PortSpec, type RecordLayout } from './layout.js';

export const VECTOR_FORMAT = 'mxrtl-vectors/1';

/** A malformed vector file or value: reported as one line, exit code 2. */
export class VectorFileError extends Error {
  override readonly name = 'VectorFileError';
}

export interface VectorFile {
  readonly format: typeof VECTOR_FORMAT;
  readonly unit: string;
  readonly vectors: readonly Record<string, string>[];
}

/** A unit as the writer needs it: its name (top module) and ports. */
export interface VectorUnit {
  readonly unit: string;
  readonly ports: readonly PortSpec[];
}

/** A port value: hex text as in the file, or a non-negative integer. */
export type PortValue = string | bigint | number;

/** Check the shape of a vector file's text (JSON, format tag, unit, vectors of hex strings). */
export function parseVectorFile(text: string, where: string): VectorFile {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new VectorFileError(`${where}: not valid JSON (${msg})`);
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new VectorFileError(`${where}: not a vector file (expected a JSON object)`);
  const o = j as Record<string, unknown>;
  if (o.format !== VECTOR_FORMAT) throw new VectorFileError(`${where}: "format" must be "${VECTOR_FORMAT}", got ${JSON.stringify(o.format) ?? 'nothing'}`);
  if (typeof o.unit !== 'string' || o.unit === '') throw new VectorFileError(`${where}: "unit" must name a unit by its top module, e.g. "mx_dot_e2m1_e8m0_k32"`);
  if (!Array.isArray(o.vectors)) throw new VectorFileError(`${where}: "vectors" must be an array`);
  if (o.vectors.length === 0) throw new VectorFileError(`${where}: "vectors" is empty`);
  o.vectors.forEach((v: unknown, i: number) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new VectorFileError(`${where}: vector ${i} is not an object of port values`);
    for (const [name, val] of Object.entries(v)) {
      if (typeof val !== 'string') throw new VectorFileError(`${where}: vector ${i}: port '${name}' must be a hex string`);
      if (!/^[0-9a-fA-F]+$/.test(val)) throw new VectorFileError(`${where}: vector ${i}: port '${name}': '${val.length > 40 ? val.slice(0, 40) + '...' : val}' is not hex digits (MSB first, no 0x)`);
    }
  });
  return { format: VECTOR_FORMAT, unit: o.unit, vectors: o.vectors as Record<string, string>[] };
}

export async function readVectorFile(path: string): Promise<VectorFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new VectorFileError(`${path}: cannot read the vector file (${code ?? String(e)})`);
  }
  return parseVectorFile(text, path);
}

/** The input records of a file's vectors for a unit with this layout; every port checked. */
export function vectorsToRecords(file: VectorFile, layout: RecordLayout, where: string): Uint32Array {
  const W = layout.inWords;
  const words = new Uint32Array(file.vectors.length * W);
  const inputs = new Set(layout.inputs.map((p) => p.name));
  const outputs = new Set(layout.outputs.map((p) => p.name));
  file.vectors.forEach((v, i) => {
    for (const name of Object.keys(v)) {
      if (outputs.has(name)) throw new VectorFileError(`${where}: vector ${i}: '${name}' is an output of ${file.unit}; vectors hold inputs only`);
      if (!inputs.has(name)) throw new VectorFileError(`${where}: vector ${i}: ${file.unit} has no port '${name}' (inputs: ${[...inputs].join(', ')})`);
    }
    for (const p of layout.inputs) {
      const hex = v[p.name];
      if (hex === undefined) throw new VectorFileError(`${where}: vector ${i}: port '${p.name}' is missing`);
      const err = hexToWords(hex, p.width, words, i * W + p.offset);
      if (err !== null) throw new VectorFileError(`${where}: vector ${i}: port '${p.name}': ${err}`);
    }
  });
  return words;
}

/** Vectors (port name to hex) from input records. */
export function recordsToVectors(layout: RecordLayout, words: Uint32Array, count: number): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (let i = 0; i < count; i++) {
    const v: Record<string, string> = {};
    for (const p of layout.inputs) v[p.name] = wordsToHex(words, i * layout.inWords + p.offset, p.width);
    out.push(v);
  }
  return out;
}

function valueToHex(val: PortValue, width: number | null, what: string): string {
  if (typeof val === 'string') {
    if (!/^[0-9a-fA-F]+$/.test(val)) throw new VectorFileError(`${what}: '${val}' is not hex digits (MSB first, no 0x)`);
    if (width === null) return val.toLowerCase();
    const tmp = new Uint32Array(Math.ceil(width / 32));
    const err = hexToWords(val, width, tmp, 0);
    if (err !== null) throw new VectorFileError(`${what}: ${err}`);
    return val.toLowerCase();
  }
  const big = typeof val === 'bigint' ? val : Number.isSafeInteger(val) ? BigInt(val) : -1n;
  if (big < 0n) throw new VectorFileError(`${what}: ${String(val)} is not a non-negative integer`);
  if (width === null) return big.toString(16);
  if (big >> BigInt(width) !== 0n) throw new VectorFileError(`${what}: ${String(val)} does not fit ${width} bits`);
  return hexDigits(big, width);
}

/**
 * Write a vector file. `unit` is a unit name (top module) or, better, a unit with its ports (a manifest unit
 * entry): then every input port must be given, values are checked against the port widths and
 * integers are written with the right number of digits. With a bare name, values are written as
 * given (hex text) or as minimal hex (integers), and the replay checks them.
 * The file is written to a temporary name and renamed, so a reader never sees half of it.
 */
export async function writeVectorFile(path: string, unit: string | VectorUnit, vectors: readonly Readonly<Record<string, PortValue>>[]): Promise<void> {
  const kind = typeof unit === 'string' ? unit : unit.unit;
  const inputs = typeof unit === 'string' ? null : unit.ports.filter((p) => p.dir === 'input');
  if (kind === '') throw new VectorFileError('writeVectorFile: empty unit name');
  if (vectors.length === 0) throw new VectorFileError(`writeVectorFile ${path}: no vectors`);
  const lines = vectors.map((v, i) => {
    const out: Record<string, string> = {};
    if (inputs === null) {
      for (const [name, val] of Object.entries(v)) out[name] = valueToHex(val, null, `vector ${i}: port '${name}'`);
    } else {
      for (const name of Object.keys(v)) {
        if (!inputs.some((p) => p.name === name)) throw new VectorFileError(`vector ${i}: ${kind} has no input port '${name}'`);
      }
      for (const p of inputs) {
        const val = v[p.name];
        if (val === undefined) throw new VectorFileError(`vector ${i}: port '${p.name}' is missing`);
        out[p.name] = valueToHex(val, p.width, `vector ${i}: port '${p.name}'`);
      }
    }
    return '    ' + JSON.stringify(out);
  });
  const text = `{\n  "format": ${JSON.stringify(VECTOR_FORMAT)},\n  "unit": ${JSON.stringify(kind)},\n  "vectors": [\n${lines.join(',\n')}\n  ]\n}\n`;
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
