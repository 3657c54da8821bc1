/** The proof recipe of every unit family, by family name (formal/recipes/<family>.ts). */
import type { FamilyName } from '../../generator/units/config.js';
import type { Recipe } from './common.js';
import { addRecipe } from './add.js';
import { dequantRecipe } from './dequant.js';
import { dotRecipe } from './dot.js';
import { fusedRecipe } from './fused.js';
import { macRecipe } from './mac.js';
import { mulRecipe } from './mul.js';
import { quantRecipe } from './quant.js';

/** Families without an entry have no proofs yet: their units are reported as not proven. */
export const RECIPES: Readonly<Partial<Record<FamilyName, Recipe>>> = { mul: mulRecipe, dequant: dequantRecipe, dot: dotRecipe, add: addRecipe, mac_array: macRecipe, fused: fusedRecipe, quant: quantRecipe };

export function recipeFor(family: string): Recipe | undefined {
  return Object.prototype.hasOwnProperty.call(RECIPES, family) ? RECIPES[family as FamilyName] : undefined;
}
