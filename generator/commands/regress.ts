/**
 * `mxrtl regress` (also `make regress`): generate, lint, simulate and prove a list of
 * configurations, one after another, and print a summary table. `--shard i/n` runs every n-th
 * configuration from the i-th, so CI matrices or cluster array jobs split the list.
 *
 * Exit code 0 when every configuration lints clean, passes simulation and has every obligation
 * proven; an unknown obligation (a proof past its time limit) fails the run unless --allow-unknown.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { ELEMENT_FORMATS, SCALE_FORMATS } from '../../src/index.js';
import { UsageError, parseFlags, parseIntArg } from '../cli-args.js';
import type { Command } from '../cli.js';
import { generateInto } from '../generate.js';
import { DEFAULT_UNITS, configTag, makeConfig, type GenConfig } from '../units/config.js';

const ELEMS = Object.keys(ELEMENT_FORMATS);
const SCALES = Object.keys(SCALE_FORMATS);

/**
 * The families every configuration of a set generates: those whose units depend on the element and
 * scale formats, but for the FP32 adder (the same in every configuration) and the MAC array (its
 * PE is the dot unit and the adder, proven here; the array is generated with the first one).
 */
const FORMAT_FAMILIES = DEFAULT_UNITS.filter((f) => f !== 'add' && f !== 'mac_array');

const cfg = (a: string, b: string, scale: string, block: number, out = 'fp32', adders?: string): GenConfig => makeConfig({ elemA: a, elemB: b, scale, out, block, units: FORMAT_FAMILIES, adders });

/** The first configuration of a set also generates the units that are the same in every configuration. */
const firstWithAll = (cs: GenConfig[]): GenConfig[] => cs.map((c, i) => (i === 0 ? { ...c, units: [...DEFAULT_UNITS] } : c));

/** The configuration lists. */
export const REGRESS_SETS: Readonly<Record<string, { readonly about: string; readonly configs: () => GenConfig[] }>> = {
  full: {
    about: 'every element pair x every scale format at k = 32, plus k = 1, 16 and 33 for the same-format pairs, and the same-format pairs with E8M0 scales at k = 32 with ripple-carry adder trees',
    configs: () =>
      firstWithAll([
        ...ELEMS.flatMap((a) => ELEMS.flatMap((b) => SCALES.map((s) => cfg(a, b, s, 32)))),
        ...[1, 16, 33].flatMap((k) => ELEMS.flatMap((a) => SCALES.map((s) => cfg(a, a, s, k)))),
        ...ELEMS.map((a) => cfg(a, a, 'e8m0', 32, 'fp32', 'ripple')),
      ]),
  },
  ci: {
    about: 'every same-format pair with E8M0 scales at k = 32, E4M3 x E2M1, INT8 x E4M3, NVFP4 (E2M1, UE4M3, k = 16), MXFP8 to BF16, and MXFP8 with ripple-carry adder trees',
    configs: () =>
      firstWithAll([
        ...ELEMS.filter((a) => a !== 'e2m1').map((a) => cfg(a, a, 'e8m0', 32)),
        cfg('e4m3', 'e2m1', 'e8m0', 32),
        cfg('int8', 'e4m3', 'e8m0', 32),
        cfg('e2m1', 'e2m1', 'ue4m3', 16),
        cfg('e4m3', 'e4m3', 'e8m0', 32, 'bf16'),
        cfg('e4m3', 'e4m3', 'e8m0', 32, 'fp32', 'ripple'),
      ]),
  },
};

const HELP = `usage: mxrtl regress [--set ${Object.keys(REGRESS_SETS).join('|')}] [--shard i/n] [--vectors N] [--timeout S] [--out DIR] [--allow-unknown]

Generate, lint (verilator --lint-only -Wall), simulate (Verilator against the golden model) and prove
(Yosys) every configuration of a set, one after another, and print a summary table. The FP32 adder
(add), the same module in every configuration, is checked in the first configuration of a set.

  --set NAME     ${Object.entries(REGRESS_SETS).map(([n, s]) => `${n}: ${s.about}`).join('\n                 ')}
                 (default full)
  --shard i/n    run every n-th configuration of the set, from the i-th (1 <= i <= n)
  --vectors N    random dot-product vectors per configuration (default 1,000,000)
  --timeout S    time limit per proof obligation in seconds (default 300)
  --out DIR      one folder per configuration (RTL, logs, reports) and summary.md / .json (default regress-out)
  --allow-unknown  an unknown obligation (a proof past its time limit) is listed, not a failure

Exit codes: 0 every configuration passed, every obligation proven; 1 a lint failure, a mismatch, a
failed, error or unknown obligation (unknown ones listed only, with --allow-unknown); 2 bad arguments.`;

export interface RegressRow {
  readonly config: string;
  readonly lint: 'clean' | 'failed';
  readonly vectors: number;
  readonly mismatches: number;
  readonly simPassed: boolean;
  readonly proven: number;
  readonly unknown: number;
  readonly failed: number;
  readonly error: number;
  readonly seconds: { readonly lint: number; readonly sim: number; readonly formal: number };
  readonly notes: string[];
}

/** The i-th of n shards of a list: every n-th item from the i-th (1-based). */
export function shardOf<T>(items: readonly T[], shard: { index: number; count: number }): T[] {
  return items.filter((_, j) => j % shard.count === shard.index - 1);
}

export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[2]) < 1 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard needs i/n with 1 <= i <= n, got '${text}'`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

async function runOne(c: GenConfig, dir: string, vectors: number, timeout: number): Promise<RegressRow> {
  const tag = configTag(c);
  const rtl = join(dir, 'rtl');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const notes: string[] = [];
  const { manifest } = await generateInto(rtl, c);
  // lint every top with its file list
  const lint = await timed(async () => {
    let ok = true;
    const log: string[] = [];
    for (const u of manifest.units) {
      const r = await execa('verilator', ['--lint-only', '-Wall', '--top-module', u.top, ...u.files.map((f) => join(rtl, f))], { reject: false });
      const out = String(r.stderr) + String(r.stdout);
      log.push(`$ verilator --lint-only -Wall --top-module ${u.top} ...`, out);
      if (r.exitCode !== 0 || out !== '') {
        ok = false;
        notes.push(`lint: ${u.top}: ${out.split('\n')[0]}`);
      }
    }
    await writeFile(join(dir, 'lint.log'), log.join('\n'));
    return ok;
  });
  const { runSim } = await import('../../sim/runner.js');
  const { defaultBuildRoot } = await import('../../sim/paths.js');
  const simLog: string[] = [];
  const sim = await timed(() =>
    runSim({ rtl, vectors, seed: 0x00c0ffee, buildRoot: defaultBuildRoot(), outDir: join(dir, 'sim-out'), log: (l) => simLog.push(l) }).catch((e: unknown) => {
      simLog.push(`error: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }),
  );
  await writeFile(join(dir, 'sim.log'), simLog.join('\n') + '\n');
  if (!sim.value) notes.push(`sim: ${simLog.at(-1) ?? 'failed'}`);
  const { main: formalMain } = await import('../../formal/cli.js');
  const formalLog: string[] = [];
  const formal = await timed(() =>
    formalMain(['--rtl', rtl, '--reports', join(dir, 'formal'), '--work', join(dir, 'formal-work'), '--timeout', String(timeout)], { out: (t) => formalLog.push(t), err: (t) => formalLog.push(t) }),
  );
  await writeFile(join(dir, 'formal.log'), formalLog.join(''));
  let counts = { proven: 0, unknown: 0, failed: 0, error: 0 };
  try {
    const report = JSON.parse(await readFile(join(dir, 'formal', `${tag}.json`), 'utf8')) as { counts: typeof counts };
    counts = report.counts;
  } catch {
    notes.push('formal: no report');
    counts.error++;
  }
  return {
    config: tag,
    lint: lint.value ? 'clean' : 'failed',
    vectors: sim.value?.checked ?? 0,
    mismatches: sim.value?.mismatches ?? 0,
    simPassed: sim.value?.passed ?? false,
    ...counts,
    seconds: { lint: lint.seconds, sim: sim.seconds, formal: formal.seconds },
    notes,
  };
}

export function summaryTable(rows: readonly RegressRow[]): string[] {
  const n = (x: number): string => x.toLocaleString('en-US');
  return [
    '| configuration | lint | sim vectors | mismatches | proven | unknown | failed / error | lint s | sim s | formal s |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.config} | ${r.lint} | ${n(r.vectors)} | ${r.simPassed ? n(r.mismatches) : `${n(r.mismatches)} (FAIL)`} | ${r.proven} | ${r.unknown} | ${r.failed} / ${r.error} | ${r.seconds.lint.toFixed(1)} | ${r.seconds.sim.toFixed(1)} | ${r.seconds.formal.toFixed(1)} |`,
    ),
  ];
}

export const regressCommand: Command = {
  summary: 'generate, lint, simulate and prove a list of configurations',
  help: HELP,
  async run(args) {
    const { positional, values } = parseFlags(args, ['--set', '--shard', '--vectors', '--timeout', '--out'], ['--allow-unknown']);
    if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
    const setName = values.get('--set') ?? 'full';
    const set = REGRESS_SETS[setName];
    if (!set) throw new UsageError(`unknown set '${setName}' (one of: ${Object.keys(REGRESS_SETS).join(', ')})`);
    const shard = parseShard(values.get('--shard') ?? '1/1');
    const vectors = parseIntArg('--vectors', values.get('--vectors') ?? '1000000', 0, 1e10);
    const timeout = parseIntArg('--timeout', values.get('--timeout') ?? '300', 1, 86400);
    const out = values.get('--out') ?? 'regress-out';
    const allowUnknown = values.has('--allow-unknown');
    const configs = shardOf(set.configs(), shard);
    if (configs.length === 0) throw new UsageError(`shard ${shard.index}/${shard.count} of set '${setName}' holds no configuration`);
    const t0 = performance.now();
    const rows: RegressRow[] = [];
    for (const [i, c] of configs.entries()) {
      const tag = configTag(c);
      process.stderr.write(`regress: [${i + 1}/${configs.length}] ${tag} ...\n`);
      const row = await runOne(c, join(out, tag), vectors, timeout);
      rows.push(row);
      const ok = row.lint === 'clean' && row.simPassed && row.failed === 0 && row.error === 0 && (allowUnknown || row.unknown === 0);
      process.stderr.write(
        `regress: [${i + 1}/${configs.length}] ${tag}: ${ok ? 'ok' : 'FAIL'}, lint ${row.lint}, ${row.vectors.toLocaleString('en-US')} vectors, ${row.mismatches} mismatches, ${row.proven} proven / ${row.unknown} unknown / ${row.failed + row.error} failed, ${(row.seconds.lint + row.seconds.sim + row.seconds.formal).toFixed(1)} s\n`,
      );
    }
    const wall = (performance.now() - t0) / 1000;
    const bad = rows.filter((r) => r.lint !== 'clean' || !r.simPassed || r.failed > 0 || r.error > 0 || (!allowUnknown && r.unknown > 0));
    const title = `mxrtl regress: set ${setName}${shard.count > 1 ? `, shard ${shard.index}/${shard.count}` : ''}, ${rows.length} configurations, ${vectors.toLocaleString('en-US')} random dot-product vectors each, in ${wall.toFixed(0)} s`;
    const lines = [title, '', ...summaryTable(rows), ''];
    for (const r of rows) for (const note of r.notes) lines.push(`- ${r.config}: ${note}`);
    const verdict = bad.length === 0 ? `regress: PASS, ${rows.length} configuration${rows.length === 1 ? '' : 's'}` : `regress: FAIL, ${bad.length} of ${rows.length} configurations: ${bad.map((r) => r.config).join(', ')}`;
    lines.push(`${verdict}; ${rows.reduce((s, r) => s + r.unknown, 0)} obligations unknown (past their time limit)`);
    await mkdir(out, { recursive: true });
    const base = join(out, `summary${shard.count > 1 ? `-${shard.index}of${shard.count}` : ''}`);
    await writeFile(`${base}.md`, lines.join('\n') + '\n');
    await writeFile(`${base}.json`, JSON.stringify({ set: setName, shard, vectors, wallSeconds: wall, rows }, null, 2) + '\n');
    process.stdout.write(lines.join('\n') + '\n');
    return bad.length === 0 ? 0 : 1;
  },
};
