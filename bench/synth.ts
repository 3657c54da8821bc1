/**
 * Synthesis figures of the generated RTL: for every unit of each block size, Yosys (through
 * @yowasp/yosys, all runs in this one process) reports
 *
 *   generic   synth -flatten; stat; ltp -noff    cells and logic depth (longest topological path)
 *   iCE40     synth_ice40                         SB_LUT4 / SB_CARRY
 *   Xilinx    synth_xilinx -nodsp                 LUT1..LUT6 / CARRY4 + CARRY8
 *   ECP5      synth_ecp5 -nodsp                   LUT4 / CCU2C
 *
 *   node dist/bench/synth.js [--block 16,32]
 *
 * -nodsp keeps multipliers in fabric (otherwise even 2x2 products land in DSP blocks). Each flow
 * reads the Verilog afresh, so a netlist is never optimized by a second full abc run.
 * Prints a progress line per (unit, flow) to stderr and a Markdown table to stdout. A failed flow
 * shows its error in the table cell; the script then exits 1. Bad arguments exit 2.
 */
import { performance } from 'node:perf_hooks';
import { parseFlags, parseIntArg, UsageError } from '../generator/cli-args.js';
import { genCommandLine } from '../generator/generate.js';
import { renderUnits, type RenderedUnit } from '../generator/manifest.js';
import { makeConfig, MAX_BLOCK, MIN_BLOCK } from '../generator/units/config.js';
import { generateUnits } from '../generator/units/index.js';
import { YOWASP_VERSION, yosys, yosysError, yosysVersionLine } from '../formal/yosys.js';

const USAGE = 'usage: node dist/bench/synth.js [--block K[,K...]]   (default --block 16,32)';
const STAT_FILE = 'stat.json';
const LTP_FILE = 'ltp.txt';

type FlowName = 'generic' | 'ice40' | 'xilinx' | 'ecp5';

interface Flow {
  readonly name: FlowName;
  /** Yosys commands after read_verilog, for top module `top` */
  readonly script: (top: string) => string;
  /** the flow's figures from the cell counts of the design (and the ltp log for the generic flow) */
  readonly figures: (cells: Counts, total: number, ltp: string) => string[];
}

type Counts = Readonly<Record<string, number>>;

const count = (cells: Counts, ...types: string[]): number => types.reduce((sum, t) => sum + (cells[t] ?? 0), 0);

/** "Longest topological path in m (length=N):" from an ltp log. */
function ltpLength(log: string): number {
  const m = /Longest topological path in \S+ \(length=(\d+)\)/.exec(log);
  if (!m) throw new Error('ltp printed no longest path');
  return Number(m[1]);
}

const FLOWS: readonly Flow[] = [
  {
    name: 'generic',
    script: (top) => `synth -flatten -top ${top}`,
    figures: (_cells, total, ltp) => [String(total), String(ltpLength(ltp))],
  },
  {
    name: 'ice40',
    script: (top) => `synth_ice40 -top ${top}`,
    figures: (cells) => [`${count(cells, 'SB_LUT4')} / ${count(cells, 'SB_CARRY')}`],
  },
  {
    name: 'xilinx',
    script: (top) => `synth_xilinx -nodsp -top ${top}`,
    figures: (cells) => [`${count(cells, 'LUT1', 'LUT2', 'LUT3', 'LUT4', 'LUT5', 'LUT6')} / ${count(cells, 'CARRY4', 'CARRY8')}`],
  },
  {
    name: 'ecp5',
    script: (top) => `synth_ecp5 -nodsp -top ${top}`,
    figures: (cells) => [`${count(cells, 'LUT4')} / ${count(cells, 'CCU2C')}`],
  },
];

/** Table columns each flow fills: the generic flow two (cells, depth), the others one. */
const COLUMNS: Record<FlowName, number> = { generic: 2, ice40: 1, xilinx: 1, ecp5: 1 };

interface FlowResult {
  readonly cells: string[];
  readonly seconds: number;
  readonly failed: boolean;
}

/** Run one flow on one unit; a Yosys error or crash becomes the text of the flow's table cells. */
async function runFlow(flow: Flow, r: RenderedUnit): Promise<FlowResult> {
  const top = r.unit.module.name;
  const script = [
    `read_verilog ${r.file}`,
    flow.script(top),
    `tee -q -o ${STAT_FILE} stat -json`,
    ...(flow.name === 'generic' ? [`tee -q -o ${LTP_FILE} ltp -noff`] : []),
  ].join('; ');
  const t0 = performance.now();
  try {
    const run = await yosys(['-q', '-p', script], { [r.file]: r.text });
    const seconds = (performance.now() - t0) / 1000;
    if (run.code !== 0) throw new Error(yosysError(run.log) ?? `Yosys exited with ${run.code}`);
    const statText = run.files[STAT_FILE];
    if (statText === undefined) throw new Error('stat wrote no report');
    const design = (JSON.parse(statText) as { design?: { num_cells?: number; num_cells_by_type?: Counts } }).design;
    if (design?.num_cells === undefined) throw new Error('stat report has no design totals');
    const cells = flow.figures(design.num_cells_by_type ?? {}, design.num_cells, run.files[LTP_FILE] ?? '');
    return { cells, seconds, failed: false };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const cells = [`error: ${msg}`, ...Array<string>(COLUMNS[flow.name] - 1).fill('—')];
    return { cells, seconds: (performance.now() - t0) / 1000, failed: true };
  }
}

/** Block sizes from --block "16,32" (each checked like `mxrtl gen --block`), in order, no repeats. */
function parseBlocks(argv: readonly string[]): number[] {
  const { positional, values } = parseFlags(argv, ['--block'], ['--help'], { h: '--help' });
  if (values.has('--help')) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const text = values.get('--block') ?? '16,32';
  const blocks = text.split(',').map((k) => parseIntArg('--block', k, MIN_BLOCK, MAX_BLOCK));
  return [...new Set(blocks)];
}

/** A table cell: one line, with no `|` to break the row. */
const cell = (text: string): string => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');

async function main(argv: readonly string[]): Promise<number> {
  const blocks = parseBlocks(argv);
  const start = performance.now();
  const banner = await yosys(['-V'], {});
  const version = yosysVersionLine(banner.log) ?? banner.log.trim();
  const rows: string[] = [];
  let failures = 0;
  for (const k of blocks) {
    const config = makeConfig('e2m1', 'e8m0', k);
    for (const r of renderUnits(generateUnits(config, genCommandLine(config)))) {
      const cells: string[] = [];
      let seconds = 0;
      for (const flow of FLOWS) {
        const result = await runFlow(flow, r);
        cells.push(...result.cells);
        seconds += result.seconds;
        if (result.failed) failures++;
        const what = result.failed ? result.cells[0] : result.cells.join(', ');
        process.stderr.write(`synth: k=${k} ${r.unit.module.name} ${flow.name}: ${result.seconds.toFixed(1)} s  ${what}\n`);
      }
      rows.push(`| ${[r.unit.module.name, String(k), ...cells, seconds.toFixed(1)].map(cell).join(' | ')} |`);
    }
  }
  const total = (performance.now() - start) / 1000;
  const lines = [
    `mxrtl synthesis, e2m1 elements, e8m0 scales; ${version}, @yowasp/yosys ${YOWASP_VERSION}, node ${process.version}`,
    '',
    '| unit | k | generic cells | depth | iCE40 LUT4 / carry | Xilinx LUT / carry | ECP5 LUT4 / CCU2C | seconds |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `total ${total.toFixed(1)} s${failures > 0 ? `; ${failures} flow(s) failed` : ''}`,
  ];
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
