/** `mxrtl gen`: generate the Verilog units of one configuration and their manifest. */
import { ELEMENT_FORMATS, FLOAT_FORMATS, SCALE_FORMATS } from '../../src/index.js';
import { UsageError, parseFlags, parseIntArg } from '../cli-args.js';
import type { Command } from '../cli.js';
import { generateInto } from '../generate.js';
import { FAMILY_NAMES, MAX_BLOCK, MIN_BLOCK, PRESETS, configTag, makeConfig, type GenConfig } from '../units/config.js';
import { FAMILIES } from '../units/index.js';

const HELP = `usage: mxrtl gen [--preset NAME] [--elem FMT | --elem-a FMT --elem-b FMT] [--scale FMT]
                 [--block K] [--out-format fp32|bf16] [--units LIST] [--out DIR]

Generate the Verilog units for one MX configuration, one module per file, and manifest.json.

  --preset NAME      ${Object.entries(PRESETS).map(([n, p]) => `${n} (${p.about})`).join(',\n                     ')}
  --elem FMT         element format of both operands (default e2m1)
  --elem-a FMT       element format of operand A (overrides --elem)
  --elem-b FMT       element format of operand B (overrides --elem)
  --scale FMT        scale format (default e8m0)
  --block K          block size, ${MIN_BLOCK} .. ${MAX_BLOCK} (default 32)
  --out-format FMT   result format of the dequantizer and the dot product (default fp32)
  --units LIST       comma-separated unit families (default all): ${FAMILY_NAMES.map((f) => `${f} (${FAMILIES[f].summary})`).join(',\n                     ')}
  --out DIR          output folder (default rtl-out)

Element formats: ${Object.keys(ELEMENT_FORMATS).join(', ')}; scale formats: ${Object.keys(SCALE_FORMATS).join(', ')};
result formats: ${Object.keys(FLOAT_FORMATS).join(', ')}. Names are case-insensitive, and the microxcaling
(fp8_e4m3, fp4_e2m1, ...) and ml_dtypes / PyTorch names (float8_e4m3fn, float4_e2m1fn, float8_e8m0fnu, ...)
are accepted too. Flags given after a preset override it.

The same arguments always give byte-identical files. On bad arguments nothing is written.`;

const VALUED = ['--block', '--elem', '--elem-a', '--elem-b', '--scale', '--out-format', '--units', '--preset', '--out'];

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
  return makeConfig({
    elemA: v.get('--elem-a') ?? elem,
    elemB: v.get('--elem-b') ?? elem,
    scale: v.get('--scale') ?? preset.scale,
    out: v.get('--out-format') ?? 'fp32',
    block,
    units: v.has('--units') ? [v.get('--units') ?? ''] : undefined,
  });
}

export const genCommand: Command = {
  summary: 'generate Verilog units and manifest.json',
  help: HELP,
  async run(args) {
    const { positional, values } = parseFlags(args, VALUED, []);
    if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
    const config = configFromFlags(values);
    const out = values.get('--out') ?? 'rtl-out';
    const { files } = await generateInto(out, config);
    process.stdout.write(`mxrtl gen: ${configTag(config)} -> ${out}/ (${files.length} files: ${files.map((f) => f.name).join(', ')}; manifest.json)\n`);
  },
};
