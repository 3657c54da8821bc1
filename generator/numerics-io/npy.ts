/**
 * The NumPy .npy file format (versions 1.0, 2.0 and 3.0): a magic string, a version, a header
 * length, a Python-literal header {'descr': ..., 'fortran_order': ..., 'shape': (...)} and the data.
 */

export interface NpyArray {
  /** The dtype string, e.g. '<f4', '|u1'. */
  readonly descr: string;
  readonly shape: readonly number[];
  /** The data bytes (exactly product(shape) * item size). */
  readonly data: Uint8Array;
}

/** A .npy file that cannot be read; the message says why. */
export class NpyError extends Error {
  override readonly name = 'NpyError';
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The bytes start with the .npy magic (\x93NUMPY). */
export function hasNpyMagic(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

export function isNpyPath(path: string): boolean {
  return path.toLowerCase().endsWith('.npy');
}

/** The item size in bytes of the dtypes this project reads and writes. */
function itemSize(descr: string): number | undefined {
  const m = /^[<>|=]?[fiub]([1248])$/.exec(descr);
  return m ? Number(m[1]) : undefined;
}

/** Parse a whole .npy file. */
export function parseNpy(buf: Uint8Array): NpyArray {
  if (buf.length < 10 || MAGIC.some((b, i) => buf[i] !== b)) throw new NpyError('not a .npy file (no \\x93NUMPY magic)');
  const major = buf[6];
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = buf[8] | (buf[9] << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (buf.length < 12) throw new NpyError('truncated .npy header');
    headerLen = (buf[8] | (buf[9] << 8) | (buf[10] << 16) | (buf[11] << 24)) >>> 0;
    start = 12;
  } else {
    throw new NpyError(`unsupported .npy version ${major}.${buf[7]}`);
  }
  if (start + headerLen > buf.length) throw new NpyError('truncated .npy header');
  let header = '';
  for (let i = start; i < start + headerLen; i++) header += String.fromCharCode(buf[i]);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined || !/^\s*\{.*\}\s*$/s.test(header)) {
    throw new NpyError('malformed .npy header');
  }
  if (fortran === 'True') throw new NpyError('Fortran-order .npy arrays are not supported (save in C order)');
  const parts = shapeText.split(',').map((s) => s.trim());
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.some((p) => !/^[0-9]+$/.test(p))) throw new NpyError(`malformed .npy shape (${shapeText})`);
  const shape = parts.map(Number);
  const size = itemSize(descr);
  if (size === undefined) throw new NpyError(`unsupported .npy dtype '${descr}'`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  if (buf.length - dataStart !== count * size) {
    throw new NpyError(`.npy data is ${buf.length - dataStart} bytes, shape (${shape.join(', ')}) of '${descr}' needs ${count * size}`);
  }
  return { descr, shape, data: buf.subarray(dataStart) };
}

/** A version 1.0 .npy file (2.0 if the header needs it) holding `data` with the given dtype and shape. */
export function formatNpy(descr: string, shape: readonly number[], data: Uint8Array): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const v1 = dict.length + 64 <= 65535; // the padded header must fit a 16-bit length
  const pre = v1 ? 10 : 12;
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  dict = dict + ' '.repeat(total - pre - dict.length - 1) + '\n';
  const out = new Uint8Array(total + data.length);
  out.set(MAGIC, 0);
  out[6] = v1 ? 1 : 2;
  out[7] = 0;
  const len = dict.length;
  out[8] = len & 0xff;
  out[9] = (len >>> 8) & 0xff;
  if (!v1) {
    out[10] = (len >>> 16) & 0xff;
    out[11] = (len >>> 24) & 0xff;
  }
  for (let i = 0; i < len; i++) out[pre + i] = dict.charCodeAt(i);
  out.set(data, total);
  return out;
}
