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
 *
 * With --array RxC (and --stages S) it measures the MAC array instead: the cycle-accurate bench
 * (random sums, gaps, resets, every output of every cycle checked) in PE dot products per second
 * (valid beats times R x C), next to the raw rate of the model (cycles per second times R x C: every
 * PE evaluates a block's dot product every cycle).
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
import { recordLayout, type RecordLayout } from '../sim/layout.js';
import { defaultBuildRoot } from '../sim/paths.js';
import { parseSeed } from '../sim/prng.js';
import { DEFAULT_BATCH } from '../sim/runner.js';
import { streamCheck } from '../sim/stream.js';
import { dotRandomSource } from '../sim/units/dot.js';
import { dotKernel } from '../src/dot-kernel.js';
import { configTag, type GenConfig } from '../generator/units/config.js';
import { MAC_PORTS, macFamily } from '../generator/units/mac.js';
import type { ManifestUnit } from '../generator/manifest.js';
import { slotOf } from '../sim/layout.js';
import type { Batch } from '../sim/stream.js';
import { macBench } from '../sim/units/mac.js';

const GEN = ['--preset', '--elem', '--elem-a', '--elem-b', '--scale', '--block', '--out-format', '--array', '--stages'];

interface RunOptions {
  readonly checked: number;
  readonly rawN: number;
  readonly rounds: number;
  readonly seed: number;
  readonly batch: number;
}

function runOptions(values: ReadonlyMap<string, string>, checked: number, rawN: number): RunOptions {
  return {
    checked: Number(values.get('--vectors') ?? checked),
    rawN: Number(values.get('--raw') ?? rawN),
    rounds: Math.max(1, Number(values.get('--rounds') ?? 3)),
    seed: parseSeed(values.get('--seed') ?? '1') ?? 1,
    batch: Number(values.get('--batch') ?? DEFAULT_BATCH),
  };
}

/** Generate `config` into a temporary folder and build the harness of its one unit; `use` runs with it, then the folder goes. */
async function withHarness<T>(config: GenConfig, use: (h: { unit: ManifestUnit; layout: RecordLayout; binary: string }) => Promise<T>): Promise<T> {
  const rtl = await mkdtemp(join(tmpdir(), 'mxrtl-bench-'));
  try {
    const { manifest } = await generateInto(rtl, config);
    const u = manifest.units[0];
    const layout = recordLayout(u.ports);
    const sources = await Promise.all(u.files.map(async (name) => ({ name, text: await readFile(join(rtl, name), 'utf8') })));
    const built = await buildHarness({ top: u.top, sources, layout, buildRoot: defaultBuildRoot() });
    return await use({ unit: u, layout, binary: built.binary });
  } finally {
    await rm(rtl, { recursive: true, force: true });
  }
}

/** The harness's raw evaluation rate (records per second). */
async function rawRate(binary: string, n: number): Promise<number> {
  const out = await execa(binary, ['--raw', String(n)]);
  const m = /rate=([0-9.]+)/.exec(String(out.stdout));
  if (!m) throw new Error(`unexpected --raw output: ${String(out.stdout)}`);
  return Number(m[1]);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(argv: readonly string[]): Promise<void> {
  const { positional, values } = parseFlags(argv, [...GEN, '--vectors', '--raw', '--rounds', '--seed', '--batch'], []);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const isMac = values.has('--array');
  const genFlags = new Map([...values].filter(([k]) => GEN.includes(k)));
  if (isMac) genFlags.set('--units', 'mac_array');
  const config = configFromFlags(genFlags);
  if (isMac) return macThroughput(config, values);
  const o = runOptions(values, 4_000_000, 4_000_000);
  await withHarness({ ...config, units: ['dot'] }, async ({ unit: u, layout, binary }) => {
    const p = dotFamily.fromParameters(u.parameters);
    const kernel = dotKernel(p.a, p.b, p.scale, p.out, p.block);
    console.log(`sim-throughput: ${u.top} (${configTag(config)}), ${count(o.checked)} checked vectors and ${count(o.rawN)} raw evaluations per round, ${o.rounds} rounds, batch ${count(o.batch)}`);
    const raws: number[] = [];
    const e2es: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      // raw and end-to-end alternate so that both see the same machine load
      raws.push(await rawRate(binary, o.rawN));
      const res = await streamCheck(binary, layout, dotRandomSource(p, layout, kernel, o.checked, o.seed + r, o.batch, new Float64Array(5)));
      if (res.mismatches !== 0 || res.checked !== o.checked) throw new Error(`end-to-end run: ${res.mismatches} mismatches, ${res.checked} of ${o.checked} checked`);
      e2es.push(res.checked / res.seconds);
      console.log(`  round ${r + 1}: raw ${rate(raws[r])}, end to end ${rate(e2es[r])} (${count(res.checked)} checked in ${res.seconds.toFixed(2)} s: generating ${res.sourceSeconds.toFixed(2)} s, waiting ${res.waitSeconds.toFixed(2)} s), ratio ${(e2es[r] / raws[r]).toFixed(2)}`);
    }
    console.log(`median: end to end ${rate(median(e2es))} checked dot products, raw Verilator ${rate(median(raws))}, ratio ${(median(e2es) / median(raws)).toFixed(2)}`);
  });
}

/** The MAC array: PE dot products per second, end to end and raw. */
async function macThroughput(config: GenConfig, values: ReadonlyMap<string, string>): Promise<void> {
  const o = runOptions(values, 1_000_000, 400_000);
  await withHarness(config, async ({ unit: u, layout, binary }) => {
    const p = macFamily.fromParameters(u.parameters);
    const pes = p.rows * p.cols;
    const bench = macBench.open(p, layout);
    const valid = slotOf(layout.inputs, MAC_PORTS.valid).offset;
    const reset = slotOf(layout.inputs, MAC_PORTS.reset).offset;
    console.log(`sim-throughput: ${u.top} (${pes} PEs), ${count(o.checked)} PE results checked and ${count(o.rawN)} raw cycles per round, ${o.rounds} rounds`);
    const raws: number[] = [];
    const e2es: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      raws.push((await rawRate(binary, o.rawN)) * pes);
      const plan = bench.plan({ vectors: o.checked, seed: o.seed + r, batchSize: o.batch });
      let beats = 0;
      const next = (): Batch | null => {
        const b = plan.next();
        if (b) for (let i = 0; i < b.count; i++) if (b.input[i * layout.inWords + valid] === 1 && b.input[i * layout.inWords + reset] === 0) beats++;
        return b;
      };
      const res = await streamCheck(binary, layout, next);
      if (res.mismatches !== 0 || res.checked !== plan.total) throw new Error(`end-to-end run: ${res.mismatches} mismatches, ${res.checked} of ${plan.total} cycles checked`);
      e2es.push((beats * pes) / res.seconds);
      console.log(`  round ${r + 1}: raw ${rate(raws[r])} PE dot products, end to end ${rate(e2es[r])} (${count(res.checked)} cycles, ${count(beats * pes)} PE dot products in ${res.seconds.toFixed(2)} s), ratio ${(e2es[r] / raws[r]).toFixed(2)}`);
    }
    console.log(`median: end to end ${rate(median(e2es))} checked PE dot products, raw Verilator ${rate(median(raws))}, ratio ${(median(e2es) / median(raws)).toFixed(2)}`);
  });
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`sim-throughput: ${e instanceof UsageError ? 'error' : 'internal error'}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
});
