/**
 * Counts, rates and times in the bench's progress and summary lines. Values (element codes, scales,
 * FP32 results) are written by src/text.ts, shared with the proofs and the command line.
 */

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
