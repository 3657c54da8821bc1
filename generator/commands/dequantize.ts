/**
 * `mxrtl dequantize`: MX element and scale codes to FP32 values, each element * scale (* tensor
 * scale) rounded once to FP32, as the hardware's dequantizer does.
 */
import type { Command } from '../cli.js';
import { UsageError, parseFlags, parseIntArg } from '../cli-args.js';
import { float32File, readCodes, writeOutputs } from '../numerics-io/files.js';
import { blockSize, elemFormat, scaleFormat, tensorScaleValue } from '../numerics-io/options.js';
import { article, dequantize, elementBits, scaleBits, type ElementFormat, type ScaleFormat } from '../../src/index.js';

const HELP = `usage: mxrtl dequantize <elems> <scales> -o <out> [options]

Dequantize MX blocks: every element code times its block's scale (times the tensor scale),
rounded once to FP32 with round-to-nearest-even (subnormals kept, overflow to +-Inf).
A NaN scale or NaN element gives the quiet NaN 0x7FC00000; -0 elements stay -0.

  <elems>           element codes, one uint8 per element (.npy uint8, or raw bytes; - stdin, .npy
                    when it starts with the .npy magic bytes)
  <scales>          scale codes, one uint8 per block (.npy uint8, or raw bytes)
  -o, --out FILE    the float32 values (.npy, or raw little-endian; - stdout)
  --elem F          element format: e2m1 (default), e2m3, e3m2, e4m3, e5m2, int8
  --scale F         scale format: e8m0 (default), ue4m3, ue5m3
  --block K         elements per block (default 32)
  --tensor-scale T  per-tensor FP32 scale (a number or 0x<bits>; default 1)
  --count N         write only the first N values (the length before padding)

The element count must need exactly as many blocks as there are scale codes. Codes outside
the format (e.g. 0x10 for e2m1, 0x80 for ue4m3) are an error: exit code 2, no output file.`;

function checkCodes(what: string, name: string, bits: number, codes: Uint8Array): void {
  const limit = 2 ** bits;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] >= limit) throw new UsageError(`${what} code 0x${codes[i].toString(16)} at index ${i} is not ${article(name)} ${name} code (0x00..0x${(limit - 1).toString(16)})`);
  }
}

export function checkElemCodes(f: ElementFormat, codes: Uint8Array): void {
  checkCodes('element', f.name, elementBits(f), codes);
}

export function checkScaleCodes(f: ScaleFormat, codes: Uint8Array): void {
  checkCodes('scale', f.name, scaleBits(f), codes);
}

export const dequantizeCommand: Command = {
  summary: 'dequantize MX element and scale codes to FP32 values',
  help: HELP,
  async run(args: string[]): Promise<void> {
    const { positional, values } = parseFlags(args, ['--out', '--elem', '--scale', '--block', '--tensor-scale', '--count'], [], { o: '--out' });
    if (positional.length !== 2) throw new UsageError(`expected <elems> and <scales>, got ${positional.length} file(s) (see mxrtl dequantize --help)`);
    const out = values.get('--out');
    if (out === undefined) throw new UsageError('-o <out> is required');
    if (positional[0] === '-' && positional[1] === '-') throw new UsageError('only one input can come from stdin (-)');
    const elem = elemFormat('--elem', values.get('--elem') ?? 'e2m1');
    const scale = scaleFormat('--scale', values.get('--scale') ?? 'e8m0');
    const k = blockSize(values.get('--block'));
    const ts = values.get('--tensor-scale');
    const tensorScale = ts === undefined ? undefined : tensorScaleValue('--tensor-scale', ts);
    const countText = values.get('--count');
    const codes = readCodes(positional[0]);
    const scales = readCodes(positional[1]);
    checkElemCodes(elem, codes);
    checkScaleCodes(scale, scales);
    const blocks = Math.ceil(codes.length / k);
    if (blocks !== scales.length) {
      throw new UsageError(`${codes.length} element codes in blocks of ${k} need ${blocks} scale codes, got ${scales.length}`);
    }
    const count = countText === undefined ? codes.length : parseIntArg('--count', countText, 0, codes.length);
    const deq = dequantize(elem, codes, scale, scales, k, tensorScale).subarray(0, count);
    await writeOutputs([{ path: out, bytes: float32File(out, deq, [count]) }], positional);
  },
};
