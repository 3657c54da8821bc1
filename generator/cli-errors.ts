/** Errors the command line reports as one line and exit code 2 (bad usage or bad input). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parse a decimal integer argument strictly ("32" yes; "3.5", "0x20", "", "1e3" no). */
export function parseIntArg(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || !/^[0-9]+$/.test(text)) throw new UsageError(`${flag} needs a whole number from ${min} to ${max}, got '${text ?? ''}'`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${flag} must be from ${min} to ${max}, got ${text}`);
  return n;
}
