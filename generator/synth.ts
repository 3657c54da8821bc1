/**
 * Synthesis figures of generated Verilog with Yosys (through @yowasp/yosys, in this process):
 *
 *   generic   synth -flatten; stat; ltp -noff    cells, flip-flops and logic depth (longest topological path
 *                                               between registers and ports)
 *   iCE40     synth_ice40                         SB_LUT4 / SB_CARRY
 *   Xilinx    synth_xilinx -nodsp                 LUT1..LUT6 / CARRY4 + CARRY8
 *   ECP5      synth_ecp5 -nodsp                   LUT4 / CCU2C
 *
 * -nodsp keeps multipliers in fabric (otherwise even 2x2 products land in DSP blocks). Each flow
 * reads the Verilog afresh, so a netlist is never optimized by a second full abc run. Used by
 * bench/synth (the figures in README) and by `mxrtl explore` (the hardware cost of a configuration).
 */
import { performance } from 'node:perf_hooks';
import { yosys, yosysError } from '../formal/yosys.js';

export const FLOW_NAMES = ['generic', 'ice40', 'xilinx', 'ecp5'] as const;
export type FlowName = (typeof FLOW_NAMES)[number];

/** What one flow measured: the generic flow cells, flip-flops and depth; an FPGA flow its LUTs and carry cells. */
export interface FlowFigures {
  readonly flow: FlowName;
  /** every cell of the netlist */
  readonly cells: number;
  readonly flipFlops?: number;
  readonly depth?: number;
  readonly luts?: number;
  readonly carries?: number;
}

export type FlowResult = { readonly ok: true; readonly figures: FlowFigures; readonly seconds: number } | { readonly ok: false; readonly error: string; readonly seconds: number };

type Counts = Readonly<Record<string, number>>;

const count = (cells: Counts, ...types: string[]): number => types.reduce((sum, t) => sum + (cells[t] ?? 0), 0);

interface Flow {
  /** Yosys commands after read_verilog, for top module `top`; `hier` keeps the hierarchy (each submodule synthesized once) */
  readonly script: (top: string, hier: boolean) => string;
  /** LUT and carry cell types of an FPGA flow */
  readonly lut?: { readonly luts: readonly string[]; readonly carries: readonly string[] };
}

const FLOWS: Record<FlowName, Flow> = {
  generic: { script: (top, hier) => `synth${hier ? '' : ' -flatten'} -top ${top}` },
  ice40: { script: (top, hier) => `synth_ice40${hier ? ' -noflatten' : ''} -top ${top}`, lut: { luts: ['SB_LUT4'], carries: ['SB_CARRY'] } },
  xilinx: { script: (top) => `synth_xilinx -nodsp -top ${top}`, lut: { luts: ['LUT1', 'LUT2', 'LUT3', 'LUT4', 'LUT5', 'LUT6'], carries: ['CARRY4', 'CARRY8'] } },
  ecp5: { script: (top, hier) => `synth_ecp5 -nodsp${hier ? ' -noflatten' : ''} -top ${top}`, lut: { luts: ['LUT4'], carries: ['CCU2C'] } },
};

/** A flow by name, or null. */
export function isFlowName(name: string): name is FlowName {
  return (FLOW_NAMES as readonly string[]).includes(name);
}

const STAT_FILE = 'stat.json';
const LTP_FILE = 'ltp.txt';

/** "Longest topological path in m (length=N):" from an ltp log. */
function ltpLength(log: string): number {
  const m = /Longest topological path in \S+ \(length=(\d+)\)/.exec(log);
  if (!m) throw new Error('ltp printed no longest path');
  return Number(m[1]);
}

/**
 * Run one flow on module `top` with the files of its hierarchy (name -> text). A Yosys error or
 * crash is returned as the error text, never thrown. `hier` keeps the hierarchy: stat counts every
 * instance of a submodule, the depth is taken on the flattened result.
 */
export async function synthesize(flowName: FlowName, top: string, files: Readonly<Record<string, string>>, hier = false): Promise<FlowResult> {
  const flow = FLOWS[flowName];
  const script = [
    ...Object.keys(files).map((f) => `read_verilog ${f}`),
    flow.script(top, hier),
    `tee -q -o ${STAT_FILE} stat -json -top ${top}`,
    ...(flowName === 'generic' ? [...(hier ? ['flatten'] : []), `tee -q -o ${LTP_FILE} ltp -noff`] : []),
  ].join('; ');
  const t0 = performance.now();
  try {
    const run = await yosys(['-q', '-p', script], files);
    const seconds = (performance.now() - t0) / 1000;
    if (run.code !== 0) throw new Error(yosysError(run.log) ?? `Yosys exited with ${run.code}`);
    const statText = run.files[STAT_FILE];
    if (statText === undefined) throw new Error('stat wrote no report');
    const design = (JSON.parse(statText) as { design?: { num_cells?: number; num_cells_by_type?: Counts } }).design;
    if (design?.num_cells === undefined) throw new Error('stat report has no design totals');
    const byType = design.num_cells_by_type ?? {};
    const figures: FlowFigures = flow.lut
      ? { flow: flowName, cells: design.num_cells, luts: count(byType, ...flow.lut.luts), carries: count(byType, ...flow.lut.carries) }
      : {
          flow: flowName,
          cells: design.num_cells,
          flipFlops: Object.entries(byType).reduce((n, [t, c]) => n + (/^\$_\w*DFF/.test(t) ? c : 0), 0),
          depth: ltpLength(run.files[LTP_FILE] ?? ''),
        };
    return { ok: true, figures, seconds };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e), seconds: (performance.now() - t0) / 1000 };
  }
}
