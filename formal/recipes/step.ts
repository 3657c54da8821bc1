/**
 * Helpers of the clocked units' proofs: a sub-unit's obligations adopted under the unit's name, and
 * the one-clock-step obligation (registers everted into ports, the next state compared by SAT).
 */
import { miterScripts, type FreeInput, type Miter } from '../harness.js';
import type { Field, ObligationSpec, Tie, UnitRef } from '../spec.js';
import { isUnplanned, obligationId, type Planned } from './common.js';

/** A sub-unit's obligations under the array's name: "<array>.<prefix>.<part>". */
export function adopt(u: UnitRef, prefix: string, sub: UnitRef, planned: Planned[]): Planned[] {
  return planned.map((s) => {
    const part = s.id.slice(sub.top.length + 1);
    const id = obligationId(u, `${prefix}.${part}`);
    return isUnplanned(s) ? { ...s, id } : ({ ...s, id, part } satisfies ObligationSpec);
  });
}

export const field = (port: string, lo: number, width: number): Field => ({ port, lo, width });

export function stepObligation(
  u: UnitRef,
  part: string,
  module: string,
  title: string,
  statement: string[],
  m: { inputs: FreeInput[]; cuts: string[]; observes: string[]; regs: string[]; ties?: Tie[]; dutConnections: { port: string; expr: string }[]; dutWires: FreeInput[]; gold: string[]; gate: string; width: number },
  wiring: ObligationSpec['wiring'],
): ObligationSpec {
  const id = obligationId(u, part);
  const miter: Miter = { id, about: [title], inputs: m.inputs, dutConnections: m.dutConnections, dutWires: m.dutWires, gold: m.gold, gate: m.gate, ok: "1'b1", width: m.width };
  const s = miterScripts('sat', miter, title, { rtlFiles: u.files.map((f) => f.name), top: module, cuts: m.cuts, observes: m.observes, evert: m.regs, ...(m.ties ? { ties: m.ties } : {}) }, null);
  return { id, unit: u, title, statement, method: 'sat', scriptFile: s.scriptFile, script: s.script, files: s.files, weight: 1, ...(wiring ? { wiring } : {}) };
}

export const esc = (name: string): string => `\\${name} `;


/**
 * The dut connections of everted registers: register r's present value from the harness input
 * `q`, its next value and clock to the wires g_<q>_d and g_<q>_c.
 */
export function evertedConnections(regs: readonly { readonly name: string; readonly q: string }[]): { port: string; expr: string }[] {
  return regs.flatMap((r) => [
    { port: esc(`${r.name}.q`), expr: r.q },
    { port: esc(`${r.name}.d`), expr: `g_${r.q}_d` },
    { port: esc(`${r.name}.c`), expr: `g_${r.q}_c` },
  ]);
}
