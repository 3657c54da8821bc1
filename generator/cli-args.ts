/**
 * Command-line arguments: node's own parser (util.parseArgs) in strict mode, with its errors turned
 * into UsageError, which the command line reports as one line and exit code 2.
 */
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  readonly positional: string[];
  /** Value of each option given, keyed by its long form ('--out'); switches map to ''. */
  readonly values: Map<string, string>;
}

/**
 * Split argv into positionals (a lone `-` is one: stdin or stdout) and options. `valued` lists the
 * long options that take a value (`--x v` or `--x=v`), `switches` those that take none; `short`
 * maps one-letter aliases to long options ({ o: '--out' }). The last of repeated options wins.
 */
export function parseFlags(
  args: readonly string[],
  valued: readonly string[],
  switches: readonly string[],
  short: Record<string, string> = {},
): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  const shortOf = (long: string) => Object.keys(short).find((s) => short[s] === long);
  for (const v of valued) options[v.replace(/^--/, '')] = { type: 'string', ...(shortOf(v) ? { short: shortOf(v) } : {}) };
  for (const s of switches) options[s.replace(/^--/, '')] = { type: 'boolean', ...(shortOf(s) ? { short: shortOf(s) } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(parserMessage(e, args, valued));
  }
  const values = new Map<string, string>();
  for (const [k, v] of Object.entries(parsed.values)) {
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    if (last === false || last === undefined) continue;
    values.set(`--${k}`, last === true ? '' : String(last));
  }
  return { positional: parsed.positionals, values };
}

/**
 * node's parser words a few errors for its own users ("argument is ambiguous", a hint about '--');
 * say instead what is wrong with the command line.
 */
export function parserMessage(e: unknown, args: readonly string[], valued: readonly string[]): string {
  const text = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  const opt = /'(-{1,2}[A-Za-z0-9-]+)/.exec(text)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && opt) return `unknown option '${opt}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && opt) {
    const long = valued.find((v) => text.includes(`'${v}`)) ?? opt;
    const i = args.indexOf(long);
    const next = i >= 0 ? args[i + 1] : undefined;
    if (next === undefined) return `${long} needs a value`;
    if (/^-[0-9]/.test(next)) return `${long} needs a value, got '${next}' (write ${long}=${next} if that is the value)`;
    return `${long} needs a value (found the option '${next}' after it)`;
  }
  return text.split('\n')[0];
}

/** Parse a decimal integer argument strictly ("32" yes; "3.5", "0x20", "", "1e3" no). */
export function parseIntArg(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || !/^[0-9]+$/.test(text)) throw new UsageError(`${flag} needs a whole number from ${min} to ${max}, got '${text ?? ''}'`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${flag} must be from ${min} to ${max}, got ${text}`);
  return n;
}
