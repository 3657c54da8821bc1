/** The bench of every unit family, by family name (sim/units/<family>.ts). */
import type { FamilyName } from '../../generator/units/config.js';
import { addBench } from './add.js';
import { dequantBench } from './dequant.js';
import { dotBench } from './dot.js';
import { fusedBench } from './fused.js';
import { macBench } from './mac.js';
import { mulBench } from './mul.js';
import { quantBench } from './quant.js';
import type { UnitBench } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const BENCHES: Readonly<Record<FamilyName, UnitBench<any>>> = { mul: mulBench, dequant: dequantBench, dot: dotBench, add: addBench, mac_array: macBench, fused: fusedBench, quant: quantBench };
