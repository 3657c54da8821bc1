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
  /** every point of the stage's input space: the netlist Yosys builds, evaluated against the golden model */
  | 'exhaustive';

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
  readonly kind: string;
  readonly top: string;
  readonly file: string;
  readonly text: string;
  readonly ports: readonly PortInfo[];
  /** block size (lanes), 1 for the multiplier */
  readonly k: number;
}

/** The Yosys run that looks for a counterexample once an `equiv` proof has failed. */
export interface CexSearch {
  readonly scriptFile: string;
  readonly script: string;
  readonly files: readonly WorkFile[];
}

/** Parameters of the exhaustive evaluation of the dot product's normalize-and-round stage. */
export interface RoundStageSpace {
  /** the AIGER (ASCII) file and its map that the script writes */
  readonly aagFile: string;
  readonly mapFile: string;
  /** |sum| <= sumMax (units of the product LSB) */
  readonly sumMax: number;
  /** exponent range the scales give when neither is NaN */
  readonly expLo: number;
  readonly expHi: number;
  /** the cut inputs of the stage, by their RTL names */
  readonly sumWire: string;
  readonly expWire: string;
  readonly nanWire: string;
  readonly resultPort: string;
}

export interface ObligationSpec {
  /** "<unit kind>.<part>", e.g. "dot_e2m1_e8m0.tree" */
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
  readonly roundSpace?: RoundStageSpace;
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
