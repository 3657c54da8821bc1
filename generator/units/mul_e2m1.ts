/**
 * FP4 E2M1 multiplier: two codes in, their exact product out.
 * Golden function: src/mul.ts mulE2M1. Product encoding: 9-bit two's complement integer, units of 2^-2.
 */
import { E2M1 } from '../../src/formats/e2m1.js';
import { decodeMinifloat } from '../raw/decode_minifloat.js';
import { mulRaw } from '../raw/mul_raw.js';
import { rawToFixed } from '../raw/raw_to_fixed.js';
import { VerilogModule } from '../verilog/module.js';
import { ref } from '../verilog/signal.js';
import type { GenConfig } from './config.js';
import { header } from './header.js';
import type { Unit } from './unit.js';

export const MUL_E2M1_MODULE = 'mx_mul_e2m1';

export function genMulE2M1(_c: GenConfig, command: string): Unit {
  const m = new VerilogModule(
    MUL_E2M1_MODULE,
    header({
      module: MUL_E2M1_MODULE,
      unit: 'FP4 E2M1 x FP4 E2M1 exact multiplier',
      command,
      configuration: ['element format: FP4 E2M1 (sign, 2-bit exponent with bias 1, 1-bit mantissa)'],
      computes: ['prod = a * b * 4, exactly, as a 9-bit two\'s complement integer (range -144 .. 144)'],
      numerics: [
        'E2M1 values: +-{0, 0.5, 1, 1.5, 2, 3, 4, 6}; every product is a multiple of 0.25, so no rounding.',
        'Zero has one encoding: -0 * x = 0.',
      ],
    }),
  );
  const a = m.input('a', 4, 'E2M1 code: {sign, exponent[1:0], mantissa}');
  const b = m.input('b', 4, 'E2M1 code');
  const prod = m.output('prod', 9, "a*b in units of 2^-2, two's complement");
  m.section('decode both operands to sign, significand, exponent');
  const ra = decodeMinifloat(m, 'a', E2M1, a);
  const rb = decodeMinifloat(m, 'b', E2M1, b);
  m.section('exact product');
  const rp = mulRaw(m, 'p', ra, rb);
  const fixed = rawToFixed(m, 'p_fixed', rp);
  if (fixed.value.width !== 9 || fixed.lsbExp !== -2) throw new Error('E2M1 product is not 9 bits in units of 2^-2');
  m.assign(prod, ref(fixed.value));
  return { kind: 'mul_e2m1', module: m, parameters: { elem: 'e2m1' } };
}
