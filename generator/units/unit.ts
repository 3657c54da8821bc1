/** A generated unit: one Verilog module in one file, plus what the manifest says of it. */
import type { VerilogModule } from '../verilog/module.js';
import type { GenConfig } from './config.js';

export interface Unit {
  /** short name shared with the golden function and the proof recipe (e.g. "dot_e2m1_e8m0") */
  readonly kind: string;
  readonly module: VerilogModule;
  /** configuration values the module was generated for */
  readonly parameters: Record<string, string | number>;
}

export type UnitGenerator = (c: GenConfig, command: string) => Unit;
