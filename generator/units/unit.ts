/**
 * A unit family (mul, dequant, dot) is defined once, in generator/units/<family>.ts: which units a
 * configuration asks for, their parameters as the manifest stores them, their Verilog, their cut
 * points and their golden function on port values. The simulation bench (sim/units/<family>.ts)
 * and the proof recipe (formal/recipes/<family>.ts) of the same name build on that definition.
 */
import type { VerilogModule } from '../verilog/module.js';
import type { FamilyName, GenConfig } from './config.js';

/** The clock input of a clocked unit (registers update on its rising edge); combinational units have none. */
export const CLOCK_PORT = 'clk';

/** Port values of one vector, as unsigned bigints (bits above a port's width zero). */
export type PortValues = Readonly<Record<string, bigint>>;

/** A generated unit: its top module and every module below it, submodules first, one per file. */
export interface Unit {
  readonly family: FamilyName;
  readonly top: VerilogModule;
  /** every module of the unit's hierarchy, each module once, the top last */
  readonly modules: readonly VerilogModule[];
  /** the unit's parameters as the manifest stores them (format names, block size, derived widths) */
  readonly parameters: Readonly<Record<string, string | number>>;
}

export interface UnitFamily<P> {
  readonly name: FamilyName;
  /** one line: what a unit of the family computes */
  readonly summary: string;
  /** the units of this family that configuration `c` asks for */
  instances(c: GenConfig): P[];
  /** the parameters back from a manifest's `parameters` (throws an Error naming what is wrong) */
  fromParameters(r: Readonly<Record<string, unknown>>): P;
  generate(p: P, command: string): Unit;
  /** the golden model's outputs for one input vector */
  golden(p: P): (inputs: PortValues) => Record<string, bigint>;
  /** an input vector in format values, one line per input port */
  describeInputs(p: P, inputs: PortValues): string[];
  /** an output value in format values */
  describeOutput(p: P, port: string, value: bigint): string;
  /**
   * A pipeline: the register stages of a unit whose only state is its stage registers (each value
   * moves one stage on per rising edge). Absent or 0: combinational, or a clocked unit with state of
   * its own (its bench has a cycle model).
   */
  registerStages?(p: P): number;
}

/**
 * Rising edges between the inputs clocked in and the outputs that show them, for outputs read just
 * after each edge: S - 1 for a pipeline of S stages (its latency is S cycles), else 0.
 */
export function outputDelay<P>(f: UnitFamily<P>, p: P): number {
  return Math.max(0, (f.registerStages?.(p) ?? 0) - 1);
}

/** Every module of several units, each once, in first-use order (for writing files). */
export function uniqueModules(units: readonly Unit[]): VerilogModule[] {
  const seen = new Map<string, VerilogModule>();
  for (const u of units) {
    for (const m of u.modules) {
      const known = seen.get(m.name);
      if (known && known.render() !== m.render()) throw new Error(`two different modules named ${m.name}`);
      if (!known) seen.set(m.name, m);
    }
  }
  return [...seen.values()];
}
