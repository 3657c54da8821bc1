/**
 * The hardware form of a raw value, shared by every unit (the counterpart of src/raw.ts):
 * value = (-1)^sign * sig * 2^(exp + expOffset), with `sig` and `exp` unsigned wires and
 * `expOffset` a constant known to the generator. Decoders produce it, `mulRaw` composes it,
 * `rawToFixed` turns it into a two's complement fixed-point term, `roundFp32` rounds it.
 */
import type { Signal } from '../verilog/signal.js';

export interface HwRaw {
  readonly sign: Signal;
  readonly sig: Signal;
  /** largest value `sig` can take (sizes everything downstream) */
  readonly sigMax: number;
  readonly exp: Signal;
  /** largest value `exp` can take */
  readonly expMax: number;
  readonly expOffset: number;
}
