/**
 * `add`: IEEE 754 addition of two values of a float format (FP32: the accumulator adder of the MAC
 * array's fp32 mode), round to nearest even, subnormals kept, overflow to +-Inf.
 *
 *   sum = round(a + b)
 *
 * Stages: decode both operands; order them by magnitude (x the larger, y the smaller); align y to
 * x's exponent with three bits below x's significand, the bits shifted past them ORed into the
 * lowest (sticky) bit; add or subtract the significands; the one shared rounder
 * (generator/raw/round.ts) rounds sign * mag * 2^(exp + offset). Three bits below the significand
 * and a sticky bit round exactly as the exact sum would: that is a proof obligation
 * (formal/recipes/add.ts), not an assumption.
 * Golden function: src/fp32.ts fp32Add.
 */
import { FP32, floatBits, floatQuietNan, type FloatFormat } from '../../src/formats/float.js';
import { fp32Add } from '../../src/fp32.js';
import { floatText, formatSummary } from '../../src/text.js';
import { roundToFormat, roundingNotes } from '../raw/round.js';
import { VerilogModule } from '../verilog/module.js';
import { binop, cmp, concat, lit, mux, not, paren, reduce, ref, slice, type Expr, type Signal } from '../verilog/signal.js';
import { floatFormat } from './config.js';
import { header } from './header.js';
import type { PortValues, Unit, UnitFamily } from './unit.js';

export interface AddParams {
  readonly format: FloatFormat;
}

export const ADD_PORTS = { a: 'a', b: 'b', sum: 'sum' } as const;

/** Bits kept below the larger operand's significand during alignment (guard, round, sticky). */
export const ADD_GUARD_BITS = 3;

/** The wires a proof cuts: the rounder's inputs. */
export const ADD_CUTS = {
  round: (f: 'sign' | 'mag' | 'exp' | 'nan' | 'inf'): string => `round_${f}`,
} as const;

export function addModuleName(p: AddParams): string {
  return `mx_add_${p.format.name}`;
}

/** The rounder's input range, for the module and its proof. */
export function addRoundShape(f: FloatFormat): { magBits: number; magMax: bigint; expBits: number; expMax: number; expOffset: number } {
  const P = f.mbits + 1;
  const sigMax = 2n ** BigInt(P) - 1n;
  return {
    magBits: P + ADD_GUARD_BITS + 1,
    magMax: 2n * (sigMax << BigInt(ADD_GUARD_BITS)),
    expBits: f.ebits,
    expMax: 2 ** f.ebits - 2,
    // a significand s at effective exponent e stands for s * 2^(e - bias - mbits)
    expOffset: -f.bias - f.mbits - ADD_GUARD_BITS,
  };
}

interface Decoded {
  sign: Expr;
  sig: Signal;
  exp: Signal;
  nan: Signal;
  inf: Signal;
}
function decode(m: VerilogModule, p: string, f: FloatFormat, x: Signal): Decoded {
  const E = f.ebits;
  const M = f.mbits;
  const field = m.wire(`${p}_exp_field`, slice(x, E + M - 1, M));
  const frac = m.wire(`${p}_frac`, slice(x, M - 1, 0));
  const ones = m.wire(`${p}_exp_ones`, reduce('&', ref(field)));
  const fracNz = m.wire(`${p}_frac_nz`, reduce('|', ref(frac)));
  const normal = m.wire(`${p}_hidden`, reduce('|', ref(field)), { comment: `${p}: the hidden bit (0 for zero and subnormals)` });
  return {
    sign: slice(x, E + M),
    sig: m.wire(`${p}_sig`, concat(ref(normal), ref(frac)), { comment: `${p}: significand, units of 2^(e - ${f.bias + M})` }),
    exp: m.wire(`${p}_e`, binop(ref(field), '|', concat(lit(E - 1, 0), not(ref(normal)))), { comment: `${p}: effective exponent field (1 for subnormals)` }),
    nan: m.wire(`${p}_nan`, binop(ref(ones), '&', ref(fracNz))),
    inf: m.wire(`${p}_inf`, binop(ref(ones), '&', paren(not(ref(fracNz))))),
  };
}

export function addModule(p: AddParams, command: string): VerilogModule {
  const f = p.format;
  const E = f.ebits;
  const M = f.mbits;
  const P = M + 1;
  const G = ADD_GUARD_BITS;
  const W = floatBits(f);
  const name = addModuleName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const a = m.input(ADD_PORTS.a, W, f.name.toUpperCase());
  const b = m.input(ADD_PORTS.b, W, f.name.toUpperCase());
  const sum = m.output(ADD_PORTS.sum, W, `${f.name.toUpperCase()}: a + b, rounded to nearest even`);

  m.section('decode both operands');
  const da = decode(m, 'a', f, a);
  const db = decode(m, 'b', f, b);

  m.section('order by magnitude: x the larger, y the smaller');
  const swap = m.wire('swap', cmp(slice(b, E + M - 1, 0), '>', slice(a, E + M - 1, 0)), { comment: '|b| > |a| (exponent and fraction compare as one unsigned number)' });
  const xs = m.wire('x_sign', mux(ref(swap), db.sign, da.sign));
  const ys = m.wire('y_sign', mux(ref(swap), da.sign, db.sign));
  const xsig = m.wire('x_sig', mux(ref(swap), ref(db.sig), ref(da.sig)));
  const ysig = m.wire('y_sig', mux(ref(swap), ref(da.sig), ref(db.sig)));
  const xe = m.wire('x_e', mux(ref(swap), ref(db.exp), ref(da.exp)));
  const ye = m.wire('y_e', mux(ref(swap), ref(da.exp), ref(db.exp)));

  m.section(`align y to x: ${G} bits below the significand, the rest ORed into a sticky bit`);
  const A = P + G; // aligned significand width
  const d = m.wire('shift', binop(ref(xe), '-', ref(ye)), { comment: 'x_e - y_e (x_e >= y_e, as |x| >= |y|)' });
  const sw = Math.ceil(Math.log2(A + 1));
  const far = m.wire('far', cmp(ref(d), '>', lit(E, A)), { comment: `y lies wholly below x's ${G} extra bits` });
  const amount = m.wire('shift_amount', mux(ref(far), lit(sw, A), slice(d, sw - 1, 0)));
  const wide = m.wire('y_wide', { text: `${concat(ref(ysig), lit(A, 0)).text} >> ${amount.name}`, width: P + A }, { comment: 'y with room below for every bit the shift moves out' });
  const sticky = m.wire('sticky', reduce('|', slice(wide, P - 1, 0)), { comment: 'a bit of y lies below the aligned window' });
  const yal = m.wire('y_aligned', concat(slice(wide, P + A - 1, P + 1), paren(binop(slice(wide, P), '|', ref(sticky)))), { comment: `y >> shift in units of x's significand / 2^${G}; lowest bit sticky` });
  const xal = concat(ref(xsig), lit(G, 0));

  m.section('add or subtract the aligned significands');
  const sub = m.wire('subtract', binop(ref(xs), '^', ref(ys)), { comment: 'opposite signs: |x| - |y| (>= 0)' });
  const T = A + 1;
  const mag = m.wire(ADD_CUTS.round('mag'), mux(ref(sub), binop(concat(lit(1, 0), xal), '-', concat(lit(1, 0), ref(yal))), binop(concat(lit(1, 0), xal), '+', concat(lit(1, 0), ref(yal)))), {
    comment: `|a + b| in units of 2^(x_e - ${f.bias + M + G}), y's low bits compressed into the sticky bit`,
  });
  const exp = m.wire(ADD_CUTS.round('exp'), ref(xe));
  m.section('specials and the sign');
  const nan = m.wire(ADD_CUTS.round('nan'), binop(binop(ref(da.nan), '|', ref(db.nan)), '|', paren(binop(binop(ref(da.inf), '&', ref(db.inf)), '&', ref(sub)))), { comment: 'a NaN operand, or +Inf + -Inf' });
  const inf = m.wire(ADD_CUTS.round('inf'), binop(ref(da.inf), '|', ref(db.inf)), { comment: 'an infinite operand (x, the larger, then holds it)' });
  const magZero = m.wire('mag_zero', cmp(ref(mag), '==', lit(T, 0)));
  const sign = m.wire(ADD_CUTS.round('sign'), mux(ref(magZero), binop(da.sign, '&', db.sign), ref(xs)), { comment: "x's sign; an exact zero is -0 only for (-0) + (-0)" });
  const shape = addRoundShape(f);
  if (mag.width !== shape.magBits) throw new Error(`${name}: a ${mag.width}-bit magnitude, expected ${shape.magBits}`);
  const r = roundToFormat(m, 'rnd', f, {
    nan: ref(nan),
    inf: ref(inf),
    sign: ref(sign),
    mag,
    magMax: shape.magMax,
    exp: ref(exp),
    expMax: shape.expMax,
    expOffset: shape.expOffset,
    zero: 'keep-sign',
  });
  m.section('output');
  m.assign(sum, ref(r.result));
  const q = floatText(f, floatQuietNan(f)).split(' ')[0];
  lines.push(
    ...header({
      module: name,
      unit: `${f.name.toUpperCase()} adder`,
      command,
      configuration: [`format: ${formatSummary(f)}`],
      computes: [`sum = a + b, rounded to ${f.name.toUpperCase()} (IEEE 754 addition)`],
      numerics: [
        `The smaller operand is aligned to the larger one's exponent with ${G} bits below its significand; the bits shifted past them are ORed into the lowest (sticky) bit, which rounds as the exact sum does.`,
        ...roundingNotes(f, r.needs),
        `A NaN operand or +Inf + -Inf gives the quiet NaN ${q}; otherwise an infinite operand gives Inf of its sign.`,
        'An exact zero sum is +0, except (-0) + (-0) = -0; x + (-x) = +0.',
      ],
    }),
  );
  return m;
}

/** The golden sum for a format (FP32 only: src/fp32.ts fp32Add). */
export function addGolden(f: FloatFormat): (a: number, b: number) => number {
  if (f !== FP32) throw new Error(`no golden adder for ${f.name}`);
  return fp32Add;
}

export const addFamily: UnitFamily<AddParams> = {
  name: 'add',
  summary: 'IEEE 754 FP32 addition, round to nearest even (the MAC array accumulator)',
  instances: () => [{ format: FP32 }],
  fromParameters(r) {
    const format = floatFormat(String(r.format));
    if (format !== FP32) throw new Error(`add: only fp32 is generated, not ${format.name}`);
    return { format };
  },
  generate(p, command): Unit {
    const m = addModule(p, command);
    return { family: 'add', top: m, modules: [m], parameters: { format: p.format.name } };
  },
  golden(p) {
    const add = addGolden(p.format);
    return (v: PortValues) => ({ sum: BigInt(add(Number(v.a), Number(v.b)) >>> 0) });
  },
  describeInputs: (p, v) => [`a = ${floatText(p.format, Number(v.a))}`, `b = ${floatText(p.format, Number(v.b))}`],
  describeOutput: (p, _port, value) => floatText(p.format, Number(value)),
};
