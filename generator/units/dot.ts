/**
 * `dot`: two blocks of k element codes (A and B formats independent) and their scale codes in, one
 * value in the result format out:
 *
 *   result = round(scale_a * scale_b * sum_i a_i * b_i)
 *
 * The sum is exact (the `dotsum` module: k multiplier lanes and an adder tree sized from k), the
 * scale significands multiply it exactly, and the one rounding happens last.
 * Golden function: src/dot.ts dotBlock (its fast form src/dot-kernel.ts dotKernel).
 */
import { dotKernel, productTable } from '../../src/dot-kernel.js';
import { floatBits, floatQuietNan, type FloatFormat } from '../../src/formats/float.js';
import { elementBits, isE8M0, scaleBits, type ElementFormat, type ScaleFormat } from '../../src/formats/format.js';
import { article, elementList, floatText, formatSummary, scaleText } from '../../src/text.js';
import { addTree, type AdderStyle, type TreeTerm } from '../raw/add_tree.js';
import { decodeScale } from '../raw/decode.js';
import { mulRaw, zeroFlag } from '../raw/mul_raw.js';
import { roundToFormat, roundingNotes } from '../raw/round.js';
import type { HwRaw } from '../raw/raw.js';
import { VerilogModule, type LaneConnection } from '../verilog/module.js';
import { any, binop, lit, mux, not, paren, reduce, ref, slice, unsignedBits, zext, type Expr, type Signal } from '../verilog/signal.js';
import { DEFAULT_ADDERS, addersEntry, addersParameter, addersSuffix, checkBlock, elementFormat, elemsTag, floatFormat, outSuffix, scaleFormat } from './config.js';
import { header } from './header.js';
import { MUL_PORTS, mulModule } from './mul.js';
import type { PortValues, Unit, UnitFamily } from './unit.js';

export interface DotParams {
  readonly a: ElementFormat;
  readonly b: ElementFormat;
  readonly scale: ScaleFormat;
  readonly out: FloatFormat;
  readonly block: number;
  /** how the adder tree adds (default operator) */
  readonly adders?: AdderStyle;
}

export const DOT_PORTS = { a: 'a', b: 'b', scaleA: 'scale_a', scaleB: 'scale_b', result: 'result' } as const;
export const DOTSUM_PORTS = { a: 'a', b: 'b', sum: 'sum', nan: 'nan', pinf: 'pinf', ninf: 'ninf' } as const;

/**
 * The wires a proof cuts or observes. In the dotsum module: the lane products and flags; in the dot
 * module: the exact sum and its flags (the dotsum instance's outputs) and the rounder's inputs.
 */
export const DOT_CUTS = {
  prod: (i: number): string => `prod_${i}`,
  laneNan: 'nans',
  lanePinf: 'pinfs',
  laneNinf: 'ninfs',
  sum: 'sum',
  sumFlag: (f: 'nan' | 'pinf' | 'ninf'): string => `sum_${f}`,
  /** |sum| */
  sumAbs: 'sum_abs',
  /** the decoded scale pair: product of the significands, sum of the exponents, NaN, zero */
  scale: (f: 'sig' | 'exp' | 'nan' | 'zero'): string => `scale_${f}`,
  round: (f: 'sign' | 'mag' | 'exp' | 'nan' | 'inf'): string => `round_${f}`,
} as const;

export function dotsumModuleName(p: Pick<DotParams, 'a' | 'b' | 'block' | 'adders'>): string {
  return `mx_dotsum_${elemsTag(p.a, p.b)}_k${p.block}${addersSuffix(p.adders)}`;
}

export function dotModuleName(p: DotParams): string {
  return `mx_dot_${elemsTag(p.a, p.b)}_${p.scale.name}_k${p.block}${outSuffix(p.out)}${addersSuffix(p.adders)}`;
}

/** Sizes of the exact sum, for headers, the manifest and the proofs. */
export interface SumShape {
  readonly prodBits: number;
  readonly prodLsb: number;
  /** largest |product| and |sum| */
  readonly prodMax: bigint;
  readonly sumMax: bigint;
  readonly sumBits: number;
  readonly nan: boolean;
  readonly inf: boolean;
}

function operands(p: Pick<DotParams, 'a' | 'b'>): string[] {
  return p.a === p.b ? [`element format (A and B): ${formatSummary(p.a)}`] : [`A element format: ${formatSummary(p.a)}`, `B element format: ${formatSummary(p.b)}`];
}

/** The exact sum of k lane products: k multiplier lanes and a width-minimised adder tree. */
export function dotsumModule(p: Pick<DotParams, 'a' | 'b' | 'block' | 'adders'>, command: string): { module: VerilogModule; lane: VerilogModule; shape: SumShape } {
  const lane = mulModule({ a: p.a, b: p.b }, command);
  const k = p.block;
  const wa = elementBits(p.a);
  const wb = elementBits(p.b);
  const wp = lane.module.portList().find((q) => q.name === MUL_PORTS.prod)?.width ?? 0;
  const has = (port: string): boolean => lane.module.portList().some((q) => q.name === port);
  const name = dotsumModuleName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const a = m.input(DOTSUM_PORTS.a, wa * k, `block A: k codes (${p.a.name}); element i at bits [${wa}i+${wa - 1}:${wa}i]`);
  const b = m.input(DOTSUM_PORTS.b, wb * k, `block B: k codes (${p.b.name})`);
  m.section(`k = ${k} lanes, each ${lane.module.name}: exact products`);
  const prods = m.net('prods', wp * k, `lane products, lane i at bits [${wp}i+${wp - 1}:${wp}i], units of 2^${lane.lsbExp}`);
  const conn: Record<string, LaneConnection> = { [MUL_PORTS.a]: { perLane: a }, [MUL_PORTS.b]: { perLane: b }, [MUL_PORTS.prod]: { perLane: prods } };
  const flags: Partial<Record<'nan' | 'pinf' | 'ninf', Signal>> = {};
  if (has(MUL_PORTS.nan)) conn[MUL_PORTS.nan] = { perLane: (flags.nan = m.net(DOT_CUTS.laneNan, k, 'lane i: the product is NaN')) };
  if (has(MUL_PORTS.pinf)) {
    conn[MUL_PORTS.pinf] = { perLane: (flags.pinf = m.net(DOT_CUTS.lanePinf, k, 'lane i: the product is +Inf')) };
    conn[MUL_PORTS.ninf] = { perLane: (flags.ninf = m.net(DOT_CUTS.laneNinf, k, 'lane i: the product is -Inf')) };
  }
  m.lanes('lane', k, 'u_mul', lane.module, conn);
  m.section('lane products by lane');
  const terms: TreeTerm[] = [];
  for (let i = 0; i < k; i++) terms.push({ value: m.wire(DOT_CUTS.prod(i), slice(prods, wp * i + wp - 1, wp * i)), lo: lane.lo, hi: lane.hi });
  const adders = p.adders ?? DEFAULT_ADDERS;
  const tree = addTree(m, 'sum', terms, lane.lsbExp, adders);
  m.section('outputs');
  const sum = m.output(DOTSUM_PORTS.sum, tree.value.width, `exact sum of the products, two's complement, units of 2^${tree.lsbExp}; 0 from NaN / Inf lanes`);
  m.assign(sum, ref(tree.value));
  const anyNan = flags.nan ? reduce('|', ref(flags.nan)) : null;
  const anyP = flags.pinf ? ref(m.wire('any_pinf', reduce('|', ref(flags.pinf)))) : null;
  const anyN = flags.ninf ? ref(m.wire('any_ninf', reduce('|', ref(flags.ninf)))) : null;
  const nanTerms = [anyNan, anyP && anyN ? binop(anyP, '&', anyN) : null].filter((x): x is Expr => x !== null);
  let nan: Signal | null = null;
  if (nanTerms.length > 0) {
    nan = m.output(DOTSUM_PORTS.nan, 1, 'the sum is NaN: a NaN product, or +Inf and -Inf products');
    m.assign(nan, any(nanTerms));
  }
  if (anyP && anyN) {
    const notNan = nan ? paren(not(ref(nan))) : lit(1, 1);
    m.assign(m.output(DOTSUM_PORTS.pinf, 1, 'the sum is +Inf'), binop(anyP, '&', notNan));
    m.assign(m.output(DOTSUM_PORTS.ninf, 1, 'the sum is -Inf'), binop(anyN, '&', notNan));
  }
  const sumMax = tree.hi;
  const shape: SumShape = {
    prodBits: wp,
    prodLsb: lane.lsbExp,
    prodMax: lane.hi,
    sumMax,
    sumBits: tree.value.width,
    nan: nan !== null,
    inf: anyP !== null,
  };
  lines.push(
    ...header({
      module: name,
      unit: 'exact sum of k element products',
      command,
      configuration: [...operands(p), `block size k = ${k}`],
      computes: [`sum = sum_i a_i * b_i * 2^${-tree.lsbExp}, exactly, ${article(String(tree.value.width))} ${tree.value.width}-bit two's complement integer (|sum| <= ${sumMax})`],
      numerics: [
        `Products exact (${wp}-bit two's complement, units of 2^${lane.lsbExp}); their sum exact in an adder tree whose every node is as wide as its range.`,
        adders === 'ripple' ? 'Each node of the tree adds by ripple carry (ripple_add_* functions; --adders ripple), for gate-level flows.' : 'Each node of the tree is a + b: the synthesis tool picks the adder (--adders operator).',
        'An exact zero sum is 0, whatever the signs of the products.',
        ...(shape.nan ? [`nan = 1 when a product is NaN${shape.inf ? ' or +Inf and -Inf products meet' : ''}.`] : []),
        ...(shape.inf ? ['pinf / ninf = 1 when the sum is +Inf / -Inf (an infinite product, no NaN); sum then ignores those lanes.'] : []),
      ],
      uses: [lane.module.name],
    }),
  );
  return { module: m, lane: lane.module, shape };
}

/** The exact sum's wires: the dotsum instance's outputs. */
export interface SumWires {
  readonly sum: Signal;
  readonly nan: Signal | null;
  readonly pinf: Signal | null;
  readonly ninf: Signal | null;
}

/** The block's exact scaled value, ready for a rounder or an exact accumulator. */
export interface ScaledSum {
  /** the decoded scale pair and its zero flag (null when a zero scale cannot meet an Inf) */
  readonly sp: HwRaw;
  readonly scaleZero: Expr | null;
  /** value = (-1)^sign * mag * 2^(exp + expOffset); NaN and Inf beside it (mag is 0 for them) */
  readonly sign: Signal;
  readonly mag: Signal;
  readonly magMax: bigint;
  readonly mw: number;
  readonly exp: Signal;
  readonly expMax: number;
  readonly expOffset: number;
  readonly nan: Signal | null;
  /** the block is +-Inf (sign in `sign`) */
  readonly inf: Signal | null;
}

/** One dotsum instance on a and b, driving the wires sum and (where the formats have them) its flags. */
export function sumInstance(m: VerilogModule, title: string, core: { module: VerilogModule; shape: SumShape }, a: Signal, b: Signal): SumWires {
  const S = core.shape;
  m.section(title);
  const sum = m.net(DOT_CUTS.sum, S.sumBits, `exact sum, two's complement, units of 2^${S.prodLsb}`);
  const conn: Record<string, Expr> = { [DOTSUM_PORTS.a]: ref(a), [DOTSUM_PORTS.b]: ref(b), [DOTSUM_PORTS.sum]: ref(sum) };
  const nan = S.nan ? m.net(DOT_CUTS.sumFlag('nan'), 1, 'the sum is NaN') : null;
  const pinf = S.inf ? m.net(DOT_CUTS.sumFlag('pinf'), 1, 'the sum is +Inf') : null;
  const ninf = S.inf ? m.net(DOT_CUTS.sumFlag('ninf'), 1, 'the sum is -Inf') : null;
  if (nan) conn[DOTSUM_PORTS.nan] = ref(nan);
  if (pinf && ninf) {
    conn[DOTSUM_PORTS.pinf] = ref(pinf);
    conn[DOTSUM_PORTS.ninf] = ref(ninf);
  }
  m.instance('u_sum', core.module, conn);
  return { sum, nan, pinf, ninf };
}

/**
 * The scale pair and the exact sum combined, without rounding: decode both scales, multiply their
 * significands into |sum| and add their exponents; NaN for a NaN sum or scale or for an infinite
 * sum times a zero scale. The dot product rounds this value; the exact MAC accumulator adds it.
 * `names` names the five value wires (sign, mag, exp, nan, inf).
 */
export function scaledSum(
  m: VerilogModule,
  name: string,
  scale: ScaleFormat,
  S: SumShape,
  sa: Signal,
  sb: Signal,
  s: SumWires,
  names: (f: 'sign' | 'mag' | 'exp' | 'nan' | 'inf') => string,
): ScaledSum {
  m.section('scales: decode, product of the significands, sum of the exponents');
  const ra = decodeScale(m, 'sa', scale, sa);
  const rb = decodeScale(m, 'sb', scale, sb);
  const sp = mulRaw(m, 'scale', ra, rb);
  const scaleZero = S.inf ? zeroFlag(m, 'scale', sp) : null;
  // the cut points of the scale pair are the wires mulRaw / zeroFlag named
  for (const [e, f] of [[sp.sig, 'sig'], [sp.exp, 'exp'], [sp.nan, 'nan'], [scaleZero, 'zero']] as const) {
    if (e !== null && e.text !== DOT_CUTS.scale(f)) throw new Error(`${name}: the scale ${f} is '${e.text}', not the cut point ${DOT_CUTS.scale(f)}`);
  }

  m.section('sum: sign and magnitude, times the scale significands');
  const W = S.sumBits - 1;
  const sumSign = m.wire('sum_sign', slice(s.sum, W));
  const low = slice(s.sum, W - 1, 0);
  const sumAbs = m.wire(DOT_CUTS.sumAbs, mux(ref(sumSign), binop(lit(W, 0), '-', low), low), { comment: `|sum| (fits ${W} bits)` });
  const magMax = S.sumMax * sp.sigMax;
  const mw = unsignedBits(magMax);
  const magExpr = sp.sig ? binop(zext(ref(sumAbs), mw), '*', zext(sp.sig, mw)) : zext(ref(sumAbs), mw);
  const mag = m.wire(names('mag'), magExpr, { comment: sp.sig ? '|sum| times both scale significands, exactly' : '|sum| (E8M0 scales are powers of two)' });
  if (!sp.exp) throw new Error(`${name}: a scale format without an exponent`);
  const exp = m.wire(names('exp'), sp.exp, { comment: `exponent of the magnitude's unit above 2^${S.prodLsb + sp.expOffset}` });
  const inf = s.pinf && s.ninf ? m.wire(names('inf'), binop(ref(s.pinf), '|', ref(s.ninf))) : null;
  const nanTerms: Expr[] = [];
  if (s.nan) nanTerms.push(ref(s.nan));
  if (sp.nan) nanTerms.push(sp.nan);
  if (inf && scaleZero) nanTerms.push(binop(ref(inf), '&', scaleZero));
  const nan = nanTerms.length > 0 ? m.wire(names('nan'), any(nanTerms), { comment: 'the result is NaN' }) : null;
  const sign = m.wire(names('sign'), inf && s.ninf ? mux(ref(inf), ref(s.ninf), ref(sumSign)) : ref(sumSign), { comment: 'sign of the result' });
  return { sp, scaleZero, sign, mag, magMax, mw, exp, expMax: sp.expMax, expOffset: S.prodLsb + sp.expOffset, nan, inf };
}

export function dotModules(p: DotParams, command: string): { top: VerilogModule; modules: VerilogModule[]; shape: SumShape } {
  const core = dotsumModule(p, command);
  const S = core.shape;
  const k = p.block;
  const wa = elementBits(p.a);
  const wb = elementBits(p.b);
  const ws = scaleBits(p.scale);
  const wr = floatBits(p.out);
  const name = dotModuleName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const a = m.input(DOT_PORTS.a, wa * k, `block A: k codes (${p.a.name}); element i at bits [${wa}i+${wa - 1}:${wa}i]`);
  const b = m.input(DOT_PORTS.b, wb * k, `block B: k codes (${p.b.name})`);
  const sa = m.input(DOT_PORTS.scaleA, ws, `scale code of block A (${p.scale.name})`);
  const sb = m.input(DOT_PORTS.scaleB, ws, `scale code of block B (${p.scale.name})`);
  const result = m.output(DOT_PORTS.result, wr, p.out.name.toUpperCase());

  const sums = sumInstance(m, 'exact sum of the products', core, a, b);
  const x = scaledSum(m, name, p.scale, S, sa, sb, sums, DOT_CUTS.round);
  const { sp, scaleZero, magMax, mw, mag, exp, nan, inf, sign } = x;
  const r = roundToFormat(m, 'rnd', p.out, {
    nan: nan ? ref(nan) : null,
    inf: inf ? ref(inf) : null,
    sign: ref(sign),
    mag,
    magMax,
    exp: ref(exp),
    expMax: sp.expMax,
    expOffset: S.prodLsb + sp.expOffset,
    zero: 'positive',
  });
  m.section('output');
  m.assign(result, ref(r.result));

  const q = floatText(p.out, floatQuietNan(p.out)).split(' ')[0];
  const nanCauses = [
    ...(S.nan ? ['a NaN element'] : []),
    'a NaN scale',
    ...(S.inf ? ['+Inf and -Inf products', 'Inf times zero'] : []),
    ...(S.inf && scaleZero ? ['an infinite sum times a zero scale'] : []),
  ];
  lines.push(
    ...header({
      module: name,
      unit: 'MX block dot product',
      command,
      configuration: [...operands(p), `scale format: ${formatSummary(p.scale)}`, `result format: ${formatSummary(p.out)}`, `block size k = ${k}`],
      computes: [`result = scale_a * scale_b * sum_i a_i*b_i, rounded once to ${p.out.name.toUpperCase()}`],
      numerics: [
        `The sum of products is exact (${S.sumBits}-bit two's complement in ${core.module.name}, units of 2^${S.prodLsb}, |sum| <= ${S.sumMax}).`,
        isE8M0(p.scale) ? 'E8M0 scales are powers of two: they only move the exponent.' : `The two scale significands multiply the exact sum exactly (${mw}-bit magnitude) before the rounding.`,
        ...roundingNotes(p.out, r.needs),
        `${capital(nanCauses.join(', ').replace(/, ([^,]*)$/, ' or $1'))} gives the quiet NaN ${q}.`,
        ...(S.inf ? ['Otherwise an Inf product gives Inf of its sign.'] : []),
        `An exact zero gives +0, whatever the signs of the products${sp.canBeZero ? ' (also a non-zero sum times a zero scale)' : ''}; a non-zero value that rounds to zero keeps its sign.`,
      ],
      uses: [core.module.name],
    }),
  );
  return { top: m, modules: [core.lane, core.module, m], shape: S };
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function unpack(v: bigint, k: number, w: number): number[] {
  const mask = (1n << BigInt(w)) - 1n;
  return Array.from({ length: k }, (_, i) => Number((v >> BigInt(w * i)) & mask));
}

export const dotFamily: UnitFamily<DotParams> = {
  name: 'dot',
  summary: 'dot product of two blocks with their scales, rounded once to the result format',
  instances: (c) => [{ a: c.elemA, b: c.elemB, scale: c.scale, out: c.out, block: c.block, adders: c.adders }],
  fromParameters: (r) => ({
    a: elementFormat(String(r.elem_a)),
    b: elementFormat(String(r.elem_b)),
    scale: scaleFormat(String(r.scale)),
    out: floatFormat(String(r.out)),
    block: checkBlock(Number(r.block)),
    adders: addersParameter(r),
  }),
  generate(p, command): Unit {
    const d = dotModules(p, command);
    return {
      family: 'dot',
      top: d.top,
      modules: d.modules,
      parameters: {
        elem_a: p.a.name,
        elem_b: p.b.name,
        scale: p.scale.name,
        out: p.out.name,
        block: p.block,
        prod_bits: d.shape.prodBits,
        prod_lsb: d.shape.prodLsb,
        sum_bits: d.shape.sumBits,
        ...addersEntry(p.adders),
      },
    };
  },
  golden(p) {
    const kern = dotKernel(p.a, p.b, p.scale, p.out, p.block);
    const wa = elementBits(p.a);
    const wb = elementBits(p.b);
    return (v: PortValues) => ({
      result: BigInt(kern(unpack(v.a, p.block, wa), 0, unpack(v.b, p.block, wb), 0, p.block, Number(v.scale_a), Number(v.scale_b)) >>> 0),
    });
  },
  describeInputs(p, v) {
    return [
      `a = ${elementList(p.a, unpack(v.a, p.block, elementBits(p.a)))} (lane 0 first)`,
      `b = ${elementList(p.b, unpack(v.b, p.block, elementBits(p.b)))}`,
      `scale_a = ${scaleText(p.scale, Number(v.scale_a))}`,
      `scale_b = ${scaleText(p.scale, Number(v.scale_b))}`,
    ];
  },
  describeOutput: (p, _port, value) => floatText(p.out, Number(value)),
};

/** The product table of a dot product's lanes (for benches and proofs). */
export function laneProducts(p: Pick<DotParams, 'a' | 'b'>): ReturnType<typeof productTable> {
  return productTable(p.a, p.b);
}

