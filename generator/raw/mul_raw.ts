/**
 * Exact product of two raw values: significands multiply, exponents add, signs xor. NaN when
 * either is NaN or for Inf times zero; Inf when either is Inf otherwise (the twin of rawMul).
 */
import type { VerilogModule } from '../verilog/module.js';
import { all, any, binop, cmp, lit, not, paren, ref, unsignedBits, zext, type Expr } from '../verilog/signal.js';
import type { HwRaw } from './raw.js';

/** A flag that is true when the raw value is a finite zero, or null when it never is. */
export function zeroFlag(m: VerilogModule, prefix: string, r: HwRaw): Expr | null {
  if (!r.canBeZero || r.sig === null) return null;
  const z = cmp(r.sig, '==', lit(r.sig.width, 0));
  return ref(m.wire(`${prefix}_zero`, r.inf ? binop(paren(z), '&', not(r.inf)) : z));
}

export function mulRaw(m: VerilogModule, prefix: string, a: HwRaw, b: HwRaw): HwRaw {
  const sigMax = a.sigMax * b.sigMax;
  let sig: Expr | null;
  if (a.sig === null) sig = b.sig;
  else if (b.sig === null) sig = a.sig;
  else {
    const sw = unsignedBits(sigMax);
    sig = ref(m.wire(`${prefix}_sig`, binop(zext(a.sig, sw), '*', zext(b.sig, sw))));
  }
  const expMax = a.expMax + b.expMax;
  let exp: Expr | null;
  if (a.exp === null) exp = b.exp;
  else if (b.exp === null) exp = a.exp;
  else {
    const ew = unsignedBits(expMax);
    exp = ref(m.wire(`${prefix}_exp`, binop(zext(a.exp, ew), '+', zext(b.exp, ew))));
  }
  let sign: Expr | null;
  if (a.sign && b.sign) sign = ref(m.wire(`${prefix}_sign`, binop(a.sign, '^', b.sign)));
  else sign = a.sign ?? b.sign;

  const nanTerms: Expr[] = [];
  if (a.nan) nanTerms.push(a.nan);
  if (b.nan) nanTerms.push(b.nan);
  const za = b.inf ? zeroFlag(m, `${prefix}_a`, a) : null;
  const zb = a.inf ? zeroFlag(m, `${prefix}_b`, b) : null;
  if (a.inf && zb) nanTerms.push(all([a.inf, zb]));
  if (b.inf && za) nanTerms.push(all([b.inf, za]));
  const nan = nanTerms.length > 0 ? ref(m.wire(`${prefix}_nan`, any(nanTerms), { comment: `${prefix}: NaN operand${a.inf || b.inf ? ', or Inf times zero' : ''}` })) : null;
  const infTerms = [a.inf, b.inf].filter((x): x is Expr => x !== null);
  let inf: Expr | null = null;
  if (infTerms.length > 0) {
    const either = any(infTerms);
    inf = ref(m.wire(`${prefix}_inf`, nan ? binop(paren(either), '&', not(nan)) : either));
  }
  return {
    sign,
    sig,
    sigMax,
    magMax: a.magMax * b.magMax,
    exp,
    expMax,
    expOffset: a.expOffset + b.expOffset,
    nan,
    inf,
    canBeZero: a.canBeZero || b.canBeZero,
  };
}
