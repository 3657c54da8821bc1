/**
 * `mxrtl explore`: sweep block size x element format x scale format x recipe over data sets and
 * report the quantization error (and, with --area, the hardware cost) as Markdown, HTML with charts,
 * CSV and JSON. `mxrtl explore merge` joins the JSON of shards into one report.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Command } from '../cli.js';
import { UsageError, parseFlags, parseIntArg } from '../cli-args.js';
import { sha256 } from '../manifest.js';
import { writeOutput, type FolderOwner } from '../write-out.js';
import { count, seconds } from '../../sim/format.js';
import { charts } from '../../explore/charts.js';
import { defaultCacheDir } from '../../explore/area.js';
import { checkDataFiles, evaluate } from '../../explore/evaluate.js';
import { PRESETS } from '../../explore/presets.js';
import { htmlReport, markdownReport } from '../../explore/report.js';
import { makeDoc, mergeDocs, parseDoc, toCsv, toRow, type ExploreDoc } from '../../explore/results.js';
import { expandSweep, normalizeSweep, shardPoints, type SweepInput } from '../../explore/sweep.js';

const MANIFEST = 'explore-manifest.json';
const FILES = { md: 'report.md', html: 'report.html', csv: 'results.csv', json: 'results.json' } as const;

const OWNER: FolderOwner = {
  tool: 'mxrtl explore',
  writer: 'mxrtl explore',
  verb: 'write the report',
  manifest: MANIFEST,
  listed: (text, path) => {
    const m = JSON.parse(text) as { tool?: string; files?: { name: string; sha256: string }[] };
    if (m?.tool !== 'mxrtl explore' || !Array.isArray(m.files)) throw new Error(`${path}: not a manifest of mxrtl explore`);
    return new Map(m.files.map((f) => [f.name, f.sha256]));
  },
};

const HELP = `usage: mxrtl explore [options]
       mxrtl explore merge <results.json>... [--out DIR]

Sweep MX configurations over data sets with the golden quantizer and report the error of each:
relative MSE, SQNR, max abs error, flushed blocks, saturated elements, bits per element; with
--area also the Yosys cells / depth / LUTs of the dot product and the quantizer mxrtl gen writes.

  --preset NAME       a named sweep with checked statements: finer-is-better (Student-t(3) x 0.002,
                      E2M1, UE4M3 / UE5M3 scales, nv / 4over6 / mse, k = 8 .. 128)
  --sweep FILE        a JSON sweep file: an object with any of the keys elem, scale, recipe, guard,
                      tensorScale, block, data (lists), round, values, seed, area
  --elem LIST         element formats (default e2m1), e.g. e2m1,e4m3,int8
  --scale LIST        scale formats (default e8m0,ue4m3)
  --recipe LIST       floor, ceil, nv, 4over6, mse (default floor,nv); combinations the golden
                      model rejects (nv with e8m0, 4over6 without e2m1) are skipped and counted
  --guard LIST        off, on, or off,on (default off)
  --tensor-scale LIST none, auto, or none,auto (default none; auto: NVFP4's per-tensor scale)
  --block LIST        block sizes (default 8,16,32,64,128)
  --data LIST         data sets, separated by ';' (default student-t):
                        gaussian[:sigma=S]  laplace[:b=B]  student-t[:nu=N]
                        sparse[:rate=R,outlier=M]  (each also scale=X)  npy:PATH
  --values N          values per synthetic data set (default 262144)
  --seed S            seed of the synthetic data (default 1)
  --round M           element rounding: rne (default) or away
  --area FLOWS        also synthesize: generic plus FPGA flows (ice40, xilinx, ecp5), e.g.
                      generic,xilinx; figures cached in --area-cache
  --area-cache DIR    synthesis cache (default $XDG_CACHE_HOME/mxrtl/synth or ~/.cache/mxrtl/synth;
                      none: no cache)
  --jobs N            worker threads for the error metrics (default: the cores, at most 8)
  --shard i/n         evaluate every n-th point from the i-th; merge joins the shards' results.json
  --out DIR           the report folder (default explore-out): ${FILES.md}, ${FILES.html} (charts as
                      inline SVG), ${FILES.csv}, ${FILES.json}, each chart as <name>.svg
                      (error-vs-block, error-vs-bits, error-vs-area with --area), ${MANIFEST}

Flags override the sweep file, which overrides the preset. The same sweep and seed give
byte-identical reports. The folder may hold only what an earlier mxrtl explore wrote there,
unchanged. Progress goes to stderr. Bad options: one line, exit 2; a failed synthesis: exit 1.`;

const VALUED = ['--preset', '--sweep', '--elem', '--scale', '--recipe', '--guard', '--tensor-scale', '--block', '--data', '--values', '--seed', '--round', '--area', '--area-cache', '--jobs', '--shard', '--out'];

/** Flag -> sweep key. */
const AXES: Record<string, keyof SweepInput> = {
  '--elem': 'elem',
  '--scale': 'scale',
  '--recipe': 'recipe',
  '--guard': 'guard',
  '--tensor-scale': 'tensorScale',
  '--block': 'block',
  '--values': 'values',
  '--seed': 'seed',
  '--round': 'round',
  '--area': 'area',
};

function readSweepFile(path: string): SweepInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the sweep file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the sweep file '${path}' is not JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`the sweep file '${path}' must hold one JSON object`);
  return v as SweepInput;
}

function parseShard(text: string | undefined): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text ?? '1/1');
  if (!m || Number(m[2]) < 1 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard needs i/n with 1 <= i <= n, got '${text}'`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

/** A progress line on stderr at most every half second (and the last one). */
function progressLine(): (what: string, done: number, total: number) => void {
  const start = performance.now();
  let last = 0;
  return (what, done, total) => {
    const now = performance.now();
    if (done < total && now - last < 500) return;
    last = now;
    process.stderr.write(`mxrtl explore: ${what} ${count(done)} of ${count(total)} ${what === 'measured' ? 'points' : 'unit flows'}, ${seconds((now - start) / 1000)}\n`);
  };
}

/** Write the four outputs and the manifest of a document into `out`. */
async function writeReports(doc: ExploreDoc, out: string): Promise<void> {
  const preset = doc.preset ? PRESETS[doc.preset] : undefined;
  const claims = preset && doc.shard.count === 1 ? preset.claims(doc) : [];
  const drawn = await charts(doc);
  const files = [
    { name: FILES.md, text: markdownReport(doc, claims, drawn) },
    { name: FILES.html, text: htmlReport(doc, claims, drawn) },
    { name: FILES.csv, text: toCsv(doc) },
    { name: FILES.json, text: JSON.stringify(doc, null, 1) + '\n' },
    ...drawn.map((c) => ({ name: `${c.id}.svg`, text: c.svg + '\n' })),
  ];
  const manifest = { tool: 'mxrtl explore', files: files.map((f) => ({ name: f.name, sha256: sha256(f.text) })) };
  await writeOutput(out, files, JSON.stringify(manifest, null, 2) + '\n', OWNER);
  const failed = claims.filter((c) => !c.holds).length;
  process.stderr.write(`mxrtl explore: ${doc.results.length} points written to ${out}/ (${[...Object.values(FILES), ...drawn.map((c) => `${c.id}.svg`)].join(', ')})${claims.length > 0 ? `; ${claims.length - failed} of ${claims.length} statements hold` : ''}\n`);
}

async function merge(args: string[]): Promise<number> {
  const { positional, values } = parseFlags(args, ['--out'], []);
  if (positional.length === 0) throw new UsageError('merge needs the results.json of every shard');
  const docs = positional.map((name) => {
    let text: string;
    try {
      text = readFileSync(name, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read '${name}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return { doc: parseDoc(text, name), name };
  });
  await writeReports(mergeDocs(docs), values.get('--out') ?? 'explore-out');
  return 0;
}

async function run(args: string[]): Promise<number> {
  if (args[0] === 'merge') return merge(args.slice(1));
  const { positional, values } = parseFlags(args, VALUED, []);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}' (see mxrtl explore --help)`);
  const presetName = values.get('--preset');
  const preset = presetName === undefined ? undefined : PRESETS[presetName.toLowerCase()];
  if (presetName !== undefined && !preset) throw new UsageError(`--preset: unknown preset '${presetName}' (one of: ${Object.keys(PRESETS).join(', ')})`);
  const input: Record<string, unknown> = { ...(preset?.sweep ?? {}) };
  const file = values.get('--sweep');
  if (file !== undefined) Object.assign(input, readSweepFile(file));
  for (const [flag, key] of Object.entries(AXES)) if (values.has(flag)) input[key] = values.get(flag);
  if (values.has('--data')) input.data = (values.get('--data') as string).split(';').map((d) => d.trim()).filter((d) => d !== '');
  const sweep = normalizeSweep(input);
  const shard = parseShard(values.get('--shard'));
  const jobs = values.has('--jobs') ? parseIntArg('--jobs', values.get('--jobs'), 1, 256) : Math.max(1, Math.min(8, availableParallelism()));
  const cacheText = values.get('--area-cache');
  const cacheDir = cacheText === 'none' ? null : cacheText ?? defaultCacheDir();
  const out = values.get('--out') ?? 'explore-out';
  checkDataFiles(sweep);
  const { points, skipped } = expandSweep(sweep);
  const mine = shardPoints(points, shard);
  if (mine.length === 0) throw new UsageError(`shard ${shard.index}/${shard.count} holds no point (the sweep has ${points.length})`);
  process.stderr.write(`mxrtl explore: ${count(mine.length)} points${shard.count > 1 ? ` (shard ${shard.index}/${shard.count} of ${count(points.length)})` : ''}, ${jobs} job${jobs > 1 ? 's' : ''}${sweep.area.length > 0 ? `, synthesis ${sweep.area.join(', ')}` : ''}\n`);
  const start = performance.now();
  let evaluated;
  try {
    evaluated = await evaluate(mine, sweep, { jobs, cacheDir, progress: progressLine(), onSynth: (what) => process.stderr.write(`mxrtl explore: synthesized ${what}\n`) });
  } catch (e) {
    // a unit Yosys could not synthesize: said as such, exit 1, nothing written
    const msg = e instanceof Error ? e.message : String(e);
    if (!msg.startsWith('synthesis of ')) throw e;
    process.stderr.write(`mxrtl explore: ${msg}; nothing was written\n`);
    return 1;
  }
  const { results, cache } = evaluated;
  if (sweep.area.length > 0) process.stderr.write(`mxrtl explore: synthesis cache ${cacheDir ?? '(none)'}: ${cache.hits} hit${cache.hits === 1 ? '' : 's'}, ${cache.misses} run${cache.misses === 1 ? '' : 's'}\n`);
  const doc = makeDoc({ preset: preset?.name ?? null, sweep, total: points.length, shard, skipped, results: results.map(toRow) });
  await writeReports(doc, out);
  process.stderr.write(`mxrtl explore: done in ${seconds((performance.now() - start) / 1000)}\n`);
  return 0;
}

export const exploreCommand: Command = {
  summary: 'sweep block size x format x recipe: quantization error and hardware cost, with charts',
  help: HELP,
  run,
};
