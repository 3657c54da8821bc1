/** Every unit family, by name, and the units a configuration generates. */
import { addFamily } from './add.js';
import type { FamilyName, GenConfig } from './config.js';
import { dequantFamily } from './dequant.js';
import { dotFamily } from './dot.js';
import { fusedFamily } from './fused.js';
import { macFamily } from './mac.js';
import { mulFamily } from './mul.js';
import { quantFamily } from './quant.js';
import type { Unit, UnitFamily } from './unit.js';

/** A family of any parameter type (each family checks its own parameters). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFamily = UnitFamily<any>;

export const FAMILIES: Readonly<Record<FamilyName, AnyFamily>> = { mul: mulFamily, dequant: dequantFamily, dot: dotFamily, add: addFamily, mac_array: macFamily, fused: fusedFamily, quant: quantFamily };

export function familyOf(name: string): AnyFamily | undefined {
  return Object.prototype.hasOwnProperty.call(FAMILIES, name) ? FAMILIES[name as FamilyName] : undefined;
}

export function generateUnits(c: GenConfig, command: string): Unit[] {
  const out: Unit[] = [];
  for (const name of c.units) {
    const f = FAMILIES[name];
    for (const p of f.instances(c)) out.push(f.generate(p, command));
  }
  return out;
}
