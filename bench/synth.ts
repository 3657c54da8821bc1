/**
 * Synthesis figures of the generated RTL: for every selected unit, the flows of generator/synth.ts
 * (generic cells, flip-flops and depth; iCE40, Xilinx and ECP5 LUTs and carry cells).
 *
 *   node dist/bench/synth.js [--block K[,K...]] [--pairs all|same|A:B[,A:B...]] [--scale S] [--out-format F]
 *                            [--units dotsum,dot,mul,dequant,mac_array,fused,quant] [--flows generic,ice40,xilinx,ecp5] [--shard i/n]
 *                            [--array RxC] [--stages S[,S...]] [--accum fp32|exact|blackwell|hopper] [--gpu blackwell|blackwell-f4|hopper] [--recipe floor|ceil|nv]
 *                            [--adders operator|ripple[,...]]
 *
 * Defaults: k = 32, every element pair (A x B, 36), E8M0 scales, FP32 results, the exact-sum core
 * (dotsum: the k products and the adder tree) and the whole dot product, the generic flow. When the
 * run holds the E2M1 and E4M3 cores at k = 32, a second table sets them next to the published
 * figures of the open MX-for-FPGA exact dot product. `--units mac_array` synthesizes the MAC array
 * (default 4 x 4, `--accum fp32|exact`) once per `--stages` value with its hierarchy kept (each PE
 * module synthesized once, stat counting every instance, the depth taken on the flattened result),
 * `--units mac_pe` one of its processing elements; `--units fused` the GPU-compatible fused dot-add
 * of `--gpu` (k = 32; blackwell-f4: k = 64, with --block 64 --pairs e2m1:e2m1 --scale e8m0|ue4m3);
 * `--units quant` the quantizer of `--recipe` (floor, ceil, or nv with --scale ue4m3|ue5m3; --pairs names its element format),
 * once per `--stages` value (0 .. 2). `--adders` lists the adder styles of the exact sums (gen --adders)
 * to synthesize the dot product, the fused dot-add and the MAC array with, one job each (default operator).
 *
 * Prints a progress line per (unit, flow) to stderr and Markdown tables to stdout. A failed flow
 * shows its error in the table cell; the script then exits 1. Bad arguments exit 2.
 */
import { performance } from 'node:perf_hooks';
import { parseFlags, parseIntArg, UsageError } from '../generator/cli-args.js';
import { generateConfig } from '../generator/generate.js';
import { DEFAULT_ADDERS, MAC_ACCUMULATIONS, MAX_BLOCK, MAX_MAC_STAGES, MAX_QUANT_STAGES, MIN_BLOCK, adderStyle, addersSuffix, elementFormat, makeConfig, parseArray, type MacAccumulationName } from '../generator/units/config.js';
import type { AdderStyle } from '../generator/raw/add_tree.js';
import { YOWASP_VERSION, yosys, yosysVersionLine } from '../formal/yosys.js';
import { FLOW_NAMES, isFlowName, synthesize, type FlowName } from '../generator/synth.js';
import { ELEMENT_FORMATS } from '../src/index.js';

const USAGE =
  'usage: node dist/bench/synth.js [--block K[,K...]] [--pairs all|same|A:B[,A:B...]] [--scale S] [--out-format F] [--units LIST] [--flows LIST] [--shard i/n] [--array RxC] [--stages S[,S...]] [--accum fp32|exact|blackwell|hopper] [--gpu blackwell|blackwell-f4|hopper] [--recipe floor|ceil|nv] [--adders operator|ripple[,...]]';

/** Table columns each flow fills: the generic flow three (cells, flip-flops, depth), the others one. */
const COLUMNS: Record<FlowName, number> = { generic: 3, ice40: 1, xilinx: 1, ecp5: 1 };

interface FlowCells {
  readonly cells: string[];
  readonly seconds: number;
  readonly failed: boolean;
}

/** One flow's table cells; a Yosys error or crash becomes the text of the cells. */
async function runFlow(flow: FlowName, top: string, files: Record<string, string>, hier = false): Promise<FlowCells> {
  const r = await synthesize(flow, top, files, hier);
  if (!r.ok) return { cells: [`error: ${r.error}`, ...Array<string>(COLUMNS[flow] - 1).fill('—')], seconds: r.seconds, failed: true };
  const f = r.figures;
  const cells = flow === 'generic' ? [String(f.cells), String(f.flipFlops), String(f.depth)] : [`${f.luts} / ${f.carries}`];
  return { cells, seconds: r.seconds, failed: false };
}

/** The published generic-flow figures of MX-for-FPGA's exact dot product at k = 32 (yowasp 0.55, synth -flatten). */
const PEER: Record<string, { cells: number; depth: number }> = { e2m1: { cells: 5394, depth: 49 }, e4m3: { cells: 17816, depth: 74 } };

const UNIT_KINDS = ['mul', 'dequant', 'dotsum', 'dot', 'mac_pe', 'mac_array', 'fused', 'quant'] as const;
type UnitKind = (typeof UNIT_KINDS)[number];

interface Options {
  readonly blocks: number[];
  readonly pairs: [string, string][];
  readonly scale: string;
  readonly out: string;
  readonly units: UnitKind[];
  readonly flows: FlowName[];
  readonly shard: { index: number; count: number };
  /** the MAC array's shape and its stage counts (each one a job) */
  readonly array: { rows: number; cols: number };
  readonly stages: number[];
  readonly accum: MacAccumulationName;
  /** the GPU instruction of the fused unit */
  readonly gpu: string;
  /** the quantizer's recipe */
  readonly recipe: string;
  /** the adder styles of the dot product's and the PE's exact sum (each one a job) */
  readonly adders: AdderStyle[];
}

function parseOptions(argv: readonly string[]): Options {
  const { positional, values } = parseFlags(argv, ['--block', '--pairs', '--scale', '--out-format', '--units', '--flows', '--shard', '--array', '--stages', '--accum', '--gpu', '--recipe', '--adders'], ['--help'], { h: '--help' });
  if (values.has('--help')) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const blocks = [...new Set((values.get('--block') ?? '32').split(',').map((k) => parseIntArg('--block', k, MIN_BLOCK, MAX_BLOCK)))];
  const names = Object.keys(ELEMENT_FORMATS);
  const pairsText = values.get('--pairs') ?? 'all';
  const pairs: [string, string][] =
    pairsText === 'all'
      ? names.flatMap((a) => names.map((b) => [a, b] as [string, string]))
      : pairsText === 'same'
        ? names.map((a) => [a, a] as [string, string])
        : pairsText.split(',').map((p) => {
            const [a, b] = p.split(':');
            return [elementFormat(a).name, elementFormat(b ?? a).name] as [string, string];
          });
  const units = (values.get('--units') ?? 'dotsum,dot').split(',').map((u) => {
    if (!(UNIT_KINDS as readonly string[]).includes(u)) throw new UsageError(`--units: unknown unit '${u}' (one of: ${UNIT_KINDS.join(', ')})`);
    return u as UnitKind;
  });
  const flows = (values.get('--flows') ?? 'generic').split(',').map((f) => {
    if (!isFlowName(f)) throw new UsageError(`--flows: unknown flow '${f}' (one of: ${FLOW_NAMES.join(', ')})`);
    return f;
  });
  const sh = /^(\d+)\/(\d+)$/.exec(values.get('--shard') ?? '1/1');
  if (!sh || Number(sh[1]) < 1 || Number(sh[1]) > Number(sh[2])) throw new UsageError(`--shard needs i/n with 1 <= i <= n, got '${values.get('--shard')}'`);
  const array = parseArray(values.get('--array') ?? '4x4');
  // register stages of the array (0 .. MAX_MAC_STAGES) and of the quantizer (0 .. MAX_QUANT_STAGES)
  const stages = [...new Set((values.get('--stages') ?? '0').split(',').map((x) => parseIntArg('--stages', x, 0, Math.max(MAX_MAC_STAGES, MAX_QUANT_STAGES))))];
  if (units.some((u) => u === 'mac_array' || u === 'mac_pe') && stages.some((x) => x > MAX_MAC_STAGES)) throw new UsageError(`--stages: the MAC array has 0 .. ${MAX_MAC_STAGES} register stages`);
  const accum = values.get('--accum') ?? 'fp32';
  if (!(MAC_ACCUMULATIONS as readonly string[]).includes(accum)) throw new UsageError(`--accum: unknown accumulation '${accum}' (one of: ${MAC_ACCUMULATIONS.join(', ')})`);
  const adders = [...new Set((values.get('--adders') ?? DEFAULT_ADDERS).split(',').map((x) => adderStyle(x)))];
  return { adders, blocks, pairs, scale: values.get('--scale') ?? 'e8m0', out: values.get('--out-format') ?? 'fp32', units, flows, shard: { index: Number(sh[1]), count: Number(sh[2]) }, array, stages, accum: accum as MacAccumulationName, gpu: values.get('--gpu') ?? 'blackwell', recipe: values.get('--recipe') ?? 'floor' };
}

/** A table cell: one line, with no `|` to break the row. */
const cell = (text: string): string => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');

async function main(argv: readonly string[]): Promise<number> {
  const opts = parseOptions(argv);
  const start = performance.now();
  const banner = await yosys(['-V'], {});
  const version = yosysVersionLine(banner.log) ?? banner.log.trim();
  const rows: string[] = [];
  /** the exact-sum cores at k = 32 by element format and adder style */
  const cores = new Map<string, { cells: number; depth: number }>();
  /** generic cells and depth by unit kind, block size and "A:B" */
  const generic = new Map<string, string>();
  let failures = 0;
  // every (block, pair, unit) job, dealt round-robin to the shards
  const jobs: { k: number; a: string; b: string; unit: UnitKind; stages: number; adders: AdderStyle }[] = [];
  const summed = (unit: UnitKind): boolean => unit === 'dotsum' || unit === 'dot' || unit === 'mac_pe' || unit === 'mac_array' || unit === 'fused';
  for (const k of opts.blocks) {
    for (const [a, b] of opts.pairs)
      for (const unit of opts.units)
        for (const adders of summed(unit) ? opts.adders : [DEFAULT_ADDERS])
          for (const stages of unit === 'mac_array' || unit === 'mac_pe' || unit === 'quant' ? opts.stages : [0]) jobs.push({ k, a, b, unit, stages, adders });
  }
  const mine = jobs.filter((_, i) => i % opts.shard.count === opts.shard.index - 1);
  const done = new Set<string>();
  for (const [n, job] of mine.entries()) {
    const mac =
      job.unit === 'mac_array' || job.unit === 'mac_pe'
        ? { units: ['mac_array'], mac: { ...opts.array, stages: job.stages, accum: opts.accum } }
        : job.unit === 'fused'
          ? { units: ['fused'], gpu: opts.gpu }
          : job.unit === 'quant'
            ? { units: ['quant'], quant: { recipe: opts.recipe, stages: job.stages } }
            : {};
    const g = generateConfig(makeConfig({ elemA: job.a, elemB: job.b, scale: opts.scale, out: opts.out, block: job.k, adders: job.adders, ...mac }));
    const family = job.unit === 'dotsum' ? 'dot' : job.unit === 'mac_pe' ? 'mac_array' : job.unit;
    const units = g.manifest.units.filter((u) => u.family === family);
    for (const u of units) {
      // the exact-sum core is the dot product's second-to-last module, the PE the array's
      const files = job.unit === 'dotsum' || job.unit === 'mac_pe' ? u.files.slice(0, -1) : u.files;
      const top = files[files.length - 1].replace(/\.v$/, '');
      if (done.has(top)) continue;
      done.add(top);
      const texts: Record<string, string> = {};
      for (const f of files) texts[f] = g.files.find((x) => x.name === f)?.text ?? '';
      const cells: string[] = [];
      let seconds = 0;
      for (const flow of opts.flows) {
        const result = await runFlow(flow, top, texts, job.unit === 'mac_array');
        cells.push(...result.cells);
        seconds += result.seconds;
        if (result.failed) failures++;
        if (flow === 'generic' && !result.failed && job.unit === 'dotsum' && job.k === 32 && job.a === job.b) cores.set(`${job.a}/${job.adders}`, { cells: Number(result.cells[0]), depth: Number(result.cells[2]) });
        if (flow === 'generic' && !result.failed && units.length === 1) generic.set(`${job.unit}/${job.k}/${job.a}:${job.b}${addersSuffix(job.adders)}`, `${Number(result.cells[0]).toLocaleString('en-US')} / ${result.cells[2]}`);
        process.stderr.write(`synth: [${n + 1}/${mine.length}] ${top} ${flow}: ${result.seconds.toFixed(1)} s  ${result.failed ? result.cells[0] : result.cells.join(', ')}\n`);
      }
      rows.push(`| ${[top, String(job.k), ...cells, seconds.toFixed(1)].map(cell).join(' | ')} |`);
    }
  }
  const total = (performance.now() - start) / 1000;
  const header = ['unit', 'k', ...opts.flows.flatMap((f) => (f === 'generic' ? ['generic cells', 'flip-flops', 'depth (longest path between registers)'] : [{ ice40: 'iCE40 LUT4 / carry', xilinx: 'Xilinx LUT / carry', ecp5: 'ECP5 LUT4 / CCU2C' }[f]])), 'seconds'];
  const lines = [
    `mxrtl synthesis, ${opts.scale} scales, ${opts.out} results${opts.shard.count > 1 ? `, shard ${opts.shard.index}/${opts.shard.count}` : ''}; ${version}, @yowasp/yosys ${YOWASP_VERSION}, node ${process.version}`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows,
  ];
  // every A x B pair of a unit and block size present: the same figures as a matrix
  const names = Object.keys(ELEMENT_FORMATS);
  for (const unit of opts.units) {
    if (unit === 'dequant') continue;
    for (const k of opts.blocks) {
      for (const adders of opts.adders) {
        const key = (a: string, b: string): string => `${unit}/${k}/${a}:${b}${addersSuffix(adders)}`;
        if (!names.every((a) => names.every((b) => generic.has(key(a, b))))) continue;
        lines.push(
          '',
          `${unit}, k = ${k}${opts.adders.length > 1 ? `, --adders ${adders}` : ''}: generic cells / depth, A element format by row, B by column:`,
          '',
          `| A \\ B | ${names.map((n) => n.toUpperCase()).join(' | ')} |`,
          `|---|${names.map(() => '---:').join('|')}|`,
          ...names.map((a) => `| ${a.toUpperCase()} | ${names.map((b) => generic.get(key(a, b))).join(' | ')} |`),
        );
      }
    }
  }
  const peers = Object.keys(PEER).flatMap((f) => opts.adders.filter((st) => cores.has(`${f}/${st}`)).map((st) => ({ f, st, c: cores.get(`${f}/${st}`) as { cells: number; depth: number } })));
  if (peers.length > 0) {
    lines.push(
      '',
      'Exact-sum core (k products and the adder tree, k = 32) next to MX-for-FPGA\'s exact dot product (yowasp 0.55, synth -flatten):',
      '',
      '| elements | --adders | mxrtl cells | depth | MX-for-FPGA cells | depth | cell ratio |',
      '|---|---|---|---|---|---|---|',
      ...peers.map(({ f, st, c }) => `| ${f.toUpperCase()} | ${st} | ${c.cells} | ${c.depth} | ${PEER[f].cells} | ${PEER[f].depth} | ${(c.cells / PEER[f].cells).toFixed(2)} |`),
    );
  }
  lines.push('', `total ${total.toFixed(1)} s${failures > 0 ? `; ${failures} flow(s) failed` : ''}`);
  process.stdout.write(lines.join('\n') + '\n');
  return failures > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`synth: error: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`synth: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
