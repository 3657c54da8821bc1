/**
 * From what a proof engine found (a SAT model at the obligation's own inputs, or a point of an
 * exhaustive space) to input vectors of the whole unit that should show the difference, and lines
 * that say what was found. The family-specific part (which block gives a sum, which scales give
 * an exponent) is the recipe's `realize`.
 */
import { familyOf } from '../generator/units/index.js';
import type { PortValues } from '../generator/units/unit.js';
import type { ExhaustiveMismatch } from './exhaustive.js';
import { recipeFor } from './recipes/index.js';
import type { Field, ObligationSpec } from './spec.js';
import { bitsToBigInt } from './yosys.js';

export interface Decoded {
  /** what the engine found, in words and values */
  readonly at: string[];
  /** candidate input vectors of the whole unit, best first */
  readonly candidates: PortValues[];
  readonly note?: string;
}

function part(spec: ObligationSpec): string {
  return spec.part ?? spec.id.slice(spec.unit.top.length + 1);
}

/** The SAT model's values by name (only fully defined ones). */
function modelValues(model: Map<string, string>): Map<string, bigint> {
  const v = new Map<string, bigint>();
  for (const [name, bits] of model) {
    const x = bitsToBigInt(bits);
    if (x !== null) v.set(name, x);
  }
  return v;
}

/** A vector of the unit with every input port given: the values found where they are unit inputs, defaults elsewhere. */
export function unitVector(spec: ObligationSpec, found: ReadonlyMap<string, bigint>, defaults: Readonly<Record<string, bigint>> = {}): PortValues {
  const v: Record<string, bigint> = {};
  for (const p of spec.unit.ports) if (p.dir === 'input') v[p.name] = found.get(p.name) ?? defaults[p.name] ?? 0n;
  return v;
}

/** Decode the SAT model of a failed `sat` / `equiv` obligation. */
export function decodeModel(spec: ObligationSpec, model: Map<string, string>): Decoded {
  const values = modelValues(model);
  const gold = values.get('gold_y');
  const gate = values.get('gate_y');
  const inputs = spec.unit.ports.filter((p) => p.dir === 'input').map((p) => p.name);
  const cut = [...values.keys()].filter((n) => !['gold_y', 'gate_y', 'ok', 'eq'].includes(n) && !inputs.includes(n));
  const at = [
    `reference gold_y = 0x${gold?.toString(16) ?? '?'}, generated gate_y = 0x${gate?.toString(16) ?? '?'}`,
    ...(cut.length > 0 ? [`at the cut points: ${cut.slice(0, 12).map((n) => `${n} = 0x${values.get(n)?.toString(16)}`).join(', ')}${cut.length > 12 ? ', ...' : ''}`] : []),
  ];
  const recipe = recipeFor(spec.unit.family);
  const candidates = recipe?.realize?.(spec.unit, part(spec), values) ?? [];
  if (inputs.every((n) => values.has(n))) candidates.push(unitVector(spec, values));
  return { at, candidates };
}

/** Decode a point of an exhaustive obligation where the netlist and the golden model differ. */
export function decodeMismatch(spec: ObligationSpec, m: ExhaustiveMismatch): Decoded {
  const space = spec.space;
  const recipe = recipeFor(spec.unit.family);
  const family = familyOf(spec.unit.family);
  const expected = `0x${m.expected.toString(16)}`;
  const actual = `0x${m.actual.toString(16)}`;
  if (space?.type === 'lanes') {
    const lane = space.lanes[m.lane ?? 0];
    const fields = [...lane.inputs, ...space.shared];
    // a lane module's point: its ports as the bits of lane 0 of the parent (the unit's inputs where the parent is the top)
    const wired = (f: Field): Field => space.instances?.lanes[0][f.port] ?? f;
    const found = new Map<string, bigint>();
    for (const [i, f0] of fields.entries()) {
      const f = wired(f0);
      found.set(f.port, (found.get(f.port) ?? 0n) | (m.pattern[i] << BigInt(f.lo)));
    }
    const at = [`lane ${m.lane ?? 0}: ${fields.map((f, i) => `${f.port}[${f.lo + f.width - 1}:${f.lo}] = 0x${m.pattern[i].toString(16)}`).join(', ')}: ${m.output} golden ${expected}, generated ${actual}`];
    const candidates = recipe?.realize?.(spec.unit, part(spec), found) ?? [unitVector(spec, found, recipe?.defaults?.(spec.unit))];
    let inputs: string[] = [];
    try {
      if (family && candidates[0]) inputs = family.describeInputs(family.fromParameters(spec.unit.parameters), candidates[0]);
    } catch {
      inputs = [];
    }
    return { at: inputs.length > 0 ? [...at, ...inputs.map((l) => `  ${l}`)] : at, candidates };
  }
  if (space?.type === 'round') {
    const [sign, e, mag] = m.pattern;
    const at = [`sign = ${sign}, ${space.exp} = ${e}, ${space.mag} = ${mag}, i.e. ${sign ? '-' : '+'}${mag} * 2^${Number(e) + space.expOffset}: golden ${expected}, generated ${actual}`];
    const found = new Map<string, bigint>([
      ['sign', sign],
      ['exp', e],
      ['mag', mag],
    ]);
    const candidates = recipe?.realize?.(spec.unit, part(spec), found) ?? [];
    return candidates.length > 0 ? { at, candidates } : { at, candidates, note: 'no input block gives these values: the difference is outside what the whole unit can reach' };
  }
  return { at: [`${m.output}: golden ${expected}, generated ${actual}`], candidates: [] };
}
