/**
 * `node dist/sim/run.js`: the Verilator bench of a generated configuration.
 * Exit codes: 0 every vector matched; 1 mismatches (or an internal error); 2 bad arguments,
 * manifest or vector file; 3 a missing or failing tool (Verilator, the C++ build, the harness).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parserMessage } from '../generator/cli-args.js';
import { ToolError } from './build.js';
import { defaultBuildRoot, defaultOutDir } from './paths.js';
import { parseSeed } from './prng.js';
import { dotBench } from './units/dot.js';
import { DEFAULT_BATCH, InputError, runSim, type ProgressSink } from './runner.js';
import { VectorFileError } from './vectors.js';
import { ICARUS_DEFAULT_VECTORS } from './icarus.js';

export const DEFAULT_VECTORS = 1_000_000;

export const HELP = `usage: mxrtl sim [--rtl DIR] [--vectors N] [--seed S] [--replay FILE] [--units NAMES] [--simulator verilator|icarus] [--build-dir DIR] [--out-dir DIR] [--batch N]
       (also: make sim, node dist/sim/run.js)

Build every unit listed in DIR/manifest.json with Verilator and check it bit-exactly against the
golden model: the multiplier on every code pair, the dequantizer on every element code x scale on
every lane plus random blocks, the dot product on directed corner classes plus N random block pairs.

  --rtl DIR        generated configuration (default rtl-out)
  --vectors N      random dot-product vectors (default ${DEFAULT_VECTORS.toLocaleString('en-US')})
  --seed S         PRNG seed, decimal or 0x hex (default: a fresh one, printed)
  --replay FILE    run exactly the vectors of an mxrtl-vectors/1 file on its unit
  --units NAMES    comma-separated unit families (mul, dequant, dot) or top modules to run (default: all)
  --simulator S    verilator (default: harnesses streamed in bulk) or icarus (Icarus Verilog running
                   the self-checking testbench of mxrtl export-tb on the same vectors; slower, so
                   --vectors defaults to ${ICARUS_DEFAULT_VECTORS.toLocaleString('en-US')} there)
  --build-dir DIR  harness cache (default sim/build)
  --out-dir DIR    where the vectors of a failing run are saved for --replay (default sim/out)
  --batch N        vectors per batch streamed to the harness (default ${DEFAULT_BATCH})

Exit codes: 0 pass, 1 mismatches (or a unit not checked, or nothing checked), 2 bad arguments or input
files, 3 missing or failing tools.`;

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** stderr is a terminal: progress is redrawn in place */
  readonly tty: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  tty: process.stderr.isTTY === true,
};

function progressSink(io: CliIo): ProgressSink {
  let shown = 0;
  return {
    update(text) {
      if (io.tty) {
        io.err('\r' + text.padEnd(shown));
        shown = text.length;
      } else io.err(text + '\n');
    },
    done() {
      if (io.tty && shown > 0) io.err('\r' + ' '.repeat(shown) + '\r');
      shown = 0;
    },
  };
}

function wholeNumber(flag: string, text: string, max: number): number {
  const t = text.replace(/_/g, '');
  if (!/^[0-9]+$/.test(t) || Number(t) > max) throw new InputError(`${flag} needs a whole number from 0 to ${max.toLocaleString('en-US')}, got '${text}'`);
  return Number(t);
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const fail = (code: number, msg: string): number => {
    io.err(`mxrtl sim: error: ${msg}\n`);
    return code;
  };
  try {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        strict: true,
        allowPositionals: false,
        options: {
          rtl: { type: 'string', default: 'rtl-out' },
          vectors: { type: 'string' },
          seed: { type: 'string' },
          replay: { type: 'string' },
          units: { type: 'string' },
          'build-dir': { type: 'string' },
          simulator: { type: 'string' },
          'out-dir': { type: 'string' },
          batch: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      }));
    } catch (e) {
      throw new InputError(parserMessage(e, argv, []));
    }
    if (values.help) {
      io.out(`${HELP}\n\nDirected dot-product classes (counted in the summary):\n${(dotBench.legend?.() ?? []).map((l) => `  ${l}`).join('\n')}\n`);
      return 0;
    }
    const simulator = values.simulator ?? 'verilator';
    if (simulator !== 'verilator' && simulator !== 'icarus') throw new InputError(`--simulator must be verilator or icarus, got '${simulator}'`);
    const vectors = values.vectors === undefined ? (simulator === 'icarus' ? ICARUS_DEFAULT_VECTORS : DEFAULT_VECTORS) : wholeNumber('--vectors', values.vectors, 1e10);
    let seed: number;
    if (values.seed === undefined) seed = randomBytes(4).readUInt32LE(0);
    else {
      const s = parseSeed(values.seed);
      if (s === null) throw new InputError(`--seed needs a number from 0 to 0xffffffff (decimal or 0x hex), got '${values.seed}'`);
      seed = s;
    }
    const batchSize = values.batch === undefined ? DEFAULT_BATCH : Math.max(1, wholeNumber('--batch', values.batch, 1 << 22));
    const units = values.units === undefined ? undefined : values.units.split(',').map((u) => u.trim()).filter((u) => u !== '');
    if (values.replay !== undefined && units !== undefined) throw new InputError('--replay runs the unit its file names; --units does not apply');
    const result = await runSim({
      rtl: values.rtl ?? 'rtl-out',
      vectors,
      seed,
      replay: values.replay,
      units,
      buildRoot: values['build-dir'] ?? defaultBuildRoot(),
      outDir: values['out-dir'] ?? defaultOutDir(),
      batchSize,
      simulator,
      env: io.env,
      log: (line) => io.out(line + '\n'),
      progress: progressSink(io),
    });
    return result.passed ? 0 : 1;
  } catch (e) {
    if (e instanceof InputError || e instanceof VectorFileError) return fail(2, e.message);
    if (e instanceof ToolError) return fail(3, e.message);
    const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
    return fail(1, `internal error: ${msg}`);
  }
}
