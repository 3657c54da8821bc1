/**
 * mac_array: no proof is written yet. Every part is reported unknown, so that `make formal` on a
 * folder with a MAC array never says "proven" for it: the PE's datapath against the dot product and
 * accumulate step, the array's wiring, and the equivalence of pipelined and combinational arrays are
 * still to come.
 */
import type { UnitRef } from '../spec.js';
import { obligationId, type Recipe } from './common.js';

const PARTS = ['pe', 'wiring'] as const;

export const macRecipe: Recipe = {
  parts: () => [...PARTS],
  plan: (u: UnitRef) =>
    PARTS.map((part) => ({
      id: obligationId(u, part),
      status: 'unknown' as const,
      detail: 'no proof method for the MAC array yet: it is checked by simulation only (make sim)',
      title: part === 'pe' ? 'each PE = the dot product and accumulate step' : 'PE (r, c) reads row r of A and column c of B',
      statement: [],
    })),
  coverage: () => ['No obligation is proven for the MAC array yet: it is checked by simulation only.'],
};
