/**
 * Signals and the few expression forms the generator writes. Every expression that mixes widths
 * goes through these helpers, so the emitted Verilog has explicit widths everywhere
 * (clean under `verilator -Wall`).
 */

export interface Signal {
  readonly name: string;
  readonly width: number;
}

/** A sized Verilog expression: its text and its width in bits. */
export interface Expr {
  readonly text: string;
  readonly width: number;
}

export function ref(s: Signal): Expr {
  return { text: s.name, width: s.width };
}

/** Sized unsigned literal, e.g. lit(8, 255) = 8'd255; 16 bits and wider are written in hex. */
export function lit(width: number, value: number | bigint): Expr {
  const v = BigInt(value);
  if (v < 0n) throw new RangeError(`lit: negative value ${v}; use litTwos`);
  if (v >> BigInt(width) !== 0n) throw new RangeError(`lit: ${v} does not fit ${width} bits`);
  return { text: width >= 16 ? `${width}'h${v.toString(16)}` : `${width}'d${v}`, width };
}

/** Two's complement literal of a possibly negative value in `width` bits (written as hex). */
export function litTwos(width: number, value: number | bigint): Expr {
  const v = BigInt(value);
  const lo = -(1n << BigInt(width - 1));
  const hi = (1n << BigInt(width - 1)) - 1n;
  if (v < lo || v > hi) throw new RangeError(`litTwos: ${v} does not fit ${width} signed bits`);
  const u = v < 0n ? v + (1n << BigInt(width)) : v;
  return { text: `${width}'h${u.toString(16)}`, width };
}

/** Bits hi..lo of a signal. */
export function slice(s: Signal | Expr, hi: number, lo: number = hi): Expr {
  const name = 'name' in s ? s.name : s.text;
  if (hi < lo || hi >= s.width || lo < 0) throw new RangeError(`slice ${name}[${hi}:${lo}] out of ${s.width} bits`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`slice needs a plain signal, got '${name}'`);
  if (s.width === 1) return { text: name, width: 1 };
  return { text: hi === lo ? `${name}[${hi}]` : `${name}[${hi}:${lo}]`, width: hi - lo + 1 };
}

export function concat(...parts: Expr[]): Expr {
  return { text: `{${parts.map((p) => p.text).join(', ')}}`, width: parts.reduce((w, p) => w + p.width, 0) };
}

/** Zero-extend to `width` bits. */
export function zext(e: Expr, width: number): Expr {
  if (e.width > width) throw new RangeError(`zext: ${e.text} has ${e.width} bits, more than ${width}`);
  if (e.width === width) return e;
  return { text: `{${width - e.width}'b0, ${e.text}}`, width };
}

/** Sign-extend a two's complement signal to `width` bits. */
export function sext(s: Signal, width: number): Expr {
  if (s.width > width) throw new RangeError(`sext: ${s.name} has ${s.width} bits, more than ${width}`);
  if (s.width === width) return ref(s);
  const top = slice(s, s.width - 1).text;
  const rep = width - s.width === 1 ? top : `{${width - s.width}{${top}}}`;
  return { text: `{${rep}, ${s.name}}`, width };
}

/** A binary operator on two operands of the same width; the result has that width. */
export function binop(a: Expr, op: '+' | '-' | '*' | '&' | '|' | '^', b: Expr): Expr {
  if (a.width !== b.width) throw new RangeError(`${a.text} ${op} ${b.text}: widths ${a.width} and ${b.width} differ`);
  return { text: `${a.text} ${op} ${b.text}`, width: a.width };
}

/** Wrap in parentheses (for use inside a larger expression). */
export function paren(e: Expr): Expr {
  return { text: `(${e.text})`, width: e.width };
}

/** cond ? a : b, both arms of the same width. */
export function mux(cond: Expr, a: Expr, b: Expr): Expr {
  if (cond.width !== 1) throw new RangeError(`mux condition ${cond.text} is ${cond.width} bits`);
  if (a.width !== b.width) throw new RangeError(`mux arms ${a.text} and ${b.text}: widths ${a.width} and ${b.width} differ`);
  return { text: `${cond.text} ? ${a.text} : ${b.text}`, width: a.width };
}

/** Compare two operands of the same width; `signed` compares them as two's complement. */
export function cmp(a: Expr, op: '==' | '!=' | '<' | '<=' | '>' | '>=', b: Expr, signed = false): Expr {
  if (a.width !== b.width) throw new RangeError(`${a.text} ${op} ${b.text}: widths ${a.width} and ${b.width} differ`);
  const w = (e: Expr) => (signed ? `$signed(${e.text})` : e.text);
  return { text: `${w(a)} ${op} ${w(b)}`, width: 1 };
}

/** Reduction OR / AND of a signal. */
export function reduce(op: '|' | '&', e: Expr): Expr {
  return { text: `${op}${e.text}`, width: 1 };
}

/** Left or right shift by an unsigned amount; the result keeps the operand's width. */
export function shift(e: Expr, op: '<<' | '>>', amount: Expr): Expr {
  return { text: `${e.text} ${op} ${amount.text}`, width: e.width };
}

/** Bits needed for an unsigned value 0..max. */
export function unsignedBits(max: number | bigint): number {
  const m = BigInt(max);
  if (m < 0n) throw new RangeError(`unsignedBits: negative maximum ${m}`);
  return m === 0n ? 1 : m.toString(2).length;
}

/** Bits needed for a two's complement value in lo..hi. */
export function signedBits(lo: number | bigint, hi: number | bigint): number {
  const l = BigInt(lo);
  const h = BigInt(hi);
  let b = 1;
  while (-(1n << BigInt(b - 1)) > l || (1n << BigInt(b - 1)) - 1n < h) b++;
  return b;
}

/** Bitwise NOT. */
export function not(e: Expr): Expr {
  return { text: `~${e.text}`, width: e.width };
}

/** A one-bit OR / AND of several one-bit terms (a single term is returned as it is). */
export function any(terms: readonly Expr[]): Expr {
  return join(terms, '|');
}

export function all(terms: readonly Expr[]): Expr {
  return join(terms, '&');
}

function join(terms: readonly Expr[], op: '|' | '&'): Expr {
  if (terms.length === 0) throw new RangeError(`no terms to ${op}`);
  for (const t of terms) if (t.width !== 1) throw new RangeError(`${t.text} is ${t.width} bits, not a flag`);
  if (terms.length === 1) return terms[0];
  return { text: terms.map((t) => (/^[~A-Za-z0-9_\[\]:']+$/.test(t.text) ? t.text : `(${t.text})`)).join(` ${op} `), width: 1 };
}
