/**
 * fused: the GPU-compatible fused dot-add. Its proofs are not written yet: the one obligation of
 * the plan reports `unknown` (never proven), so `make formal` on a folder with the unit says so,
 * and the bench (sim/units/fused.ts) is what checks it against the golden model today.
 */
import { obligationId, type Recipe } from './common.js';

export const fusedRecipe: Recipe = {
  parts: () => ['whole'],
  plan: (u) => [
    {
      id: obligationId(u, 'whole'),
      status: 'unknown',
      detail: 'no proof method for the fused dot-add yet (simulated against the golden model only)',
      title: `${u.top} equals src/fused.ts fusedDotAdd on every input`,
      statement: ['Not attempted: the decomposition (lanes, largest exponent, alignment, sum, conversion toward zero) is not written yet.'],
    },
  ],
  coverage: () => ['No obligation is proven for this unit: it is checked by simulation only (`make sim`).'],
};
