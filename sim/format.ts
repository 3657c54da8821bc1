/** Values as people read them in reports: element codes as numbers, scales as powers of two, FP32 as hex and value. */
import { E8M0_BIAS, E8M0_NAN } from '../src/formats/e8m0.js';
import { e2m1HalfUnits } from '../src/formats/e2m1.js';
import { fp32BitsToNumber, hex32 } from '../src/fp32.js';

/** A number as JavaScript prints it, but -0 as "-0". */
export function num(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** The value of an E2M1 code: 1.5, -0, 6 ... */
export function e2m1Value(code: number): number {
  const v = e2m1HalfUnits(code) / 2;
  return code & 8 ? -v : v;
}

export function e2m1List(codes: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let i = 0; i < codes.length; i++) parts.push(num(e2m1Value(codes[i])));
  return `[${parts.join(', ')}]`;
}

/** "0x7f (2^0)", "0xff (NaN)" */
export function e8m0Text(code: number): string {
  const h = '0x' + code.toString(16).padStart(2, '0');
  return code === E8M0_NAN ? `${h} (NaN)` : `${h} (2^${code - E8M0_BIAS})`;
}

/** "0x3fc00000 (1.5)", with the exact form for subnormals: "0x00000003 (4.2e-45 = 3*2^-149)" */
export function fp32Text(bits: number): string {
  const b = bits >>> 0;
  const x = fp32BitsToNumber(b);
  const e = (b >>> 23) & 0xff;
  const m = b & 0x7fffff;
  let v: string;
  if (e === 0xff) v = m === 0 ? (b >>> 31 ? '-Inf' : '+Inf') : 'NaN';
  else if (e === 0 && m !== 0) v = `${num(x)} = ${b >>> 31 ? '-' : ''}${m}*2^-149, subnormal`;
  else v = num(x);
  return `${hex32(b)} (${v})`;
}

/** 1234567 -> "1,234,567" */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A rate in vectors per second: "4.81 M/s" */
export function rate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k/s`;
  return `${perSecond.toFixed(0)} /s`;
}

export function seconds(s: number): string {
  return s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`;
}
