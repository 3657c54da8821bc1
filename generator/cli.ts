/**
 * The `mxrtl` command line: one binary, one subcommand per job.
 * Bad usage prints one line to stderr and exits with 2; an internal failure exits with 1.
 */
import { UsageError } from './cli-args.js';
import { GENERATOR_VERSION } from './version.js';

export interface Command {
  readonly summary: string;
  /** Full help text printed by `mxrtl <command> --help`. */
  readonly help: string;
  /** runs the command; a number is its exit code (0 when nothing is returned) */
  run(args: string[]): Promise<void | number> | void | number;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  gen: async () => (await import('./commands/gen.js')).genCommand,
  quantize: async () => (await import('./commands/quantize.js')).quantizeCommand,
  dequantize: async () => (await import('./commands/dequantize.js')).dequantizeCommand,
  dot: async () => (await import('./commands/dot.js')).dotCommand,
  sim: async () => {
    const { main, HELP } = await import('../sim/cli.js');
    return { summary: 'simulate a generated folder with Verilator against the golden model (make sim)', help: HELP, run: (args) => main(args) };
  },
  formal: async () => {
    const { main, HELP } = await import('../formal/cli.js');
    return { summary: 'prove a generated folder equal to the golden model with Yosys (make formal)', help: HELP, run: (args) => main(args) };
  },
  regress: async () => (await import('./commands/regress.js')).regressCommand,
  explore: async () => (await import('./commands/explore.js')).exploreCommand,
  mutants: async () => (await import('./commands/mutants.js')).mutantsCommand,
  'export-tb': async () => (await import('./commands/export-tb.js')).exportTbCommand,
};

async function usage(): Promise<string> {
  const rows = await Promise.all(Object.entries(COMMANDS).map(async ([c, load]) => `  ${c.padEnd(11)} ${(await load()).summary}`));
  return ['usage: mxrtl <command> [options]', '       mxrtl --version', '', 'commands:', ...rows, '', "Run 'mxrtl <command> --help' for the options of one command."].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') {
    process.stdout.write((await usage()) + '\n');
    return 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`mxrtl ${GENERATOR_VERSION}\n`);
    return 0;
  }
  if (name === undefined) {
    process.stderr.write((await usage()) + '\n');
    return 2;
  }
  const load = COMMANDS[name];
  try {
    if (!load) throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    const cmd = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(cmd.help + '\n');
      return 0;
    }
    const code = await cmd.run(rest);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`mxrtl ${name ?? ''}: error: ${e.message}\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`mxrtl ${name}: internal error: ${msg}\n`);
    return 1;
  }
}
