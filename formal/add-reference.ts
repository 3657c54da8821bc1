/**
 * The reference of the `add` proofs: what the adder's first stage (operand order, alignment, sticky
 * bit, addition) must hand the rounder, written from the definition of IEEE 754 addition with none
 * of the generated stage's structure.
 *
 * A wide exact sum (both operands as integers in units of the smallest subnormal: 277 bits for
 * FP32) against the generated adder is beyond bit-level SAT in minutes; the statement below is
 * narrow instead. It says that the stage's value is a + b exactly, or lies with a + b strictly
 * between two consecutive even multiples of its unit u while the rounding quantum is at least 4u.
 * Every rounding boundary (a representable value, a midpoint, the overflow threshold) is then a
 * multiple of 2u, none lies between the two values, and round to nearest gives both the same result:
 * the rounding obligation then covers a + b itself.
 */
import { floatBits, type FloatFormat } from '../src/formats/float.js';
import { referenceRounder } from './round-reference.js';

/**
 * The statement the adder's first stage must satisfy, as a Verilog module: `holds` = 1 when the
 * rounder inputs (sign, mag, exp, nan, inf) the stage computes from a and b are right, by the
 * definition of addition and nothing of the generated stage's structure:
 *
 * - a NaN operand or +Inf + -Inf sets nan; otherwise an infinite operand sets inf, with its sign;
 * - for finite operands, with x the operand of larger magnitude and y the other, e = max(e_a, e_b)
 *   and u = 2^(e - bias - M - G): exp = e, and D = (mag - 2^G sig_x) (addition) or
 *   (2^G sig_x - mag) (subtraction) is y's part in units of u, where y = 2^G sig_y 2^-d u, d = e_x - e_y.
 *   Either D is y exactly (D 2^d = 2^G sig_y: the stage's value is a + b exactly), or D is odd,
 *   (D - 1) 2^d < 2^G sig_y < (D + 1) 2^d (a + b and the stage's value lie in one open interval
 *   between consecutive even multiples of u) and mag >= 2^(M+2) (the rounding quantum is at least 4u);
 * - sign is x's sign, or for mag = 0 the sign of (-0) + (-0) rules (negative only if both are -0);
 * - mag and exp lie in the range the rounder is proven on.
 *
 * d is clamped to P + G + 1 (P = M + 1 significand bits): from d = P + G on, 2^G sig_y < 2^d, and both
 * conditions have the same truth value for every such d (exact only for sig_y = 0 and D = 0; the
 * interval only for D = 1 and sig_y > 0), so the clamp changes nothing.
 */
export function referenceAddStage(name: string, f: FloatFormat, g: { guard: number; magBits: number; magMax: bigint; expMax: number }): string {
  const E = f.ebits;
  const M = f.mbits;
  const W = floatBits(f);
  const P = M + 1;
  const G = g.guard;
  const T = g.magBits;
  const C = P + G + 1; // clamp of d
  const CW = Math.ceil(Math.log2(C + 1));
  const L = T + 1 + C; // width of D * 2^d and its neighbours
  return [
    `// ${name}: what the first stage of the ${f.name.toUpperCase()} adder must give the rounder (formal/add-reference.ts)`,
    `module ${name} (`,
    `  input  wire [${W - 1}:0] a,`,
    `  input  wire [${W - 1}:0] b,`,
    `  input  wire [${T - 1}:0] mag,`,
    `  input  wire [${E - 1}:0] exp,`,
    '  input  wire sign,',
    '  input  wire nan,',
    '  input  wire inf,',
    '  output wire holds',
    ');',
    `  wire a_sp = &a[${W - 2}:${M}];`,
    `  wire b_sp = &b[${W - 2}:${M}];`,
    `  wire a_nan = a_sp && a[${M - 1}:0] != ${M}'d0;`,
    `  wire b_nan = b_sp && b[${M - 1}:0] != ${M}'d0;`,
    `  wire a_inf = a_sp && a[${M - 1}:0] == ${M}'d0;`,
    `  wire b_inf = b_sp && b[${M - 1}:0] == ${M}'d0;`,
    `  wire [${E - 1}:0] ea = a[${W - 2}:${M}] == ${E}'d0 ? ${E}'d1 : a[${W - 2}:${M}];`,
    `  wire [${E - 1}:0] eb = b[${W - 2}:${M}] == ${E}'d0 ? ${E}'d1 : b[${W - 2}:${M}];`,
    `  wire [${P - 1}:0] ma = {a[${W - 2}:${M}] != ${E}'d0, a[${M - 1}:0]};`,
    `  wire [${P - 1}:0] mb = {b[${W - 2}:${M}] != ${E}'d0, b[${M - 1}:0]};`,
    '  // x: the operand of larger magnitude (value order: exponent, then significand)',
    '  wire a_big = {ea, ma} >= {eb, mb};',
    `  wire [${E - 1}:0] ex = a_big ? ea : eb;`,
    `  wire [${E - 1}:0] ey = a_big ? eb : ea;`,
    `  wire [${P - 1}:0] mx = a_big ? ma : mb;`,
    `  wire [${P - 1}:0] my = a_big ? mb : ma;`,
    `  wire sx = a_big ? a[${W - 1}] : b[${W - 1}];`,
    `  wire sy = a_big ? b[${W - 1}] : a[${W - 1}];`,
    `  wire [${E - 1}:0] d = ex - ey;`,
    `  wire [${CW - 1}:0] dc = d > ${E}'d${C} ? ${CW}'d${C} : d[${CW - 1}:0];`,
    `  wire [${T - 1}:0] x_u = {1'b0, mx, ${G}'d0};`,
    `  wire no_wrap = (sx ^ sy) ? x_u >= mag : mag >= x_u;`,
    `  wire [${T - 1}:0] D = (sx ^ sy) ? x_u - mag : mag - x_u;`,
    `  wire [${L - 1}:0] y_scaled = {${L - P - G}'d0, my, ${G}'d0};`,
    `  wire [${L - 1}:0] d_at = {${L - T}'d0, D} << dc;`,
    `  wire [${L - 1}:0] d_lo = {${L - T}'d0, D - ${T}'d1} << dc;`,
    `  wire [${L - 1}:0] d_hi = ({${L - T}'d0, D} + ${L}'d1) << dc;`,
    '  wire exact = d_at == y_scaled;',
    `  wire within = D[0] && d_lo < y_scaled && y_scaled < d_hi && mag >= ${T}'d${2n ** BigInt(M + 2)};`,
    `  wire zero_sign = mag == ${T}'d0 ? (a[${W - 1}] & b[${W - 1}]) : sx;`,
    `  wire finite_ok = !nan && !inf && exp == ex && no_wrap && (exact || within) && sign == zero_sign && mag <= ${T}'d${g.magMax} && exp <= ${E}'d${g.expMax};`,
    `  wire r_nan = a_nan | b_nan | (a_inf & b_inf & (a[${W - 1}] ^ b[${W - 1}]));`,
    '  wire r_inf = a_inf | b_inf;',
    `  wire special_ok = nan == r_nan && inf == r_inf && (r_nan || sign == (a_inf ? a[${W - 1}] : b[${W - 1}]));`,
    '  assign holds = (a_sp | b_sp) ? special_ok : finite_ok;',
    'endmodule',
    '',
  ].join('\n');
}

/**
 * An exact reference sum for operands whose exponents lie at most `span` apart (the counterexample
 * search of the stage obligation uses it, under that assumption): both significands at the smaller
 * exponent's unit, their exact signed sum in P + span + 2 bits, one reference rounding. Output `r`.
 */
export function referenceAddNear(name: string, f: FloatFormat, span: number): string {
  const E = f.ebits;
  const M = f.mbits;
  const W = floatBits(f);
  const P = M + 1;
  const SW = P + span + 2;
  const round = `${name}_round`;
  return [
    `// ${name}: exact ${f.name.toUpperCase()} addition for exponents at most ${span} apart (formal/add-reference.ts)`,
    `module ${name} (`,
    `  input  wire [${W - 1}:0] a,`,
    `  input  wire [${W - 1}:0] b,`,
    `  output wire [${W - 1}:0] r`,
    ');',
    `  wire [${E - 1}:0] ea = a[${W - 2}:${M}] == ${E}'d0 ? ${E}'d1 : a[${W - 2}:${M}];`,
    `  wire [${E - 1}:0] eb = b[${W - 2}:${M}] == ${E}'d0 ? ${E}'d1 : b[${W - 2}:${M}];`,
    `  wire [${SW - 1}:0] ma = {${SW - P}'d0, a[${W - 2}:${M}] != ${E}'d0, a[${M - 1}:0]};`,
    `  wire [${SW - 1}:0] mb = {${SW - P}'d0, b[${W - 2}:${M}] != ${E}'d0, b[${M - 1}:0]};`,
    '  wire a_up = ea >= eb;',
    `  wire [${E - 1}:0] lo = a_up ? eb : ea;`,
    `  wire [${E - 1}:0] dist = a_up ? ea - eb : eb - ea;`,
    `  wire [${SW - 1}:0] fa = a_up ? ma << dist : ma;`,
    `  wire [${SW - 1}:0] fb = a_up ? mb : mb << dist;`,
    `  wire signed [${SW - 1}:0] total = (a[${W - 1}] ? -$signed(fa) : $signed(fa)) + (b[${W - 1}] ? -$signed(fb) : $signed(fb));`,
    `  wire neg = total[${SW - 1}];`,
    `  wire [${SW - 1}:0] mag_full = neg ? -total : total;`,
    `  wire [${SW - 2}:0] mag = mag_full[${SW - 2}:0];`,
    `  wire zsign = mag == ${SW - 1}'d0 ? (a[${W - 1}] & b[${W - 1}]) : neg;`,
    `  ${round} u_round (.m(mag), .e(lo), .sign(zsign), .r(r));`,
    'endmodule',
    '',
    referenceRounder({ name: round, magWidth: SW - 1, expWidth: E, expOffset: -f.bias - M, out: f, zero: 'keep-sign' }),
  ].join('\n');
}
