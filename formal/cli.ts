/**
 * `node dist/formal/run.js`: prove every unit of a generated configuration equal to the golden model.
 * Exit codes: 0 every obligation proven; 1 an obligation failed, timed out (unknown) or hit an
 * error; 2 bad arguments or a missing / malformed manifest.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parserMessage } from '../generator/cli-args.js';
import { configTag, makeConfig } from '../generator/units/config.js';
import { familyOf } from '../generator/units/index.js';
import { CLOCK_PORT } from '../generator/units/unit.js';
import { MANIFEST_FILE, ManifestError, readManifest, sha256, type Manifest } from '../generator/manifest.js';
import { writeVectorFile } from '../sim/vectors.js';
import { PlanError, isUnplanned, type ModuleShape } from './recipes/common.js';
import { recipeFor } from './recipes/index.js';
import { WorkerPool } from './pool.js';
import { editedText, renderMarkdown, secondsText, sequentialText, type ObligationReport, type Report, type UnitReport } from './report.js';
import type { ObligationResult, ObligationSpec, Status, UnitRef } from './spec.js';
import type { InspectResult } from './tasks.js';
import { YOWASP_VERSION } from './yosys.js';

export const DEFAULT_TIMEOUT_S = 300;
const INSPECT_TIMEOUT_MS = 120_000;

export const HELP = `usage: mxrtl formal [--rtl DIR] [--only NAMES] [--timeout S] [--jobs N] [--reports DIR] [--work DIR]
       (also: make formal, node dist/formal/run.js)

Prove every unit listed in DIR/manifest.json equal to the golden model on its whole input space,
with Yosys (@yowasp/yosys), and write formal/reports/<config>.md and .json.

  --rtl DIR      generated configuration (default rtl-out)
  --only NAMES   comma-separated units (a family, e.g. dot, or a top module) or obligations
                 (e.g. mx_dot_e2m1_e8m0_k32.tree); a partial run writes <config>.partial.md / .json
  --timeout S    time limit per obligation in seconds (default ${DEFAULT_TIMEOUT_S}); past it the obligation is unknown
  --jobs N       proof workers (default: 2, or fewer CPUs)
  --reports DIR  report folder (default formal/reports)
  --work DIR     scripts, references and logs, one folder per configuration (default formal/work)

Exit codes: 0 all obligations proven; 1 an obligation failed, timed out or hit an error; 2 bad
arguments or manifest.`;

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The project root: the nearest folder above this module holding package.json. */
export function projectRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(d, 'package.json'))) return d;
    const up = dirname(d);
    if (up === d) throw new Error('cannot find package.json above ' + fileURLToPath(import.meta.url));
    d = up;
  }
}

function workerUrl(root: string): URL {
  const sibling = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  const built = join(root, 'dist', 'formal', 'worker.js');
  if (existsSync(built)) return pathToFileURL(built);
  throw new Error(`no proof worker: build first (npx tsc -p tsconfig.json writes ${built})`);
}

interface Options {
  readonly rtl: string;
  readonly only: string[] | null;
  readonly timeout: number;
  readonly jobs: number;
  readonly reports: string;
  readonly work: string;
}

function parseOptions(args: string[], root: string): Options | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        rtl: { type: 'string', default: 'rtl-out' },
        only: { type: 'string' },
        timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_S) },
        jobs: { type: 'string' },
        reports: { type: 'string' },
        work: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError(parserMessage(e, args, []));
  }
  if (values.help) return 'help';
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a positive number of seconds, got '${values.timeout}'`);
  const jobs = values.jobs === undefined ? Math.max(1, Math.min(2, availableParallelism())) : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs must be a whole number from 1 to 64, got '${values.jobs}'`);
  const only = values.only === undefined ? null : values.only.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (only !== null && only.length === 0) throw new UsageError('--only needs at least one unit or obligation name');
  return {
    rtl: values.rtl,
    only,
    timeout,
    jobs,
    reports: values.reports ?? join(root, 'formal', 'reports'),
    work: values.work ?? join(root, 'formal', 'work'),
  };
}

async function loadManifest(rtl: string): Promise<Manifest> {
  try {
    return (await readManifest(rtl)).manifest;
  } catch (e) {
    throw e instanceof ManifestError ? new UsageError(e.message) : e;
  }
}


interface LoadedUnit {
  readonly ref: UnitRef;
  /** the files whose sha256 differs from the manifest's (edited after generation) */
  readonly edited: readonly string[];
  readonly parts: readonly string[];
}

/**
 * The proofs model two-valued logic (no x or z). A generated file must not contain x or z
 * constants or `casex`; returns what was found, or null.
 */
export function fourValuedConstruct(verilog: string): string | null {
  const code = verilog.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
  const lit = /\d*'[sS]?(?:[bBoOhH][0-9a-fA-F_?xXzZ]*[xXzZ][0-9a-fA-F_?xXzZ]*|[dD][xXzZ])/.exec(code);
  if (lit) return `the literal ${lit[0]}`;
  if (/\bcasex\b/.test(code)) return 'a casex statement';
  return null;
}

/** Every name --only accepts, mapped to the obligation ids it selects. */
function selectable(units: readonly LoadedUnit[]): Map<string, string[]> {
  const names = new Map<string, string[]>();
  const add = (name: string, ids: string[]): void => {
    names.set(name, [...(names.get(name) ?? []), ...ids]);
  };
  for (const u of units) {
    const ids = u.parts.map((p) => `${u.ref.top}.${p}`);
    add(u.ref.family, ids);
    add(u.ref.top, ids);
    for (const id of ids) add(id, [id]);
  }
  return names;
}

function blankResult(status: Status, detail: string): ObligationResult {
  return { status, seconds: 0, detail, logs: [], products: [], warnings: [] };
}

export async function main(args: string[], io: CliIo = processIo): Promise<number> {
  const root = projectRoot();
  let opts: Options;
  let manifest: Manifest;
  try {
    const o = parseOptions(args, root);
    if (o === 'help') {
      io.out(HELP + '\n');
      return 0;
    }
    opts = o;
    manifest = await loadManifest(opts.rtl);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`formal: error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const t0 = performance.now();
  const started = new Date().toISOString();
  let config: string;
  try {
    config = configTag(makeConfig(manifest.config));
  } catch (e) {
    io.err(`formal: error: ${join(opts.rtl, MANIFEST_FILE)}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }

  const units: LoadedUnit[] = [];
  for (const u of manifest.units) {
    const files: { name: string; text: string }[] = [];
    const edited: string[] = [];
    for (const name of u.files) {
      const path = join(opts.rtl, name);
      try {
        const text = await readFile(path, 'utf8');
        files.push({ name, text });
        if (manifest.files.find((f) => f.name === name)?.sha256 !== sha256(text)) edited.push(name);
      } catch {
        io.err(`formal: error: ${path}: listed in ${join(opts.rtl, MANIFEST_FILE)} but cannot be read\n`);
        return 2;
      }
    }
    const family = familyOf(u.family);
    let registerStages = 0;
    try {
      registerStages = family?.registerStages?.(family.fromParameters(u.parameters)) ?? 0;
    } catch {
      // parameters the family refuses: the recipe's plan reports them
    }
    const ref: UnitRef = { family: u.family, top: u.top, files, ports: u.ports.map((p) => ({ name: p.name, dir: p.dir, width: p.width })), parameters: u.parameters, registerStages };
    const recipe = recipeFor(u.family);
    units.push({ ref, edited, parts: recipe ? recipe.parts(ref) : ['recipe'] });
  }

  let selected: Set<string> | null = null;
  if (opts.only !== null) {
    const names = selectable(units);
    selected = new Set();
    for (const n of opts.only) {
      const ids = names.get(n);
      if (!ids) {
        io.err(`formal: error: --only: no unit or obligation '${n}' in ${config} (choose from: ${[...names.keys()].join(', ')})\n`);
        return 2;
      }
      for (const id of ids) selected.add(id);
    }
  }
  const wanted = (u: LoadedUnit): string[] => u.parts.map((p) => `${u.ref.top}.${p}`).filter((id) => selected === null || selected.has(id));

  const workDir = join(opts.work, config);
  await mkdir(workDir, { recursive: true });
  const pool = new WorkerPool(opts.jobs, workerUrl(root));
  const timeoutMs = opts.timeout * 1000;
  let yosysRelease = 'unknown';
  const results = new Map<string, { spec: ObligationSpec | null; result: ObligationResult; title?: string; statement?: readonly string[] }>();
  const specs: ObligationSpec[] = [];

  try {
    // 1. elaborate each selected unit once: ports and wire widths of its modules for the plan
    const inspections = await Promise.all(
      units.map(async (u) => {
        if (wanted(u).length === 0 || !recipeFor(u.ref.family)) return null;
        // elaboration only: its own limit, so that a short --timeout applies to the proofs themselves
        return pool.run<InspectResult>({ type: 'inspect', files: u.ref.files, top: u.ref.top }, Math.max(timeoutMs, INSPECT_TIMEOUT_MS));
      }),
    );
    // 2. plan: references from the golden model, scripts, harnesses
    units.forEach((u, i) => {
      const ids = wanted(u);
      if (ids.length === 0) return;
      const recipe = recipeFor(u.ref.family);
      const fail = (status: Status, why: string): void => {
        for (const id of ids) results.set(id, { spec: null, result: blankResult(status, why) });
      };
      if (!recipe) return fail('error', `no proof recipe for unit family '${u.ref.family}': it is not proven`);
      const ins = inspections[i];
      if (ins === null || ins === undefined) return fail('error', 'not inspected');
      if (ins.kind === 'timeout') return fail('unknown', `elaborating ${u.ref.top} passed the time limit`);
      if (ins.kind === 'crash') return fail('error', ins.message);
      if (ins.value.version) yosysRelease = ins.value.version;
      if (ins.value.error !== null) return fail('error', `Yosys could not elaborate ${u.ref.top}: ${ins.value.error}`);
      for (const f of u.ref.files) {
        const fourValued = fourValuedConstruct(f.text);
        if (fourValued !== null) return fail('error', `${f.name} contains ${fourValued}; the proofs model two-valued logic only`);
      }
      const modules = ins.value.modules;
      const shape = (name: string): ModuleShape => {
        const m = modules[name];
        if (!m) throw new PlanError(`${u.ref.top} has no module ${name} in its hierarchy`);
        return m;
      };
      try {
        for (const s of recipe.plan(u.ref, shape)) {
          if (!ids.includes(s.id)) continue;
          if (isUnplanned(s)) results.set(s.id, { spec: null, result: blankResult(s.status, s.detail), title: s.title, statement: s.statement });
          else specs.push(s);
        }
      } catch (e) {
        if (!(e instanceof PlanError)) throw e;
        fail('error', e.message);
      }
    });

    if (yosysRelease === 'unknown') {
      const v = await pool.run<string | null>({ type: 'version' }, INSPECT_TIMEOUT_MS);
      if (v.kind === 'done' && v.value) yosysRelease = v.value;
    }

    // 3. the work folder: everything a rerun by hand needs
    for (const s of specs) {
      for (const f of s.unit.files) await writeFile(join(workDir, f.name), f.text);
      await writeFile(join(workDir, s.scriptFile), s.script);
      for (const f of [...s.files, ...(s.cexSearch?.files ?? [])]) await writeFile(join(workDir, f.name), f.text);
      if (s.cexSearch) await writeFile(join(workDir, s.cexSearch.scriptFile), s.cexSearch.script);
      if (s.referenceCheck) {
        await writeFile(join(workDir, s.referenceCheck.scriptFile), s.referenceCheck.script);
        for (const f of s.referenceCheck.files) await writeFile(join(workDir, f.name), f.text);
      }
    }

    // 4. run, longest first
    const order = [...specs].sort((x, y) => y.weight - x.weight);
    const total = order.length;
    let begun = 0;
    let finished = 0;
    await Promise.all(
      order.map(async (s) => {
        const outcome = await pool.run<ObligationResult>({ type: 'obligation', spec: s }, timeoutMs, () => {
          begun++;
          io.err(`formal: [${begun}/${total}] running ${s.id} (${s.method}) ...\n`);
        });
        let result: ObligationResult;
        if (outcome.kind === 'done') result = outcome.value;
        else if (outcome.kind === 'timeout') result = { ...blankResult('unknown', `timed out after ${opts.timeout} s (worker stopped)`), seconds: opts.timeout };
        else result = blankResult('error', `Yosys or the proof worker crashed: ${outcome.message}`);
        finished++;
        io.err(`formal: [${finished}/${total} done] ${s.id}: ${result.status} in ${secondsText(result.seconds)}${result.status === 'proven' ? '' : ` (${result.detail})`}\n`);
        for (const f of [...result.logs, ...result.products]) await writeFile(join(workDir, f.name), f.text);
        results.set(s.id, { spec: s, result });
      }),
    );
  } finally {
    await pool.close();
  }

  // 5. counterexample vector files and the report
  const partial = opts.only !== null;
  const cexDir = join(opts.reports, `${config}${partial ? '.partial' : ''}.cex`);
  if (!partial) await rm(cexDir, { recursive: true, force: true });
  const rel = (p: string): string => relative(root, resolve(p)) || '.';
  const unitReports: UnitReport[] = [];
  for (const u of units) {
    const ids = wanted(u);
    if (ids.length === 0) continue;
    const obligations: ObligationReport[] = [];
    for (const id of ids) {
      const r = results.get(id) ?? { spec: null, result: blankResult('error', 'not run') };
      const s = r.spec;
      let vectorFile: string | undefined;
      const cex = r.result.counterexample;
      if (cex?.vector) {
        const path = join(cexDir, `${id}.json`);
        await writeVectorFile(path, { unit: u.ref.top, ports: u.ref.ports }, [cex.vector]);
        vectorFile = rel(path);
      }
      const wd = rel(workDir);
      const rerun = s
        ? [
            `node dist/formal/run.js --rtl ${rel(opts.rtl)} --only ${id}`,
            ...(s.method === 'exhaustive'
              ? [`# the netlist alone: (cd ${wd} && node ${relative(workDir, join(root, 'dist', 'formal', 'yosys-cli.js'))} -s ${s.scriptFile})`]
              : [`(cd ${wd} && node ${relative(workDir, join(root, 'dist', 'formal', 'yosys-cli.js'))} -s ${s.scriptFile})   # or a system Yosys: yosys -s ${s.scriptFile}`]),
          ]
        : [];
      obligations.push({
        id,
        title: s?.title ?? r.title ?? id,
        statement: s?.statement ?? r.statement ?? [],
        method: s?.method ?? 'none',
        status: r.result.status,
        seconds: r.result.seconds,
        detail: r.result.detail,
        script: s ? rel(join(workDir, s.scriptFile)) : undefined,
        scriptText: s?.script,
        files: s ? [...s.unit.files.map((f) => f.name), ...s.files.map((f) => f.name)].map((f) => rel(join(workDir, f))) : [],
        logs: r.result.logs.map((l) => rel(join(workDir, l.name))),
        rerun,
        warnings: r.result.warnings,
        counterexample: cex,
        vectorFile,
      });
    }
    const recipe = recipeFor(u.ref.family);
    unitReports.push({
      family: u.ref.family,
      top: u.ref.top,
      files: u.ref.files.map((f) => ({ path: rel(join(opts.rtl, f.name)), sha256: sha256(f.text) })),
      edited: u.edited,
      coverage: recipe ? recipe.coverage(u.ref) : ['No proof recipe for this unit family: nothing is proven.'],
      obligations,
    });
  }
  const all = unitReports.flatMap((u) => u.obligations);
  const counts: Record<Status, number> = { proven: 0, failed: 0, unknown: 0, error: 0 };
  for (const o of all) counts[o.status]++;
  const ok = all.length > 0 && counts.proven === all.length;
  const report: Report = {
    format: 'mxrtl-formal-report/1',
    config,
    rtl: rel(opts.rtl),
    generator: { version: manifest.version, command: manifest.command },
    yosys: { release: yosysRelease, package: `@yowasp/yosys ${YOWASP_VERSION}` },
    node: process.version,
    cpus: availableParallelism(),
    jobs: opts.jobs,
    timeoutSeconds: opts.timeout,
    started,
    wallSeconds: (performance.now() - t0) / 1000,
    only: partial ? (opts.only ?? []).join(',') : null,
    result: ok ? 'proven' : 'not proven',
    counts,
    units: unitReports,
    sequential: sequentialText(units.map((u) => ({ top: u.ref.top, clocked: u.ref.ports.some((p) => p.dir === 'input' && p.name === CLOCK_PORT), registerStages: u.ref.registerStages ?? 0 }))),
  };
  await mkdir(opts.reports, { recursive: true });
  const base = join(opts.reports, `${config}${partial ? '.partial' : ''}`);
  await writeFile(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  await writeFile(`${base}.md`, renderMarkdown(report));

  for (const u of unitReports) {
    if (u.edited.length > 0) io.out(`formal: note: ${u.top}: edited after generation: ${editedText(u)}\n`);
    for (const o of u.obligations) io.out(`  ${o.status.toUpperCase().padEnd(8)} ${o.id.padEnd(44)} ${secondsText(o.seconds).padStart(8)}  ${o.status === 'proven' ? '' : o.detail}\n`);
  }
  const summary = ok
    ? `formal: PROVEN, ${config}: ${all.length} obligations in ${secondsText(report.wallSeconds)}`
    : `formal: NOT PROVEN, ${config}: ${counts.proven} of ${all.length} proven (${counts.failed} failed, ${counts.unknown} unknown, ${counts.error} error) in ${secondsText(report.wallSeconds)}`;
  io.out(`${summary}; report ${rel(base)}.md\n`);
  return ok ? 0 : 1;
}
