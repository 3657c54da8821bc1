/** E8M0 scale (OCP MX): 2^(code - 127); 0xFF is NaN; there is no zero and no sign. */
import { RAW_NAN, rawFinite, type Raw } from '../raw.js';

export const E8M0_NAN = 0xff;
export const E8M0_BIAS = 127;

export function decodeE8M0(code: number): Raw {
  return code === E8M0_NAN ? RAW_NAN : rawFinite(0, 1, code - E8M0_BIAS);
}
