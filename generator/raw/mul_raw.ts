/** Exact product of two raw values: significands multiply, exponents add, signs xor. */
import type { VerilogModule } from '../verilog/module.js';
import { binop, ref, unsignedBits, zext } from '../verilog/signal.js';
import type { HwRaw } from './raw.js';

export function mulRaw(m: VerilogModule, prefix: string, a: HwRaw, b: HwRaw): HwRaw {
  const sigMax = a.sigMax * b.sigMax;
  const sw = unsignedBits(sigMax);
  const expMax = a.expMax + b.expMax;
  const ew = unsignedBits(expMax);
  return {
    sign: m.wire(`${prefix}_sign`, binop(ref(a.sign), '^', ref(b.sign))),
    sig: m.wire(`${prefix}_sig`, binop(zext(ref(a.sig), sw), '*', zext(ref(b.sig), sw))),
    sigMax,
    exp: m.wire(`${prefix}_exp`, binop(zext(ref(a.exp), ew), '+', zext(ref(b.exp), ew))),
    expMax,
    expOffset: a.expOffset + b.expOffset,
  };
}
