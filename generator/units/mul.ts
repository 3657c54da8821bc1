/**
 * `mul`: the exact product of an A and a B element code, any pair of element formats.
 *
 *   prod  two's complement integer: a * b = prod * 2^lsb, lsb the sum of the formats' smallest
 *         exponents; 0 when the product is NaN or Inf
 *   nan   the product is NaN: a NaN operand, or Inf times zero  (only where a format has NaN or Inf)
 *   pinf, ninf   the product is +Inf / -Inf                     (only where a format has Inf)
 *
 * Golden function: src/dot-kernel.ts productTable (the exact products of src/raw.ts rawMul).
 * The dot product instantiates this module once per lane.
 */
import { productTable } from '../../src/dot-kernel.js';
import { elementBits, type ElementFormat } from '../../src/formats/format.js';
import { elementText, formatSummary, num } from '../../src/text.js';
import { decodeElement } from '../raw/decode.js';
import { mulRaw } from '../raw/mul_raw.js';
import { rawToFixed } from '../raw/raw_to_fixed.js';
import { VerilogModule } from '../verilog/module.js';
import { binop, not, paren, ref } from '../verilog/signal.js';
import { elementFormat, elemsTag } from './config.js';
import { header } from './header.js';
import type { PortValues, Unit, UnitFamily } from './unit.js';

export interface MulParams {
  readonly a: ElementFormat;
  readonly b: ElementFormat;
}

/** Port names of the multiplier (the dot product's lanes connect to them). */
export const MUL_PORTS = { a: 'a', b: 'b', prod: 'prod', nan: 'nan', pinf: 'pinf', ninf: 'ninf' } as const;

export function mulModuleName(p: MulParams): string {
  return `mx_mul_${elemsTag(p.a, p.b)}`;
}

/** The multiplier module; its `prod` port's width and unit follow from the formats. */
export function mulModule(p: MulParams, command: string): { module: VerilogModule; lsbExp: number; lo: bigint; hi: bigint } {
  const name = mulModuleName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const a = m.input(MUL_PORTS.a, elementBits(p.a), `A element code (${p.a.name})`);
  const b = m.input(MUL_PORTS.b, elementBits(p.b), `B element code (${p.b.name})`);
  m.section('decode both operands to sign, significand, exponent and flags');
  const ra = decodeElement(m, 'a', p.a, a);
  const rb = decodeElement(m, 'b', p.b, b);
  m.section('exact product');
  const rp = mulRaw(m, 'p', ra, rb);
  const fixed = rawToFixed(m, 'p_fixed', rp);
  const prod = m.output(MUL_PORTS.prod, fixed.value.width, `a*b in units of 2^${fixed.lsbExp}, two's complement; 0 for NaN / Inf`);
  m.assign(prod, ref(fixed.value));
  if (rp.nan) m.assign(m.output(MUL_PORTS.nan, 1, 'the product is NaN'), rp.nan);
  if (rp.inf) {
    const s = rp.sign ?? { text: "1'b0", width: 1 };
    m.assign(m.output(MUL_PORTS.pinf, 1, 'the product is +Inf'), binop(rp.inf, '&', paren(not(s))));
    m.assign(m.output(MUL_PORTS.ninf, 1, 'the product is -Inf'), binop(rp.inf, '&', s));
  }
  const same = p.a === p.b;
  lines.push(
    ...header({
      module: name,
      unit: `exact multiplier, ${p.a.name.toUpperCase()} x ${p.b.name.toUpperCase()}`,
      command,
      configuration: same ? [`element format (A and B): ${formatSummary(p.a)}`] : [`A: ${formatSummary(p.a)}`, `B: ${formatSummary(p.b)}`],
      computes: [`prod = a * b * 2^${-fixed.lsbExp}, exactly, as a ${fixed.value.width}-bit two's complement integer (${fixed.lo} .. ${fixed.hi})`],
      numerics: [
        'Every product is exact: no rounding.',
        'Zero has one encoding: -0 * x = 0.',
        ...(rp.nan ? [`nan = 1 for a NaN operand${rp.inf ? ' or Inf times zero' : ''}; prod is then 0.`] : ['No operand is ever NaN or Inf: there are no flags.']),
        ...(rp.inf ? ['pinf / ninf = 1 for an infinite product (Inf times a non-zero finite or infinite value); prod is then 0.'] : []),
      ],
    }),
  );
  return { module: m, lsbExp: fixed.lsbExp, lo: fixed.lo, hi: fixed.hi };
}

export const mulFamily: UnitFamily<MulParams> = {
  name: 'mul',
  summary: 'exact product of an A and a B element code',
  instances: (c) => [{ a: c.elemA, b: c.elemB }],
  fromParameters: (r) => ({ a: elementFormat(String(r.elem_a)), b: elementFormat(String(r.elem_b)) }),
  generate(p, command): Unit {
    const g = mulModule(p, command);
    return { family: 'mul', top: g.module, modules: [g.module], parameters: { elem_a: p.a.name, elem_b: p.b.name, prod_lsb: g.lsbExp } };
  },
  golden(p) {
    const t = productTable(p.a, p.b);
    const w = BigInt(mulModule(p, '').module.portList().find((q) => q.name === MUL_PORTS.prod)?.width ?? 0);
    return (v: PortValues) => {
      const i = (Number(v.a) << t.bBits) | Number(v.b);
      const out: Record<string, bigint> = { prod: BigInt.asUintN(Number(w), t.big[i]), nan: t.flags[i] & 1 ? 1n : 0n, pinf: t.flags[i] & 2 ? 1n : 0n, ninf: t.flags[i] & 4 ? 1n : 0n };
      return out;
    };
  },
  describeInputs: (p, v) => [`a = ${elementText(p.a, Number(v.a))}`, `b = ${elementText(p.b, Number(v.b))}`],
  describeOutput(p, port, value) {
    if (port !== MUL_PORTS.prod) return value.toString();
    const t = productTable(p.a, p.b);
    const w = mulModule(p, '').module.portList().find((q) => q.name === MUL_PORTS.prod)?.width ?? 64;
    const s = BigInt.asIntN(w, value);
    return `0x${value.toString(16).padStart(Math.ceil(w / 4), '0')} (${s} * 2^${t.lsb} = ${num(Number(s) * 2 ** t.lsb)})`;
  },
};
