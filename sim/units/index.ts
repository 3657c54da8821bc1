/** Every unit kind the bench can check, by manifest kind. */
import { dequantBench } from './dequant.js';
import { dotBench } from './dot.js';
import { mulBench } from './mul.js';
import type { UnitBench } from './types.js';

export const BENCHES: readonly UnitBench[] = [mulBench, dequantBench, dotBench];

export function benchFor(kind: string): UnitBench | undefined {
  return BENCHES.find((b) => b.kind === kind);
}
