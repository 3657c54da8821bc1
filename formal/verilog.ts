/**
 * Verilog text for the reference modules and proof harnesses: sized literals, truth tables.
 * References are written from golden-model values only; nothing here reads the generated RTL.
 */
import { article } from '../src/text.js';

/** Bits of a two's complement value in lo..hi. */
export function signedBits(lo: number | bigint, hi: number | bigint): number {
  const l = BigInt(lo);
  const h = BigInt(hi);
  let b = 1;
  while (-(1n << BigInt(b - 1)) > l || (1n << BigInt(b - 1)) - 1n < h) b++;
  return b;
}

/** `v` (possibly negative) as `width` two's complement bits, as a non-negative bigint. */
export function twos(v: number | bigint, width: number): bigint {
  return BigInt.asUintN(width, BigInt(v));
}

/** Two's complement value of `width` bits read from a non-negative bigint. */
export function fromTwos(u: bigint, width: number): bigint {
  return BigInt.asIntN(width, u);
}

/** Sized hex literal of a (possibly negative) value: 9'h1f0. Throws when it does not fit. */
export function hexLit(width: number, v: number | bigint): string {
  const b = BigInt(v);
  const lo = -(1n << BigInt(width - 1));
  const hi = (1n << BigInt(width)) - 1n;
  if (b < lo || b > hi) throw new RangeError(`${b} does not fit ${width} bits`);
  return `${width}'h${twos(b, width).toString(16)}`;
}

/**
 * A combinational truth table as a Verilog module: output = table[input] for every input value.
 * `rows[i]` is the value for input i (all 2^inWidth rows given, so the table is complete).
 */
export function tableModule(name: string, comment: string[], inName: string, inWidth: number, outName: string, outWidth: number, rows: ArrayLike<number | bigint>): string {
  if (rows.length !== 2 ** inWidth) throw new Error(`${name}: ${rows.length} rows for ${article(String(inWidth))} ${inWidth}-bit input`);
  const lines: string[] = [];
  for (const c of comment) lines.push(`// ${c}`);
  lines.push(`module ${name} (`, `  input  wire [${inWidth - 1}:0] ${inName},`, `  output reg  [${outWidth - 1}:0] ${outName}`, ');');
  lines.push('  always @* begin', `    case (${inName})`);
  for (let i = 0; i < rows.length; i++) {
    lines.push(`      ${inWidth}'h${i.toString(16)}: ${outName} = ${hexLit(outWidth, rows[i])};`);
  }
  lines.push(`      default: ${outName} = ${outWidth}'h0;`, '    endcase', '  end', 'endmodule', '');
  return lines.join('\n');
}

/** `{{n{x[w-1]}}, x}`: sign-extend a `w`-bit signal to `to` bits. */
export function sext(x: string, w: number, to: number): string {
  if (to < w) throw new RangeError(`sext ${x}: ${w} bits to ${to}`);
  if (to === w) return x;
  const top = w === 1 ? x : `${x}[${w - 1}]`;
  return `{{${to - w}{${top}}}, ${x}}`;
}

/** A port declaration line. */
export function portDecl(dir: 'input' | 'output', width: number, name: string): string {
  return `  ${dir} wire ${width > 1 ? `[${width - 1}:0] ` : ''}${name}`;
}
