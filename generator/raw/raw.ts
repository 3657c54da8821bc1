/**
 * The hardware form of a raw value, shared by every unit: the twin of src/raw.ts.
 *
 *   value = (-1)^sign * sig * 2^(exp + expOffset)
 *
 * `sig` and `exp` are unsigned wires (or constants), `expOffset` a constant known to the generator.
 * NaN and Inf are flags beside the number; a NaN or Inf code decodes with sig = 0, so the number of
 * a special code is zero and sizes every datapath by the finite values alone. A field that cannot
 * exist in a format is null, and no logic is emitted for it: an unsigned format has no sign, an
 * E8M0 scale has the constant significand 1, INT8 has no exponent, FP4 has no NaN.
 */
import type { Expr } from '../verilog/signal.js';

export interface HwRaw {
  /** sign bit; null when the value is never negative */
  readonly sign: Expr | null;
  /** significand; null when it is the constant 1 */
  readonly sig: Expr | null;
  /** largest value of `sig` over the finite codes (1 when sig is null) */
  readonly sigMax: bigint;
  /** largest magnitude sig * 2^exp over the finite codes, in units of 2^expOffset */
  readonly magMax: bigint;
  /** exponent of sig's unit above expOffset; null when it is always 0 */
  readonly exp: Expr | null;
  /** largest value of `exp` */
  readonly expMax: number;
  readonly expOffset: number;
  /** true for NaN codes; null when the format has none */
  readonly nan: Expr | null;
  /** true for +-Inf codes (sign in `sign`); null when the format has none */
  readonly inf: Expr | null;
  /** the value can be zero (a zero code, or a zero scale) */
  readonly canBeZero: boolean;
}
