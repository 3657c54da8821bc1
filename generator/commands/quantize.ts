/**
 * `mxrtl quantize`: FP32 values to MX blocks (scale codes and element codes) exactly as the
 * golden model defines them, or to the values the hardware's dequantizer would produce.
 */
import type { Command } from '../cli.js';
import { UsageError, parseFlags } from '../cli-args.js';
import { codesFile, float32File, readFloat32, writeOutputs, type OutputFile } from '../numerics-io/files.js';
import { progress, quantizeInPieces } from '../numerics-io/progress.js';
import {
  blockSize,
  elemFormat,
  int8Range,
  overflowMode,
  recipe,
  roundMode,
  scaleFormat,
  tensorScaleValue,
} from '../numerics-io/options.js';
import {
  autoTensorScale,
  dequantize,
  fp32Text,
  resolveQuantizeOptions,
  type QuantizeOptions,
  type ResolvedQuantizeOptions,
} from '../../src/index.js';

/** Options of the quantizer shared with `mxrtl dot`. */
export const QUANTIZE_VALUED = ['--elem', '--scale', '--block', '--recipe', '--round', '--overflow', '--int8-range', '--tensor-scale'];

export const QUANTIZE_OPTIONS_HELP = `  --elem F          element format: e2m1 (default), e2m3, e3m2, e4m3, e5m2, int8
  --scale F         scale format: e8m0 (default), ue4m3, ue5m3
  --block K         elements per block (default 32)
  --recipe R        scale recipe (default floor):
                      floor   OCP MX: 2^(floor(log2 amax) - emax_elem)
                      ceil    smallest power of two with amax / scale <= max_elem
                      nv      amax / max_elem rounded to the scale format (ue4m3, ue5m3)
                      4over6  nv with amax -> 6 or amax -> 4, lower squared error (e2m1; ue4m3, ue5m3)
                      mse     every scale code, lowest squared error
  --round M         element rounding: rne (ties to even, default) or away (ties away from zero)
  --guard           a scale that would be zero becomes the smallest positive scale
  --overflow O      scale above the format's range: clamp (default) or nan
  --int8-range R    int8 elements: symmetric (+-127/64, default) or full (down to -2)
  --tensor-scale T  per-tensor FP32 decode scale for nv, 4over6, mse: a number, 0x<bits>,
                    or auto (amax / (max_elem * max_scale), reported on stderr)`;

/** The quantizer options given on the command line (`tensor scale auto` resolved by the caller). */
export function quantizeOptionsFrom(values: Map<string, string>): { opts: QuantizeOptions; autoTensor: boolean } {
  const v = (k: string) => values.get(k);
  const ts = v('--tensor-scale');
  const opts: QuantizeOptions = {
    elem: elemFormat('--elem', v('--elem') ?? 'e2m1'),
    scale: scaleFormat('--scale', v('--scale') ?? 'e8m0'),
    blockSize: blockSize(v('--block')),
    recipe: recipe(v('--recipe') ?? 'floor'),
    round: roundMode(v('--round') ?? 'rne'),
    guard: values.has('--guard'),
    overflow: overflowMode(v('--overflow') ?? 'clamp'),
    int8Range: int8Range(v('--int8-range') ?? 'symmetric'),
    tensorScale: ts === undefined || ts.toLowerCase() === 'auto' ? undefined : tensorScaleValue('--tensor-scale', ts),
  };
  const autoTensor = ts !== undefined && ts.toLowerCase() === 'auto';
  checked(autoTensor ? { ...opts, tensorScale: 0x3f800000 } : opts);
  return { opts, autoTensor };
}

/** resolveQuantizeOptions with its RangeError turned into a usage error. */
export function checked(opts: QuantizeOptions): ResolvedQuantizeOptions {
  try {
    return resolveQuantizeOptions(opts);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

const HELP = `usage: mxrtl quantize <input> -o <out> [--scales-out <file>] [options]

Quantize FP32 values into MX blocks, integer-exact, as the golden model and the hardware do:
one scale code and k element codes per block of k values.

  <input>           float32 values: a .npy file (dtype <f4, any shape, taken in C order);
                    any other path is raw little-endian float32; - reads stdin (.npy when it
                    starts with the .npy magic bytes, else raw float32)
  -o, --out FILE    with --emit codes: the element codes, one uint8 per element (low bits);
                    with --emit values: the fake-quantized float32 values (what the hardware's
                    dequantizer produces), same count and .npy shape as the input
  --scales-out FILE the scale codes, one uint8 per block (required with --emit codes)
  --emit codes|values  what to write (default codes)
${QUANTIZE_OPTIONS_HELP}

Files ending in .npy are written as NumPy arrays (uint8 codes, float32 values), other paths
as raw bytes (float32 little-endian), - as stdout. The values are cut into blocks of K in
storage order; a trailing partial block is padded with zeros, so the element codes cover the
padded length (a whole number of blocks). Blocks holding NaN or Inf get the NaN scale and zero
element codes; an all-zero block gets scale code 0x00. Invalid input or options: a one-line
error, exit code 2, and no output file. A run of more than a second shows its progress on stderr
when stderr is a terminal (MXRTL_PROGRESS=1 shows it anywhere, MXRTL_PROGRESS=0 never).`;

export const quantizeCommand: Command = {
  summary: 'quantize FP32 values to MX scale and element codes (or fake-quantized values)',
  help: HELP,
  async run(args: string[]): Promise<void> {
    const { positional, values } = parseFlags(args, [...QUANTIZE_VALUED, '--out', '--scales-out', '--emit'], ['--guard'], { o: '--out' });
    if (positional.length !== 1) throw new UsageError(`expected one input file, got ${positional.length} (see mxrtl quantize --help)`);
    const out = values.get('--out');
    if (out === undefined) throw new UsageError('-o <out> is required');
    const emit = (values.get('--emit') ?? 'codes').toLowerCase();
    if (emit !== 'codes' && emit !== 'values') throw new UsageError(`--emit: unknown value '${values.get('--emit')}' (one of: codes, values)`);
    const scalesOut = values.get('--scales-out');
    if (emit === 'codes' && scalesOut === undefined) throw new UsageError('--scales-out <file> is required with --emit codes');
    const { opts: given, autoTensor } = quantizeOptionsFrom(values);
    const input = readFloat32(positional[0]);
    let opts = given;
    if (autoTensor) {
      const t = autoTensorScale(input.bits, given.elem, given.scale);
      opts = { ...given, tensorScale: t };
      process.stderr.write(`mxrtl quantize: tensor scale ${fp32Text(t, 'plain')}\n`);
    }
    const shown = progress('mxrtl quantize', 'values');
    const q = quantizeInPieces(input.bits, opts, shown);
    shown.end();
    const outputs: OutputFile[] = [];
    if (emit === 'codes') {
      outputs.push({ path: out, bytes: codesFile(out, q.elems) });
      outputs.push({ path: scalesOut as string, bytes: codesFile(scalesOut as string, q.scales) });
    } else {
      const deq = dequantize(opts.elem, q.elems, opts.scale, q.scales, opts.blockSize, opts.tensorScale);
      outputs.push({ path: out, bytes: float32File(out, deq.subarray(0, input.bits.length), input.shape) });
      if (scalesOut !== undefined) outputs.push({ path: scalesOut, bytes: codesFile(scalesOut, q.scales) });
    }
    await writeOutputs(outputs, positional);
  },
};
