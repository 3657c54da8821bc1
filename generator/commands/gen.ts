/** `mxrtl gen`: generate the Verilog units of one configuration and their manifest. */
import { UsageError, parseFlags, parseIntArg } from '../cli-args.js';
import type { Command } from '../cli.js';
import { generateInto } from '../generate.js';
import { ELEM_FORMATS, MAX_BLOCK, MIN_BLOCK, SCALE_FORMATS, configTag, makeConfig } from '../units/config.js';

const HELP = `usage: mxrtl gen [--block K] [--elem FMT] [--scale FMT] [--out DIR]

Generate the Verilog units for one MX configuration, one module per file, and manifest.json.

  --block K    block size, ${MIN_BLOCK} .. ${MAX_BLOCK} (default 32)
  --elem FMT   element format: ${ELEM_FORMATS.join(', ')} (default e2m1)
  --scale FMT  scale format: ${SCALE_FORMATS.join(', ')} (default e8m0)
  --out DIR    output folder (default rtl-out)

The same arguments always give byte-identical files. On bad arguments nothing is written.`;

export const genCommand: Command = {
  summary: 'generate Verilog units and manifest.json',
  help: HELP,
  async run(args) {
    const { positional, values: v } = parseFlags(args, ['--block', '--elem', '--scale', '--out'], []);
    if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
    const values = {
      block: v.get('--block') ?? '32',
      elem: v.get('--elem') ?? 'e2m1',
      scale: v.get('--scale') ?? 'e8m0',
      out: v.get('--out') ?? 'rtl-out',
    };
    const block = parseIntArg('--block', values.block, MIN_BLOCK, MAX_BLOCK);
    const config = makeConfig(values.elem, values.scale, block);
    const { rendered } = await generateInto(values.out, config);
    process.stdout.write(`mxrtl gen: ${configTag(config)} -> ${values.out}/ (${rendered.map((r) => r.file).join(', ')}, manifest.json)\n`);
  },
};
