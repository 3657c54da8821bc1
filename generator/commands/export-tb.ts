/**
 * `mxrtl export-tb`: self-checking Verilog testbenches and golden vector files for every unit of a
 * generated folder, for the user's own simulator (sim/testbench.ts writes them).
 */
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ManifestError, readManifest } from '../manifest.js';
import { UsageError, parseFlags, parseIntArg } from '../cli-args.js';
import type { Command } from '../cli.js';
import { parseSeed } from '../../sim/prng.js';
import { testbenchFiles } from '../../sim/testbench.js';

const DEFAULT_VECTORS = 10_000;
const DEFAULT_SEED = 0x7b5eed;

const HELP = `usage: mxrtl export-tb [--rtl DIR] [--out DIR] [--vectors N] [--seed S]

Write, for every unit of a generated folder, a self-checking testbench tb_<top>.v (plain
Verilog-2005) and its golden vectors <top>.in.hex / <top>.out.hex: the first N vectors of the
bench's own plan (exhaustive tables, directed corners, random), with the golden model's outputs.
It prints the command that runs each one in Icarus, from the output folder, e.g.
  (cd tb-out && iverilog -o tb_mx_mul_e2m1 ../rtl-out/mx_mul_e2m1.v tb_mx_mul_e2m1.v && vvp -n tb_mx_mul_e2m1)
A testbench prints "PASS <n> vectors", or its first mismatches and "FAIL <m> of <n> vectors differ".

  --rtl DIR      generated configuration (default rtl-out)
  --out DIR      where the testbenches go (default tb-out); a folder holding other files is refused
  --vectors N    vectors per unit at most (default ${DEFAULT_VECTORS.toLocaleString('en-US')})
  --seed S       seed of the random vectors (default 0x${DEFAULT_SEED.toString(16)})

Exit codes: 0 written; 2 bad arguments, manifest or output folder.`;

/** Names this command writes (anything else in the output folder makes it refuse). */
function ours(name: string): boolean {
  return /^tb_[A-Za-z0-9_$]+\.v$/.test(name) || /^[A-Za-z0-9_$]+\.(in|out)\.hex$/.test(name);
}

export const exportTbCommand: Command = {
  summary: 'write self-checking Verilog testbenches and golden vectors for a generated folder',
  help: HELP,
  async run(args) {
    const { positional, values } = parseFlags(args, ['--rtl', '--out', '--vectors', '--seed'], []);
    if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
    const rtl = values.get('--rtl') ?? 'rtl-out';
    const out = values.get('--out') ?? 'tb-out';
    const vectors = parseIntArg('--vectors', values.get('--vectors') ?? String(DEFAULT_VECTORS), 1, 10_000_000);
    const seedText = values.get('--seed');
    const seed = seedText === undefined ? DEFAULT_SEED : parseSeed(seedText);
    if (seed === null) throw new UsageError(`--seed needs a number (decimal or 0x hex, 32 bits), got '${seedText}'`);
    let manifest;
    try {
      manifest = (await readManifest(rtl)).manifest;
    } catch (e) {
      if (e instanceof ManifestError) throw new UsageError(e.message);
      throw e;
    }
    let existing: string[] = [];
    try {
      existing = await readdir(out);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`${out}: cannot read (${(e as NodeJS.ErrnoException).code})`);
    }
    const foreign = existing.filter((n) => !ours(n) && !n.startsWith('.mxrtl-tb-'));
    if (foreign.length > 0) throw new UsageError(`${out} holds files mxrtl export-tb did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}); choose another --out`);
    const files = testbenchFiles(manifest, vectors, seed);
    try {
      await mkdir(out, { recursive: true });
      // each file whole or not at all: written beside its name, then renamed
      for (const f of files) {
        const tmp = join(out, `.mxrtl-tb-${process.pid}-${f.name}`);
        await writeFile(tmp, f.text);
        await rename(tmp, join(out, f.name));
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') throw new UsageError(`${out}: cannot write (${code})`);
      throw e;
    }
    const rel = relative(out, rtl) || '.';
    process.stdout.write(`mxrtl export-tb: ${manifest.units.length} testbenches -> ${out}/ (${files.length} files)\n`);
    for (const u of manifest.units) {
      process.stdout.write(`  (cd ${out} && iverilog -o tb_${u.top} ${u.files.map((f) => join(rel, f)).join(' ')} tb_${u.top}.v && vvp -n tb_${u.top})\n`);
    }
    return 0;
  },
};
