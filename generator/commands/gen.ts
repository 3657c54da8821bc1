/** `mxrtl gen`: generate the Verilog units of one configuration and their manifest. */
import { ELEMENT_FORMATS, FLOAT_FORMATS, SCALE_FORMATS } from '../../src/index.js';
import { UsageError, parseFlags, parseIntArg } from '../cli-args.js';
import type { Command } from '../cli.js';
import { generateInto } from '../generate.js';
import { DEFAULT_MAC, DEFAULT_UNITS, FAMILY_NAMES, MAX_ARRAY_CELLS, MAX_ARRAY_SIDE, MAX_BLOCK, MAX_BLOCKS_LIMIT, MAX_MAC_STAGES, MAX_QUANT_STAGES, MIN_BLOCK, PRESETS, configTag, makeConfig, parseArray, unitFamilies, type GenConfig, type MacAccumulationName, type MacConfig } from '../units/config.js';
import { FAMILIES } from '../units/index.js';
import { fusedParams } from '../units/fused.js';
import { quantParams } from '../units/quant.js';
import { isFusedAccum } from '../units/mac.js';
import { E8M0 } from '../../src/formats/e8m0.js';

const HELP = `usage: mxrtl gen [--preset NAME] [--elem FMT | --elem-a FMT --elem-b FMT] [--scale FMT]
                 [--block K] [--out-format fp32|bf16] [--units LIST] [--out DIR]
                 [--array RxC] [--accum fp32|exact|blackwell|hopper] [--max-blocks N] [--stages S]
                 [--gpu blackwell|blackwell-f4|hopper] [--recipe floor|ceil|nv] [--guard]
                 [--round rne|away] [--in-format fp32|bf16] [--adders operator|ripple]

Generate the Verilog units for one MX configuration, one module per file, and manifest.json.

  --preset NAME      ${Object.entries(PRESETS).map(([n, p]) => `${n} (${p.about})`).join(',\n                     ')}
  --elem FMT         element format of both operands (default e2m1)
  --elem-a FMT       element format of operand A (overrides --elem)
  --elem-b FMT       element format of operand B (overrides --elem)
  --scale FMT        scale format (default e8m0)
  --block K          block size, ${MIN_BLOCK} .. ${MAX_BLOCK} (default 32)
  --out-format FMT   result format of the dequantizer, the dot product and the MAC array's read-out (default fp32)
  --units LIST       comma-separated unit families (default ${DEFAULT_UNITS.join(',')}): ${FAMILY_NAMES.map((f) => `${f} (${FAMILIES[f].summary})`).join(',\n                     ')}
  --out DIR          output folder (default rtl-out)
  --adders STYLE     how the adder trees of the dot product, the fused dot-add and the MAC array's
                     PEs (fp32, exact) add: operator
                     (default) writes a + b, so the synthesis tool picks the adder (FPGA carry chains);
                     ripple writes ripple-carry logic (fewer gates in gate-level flows such as Yosys
                     and ABC; more LUTs on FPGAs); the module names of those units end in _ripple

The MAC array (generated unless --units leaves mac_array out; clocked; FP32 or, with --out-format bf16, BF16 results):
  --array RxC        rows x columns of processing elements, each side 1 .. ${MAX_ARRAY_SIDE}, at most ${MAX_ARRAY_CELLS} (default ${DEFAULT_MAC.rows}x${DEFAULT_MAC.cols})
  --accum MODE       fp32: each block's dot product rounded to FP32, then added in FP32 (default ${DEFAULT_MAC.accum});
                     exact: the blocks' exact values added in a fixed-point accumulator, rounded once at read-out;
                     blackwell: each beat one GPU fused dot-add (kind::mxf8f6f4: k = 32, e8m0, FP32, S = 0),
                     D = C + block with C the accumulator (+0 on first); hopper: the same with Hopper FP8
                     wgmma (k = 32, e4m3 / e5m2; the e8m0 scales enter the exponents, 127 = the GPU's)
  --max-blocks N     the longest accumulation, in blocks (default ${DEFAULT_MAC.maxBlocks}; sizes the exact accumulator;
                     the bench streams 1 .. N)
  --stages S         register stages, 0 .. ${MAX_MAC_STAGES} (default 0): 1 registers each block's dot product (or exact
                     value) before the accumulation; the latency is 1 + S cycles (also the quantizer's, below)

The GPU-compatible fused dot-add (with --units ...,fused; combinational):
  --gpu KIND         blackwell: NVIDIA Blackwell kind::mxf8f6f4 (k = 32, e8m0 scales; elements e4m3, e5m2,
                     e3m2, e2m3, e2m1), default; blackwell-f4: kind::mxf4nvf4 (k = 64, e2m1, e8m0 scales per
                     32 or ue4m3 per 16: --block 64 --elem e2m1 --scale e8m0|ue4m3); hopper: Hopper FP8 wgmma
                     (k = 32, e4m3 / e5m2, no scale). D = C + the products (blackwell-f4: the exact sums of 16),
                     aligned to the largest exponent and truncated, the sum truncated to FP32 (docs/NUMERICS.md 7.1)

The quantizer (with --units ...,quant; --elem for its elements, --scale its scales):
  --recipe R         floor (default): scale 2^(floor(log2 amax) - emax_elem), as OCP MX; ceil: the smallest
                     power of two with amax / scale <= max_elem; nv (ue4m3 / ue5m3 scales, as NVFP4):
                     amax / max_elem rounded to the scale format (the names of mxrtl quantize --recipe)
  --guard            a scale that would be zero (ue4m3 / ue5m3) becomes the smallest subnormal scale
  --round M          element rounding: rne (to nearest, ties to even; default) or away (ties away)
  --in-format F      the values quantized: fp32 (default) or bf16 (each BF16 value exactly its FP32 value)
  --stages S         register stages, 0 .. ${MAX_QUANT_STAGES} (default 0, combinational): 1 registers the block's scale
                     and values before the lanes, 2 also the block maximum; the outputs of the values
                     clocked in at a rising edge come out S - 1 edges later (a latency of S cycles)

Element formats: ${Object.keys(ELEMENT_FORMATS).join(', ')}; scale formats: ${Object.keys(SCALE_FORMATS).join(', ')};
result formats: ${Object.keys(FLOAT_FORMATS).join(', ')}. Names are case-insensitive, and the microxcaling
(fp8_e4m3, fp4_e2m1, ...) and ml_dtypes / PyTorch names (float8_e4m3fn, float4_e2m1fn, float8_e8m0fnu, ...)
are accepted too. Flags given after a preset override it.

The same arguments always give byte-identical files. On bad arguments nothing is written.`;

const VALUED = ['--block', '--elem', '--elem-a', '--elem-b', '--scale', '--out-format', '--units', '--preset', '--out', '--array', '--accum', '--max-blocks', '--stages', '--gpu', '--recipe', '--round', '--in-format', '--adders'];
const MAC_FLAGS = ['--array', '--accum', '--max-blocks'];

/** The configuration a gen command line asks for (shared with make regress and the benchmarks). */
export function configFromFlags(v: ReadonlyMap<string, string>): GenConfig {
  const presetName = v.get('--preset');
  let preset: { elem: string; scale: string; block: number } = { elem: 'e2m1', scale: 'e8m0', block: 32 };
  if (presetName !== undefined) {
    const p = PRESETS[presetName.toLowerCase()];
    if (!p) throw new UsageError(`unknown preset '${presetName}' (one of: ${Object.keys(PRESETS).join(', ')})`);
    preset = p;
  }
  const elem = v.get('--elem') ?? preset.elem;
  const block = v.has('--block') ? parseIntArg('--block', v.get('--block'), MIN_BLOCK, MAX_BLOCK) : preset.block;
  const mac: { -readonly [K in keyof MacConfig]?: MacConfig[K] } = {
    ...(v.has('--array') ? parseArray(v.get('--array') ?? '') : {}),
    ...(v.has('--accum') ? { accum: (v.get('--accum') ?? '').toLowerCase() as MacAccumulationName } : {}),
    ...(v.has('--max-blocks') ? { maxBlocks: parseIntArg('--max-blocks', v.get('--max-blocks'), 1, MAX_BLOCKS_LIMIT) } : {}),
  };
  // --stages pipelines each clocked unit asked for: the MAC array and the quantizer
  const units = v.has('--units') ? unitFamilies(v.get('--units') ?? '') : DEFAULT_UNITS;
  const stages = v.has('--stages') ? parseIntArg('--stages', v.get('--stages'), 0, Math.max(MAX_MAC_STAGES, MAX_QUANT_STAGES)) : undefined;
  if (stages !== undefined && !units.includes('mac_array') && !units.includes('quant')) throw new UsageError('--stages pipelines the MAC array and the quantizer, which --units leaves out: add mac_array or quant to --units');
  if (stages !== undefined && units.includes('mac_array')) mac.stages = stages;
  const c = makeConfig({
    elemA: v.get('--elem-a') ?? elem,
    elemB: v.get('--elem-b') ?? elem,
    scale: v.get('--scale') ?? preset.scale,
    out: v.get('--out-format') ?? 'fp32',
    block,
    units: v.has('--units') ? [v.get('--units') ?? ''] : undefined,
    mac,
    gpu: v.get('--gpu'),
    quant: {
      ...(v.has('--recipe') ? { recipe: v.get('--recipe') ?? '' } : {}),
      ...(v.has('--round') ? { round: (v.get('--round') ?? '').toLowerCase() as 'rne' | 'away' } : {}),
      ...(v.has('--in-format') ? { in: (v.get('--in-format') ?? '').toLowerCase() as 'fp32' | 'bf16' } : {}),
      ...(v.has('--guard') ? { guard: true } : {}),
      ...(stages !== undefined && units.includes('quant') ? { stages } : {}),
    },
    adders: v.get('--adders'),
  });
  const summed = c.units.includes('dot') || c.units.includes('fused') || (c.units.includes('mac_array') && !isFusedAccum(c.mac.accum));
  if (v.has('--adders') && !summed) {
    throw new UsageError(`--adders shapes the adder trees of the dot product, the fused dot-add and the MAC array's PEs (fp32, exact), which ${c.units.includes('mac_array') ? `--accum ${c.mac.accum} and ` : ''}--units leave${c.units.includes('mac_array') ? '' : 's'} out: add dot to --units`);
  }
  const stray = MAC_FLAGS.find((f) => v.has(f));
  if (stray && !c.units.includes('mac_array')) throw new UsageError(`${stray} shapes the MAC array, which --units leaves out: add mac_array to --units`);
  if (v.has('--gpu') && !c.units.includes('fused')) throw new UsageError('--gpu chooses the fused unit\'s instruction: add fused to --units');
  if (c.units.includes('fused')) fusedParams(c.gpu, c);
  const quantFlag = ['--recipe', '--round', '--in-format', '--guard'].find((f) => v.has(f));
  if (quantFlag && !c.units.includes('quant')) throw new UsageError(`${quantFlag} shapes the quantizer: add quant to --units`);
  if (c.units.includes('quant')) quantParams(c);
  const accum = c.mac.accum;
  if (c.units.includes('mac_array') && isFusedAccum(accum)) {
    if (c.mac.stages > 0) throw new UsageError(`--accum ${accum}: the fused dot-add is the accumulation loop itself; no register stage is generated for it (--stages 0)`);
    if (c.out.name !== 'fp32') throw new UsageError(`--accum ${accum}: the GPU instruction gives FP32 results (--out-format fp32)`);
    try {
      fusedParams(accum, c);
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(e.message.replace(/^--gpu [a-z0-9-]+/, `--accum ${accum}`));
      throw e;
    }
    if (c.scale !== E8M0) throw new UsageError(`--accum ${accum}: the array's scales enter the exponents as E8M0 codes (127 for a Hopper instruction itself): --scale e8m0, got ${c.scale.name}`);
  }
  return c;
}

export const genCommand: Command = {
  summary: 'generate Verilog units and manifest.json',
  help: HELP,
  async run(args) {
    const { positional, values } = parseFlags(args, VALUED, ['--guard']);
    if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
    const config = configFromFlags(values);
    const out = values.get('--out') ?? 'rtl-out';
    const { files } = await generateInto(out, config);
    process.stdout.write(`mxrtl gen: ${configTag(config)} -> ${out}/ (${files.length} files: ${files.map((f) => f.name).join(', ')}; manifest.json)\n`);
  },
};
