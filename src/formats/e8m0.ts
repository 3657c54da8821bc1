/** E8M0 scale (OCP MX): 2^(code - 127); 0xFF is NaN; there is no zero and no sign. */
import { RAW_NAN, rawFinite, type Raw } from '../raw.js';

export const E8M0_NAN = 0xff;
export const E8M0_BIAS = 127;
/** Code of the largest scale, 2^127. */
export const E8M0_MAX = 0xfe;

/** The E8M0 format as a scale-format descriptor (see formats/format.ts). */
export interface E8M0Spec {
  readonly name: 'e8m0';
  readonly kind: 'e8m0';
}

export const E8M0: E8M0Spec = { name: 'e8m0', kind: 'e8m0' };

export function decodeE8M0(code: number): Raw {
  return code === E8M0_NAN ? RAW_NAN : rawFinite(0, 1, code - E8M0_BIAS);
}
