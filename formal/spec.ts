/**
 * The data that describes one proof obligation and its outcome. Plain, structured-clonable
 * objects: the plan is made in the main thread, obligations run in worker threads.
 */

export type Status = 'proven' | 'failed' | 'unknown' | 'error';

/** How an obligation is discharged. */
export type Method =
  /** Yosys `equiv_make` + `equiv_simple` (one SAT problem per output bit) + `equiv_status -assert` */
  | 'equiv'
  /** one Yosys `sat -prove` on a harness with assumptions */
  | 'sat'
  /** every point of an input space: the netlist Yosys builds, evaluated against the golden model */
  | 'exhaustive'
  /** Yosys `sat -tempinduct`: k-induction over a miter of two clocked netlists, from a reset on */
  | 'induction'
  /** a check of the elaborated netlist itself (Yosys write_json): the register stages of a pipeline */
  | 'netlist';

/** A file the proof reads or writes, by name inside the obligation's work folder. */
export interface WorkFile {
  readonly name: string;
  readonly text: string;
}

export interface PortInfo {
  readonly name: string;
  readonly dir: 'input' | 'output';
  readonly width: number;
}

/** The generated unit an obligation is about. */
export interface UnitRef {
  readonly family: string;
  readonly top: string;
  /** every file of the unit's hierarchy (submodules first), as read from the RTL folder */
  readonly files: readonly WorkFile[];
  readonly ports: readonly PortInfo[];
  /** the unit's parameters as the manifest stores them */
  readonly parameters: Readonly<Record<string, string | number>>;
  /** a pipeline's register stages (its family's registerStages; absent or 0: none) */
  readonly registerStages?: number;
}

/** The Yosys run that looks for a counterexample once an `equiv` proof has failed. */
export interface CexSearch {
  readonly scriptFile: string;
  readonly script: string;
  readonly files: readonly WorkFile[];
}

/** Bits [lo, lo + width) of a port of the netlist (an input, or an output or observed wire). */
export interface Field {
  readonly port: string;
  readonly lo: number;
  readonly width: number;
}

/** A cut net read under another name: input `alias` (width bits) is the same net as input `cut`. */
export interface Tie {
  readonly alias: string;
  readonly cut: string;
  readonly width: number;
}

/**
 * Which golden function an exhaustive obligation compares with; plain data, so that the proof
 * worker rebuilds the function from the golden model itself.
 */
export type GoldenRef =
  /** a multiplier lane: (a, b) -> prod, then the listed flags */
  | { readonly kind: 'product'; readonly elemA: string; readonly elemB: string; readonly prodWidth: number; readonly flags: readonly ('nan' | 'pinf' | 'ninf')[] }
  /** a dequantizer lane: (element, scale) -> result */
  | { readonly kind: 'dequant'; readonly elem: string; readonly scale: string; readonly out: string }
  /** an unsigned multiplier: (x, y) -> x * y */
  | { readonly kind: 'multiply' }
  /** a lane of the fused dot-add: (a, b) -> sig, exp + 252, sign, then the listed flags (src/fused.ts fusedProduct) */
  | { readonly kind: 'fused-lane'; readonly elemA: string; readonly elemB: string; readonly flags: readonly ('nan' | 'pinf' | 'ninf')[] }
  /** the scale pair of a dot product: (scale_a, scale_b) -> sig, exp, nan, zero (those the unit has) */
  | { readonly kind: 'scales'; readonly scale: string; readonly outputs: readonly ('sig' | 'exp' | 'nan' | 'zero')[] };

/**
 * Every lane of the netlist receives the same pattern (its own inputs, then the shared ones); the
 * outputs of each lane are compared with the golden function of the pattern. A lane's outputs must
 * depend on nothing but its inputs and the shared ones (checked on the netlist first), so the
 * pattern space is the whole input space of every lane.
 */
export interface LaneSpace {
  readonly type: 'lanes';
  /** the AIGER netlist and map the script writes, the port list, and the module */
  readonly aagFile: string;
  readonly mapFile: string;
  readonly portsFile: string;
  readonly top: string;
  readonly lanes: readonly { readonly inputs: readonly Field[]; readonly outputs: readonly Field[] }[];
  readonly shared: readonly Field[];
  readonly golden: GoldenRef;
  /** other names of cut inputs, given the cut's values */
  readonly ties?: readonly Tie[];
  /** the lanes are instances of `top` inside another module: the wiring checked there */
  readonly instances?: LaneInstances;
}

/**
 * The lanes of a block are instances of one lane module. The evaluation is of that module alone (one
 * lane); the parent's elaborated netlist (not flattened) is checked to hold exactly one instance per
 * lane, every port of each connected to the stated bits of the parent, each output bit driven by that
 * instance and nothing else.
 */
export interface LaneInstances {
  readonly parent: string;
  /** the parent's netlist as Yosys writes it (write_json, after proc) */
  readonly jsonFile: string;
  /** per lane: each port of the lane module and the bits of the parent it connects to */
  readonly lanes: readonly Readonly<Record<string, Field>>[];
}

/**
 * The rounding stage of a dot product: every (sign, exp, mag) with mag <= magMax and exp <= expMax,
 * the NaN / Inf inputs held at 0; result = roundToFloat(out, sign, mag, exp + expOffset), +0 for
 * mag = 0.
 */
export interface RoundSpace {
  readonly type: 'round';
  readonly aagFile: string;
  readonly mapFile: string;
  readonly portsFile: string;
  readonly top: string;
  readonly mag: string;
  readonly magMax: bigint;
  /** only these magnitudes (a boundary check), instead of every one from 0 to magMax */
  readonly mags?: readonly bigint[];
  readonly exp: string;
  readonly expMax: number;
  readonly expOffset: number;
  readonly sign: string;
  /** inputs held at 0 (the NaN and Inf flags) */
  readonly zeros: readonly string[];
  readonly result: string;
  readonly out: string;
  /** the rounder's options (default: overflow to Inf, subnormals kept) */
  readonly options?: { readonly overflow?: 'inf' | 'saturate'; readonly subnormals?: 'keep' | 'flush'; readonly mode?: 'nearest-even' | 'toward-zero'; readonly keepFraction?: number };
  /** the sign of an exact zero (default +0, the dot product's rule) */
  readonly zero?: 'positive' | 'keep-sign';
  /** other names of cut inputs, given the cut's values */
  readonly ties?: readonly Tie[];
}

export type ExhaustiveSpace = LaneSpace | RoundSpace;

export interface ObligationSpec {
  /** "<top module>.<part>", e.g. "mx_dot_e2m1_e8m0_k32.tree" */
  readonly id: string;
  readonly unit: UnitRef;
  /** one line: what is proven */
  readonly title: string;
  /** the statement, in a few lines, with its assumptions */
  readonly statement: readonly string[];
  readonly method: Method;
  readonly scriptFile: string;
  readonly script: string;
  /** every file the script reads besides the RTL copy */
  readonly files: readonly WorkFile[];
  readonly cexSearch?: CexSearch;
  readonly space?: ExhaustiveSpace;
  /** the recipe's part name, when the id is not "<unit top>.<part>" (an obligation on a submodule of the unit) */
  readonly part?: string;
  /**
   * structural checks run first, each on a module of the unit as elaborated (Yosys write_json after
   * proc): its instances of a module, wired as stated (see formal/wiring.ts)
   */
  readonly wiring?: readonly { readonly lane: string; readonly instances: LaneInstances }[];
  /** a reference module's own check against the golden model, run before the proof that uses it */
  readonly referenceCheck?: { readonly scriptFile: string; readonly script: string; readonly files: readonly WorkFile[]; readonly space: RoundSpace };
  /** a netlist obligation: the pipeline's path check (formal/pipeline.ts) on the JSON the script writes */
  readonly pipeline?: { readonly top: string; readonly stages: number; readonly clock: string; readonly jsonFile: string };
  /** rough cost, to start the longest obligations first */
  readonly weight: number;
}

/** A counterexample as reported. */
export interface Counterexample {
  /** values at the proof's own inputs (ports or cut points), decoded */
  readonly at: readonly string[];
  /** an input vector of the whole unit that shows the difference (hex per input port), if one exists */
  readonly vector?: Readonly<Record<string, string>>;
  /** the vector's inputs in format values */
  readonly inputs: readonly string[];
  /** golden-model output on the vector, hex and value */
  readonly expected?: string;
  /** the generated unit's output on the vector, evaluated by Yosys on the whole unit (no cut) */
  readonly actual?: string;
  /** the whole unit's output on the vector differs from the golden model's */
  readonly confirmed: boolean;
  readonly note?: string;
}

export interface ObligationResult {
  readonly status: Status;
  readonly seconds: number;
  /** one line: what the engine reported */
  readonly detail: string;
  readonly counterexample?: Counterexample;
  /** Yosys logs by file name (written into the work folder) */
  readonly logs: readonly WorkFile[];
  /** further files the run produced (the netlist of an exhaustive evaluation) */
  readonly products: readonly WorkFile[];
  /** warnings Yosys printed */
  readonly warnings: readonly string[];
}
