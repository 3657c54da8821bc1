/**
 * `mxrtl mutants` (also `npm run mutants`, not part of `npm test`): mutation testing of a generated
 * folder. Every module file is mutated systematically (generator/mutants/operators.ts: operators,
 * constants, bit selects, conditions, case-table entries, concatenations), one edit per mutant;
 * each mutant is simulated (Verilator, against the golden model) and proven (Yosys) on the units
 * that use the file. A mutant is killed when the bench finds a mismatch or a proof fails; a mutant
 * whose every obligation is proven computes exactly what the golden model does, so it is shown
 * equivalent by that proof; any other survivor is a gap, listed with its edit.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError, parseFlags, parseIntArg } from '../cli-args.js';
import type { Command } from '../cli.js';
import { MUTANT_KINDS, applyMutant, mutantsOf, type Mutant, type MutantKind } from '../mutants/operators.js';
import { parseShard, shardOf } from './regress.js';

const HELP = `usage: mxrtl mutants [--rtl DIR] [--files NAMES] [--kinds LIST] [--limit N] [--shard i/n] [--vectors N] [--timeout S] [--out DIR]
       (also: npm run mutants -- ...)

Mutate every module file of a generated folder, one edit at a time, and run the bench (Verilator
against the golden model) and the proofs (Yosys) of the units that use the file on each mutant.
Prints a progress line per mutant to stderr and a table per file: mutants, those that do not build,
killed by the bench, killed by the proofs, shown equivalent (every obligation proven on the
mutant), and gaps (survivors neither killed nor proven), with every gap listed.

  --rtl DIR      generated folder (default rtl-out)
  --files NAMES  comma-separated Verilog files of the folder (default: every one)
  --kinds LIST   mutation kinds (default all: ${MUTANT_KINDS.join(', ')})
  --limit N      at most N mutants per file, spread evenly over its list (default: all)
  --shard i/n    every n-th mutant of the whole list, from the i-th
  --vectors N    random vectors per bench run (default 20,000)
  --timeout S    time limit per proof obligation in seconds (default 120)
  --out DIR      work folder, summary.md and summary.json (default mutants-out)

Exit codes: 0 no gap (every mutant that builds killed or proven equivalent); 1 a gap; 2 bad arguments.`;

interface ManifestLite {
  readonly files: readonly { readonly name: string }[];
  readonly units: readonly { readonly family: string; readonly top: string; readonly files: readonly string[] }[];
}

type Verdict = 'killed' | 'equivalent' | 'gap' | 'no-build';

interface MutantResult {
  readonly file: string;
  readonly kind: MutantKind;
  readonly line: number;
  readonly before: string;
  readonly after: string;
  readonly sim: 'killed' | 'passed' | 'no-build';
  readonly formal: 'killed' | 'proven' | 'open';
  readonly verdict: Verdict;
  readonly seconds: number;
}

/** At most `limit` of `items`, spread evenly (the first, then every step-th). */
function spread<T>(items: readonly T[], limit: number): T[] {
  if (items.length <= limit) return [...items];
  return Array.from({ length: limit }, (_, i) => items[Math.floor((i * items.length) / limit)]);
}

async function runMutant(rtl: string, work: string, manifest: ManifestLite, file: string, original: string, m: Mutant, vectors: number, timeout: number): Promise<Omit<MutantResult, 'seconds'>> {
  const tops = manifest.units.filter((u) => u.files.includes(file)).map((u) => u.top);
  const dir = join(work, 'rtl');
  await writeFile(join(dir, file), applyMutant(original, m));
  const base = { file, kind: m.kind, line: m.line, before: m.before.trim(), after: m.after.trim() };
  try {
    const { runSim } = await import('../../sim/runner.js');
    let sim: MutantResult['sim'];
    try {
      const r = await runSim({ rtl: dir, vectors, seed: 0x5eed, units: tops, buildRoot: join(work, 'build'), outDir: join(work, 'sim-out'), log: () => undefined });
      sim = r.mismatches > 0 ? 'killed' : r.passed ? 'passed' : 'no-build';
    } catch {
      sim = 'no-build';
    }
    if (sim === 'no-build') return { ...base, sim, formal: 'open', verdict: 'no-build' };
    const { main: formalMain } = await import('../../formal/cli.js');
    const reports = join(work, 'formal');
    await rm(reports, { recursive: true, force: true });
    await formalMain(['--rtl', dir, '--only', tops.join(','), '--reports', reports, '--work', join(work, 'formal-work'), '--timeout', String(timeout)], { out: () => undefined, err: () => undefined });
    let formal: MutantResult['formal'] = 'open';
    try {
      const { readdir } = await import('node:fs/promises');
      const json = (await readdir(reports)).find((f) => f.endsWith('.json'));
      if (json) {
        const c = (JSON.parse(await readFile(join(reports, json), 'utf8')) as { counts: { proven: number; failed: number; unknown: number; error: number } }).counts;
        formal = c.failed > 0 ? 'killed' : c.proven > 0 && c.unknown === 0 && c.error === 0 ? 'proven' : 'open';
      }
    } catch {
      formal = 'open';
    }
    const verdict: Verdict = sim === 'killed' || formal === 'killed' ? 'killed' : formal === 'proven' ? 'equivalent' : 'gap';
    return { ...base, sim, formal, verdict };
  } finally {
    await writeFile(join(dir, file), original);
    await rm(join(work, 'build'), { recursive: true, force: true });
    void rtl;
  }
}

export function mutantTable(results: readonly MutantResult[]): string[] {
  const files = [...new Set(results.map((r) => r.file))];
  const pct = (a: number, b: number): string => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)} %`);
  const rows = files.map((f) => {
    const rs = results.filter((r) => r.file === f);
    const n = (p: (r: MutantResult) => boolean): number => rs.filter(p).length;
    const built = n((r) => r.verdict !== 'no-build');
    const killed = n((r) => r.verdict === 'killed');
    const equivalent = n((r) => r.verdict === 'equivalent');
    return `| ${f} | ${rs.length} | ${rs.length - built} | ${n((r) => r.sim === 'killed')} | ${n((r) => r.formal === 'killed')} | ${killed} | ${equivalent} | ${n((r) => r.verdict === 'gap')} | ${pct(killed, built - equivalent)} |`;
  });
  return ['| file | mutants | do not build | killed by sim | killed by formal | killed | shown equivalent | gaps | kill rate |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |', ...rows];
}

export const mutantsCommand: Command = {
  summary: 'mutation testing: mutate the generated Verilog, run the bench and the proofs on each mutant',
  help: HELP,
  async run(args) {
    const { positional, values } = parseFlags(args, ['--rtl', '--files', '--kinds', '--limit', '--shard', '--vectors', '--timeout', '--out'], []);
    if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
    const rtl = values.get('--rtl') ?? 'rtl-out';
    const out = values.get('--out') ?? 'mutants-out';
    const vectors = parseIntArg('--vectors', values.get('--vectors') ?? '20000', 1, 1e9);
    const timeout = parseIntArg('--timeout', values.get('--timeout') ?? '120', 1, 86400);
    const limit = values.has('--limit') ? parseIntArg('--limit', values.get('--limit') ?? '', 1, 1e9) : Infinity;
    const shard = parseShard(values.get('--shard') ?? '1/1');
    const kinds = (values.get('--kinds') ?? MUTANT_KINDS.join(',')).split(',').map((k) => {
      if (!(MUTANT_KINDS as readonly string[]).includes(k)) throw new UsageError(`--kinds: unknown mutation kind '${k}' (one of: ${MUTANT_KINDS.join(', ')})`);
      return k as MutantKind;
    });
    let manifest: ManifestLite;
    try {
      manifest = JSON.parse(await readFile(join(rtl, 'manifest.json'), 'utf8')) as ManifestLite;
    } catch {
      throw new UsageError(`'${rtl}' holds no readable manifest.json: generate a folder first (npm run gen -- --block 32, or mxrtl gen --out ${rtl})`);
    }
    const verilog = manifest.files.map((f) => f.name).filter((f) => f.endsWith('.v'));
    const files = values.has('--files') ? (values.get('--files') ?? '').split(',').map((f) => f.trim()) : verilog;
    for (const f of files) if (!verilog.includes(f)) throw new UsageError(`--files: '${f}' is not a Verilog file of ${rtl} (files: ${verilog.join(', ')})`);
    const texts = new Map<string, string>();
    for (const f of files) texts.set(f, await readFile(join(rtl, f), 'utf8'));
    const all = files.flatMap((f) => spread(mutantsOf(texts.get(f) ?? '').filter((m) => kinds.includes(m.kind)), limit).map((m) => ({ file: f, m })));
    const mine = shardOf(all, shard);
    if (mine.length === 0) throw new UsageError(`no mutant to run (${all.length} in all${shard.count > 1 ? `, none in shard ${shard.index}/${shard.count}` : ''})`);
    const work = join(out, `work${shard.count > 1 ? `-${shard.index}of${shard.count}` : ''}`);
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    await cp(rtl, join(work, 'rtl'), { recursive: true });
    const results: MutantResult[] = [];
    const t0 = performance.now();
    for (const [i, { file, m }] of mine.entries()) {
      const s0 = performance.now();
      const r = await runMutant(rtl, work, manifest, file, texts.get(file) ?? '', m, vectors, timeout);
      const seconds = (performance.now() - s0) / 1000;
      results.push({ ...r, seconds });
      process.stderr.write(`mutants: [${i + 1}/${mine.length}] ${file}:${m.line} ${m.kind}: ${r.verdict} (sim ${r.sim}, formal ${r.formal}), ${seconds.toFixed(1)} s\n`);
    }
    await rm(work, { recursive: true, force: true });
    const wall = (performance.now() - t0) / 1000;
    const gaps = results.filter((r) => r.verdict === 'gap');
    const lines = [
      `mxrtl mutants: ${rtl}, ${results.length} mutants${shard.count > 1 ? ` (shard ${shard.index}/${shard.count} of ${all.length})` : ''}, ${vectors.toLocaleString('en-US')} vectors per bench run, in ${wall.toFixed(0)} s`,
      '',
      ...mutantTable(results),
      '',
      'Kill rate: killed / (mutants that build - mutants shown equivalent).',
      ...(gaps.length > 0 ? ['', 'Gaps (survivors neither killed nor proven):', ...gaps.map((g) => `- ${g.file}:${g.line} (${g.kind}): \`${g.after}\` (was \`${g.before}\`)`)] : []),
      ...(results.some((r) => r.verdict === 'equivalent') ? ['', 'Shown equivalent (every obligation proven on the mutant):', ...results.filter((r) => r.verdict === 'equivalent').map((g) => `- ${g.file}:${g.line} (${g.kind}): \`${g.after}\``)] : []),
      '',
      gaps.length === 0 ? 'mutants: PASS, no gap' : `mutants: FAIL, ${gaps.length} gap${gaps.length === 1 ? '' : 's'}`,
    ];
    await mkdir(out, { recursive: true });
    const base = join(out, `summary${shard.count > 1 ? `-${shard.index}of${shard.count}` : ''}`);
    await writeFile(`${base}.md`, lines.join('\n') + '\n');
    await writeFile(`${base}.json`, JSON.stringify({ rtl, shard, vectors, wallSeconds: wall, results }, null, 2) + '\n');
    process.stdout.write(lines.join('\n') + '\n');
    return gaps.length === 0 ? 0 : 1;
  },
};
