/** Exact sums of raw values: the fixed-point accumulation of the golden model. */
import { RAW_NAN, rawFinite, rawInf, type Raw } from './raw.js';

/**
 * The exact sum of `terms` as one raw value.
 *
 * NaN if any term is NaN or if +Inf and -Inf meet; +-Inf if any term is infinite.
 * An exact zero sum is +0 whatever the signs of the terms: the sum is a fixed-point
 * integer, which has no negative zero.
 */
export function sumRaws(terms: readonly Raw[]): Raw {
  let posInf = false;
  let negInf = false;
  let minExp = Infinity;
  for (const t of terms) {
    if (t.nan) return RAW_NAN;
    if (t.inf) {
      if (t.sign) negInf = true;
      else posInf = true;
    } else if (t.sig !== 0 && t.sig !== 0n && t.exp < minExp) minExp = t.exp;
  }
  if (posInf && negInf) return RAW_NAN;
  if (posInf || negInf) return rawInf(negInf ? 1 : 0);
  if (minExp === Infinity) return rawFinite(0, 0, 0);
  let acc = 0n;
  for (const t of terms) {
    if (t.sig === 0 || t.sig === 0n) continue;
    const v = BigInt(t.sig) << BigInt(t.exp - minExp);
    acc += t.sign ? -v : v;
  }
  if (acc === 0n) return rawFinite(0, 0, 0);
  const neg = acc < 0n;
  const mag = neg ? -acc : acc;
  const sig = mag <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(mag) : mag;
  return rawFinite(neg ? 1 : 0, sig, minExp);
}
