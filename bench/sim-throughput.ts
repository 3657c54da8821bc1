/**
 * Throughput of the dot-product bench: checked vectors per second end to end (random vectors and
 * golden results generated in TypeScript, evaluated by the Verilator harness, every output
 * compared) next to the raw evaluation rate of the same Verilator model (the harness's --raw loop:
 * no I/O, no checking), and their ratio.
 *
 *   node dist/bench/sim-throughput.js [gen flags: --preset, --elem, --elem-a, --elem-b, --scale, --block, --out-format]
 *                                     [--vectors N] [--raw N] [--rounds R] [--seed S] [--batch B]
 *
 * The configuration (MXFP4, k = 32 by default) is generated into a temporary folder.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { UsageError, parseFlags } from '../generator/cli-args.js';
import { configFromFlags } from '../generator/commands/gen.js';
import { generateInto } from '../generator/generate.js';
import { dotFamily } from '../generator/units/dot.js';
import { buildHarness } from '../sim/build.js';
import { count, rate } from '../sim/format.js';
import { recordLayout } from '../sim/layout.js';
import { defaultBuildRoot } from '../sim/paths.js';
import { parseSeed } from '../sim/prng.js';
import { DEFAULT_BATCH } from '../sim/runner.js';
import { streamCheck } from '../sim/stream.js';
import { dotRandomSource } from '../sim/units/dot.js';
import { dotKernel } from '../src/dot-kernel.js';
import { configTag } from '../generator/units/config.js';

const GEN = ['--preset', '--elem', '--elem-a', '--elem-b', '--scale', '--block', '--out-format'];

async function main(argv: readonly string[]): Promise<void> {
  const { positional, values } = parseFlags(argv, [...GEN, '--vectors', '--raw', '--rounds', '--seed', '--batch'], []);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const config = configFromFlags(new Map([...values].filter(([k]) => GEN.includes(k))));
  const vectors = Number(values.get('--vectors') ?? 4_000_000);
  const rawN = Number(values.get('--raw') ?? 4_000_000);
  const rounds = Math.max(1, Number(values.get('--rounds') ?? 3));
  const seed = parseSeed(values.get('--seed') ?? '1') ?? 1;
  const batch = Number(values.get('--batch') ?? DEFAULT_BATCH);
  const rtl = await mkdtemp(join(tmpdir(), 'mxrtl-bench-'));
  try {
    const { manifest } = await generateInto(rtl, { ...config, units: ['dot'] });
    const u = manifest.units[0];
    const p = dotFamily.fromParameters(u.parameters);
    const layout = recordLayout(u.ports);
    const sources = await Promise.all(u.files.map(async (name) => ({ name, text: await readFile(join(rtl, name), 'utf8') })));
    const built = await buildHarness({ top: u.top, sources, layout, buildRoot: defaultBuildRoot() });
    const kernel = dotKernel(p.a, p.b, p.scale, p.out, p.block);
    console.log(`sim-throughput: ${u.top} (${configTag(config)}), ${count(vectors)} checked vectors and ${count(rawN)} raw evaluations per round, ${rounds} rounds, batch ${count(batch)}`);
    const raws: number[] = [];
    const e2es: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // raw and end-to-end alternate so that both see the same machine load
      const out = await execa(built.binary, ['--raw', String(rawN)]);
      const m = /rate=([0-9.]+)/.exec(String(out.stdout));
      if (!m) throw new Error(`unexpected --raw output: ${String(out.stdout)}`);
      raws.push(Number(m[1]));
      const res = await streamCheck(built.binary, layout, dotRandomSource(p, layout, kernel, vectors, seed + r, batch, new Float64Array(5)));
      if (res.mismatches !== 0 || res.checked !== vectors) throw new Error(`end-to-end run: ${res.mismatches} mismatches, ${res.checked} of ${vectors} checked`);
      e2es.push(res.checked / res.seconds);
      console.log(`  round ${r + 1}: raw ${rate(raws[r])}, end to end ${rate(e2es[r])} (${count(res.checked)} checked in ${res.seconds.toFixed(2)} s: generating ${res.sourceSeconds.toFixed(2)} s, waiting ${res.waitSeconds.toFixed(2)} s), ratio ${(e2es[r] / raws[r]).toFixed(2)}`);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const raw = median(raws);
    const e2e = median(e2es);
    console.log(`median: end to end ${rate(e2e)} checked dot products, raw Verilator ${rate(raw)}, ratio ${(e2e / raw).toFixed(2)}`);
  } finally {
    await rm(rtl, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`sim-throughput: ${e instanceof UsageError ? 'error' : 'internal error'}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
});
