/** The proof recipe of every unit family, by family name (formal/recipes/<family>.ts). */
import type { FamilyName } from '../../generator/units/config.js';
import type { Recipe } from './common.js';
import { CLOCK_PORT } from '../../generator/units/unit.js';
import { PIPELINE_PART, isPipeline, pipelineObligation, shortenedSpec } from '../pipeline.js';
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
  const r = Object.prototype.hasOwnProperty.call(RECIPES, family) ? RECIPES[family as FamilyName] : undefined;
  return r ? withPipeline(r) : undefined;
}

/**
 * A recipe that, for a pipeline (formal/pipeline.ts), adds the obligation on its register stages to
 * the family's own, which then run on the netlist with those registers shorted.
 */
function withPipeline(r: Recipe): Recipe {
  return {
    ...r,
    parts: (u) => [...r.parts(u), ...(isPipeline(u) ? [PIPELINE_PART] : [])],
    plan: (u, shape) => (isPipeline(u) ? [...r.plan(u, shape).map((s) => ('script' in s ? shortenedSpec(s) : s)), pipelineObligation(u, CLOCK_PORT)] : r.plan(u, shape)),
    coverage: (u) => [
      ...r.coverage(u),
      ...(isPipeline(u)
        ? [
            '',
            `**${PIPELINE_PART}**: this unit is a pipeline of ${u.registerStages} register stage${(u.registerStages ?? 0) > 1 ? 's' : ''}. The obligations above are proven on its netlist with every register shorted (its output wired to its input), the function its stages compute; the pipeline obligation checks that every path from an input to an output passes ${u.registerStages} register${(u.registerStages ?? 0) > 1 ? 's' : ''} and that no path loops, so the outputs just after each rising edge are that function of the inputs of one earlier cycle (formal/pipeline.ts states the argument).`,
          ]
        : []),
    ],
  };
}
