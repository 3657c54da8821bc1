/**
 * `mxrtl dot`: MX dot products exactly as the golden model defines them, from FP32 vectors
 * (quantized first, as `mxrtl quantize` does) or from element and scale codes.
 */
import type { Command } from '../cli.js';
import { UsageError, parseFlags, parseIntArg } from '../cli-args.js';
import { float32File, readCodes, readFloat32, writeOutputs } from '../numerics-io/files.js';
import { progress, quantizeInPieces } from '../numerics-io/progress.js';
import { blockSize, elemFormat, fp32Value, scaleFormat, tensorScaleValue } from '../numerics-io/options.js';
import { checkElemCodes, checkScaleCodes } from './dequantize.js';
import { QUANTIZE_OPTIONS_HELP, QUANTIZE_VALUED, quantizeOptionsFrom } from './quantize.js';
import {
  ACCUMULATIONS,
  FUSED_KINDS,
  autoTensorScale,
  dotMx,
  fp32Text,
  type Accumulation,
  type MxOperand,
  type QuantizeOptions,
} from '../../src/index.js';

const HELP = `usage: mxrtl dot <a> <b> [options]
       mxrtl dot --codes <a-elems> <a-scales> <b-elems> <b-scales> [options]

MX dot products C = sum over blocks of scaleA * scaleB * sum_i(A_i * B_i), as the hardware
computes them. With two float32 inputs (.npy or raw; - for stdin) both are first quantized
exactly as 'mxrtl quantize' does; with --codes the operands are element codes (one uint8 each)
and scale codes (one uint8 per block).

  -o, --out FILE    write the results as float32 (.npy, or raw little-endian; - stdout);
                    without -o each result is printed as a line: FP32 bits and value
  --length N        elements per dot product (default: the whole vector); the inputs hold a
                    whole number of dot products, each quantized and padded with zeros to a
                    whole number of blocks on its own (with --codes N is a multiple of K)
  --accum M         exact: one rounding to FP32 at the end (default);
                    fp32: each block's result rounded to FP32, then summed in FP32 in order;
                    blackwell, blackwell-f4, hopper: as NVIDIA tensor cores (kind::mxf8f6f4,
                    kind::mxf4nvf4, Hopper FP8 wgmma): one fused dot-add per instruction of 32 (64)
                    elements, terms aligned to the largest exponent and truncated, the result
                    truncated to FP32 (hopper: 13 fraction bits); NaN is 0x7fffffff
  --c C             an addend: every result is C + the dot product (a number or 0x<FP32 bits>)
  --c-file FILE     one addend per dot product (float32, .npy or raw; - for stdin)
  --elem-a F, --elem-b F      element format of one operand (--elem sets both)
  --scale-a F, --scale-b F    scale format of one operand (--scale sets both)
  --tensor-scale-a T, --tensor-scale-b T  per-tensor scale of one operand (--tensor-scale sets both)
${QUANTIZE_OPTIONS_HELP}

A NaN anywhere gives the quiet NaN 0x7fc00000 (0x7fffffff in the GPU modes); an exact zero result
in exact mode is +0. The GPU modes take the shapes the instructions have: blackwell 32 elements
of e4m3, e5m2, e3m2, e2m3, e2m1 per e8m0 scale; blackwell-f4 e2m1 in runs of 64 with e8m0 scales
per 32 or ue4m3 per 16; hopper e4m3 / e5m2 with e8m0 scales per 32 (scale 2^0 is the instruction).
Invalid input or options: a one-line error, exit code 2, and no output file. A run of more than
a second shows its progress on stderr when stderr is a terminal (MXRTL_PROGRESS=1 shows it
anywhere, MXRTL_PROGRESS=0 never).`;

const VALUED = [
  ...QUANTIZE_VALUED,
  '--out',
  '--c',
  '--c-file',
  '--length',
  '--accum',
  '--elem-a',
  '--elem-b',
  '--scale-a',
  '--scale-b',
  '--tensor-scale-a',
  '--tensor-scale-b',
];

interface Side {
  opts: QuantizeOptions;
  auto: boolean;
}

/** The options of operand a or b: the shared options with the per-operand ones on top. */
function sideValues(values: Map<string, string>, s: 'a' | 'b'): Map<string, string> {
  const v = new Map(values);
  for (const name of ['--elem', '--scale', '--tensor-scale']) {
    const own = values.get(`${name}-${s}`);
    if (own !== undefined) v.set(name, own);
  }
  return v;
}

/** The quantizer options of one operand (float32 inputs). */
function side(values: Map<string, string>, s: 'a' | 'b'): Side {
  const { opts, autoTensor } = quantizeOptionsFrom(sideValues(values, s));
  return { opts, auto: autoTensor };
}

/** The formats and tensor scale of one operand given as codes. */
function codeSide(values: Map<string, string>, s: 'a' | 'b'): Pick<MxOperand, 'elem' | 'scale' | 'tensorScale'> {
  const v = sideValues(values, s);
  const ts = v.get('--tensor-scale');
  if (ts !== undefined && ts.toLowerCase() === 'auto') throw new UsageError('--tensor-scale auto needs float32 inputs, not --codes');
  return {
    elem: elemFormat('--elem', v.get('--elem') ?? 'e2m1'),
    scale: scaleFormat('--scale', v.get('--scale') ?? 'e8m0'),
    tensorScale: ts === undefined ? undefined : tensorScaleValue('--tensor-scale', ts),
  };
}

/** Options that only the quantizer of float32 inputs uses. */
const QUANTIZER_ONLY = ['--recipe', '--round', '--guard', '--overflow', '--int8-range'];

export const dotCommand: Command = {
  summary: 'MX dot products of FP32 vectors or of element and scale codes',
  help: HELP,
  async run(args: string[]): Promise<void> {
    const { positional, values } = parseFlags(args, VALUED, ['--guard', '--codes'], { o: '--out' });
    const fromCodes = values.has('--codes');
    if (positional.length !== (fromCodes ? 4 : 2)) {
      throw new UsageError(`expected ${fromCodes ? 4 : 2} input files, got ${positional.length} (see mxrtl dot --help)`);
    }
    if (positional.filter((p) => p === '-').length > 1) throw new UsageError('only one input can come from stdin (-)');
    const accumText = (values.get('--accum') ?? 'exact').toLowerCase();
    if (!(ACCUMULATIONS as readonly string[]).includes(accumText)) throw new UsageError(`--accum: unknown value '${values.get('--accum')}' (one of: ${ACCUMULATIONS.join(', ')})`);
    const accum = accumText as Accumulation;
    if (values.has('--c') && values.has('--c-file')) throw new UsageError('give --c or --c-file, not both');
    const cOne = values.has('--c') ? fp32Value('--c', values.get('--c') as string) : undefined;
    const cFile = values.get('--c-file');
    const cAll = cFile === undefined ? undefined : readFloat32(cFile).bits;
    const addend = (r: number): number | undefined => (cAll ? cAll[r] : cOne);
    const checkAddends = (count: number): void => {
      if (cAll && cAll.length !== count) throw new UsageError(`--c-file: ${cAll.length} addends for ${count} dot products`);
    };
    const gpu = (FUSED_KINDS as readonly string[]).includes(accum);
    const dot = (a: MxOperand, b: MxOperand, r: number): number => {
      try {
        return dotMx(a, b, k, accum, addend(r));
      } catch (e) {
        if (e instanceof RangeError) throw new UsageError(`--accum ${accum}: ${e.message.replace(new RegExp(`^${accum}: `), '')}`);
        throw e;
      }
    };
    const k = blockSize(values.get('--block'));
    const lengthText = values.get('--length');
    const results: number[] = [];
    if (fromCodes) {
      const stray = QUANTIZER_ONLY.find((o) => values.has(o));
      if (stray) throw new UsageError(`${stray} applies to float32 inputs, not --codes`);
      const ca = codeSide(values, 'a');
      const cb = codeSide(values, 'b');
      const [ae, as, be, bs] = positional.map(readCodes);
      checkElemCodes(ca.elem, ae);
      checkElemCodes(cb.elem, be);
      checkScaleCodes(ca.scale, as);
      checkScaleCodes(cb.scale, bs);
      if (ae.length !== be.length) throw new UsageError(`the operands differ in length: ${ae.length} and ${be.length} element codes`);
      const n = ae.length;
      const len = lengthText === undefined ? n : parseIntArg('--length', lengthText, 1, Math.max(1, n));
      if (len % k !== 0) throw new UsageError(`--length ${len} is not a multiple of the block size ${k}`);
      if (n % len !== 0) throw new UsageError(`${n} element codes are not a whole number of dot products of length ${len}`);
      const blocks = n / k;
      if (as.length !== blocks || bs.length !== blocks) throw new UsageError(`${n} element codes in blocks of ${k} need ${blocks} scale codes per operand, got ${as.length} and ${bs.length}`);
      const per = len / k;
      checkAddends(n / len);
      for (let r = 0; r * len < n; r++) {
        const opA: MxOperand = { ...ca, codes: ae.subarray(r * len, (r + 1) * len), scales: as.subarray(r * per, (r + 1) * per) };
        const opB: MxOperand = { ...cb, codes: be.subarray(r * len, (r + 1) * len), scales: bs.subarray(r * per, (r + 1) * per) };
        results.push(dot(opA, opB, r));
      }
    } else {
      const a = side(values, 'a');
      const b = side(values, 'b');
      const fa = readFloat32(positional[0]);
      const fb = readFloat32(positional[1]);
      if (fa.bits.length !== fb.bits.length) throw new UsageError(`the operands differ in length: ${fa.bits.length} and ${fb.bits.length} values`);
      const n = fa.bits.length;
      const len = lengthText === undefined ? n : parseIntArg('--length', lengthText, 1, Math.max(1, n));
      if (n % len !== 0 && n > 0) throw new UsageError(`${n} values are not a whole number of dot products of length ${len}`);
      const oa = a.auto ? { ...a.opts, tensorScale: autoTensorScale(fa.bits, a.opts.elem, a.opts.scale) } : a.opts;
      const ob = b.auto ? { ...b.opts, tensorScale: autoTensorScale(fb.bits, b.opts.elem, b.opts.scale) } : b.opts;
      if (a.auto) process.stderr.write(`mxrtl dot: tensor scale a ${fp32Text(oa.tensorScale as number, 'plain')}\n`);
      if (b.auto) process.stderr.write(`mxrtl dot: tensor scale b ${fp32Text(ob.tensorScale as number, 'plain')}\n`);
      const shown = progress('mxrtl dot', 'values per operand');
      if (gpu && (oa.tensorScale !== undefined || ob.tensorScale !== undefined)) throw new UsageError(`--accum ${accum} takes no tensor scale`);
      checkAddends(n > 0 ? n / len : 0);
      for (let r = 0; n > 0 && r * len < n; r++) {
        const qa = quantizeInPieces(fa.bits.subarray(r * len, (r + 1) * len), oa);
        const qb = quantizeInPieces(fb.bits.subarray(r * len, (r + 1) * len), ob, shown, r * len, n);
        results.push(dot({ ...operand(oa), codes: qa.elems, scales: qa.scales }, { ...operand(ob), codes: qb.elems, scales: qb.scales }, r));
      }
      shown.end();
    }
    const out = values.get('--out');
    if (out === undefined) {
      process.stdout.write(results.map((r) => fp32Text(r, 'plain') + '\n').join(''));
      return;
    }
    await writeOutputs([{ path: out, bytes: float32File(out, Uint32Array.from(results), [results.length]) }], positional);
  },
};

function operand(o: QuantizeOptions): Pick<MxOperand, 'elem' | 'scale' | 'tensorScale'> {
  return { elem: o.elem, scale: o.scale, tensorScale: o.tensorScale };
}
