/** `mxrtl gen`: generate the Verilog units of one configuration and their manifest. */
import { parseArgs } from 'node:util';
import { UsageError, parseIntArg } from '../cli-errors.js';
import type { Command } from '../cli.js';
import { buildManifest, renderUnits } from '../manifest.js';
import { ELEM_FORMATS, MAX_BLOCK, MIN_BLOCK, SCALE_FORMATS, configTag, makeConfig } from '../units/config.js';
import { generateUnits } from '../units/index.js';
import { writeOutput } from '../write-out.js';

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
    let values;
    try {
      ({ values } = parseArgs({
        args,
        strict: true,
        allowPositionals: false,
        options: {
          block: { type: 'string', default: '32' },
          elem: { type: 'string', default: 'e2m1' },
          scale: { type: 'string', default: 'e8m0' },
          out: { type: 'string', default: 'rtl-out' },
        },
      }));
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message.split('\n')[0] : String(e));
    }
    const block = parseIntArg('--block', values.block, MIN_BLOCK, MAX_BLOCK);
    const config = makeConfig(values.elem, values.scale, block);
    const command = `mxrtl gen --block ${block} --elem ${config.elem} --scale ${config.scale}`;
    const rendered = renderUnits(generateUnits(config, command));
    const manifest = buildManifest(config, command, rendered);
    await writeOutput(values.out, rendered.map((r) => ({ name: r.file, text: r.text })), JSON.stringify(manifest, null, 2) + '\n');
    process.stdout.write(`mxrtl gen: ${configTag(config)} -> ${values.out}/ (${rendered.map((r) => r.file).join(', ')}, manifest.json)\n`);
  },
};
