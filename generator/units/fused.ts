/**
 * `fused`: the GPU-compatible fused dot-add, one tensor-core instruction, d = c + sum_i a_i * b_i
 * (with the block scales), computed as NVIDIA's tensor cores compute it (src/fused.ts):
 *
 *   every term (c and the k products) is a significand times 2^exponent; E is the largest exponent;
 *   each significand is shifted to E and truncated toward zero to F fractional bits; the terms are
 *   added exactly; the sum times 2^E is converted to FP32 toward zero (hopper: 13 fraction bits).
 *
 * Stages: k lanes (`mx_fused_lane_*`, one product each: sign, significand, exponent, flags); the
 * product exponents with the scales; the largest exponent (a tree of comparisons); each term's right
 * shift by its distance to E, truncating; the terms' exact sum (an adder tree); the one shared
 * rounder, toward zero; the special results (NaN 0x7FFFFFFF).
 * Golden function: src/fused.ts fusedDotAdd.
 */
import { FP32 } from '../../src/formats/float.js';
import { elementBits, isIntFormat, type ElementFormat } from '../../src/formats/format.js';
import { E8M0 } from '../../src/formats/e8m0.js';
import { minifloatEmin, type MinifloatSpec } from '../../src/formats/minifloat.js';
import { FUSED_NAN, FUSED_SHAPES, fusedDotAdd, fusedElementNames, type FusedKind } from '../../src/fused.js';
import { elementText, formatSummary, floatText, scaleText } from '../../src/text.js';
import { addTree, type TreeTerm } from '../raw/add_tree.js';
import { decodeMinifloat } from '../raw/decode.js';
import { roundToFormat, roundingNotes } from '../raw/round.js';
import { VerilogModule } from '../verilog/module.js';
import { any, binop, cmp, concat, lit, mux, not, paren, reduce, ref, slice, unsignedBits, zext, type Expr, type Signal } from '../verilog/signal.js';
import { elementFormat, elemsTag, type GenConfig } from './config.js';
import { UsageError } from '../cli-args.js';
import { header } from './header.js';
import type { PortValues, Unit, UnitFamily } from './unit.js';

/** The kinds generated in hardware so far. */
export const FUSED_RTL_KINDS = ['blackwell', 'hopper'] as const satisfies readonly FusedKind[];
export type FusedRtlKind = (typeof FUSED_RTL_KINDS)[number];

export interface FusedParams {
  readonly kind: FusedRtlKind;
  readonly a: MinifloatSpec;
  readonly b: MinifloatSpec;
}

export const FUSED_PORTS = { a: 'a', b: 'b', scaleA: 'scale_a', scaleB: 'scale_b', c: 'c', d: 'd' } as const;
export const FUSED_LANE_PORTS = { a: 'a', b: 'b', sign: 'sign', sig: 'sig', exp: 'exp', nan: 'nan', pinf: 'pinf', ninf: 'ninf' } as const;

/**
 * The wires a proof cuts or observes in the top module: the lanes' outputs (packed, lane i at its
 * slice), the largest exponent, the aligned terms, the sum's sign and magnitude, and the result's
 * special flags and sign (the rounder's inputs).
 */
export const FUSED_CUTS = {
  lane: (f: 'sig' | 'exp' | 'sign' | 'nan' | 'pinf' | 'ninf'): string => `lane_${f}`,
  emax: 'e_max',
  term: (i: number): string => `term_${i}`,
  termC: 'term_c',
  sumNeg: 'sum_neg',
  sumMag: 'sum_mag',
  res: (f: 'nan' | 'inf' | 'sign'): string => `res_${f}`,
} as const;

/** Offset of a zero's exponent (-126) in the lanes' unsigned exponents: exp = e + 126 per element. */
const ZERO_EXP = -126;

export function fusedModuleName(p: FusedParams): string {
  return `mx_fused_${elemsTag(p.a, p.b)}_${p.kind === 'hopper' ? '' : 'e8m0_'}k${FUSED_SHAPES[p.kind].k}_${p.kind}`;
}

export function fusedLaneName(p: Pick<FusedParams, 'a' | 'b'>): string {
  return `mx_fused_lane_${elemsTag(p.a, p.b)}`;
}

/** The kind's checks on the configuration's formats (UsageError naming what is wrong). */
export function fusedParams(kind: string, c: Pick<GenConfig, 'elemA' | 'elemB' | 'scale' | 'block'>): FusedParams {
  if (!(FUSED_RTL_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(kind === 'blackwell-f4' ? '--gpu blackwell-f4: the kind::mxf4nvf4 unit is not generated yet (the golden model and mxrtl dot have it)' : `unknown GPU kind '${kind}' (one of: ${FUSED_RTL_KINDS.join(', ')})`);
  }
  const k = kind as FusedRtlKind;
  const shape = FUSED_SHAPES[k];
  for (const [n, f] of [['A', c.elemA], ['B', c.elemB]] as const) {
    if (!shape.elements.includes(f)) throw new UsageError(`--gpu ${k}: ${n} elements must be ${fusedElementNames(k)}, got ${f.name}`);
  }
  if (c.block !== shape.k) throw new UsageError(`--gpu ${k}: the instruction takes ${shape.k} elements per operand: --block ${shape.k}, got ${c.block}`);
  if (k === 'blackwell' && c.scale !== E8M0) throw new UsageError(`--gpu blackwell: kind::mxf8f6f4 takes e8m0 scales, got ${c.scale.name}`);
  return { kind: k, a: c.elemA as MinifloatSpec, b: c.elemB as MinifloatSpec };
}

/** One lane: the product of two codes as the GPU's significand and exponent (plus 252), and its flags. */
function laneModule(p: Pick<FusedParams, 'a' | 'b'>, command: string): { module: VerilogModule; sigBits: number; fracBits: number; expBits: number; expMax: number; sigMax: bigint } {
  const name = fusedLaneName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const a = m.input(FUSED_LANE_PORTS.a, elementBits(p.a), `A element code (${p.a.name})`);
  const b = m.input(FUSED_LANE_PORTS.b, elementBits(p.b), `B element code (${p.b.name})`);
  m.section('decode both operands');
  const ra = decodeMinifloat(m, 'a', p.a, a);
  const rb = decodeMinifloat(m, 'b', p.b, b);
  // exponent of a nonzero value: its unit exponent above the smallest normal, plus emin; here plus 126,
  // so that a zero's -126 is 0 and every exponent is unsigned
  const expOf = (x: 'a' | 'b', f: MinifloatSpec, r: typeof ra): { exp: Signal; max: number } => {
    const add = minifloatEmin(f) - ZERO_EXP;
    const max = r.expMax + add;
    const w = unsignedBits(max);
    const zero = cmp(r.sig as Expr, '==', lit((r.sig as Expr).width, 0));
    const exp = m.wire(`${x}_gexp`, mux(zero, lit(w, 0), binop(zext(r.exp as Expr, w), '+', lit(w, add))), {
      comment: `${x}: exponent + 126 (normal: unbiased, subnormal: ${minifloatEmin(f)}, zero: -126, so 0 here)`,
    });
    return { exp, max };
  };
  const ea = expOf('a', p.a, ra);
  const eb = expOf('b', p.b, rb);
  m.section('the product: significands multiply, exponents add');
  const sigMax = ra.sigMax * rb.sigMax;
  const sigBits = unsignedBits(sigMax);
  const sig = m.output(FUSED_LANE_PORTS.sig, sigBits, `|a * b| significand, ${p.a.mbits + p.b.mbits} fractional bits; 0 for a zero, NaN or Inf operand`);
  m.assign(sig, binop(zext(ra.sig as Expr, sigBits), '*', zext(rb.sig as Expr, sigBits)));
  const expMax = ea.max + eb.max;
  const expBits = unsignedBits(expMax);
  const exp = m.output(FUSED_LANE_PORTS.exp, expBits, 'exponent of a plus exponent of b, plus 252 (each exponent + 126)');
  m.assign(exp, binop(zext(ref(ea.exp), expBits), '+', zext(ref(eb.exp), expBits)));
  const sign = m.output(FUSED_LANE_PORTS.sign, 1, 'sign of the product');
  m.assign(sign, ra.sign && rb.sign ? binop(ra.sign, '^', rb.sign) : (ra.sign ?? rb.sign ?? lit(1, 0)));
  const zeroA = cmp(ra.sig as Expr, '==', lit((ra.sig as Expr).width, 0));
  const zeroB = cmp(rb.sig as Expr, '==', lit((rb.sig as Expr).width, 0));
  const nanTerms: Expr[] = [];
  if (ra.nan) nanTerms.push(ra.nan);
  if (rb.nan) nanTerms.push(rb.nan);
  // Inf times zero (a special code decodes with significand 0, so "zero" must exclude it)
  const realZero = (z: Expr, r: typeof ra): Expr => paren(binop(paren(z), '&', paren(not(paren(any([r.nan, r.inf].filter((x): x is Expr => x !== null)))))));
  if (ra.inf) nanTerms.push(paren(binop(ra.inf, '&', rb.nan || rb.inf ? realZero(zeroB, rb) : paren(zeroB))));
  if (rb.inf) nanTerms.push(paren(binop(rb.inf, '&', ra.nan || ra.inf ? realZero(zeroA, ra) : paren(zeroA))));
  const hasInf = ra.inf !== null || rb.inf !== null;
  const hasNan = nanTerms.length > 0;
  if (hasNan) {
    const nan = m.output(FUSED_LANE_PORTS.nan, 1, 'the product is NaN: a NaN operand, or Inf times zero');
    m.assign(nan, any(nanTerms));
    if (hasInf) {
      const inf = m.wire('p_inf', binop(paren(any([ra.inf, rb.inf].filter((x): x is Expr => x !== null))), '&', not(ref(nan))));
      m.assign(m.output(FUSED_LANE_PORTS.pinf, 1, 'the product is +Inf'), binop(ref(inf), '&', not(ref(sign))));
      m.assign(m.output(FUSED_LANE_PORTS.ninf, 1, 'the product is -Inf'), binop(ref(inf), '&', ref(sign)));
    }
  }
  lines.push(
    ...header({
      module: name,
      unit: `one lane of the fused dot-add: the product of an ${p.a.name.toUpperCase()} and a ${p.b.name.toUpperCase()} code as significand and exponent`,
      command,
      configuration: p.a === p.b ? [`element format (A and B): ${formatSummary(p.a)}`] : [`A: ${formatSummary(p.a)}`, `B: ${formatSummary(p.b)}`],
      computes: [
        `sig = |a| * |b| as significands with ${p.a.mbits} and ${p.b.mbits} fractional bits (subnormals below 1), exactly`,
        'exp = e_a + e_b + 252, where an element\'s exponent is its unbiased exponent when normal, the',
        "format's smallest normal exponent when subnormal, and -126 for a zero (the GPU's definition)",
      ],
      numerics: [
        'Exact: no rounding. A zero product keeps its exponent (a zero takes part in the alignment).',
        ...(hasNan ? [`nan = 1 for a NaN operand${hasInf ? ' or Inf times zero' : ''}; sig is then 0.`] : ['No operand is ever NaN or Inf: there are no flags.']),
      ],
    }),
  );
  return { module: m, sigBits, fracBits: p.a.mbits + p.b.mbits, expBits, expMax, sigMax };
}

/** The exponent leaves of the largest-exponent tree: C's, then product i's. */
export function fusedExpLeaves(k: number): string[] {
  return ['c_exp', ...Array.from({ length: k }, (_, i) => `exp_${i}`)];
}

/**
 * A balanced tree of two-input maximums over named leaves: each node `emax_l<depth>_<i>` is the
 * larger of two names below it (an odd one out passes up a level).
 */
export function maxTree(leaves: readonly string[]): { nodes: { name: string; left: string; right: string }[]; root: string } {
  const nodes: { name: string; left: string; right: string }[] = [];
  let level = [...leaves];
  let depth = 0;
  while (level.length > 1) {
    depth++;
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      if (i + 1 === level.length) next.push(level[i]);
      else {
        const name = `emax_l${depth}_${i / 2}`;
        nodes.push({ name, left: level[i], right: level[i + 1] });
        next.push(name);
      }
    }
    level = next;
  }
  return { nodes, root: level[0] };
}

/** The sizes of a fused unit, for the module and its proof. */
export interface FusedHwShape {
  readonly k: number;
  /** fractional bits of the aligned terms */
  readonly F: number;
  readonly scaled: boolean;
  /** every exponent is held plus B (unsigned) */
  readonly B: number;
  readonly lane: { readonly sigBits: number; readonly fracBits: number; readonly expBits: number; readonly expMax: number; readonly sigMax: bigint };
  /** width of the exponents and of E */
  readonly EW: number;
  /** the largest product and C exponent (plus B) */
  readonly termExpMax: number;
  readonly cExpMax: number;
  /** a product term: (pw + 1)-bit two's complement, |term| <= tmax; its significand shifted up by `up` */
  readonly pw: number;
  readonly up: number;
  readonly tmax: bigint;
  /** C: its significand with cKeep fractional bits, shifted up by cUp; (cw + 1)-bit term, |term| <= cmax */
  readonly cKeep: number;
  readonly cUp: number;
  readonly cw: number;
  readonly cmax: bigint;
  /** the largest |sum| */
  readonly magMax: bigint;
}

export function fusedShape(p: FusedParams, lane = laneModule(p, '')): FusedHwShape {
  const shape = FUSED_SHAPES[p.kind];
  const k = shape.k;
  const F = shape.fracBits;
  const scaled = p.kind !== 'hopper';
  // every exponent plus B, so that all are unsigned: products e_a + e_b (+ scales) + B, C e_c + B
  const B = -2 * ZERO_EXP + (scaled ? 254 : 0);
  const termExpMax = lane.expMax + (scaled ? 2 * 254 : 0);
  const cExpMax = 254 - 127 + B;
  const up = F - lane.fracBits;
  if (up < 0) throw new Error(`${fusedModuleName(p)}: ${lane.fracBits} fractional bits of a product above F = ${F}`);
  const tmax = lane.sigMax << BigInt(up);
  const cKeep = Math.min(23, F);
  const cUp = F - cKeep;
  const cmax = ((1n << BigInt(1 + cKeep)) - 1n) << BigInt(cUp);
  return {
    k,
    F,
    scaled,
    B,
    lane: { sigBits: lane.sigBits, fracBits: lane.fracBits, expBits: lane.expBits, expMax: lane.expMax, sigMax: lane.sigMax },
    EW: unsignedBits(Math.max(termExpMax, cExpMax)),
    termExpMax,
    cExpMax,
    pw: F + 2, // |product significand| < 4
    up,
    tmax,
    cKeep,
    cUp,
    cw: F + 1,
    cmax,
    magMax: BigInt(k) * tmax + cmax,
  };
}

function fusedModules(p: FusedParams, command: string): { top: VerilogModule; lane: VerilogModule; parameters: Record<string, string | number> } {
  const shape = FUSED_SHAPES[p.kind];
  const lane = laneModule(p, command);
  const hs = fusedShape(p, lane);
  const { k, F, scaled, B, EW, termExpMax, cExpMax, pw, up, tmax, cKeep, cUp, cw, cmax } = hs;
  const name = fusedModuleName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const wa = elementBits(p.a);
  const wb = elementBits(p.b);
  const a = m.input(FUSED_PORTS.a, wa * k, `A: ${k} codes (${p.a.name}); element i at bits [${wa}i+${wa - 1}:${wa}i]`);
  const b = m.input(FUSED_PORTS.b, wb * k, `B: ${k} codes (${p.b.name})`);
  const sa = scaled ? m.input(FUSED_PORTS.scaleA, 8, 'scale code of A (e8m0)') : null;
  const sb = scaled ? m.input(FUSED_PORTS.scaleB, 8, 'scale code of B (e8m0)') : null;
  const c = m.input(FUSED_PORTS.c, 32, 'addend C (FP32)');
  const d = m.output(FUSED_PORTS.d, 32, 'D = C + the dot product (FP32, as the GPU computes it)');

  m.section(`k = ${k} lanes, each ${lane.module.name}`);
  const has = (port: string): boolean => lane.module.portList().some((q) => q.name === port);
  const sigs = m.net(FUSED_CUTS.lane('sig'), lane.sigBits * k, `lane i's product significand at bits [${lane.sigBits}i+${lane.sigBits - 1}:${lane.sigBits}i]`);
  const exps = m.net(FUSED_CUTS.lane('exp'), lane.expBits * k, "lane i's product exponent + 252");
  const signs = m.net(FUSED_CUTS.lane('sign'), k, "lane i's product sign");
  const conn: Record<string, { perLane: Signal }> = { a: { perLane: a }, b: { perLane: b }, sig: { perLane: sigs }, exp: { perLane: exps }, sign: { perLane: signs } };
  const flags: Partial<Record<'nan' | 'pinf' | 'ninf', Signal>> = {};
  for (const f of ['nan', 'pinf', 'ninf'] as const) if (has(f)) conn[f] = { perLane: (flags[f] = m.net(FUSED_CUTS.lane(f), k, `lane i: the product is ${f === 'nan' ? 'NaN' : f === 'pinf' ? '+Inf' : '-Inf'}`)) };
  m.lanes('lane', k, 'u_lane', lane.module, conn);

  m.section(`the terms' exponents, plus ${B}${scaled ? ' (products: the lane exponent plus both scale codes, e_scale + 127 each)' : ''}`);
  const texp: Signal[] = [];
  for (let i = 0; i < k; i++) {
    const le = slice(exps, lane.expBits * i + lane.expBits - 1, lane.expBits * i);
    texp.push(m.wire(fusedExpLeaves(k)[i + 1], scaled && sa && sb ? binop(binop(zext(le, EW), '+', zext(ref(sa), EW)), '+', zext(ref(sb), EW)) : zext(le, EW)));
  }
  m.section('C: sign, significand (23 fractional bits), exponent');
  const cSign = m.wire('c_sign', slice(c, 31));
  const cField = m.wire('c_field', slice(c, 30, 23));
  const cMan = m.wire('c_man', slice(c, 22, 0));
  const cTop = m.wire('c_top', reduce('&', ref(cField)), { comment: 'C is Inf or NaN' });
  const cNan = m.wire('c_nan', binop(ref(cTop), '&', reduce('|', ref(cMan))));
  const cInf = m.wire('c_inf', binop(ref(cTop), '&', paren(not(reduce('|', ref(cMan))))));
  const cNormal = m.wire('c_normal', cmp(ref(cField), '!=', lit(8, 0)));
  // C's significand with its hidden bit, truncated to F fractional bits where F < 23 (0 for Inf / NaN)
  const cSig = m.wire('c_sig', mux(ref(cTop), lit(1 + cKeep, 0), concat(ref(cNormal), slice(cMan, 22, 23 - cKeep))), {
    comment: `C's significand with its hidden bit${cKeep < 23 ? `, truncated to ${cKeep} fractional bits` : ''} (0 for Inf / NaN)`,
  });
  // e_c + B: field - 127 + B when normal, -126 + B when subnormal or zero
  const cExp = m.wire(fusedExpLeaves(k)[0], binop(zext(mux(ref(cNormal), ref(cField), lit(8, 1)), EW), '+', lit(EW, B - 127)), { comment: `C's exponent + ${B} (subnormal and zero: -126)` });

  m.section('E: the largest exponent of all terms');
  const byName = new Map<string, Signal>([cExp, ...texp].map((x) => [x.name, x]));
  const emax = maxTree([cExp, ...texp].map((x) => x.name));
  for (const n of emax.nodes) {
    const [l, r] = [byName.get(n.left) as Signal, byName.get(n.right) as Signal];
    byName.set(n.name, m.wire(n.name, mux(cmp(ref(l), '>', ref(r)), ref(l), ref(r))));
  }
  const E = m.wire(FUSED_CUTS.emax, ref(byName.get(emax.root) as Signal), { comment: `the largest exponent + ${B}` });

  m.section(`align: each significand shifted to E, truncated toward zero to ${F} fractional bits`);
  const terms: TreeTerm[] = [];
  for (let i = 0; i < k; i++) {
    const s = slice(sigs, lane.sigBits * i + lane.sigBits - 1, lane.sigBits * i);
    const dist = m.wire(`dist_${i}`, binop(ref(E), '-', ref(texp[i])));
    const wide = up > 0 ? concat(s, lit(up, 0)) : s;
    const mag = m.wire(`mag_${i}`, { text: `${zext(wide, pw).text} >> ${dist.name}`, width: pw }, { comment: i === 0 ? `|term| in units of 2^(E - ${F}), truncated` : undefined });
    const sg = slice(signs, i);
    const v = m.wire(FUSED_CUTS.term(i), mux(sg, binop(lit(pw + 1, 0), '-', zext(ref(mag), pw + 1)), zext(ref(mag), pw + 1)));
    terms.push({ value: v, lo: -tmax, hi: tmax });
  }
  const cDist = m.wire('dist_c', binop(ref(E), '-', ref(cExp)));
  const cPre = cUp > 0 ? concat(ref(cSig), lit(cUp, 0)) : ref(cSig);
  const cMag = m.wire('mag_c', { text: `${zext(cPre, cw).text} >> ${cDist.name}`, width: cw });
  const cTerm = m.wire(FUSED_CUTS.termC, mux(ref(cSign), binop(lit(cw + 1, 0), '-', zext(ref(cMag), cw + 1)), zext(ref(cMag), cw + 1)));
  terms.push({ value: cTerm, lo: -cmax, hi: cmax });

  const tree = addTree(m, 'sum', terms, -F);
  const S = tree.value;
  m.section('the exact sum: sign and magnitude');
  const sNeg = m.wire(FUSED_CUTS.sumNeg, slice(S, S.width - 1));
  const sMag = m.wire(FUSED_CUTS.sumMag, mux(ref(sNeg), binop(lit(S.width, 0), '-', ref(S)), ref(S)), { comment: `|sum| in units of 2^(E - ${B} - ${F})` });

  m.section('specials');
  const nanTerms: Expr[] = [ref(cNan)];
  if (sa && sb) nanTerms.push(cmp(ref(sa), '==', lit(8, 0xff)), cmp(ref(sb), '==', lit(8, 0xff)));
  if (flags.nan) nanTerms.push(reduce('|', ref(flags.nan)));
  const anyP = m.wire('any_pinf', flags.pinf ? binop(reduce('|', ref(flags.pinf)), '|', paren(binop(ref(cInf), '&', not(ref(cSign))))) : binop(ref(cInf), '&', not(ref(cSign))));
  const anyN = m.wire('any_ninf', flags.ninf ? binop(reduce('|', ref(flags.ninf)), '|', paren(binop(ref(cInf), '&', ref(cSign)))) : binop(ref(cInf), '&', ref(cSign)));
  nanTerms.push(paren(binop(ref(anyP), '&', ref(anyN))));
  const nan = m.wire(FUSED_CUTS.res('nan'), any(nanTerms), { comment: `NaN: a NaN element, scale or C, Inf x 0, +Inf with -Inf (result 0x${FUSED_NAN.toString(16)})` });
  const inf = m.wire(FUSED_CUTS.res('inf'), binop(paren(binop(ref(anyP), '|', ref(anyN))), '&', not(ref(nan))));
  const sign = m.wire(FUSED_CUTS.res('sign'), mux(ref(inf), ref(anyN), ref(sNeg)));

  const magMax = hs.magMax;
  const expMaxE = Math.max(termExpMax, cExpMax);
  const r = roundToFormat(m, 'rnd', FP32, {
    nan: ref(nan),
    inf: ref(inf),
    sign: ref(sign),
    mag: sMag,
    magMax,
    exp: ref(E),
    expMax: expMaxE,
    expOffset: -B - F,
    zero: 'positive',
    mode: 'toward-zero',
    keepFraction: shape.outFracBits,
    nanCode: FUSED_NAN,
  });
  m.assign(d, ref(r.result));

  const formats = p.a === p.b ? [`element format (A and B): ${formatSummary(p.a)}`] : [`A element format: ${formatSummary(p.a)}`, `B element format: ${formatSummary(p.b)}`];
  lines.push(
    ...header({
      module: name,
      unit: `fused dot-add, ${shape.about}`,
      command,
      configuration: [...formats, scaled ? 'scale format: E8M0 (one scale per operand: 2^(code - 127), 0xFF NaN)' : 'no block scale', `k = ${k}`, 'C and D: FP32'],
      computes: [
        'd = c + sum_i a_i * b_i' + (scaled ? ' * scale_a * scale_b' : '') + ', as the GPU computes it:',
        `every term (c and each product) is a significand times 2^exponent; E is the largest exponent of all ${k + 1} terms`,
        `(a zero's exponent is -126, so zero terms take part); each term is shifted to E and truncated toward zero to ${F}`,
        'fractional bits; the truncated terms are added exactly.',
      ],
      numerics: [
        ...roundingNotes(FP32, r.needs, { mode: 'toward-zero', keepFraction: shape.outFracBits }),
        `NaN (a NaN element${scaled ? ', a NaN scale' : ''} or C, Inf x 0, +Inf with -Inf) gives 0x${FUSED_NAN.toString(16).toUpperCase()}; otherwise an Inf term gives that Inf.`,
        'Not IEEE "exact sum, one rounding": see docs/NUMERICS.md 7.1.',
      ],
      uses: [lane.module.name],
    }),
  );
  return {
    top: m,
    lane: lane.module,
    parameters: { kind: p.kind, elem_a: p.a.name, elem_b: p.b.name, block: k, frac_bits: F, out_frac_bits: shape.outFracBits, exp_offset: B, ...(scaled ? { scale: 'e8m0' } : {}) },
  };
}

export const fusedFamily: UnitFamily<FusedParams> = {
  name: 'fused',
  summary: 'GPU-compatible fused dot-add D = C + A.B of one tensor-core instruction (--gpu)',
  instances: (c) => [fusedParams(c.gpu, c)],
  fromParameters(r) {
    const kind = String(r.kind);
    if (!(FUSED_RTL_KINDS as readonly string[]).includes(kind)) throw new Error(`unknown kind '${kind}'`);
    const a = elementFormat(String(r.elem_a));
    const b = elementFormat(String(r.elem_b));
    if (isIntFormat(a) || isIntFormat(b)) throw new Error('INT8 elements');
    return { kind: kind as FusedRtlKind, a, b };
  },
  generate(p, command): Unit {
    const g = fusedModules(p, command);
    return { family: 'fused', top: g.top, modules: [g.lane, g.top], parameters: g.parameters };
  },
  golden(p) {
    const k = FUSED_SHAPES[p.kind].k;
    const wa = BigInt(elementBits(p.a));
    const wb = BigInt(elementBits(p.b));
    const codes = (v: bigint, w: bigint): number[] => Array.from({ length: k }, (_, i) => Number((v >> (w * BigInt(i))) & ((1n << w) - 1n)));
    return (v: PortValues) => {
      const scaled = p.kind !== 'hopper';
      const A = { elem: p.a as ElementFormat, codes: codes(v.a, wa), ...(scaled ? { scale: E8M0, scales: [Number(v.scale_a)] } : {}) };
      const Bop = { elem: p.b as ElementFormat, codes: codes(v.b, wb), ...(scaled ? { scale: E8M0, scales: [Number(v.scale_b)] } : {}) };
      return { d: BigInt(fusedDotAdd(p.kind, A, Bop, Number(v.c)) >>> 0) };
    };
  },
  describeInputs(p, v) {
    const k = FUSED_SHAPES[p.kind].k;
    const list = (f: ElementFormat, x: bigint): string => {
      const w = BigInt(elementBits(f));
      return Array.from({ length: k }, (_, i) => elementText(f, Number((x >> (w * BigInt(i))) & ((1n << w) - 1n)))).join(', ');
    };
    return [`a = [${list(p.a, v.a)}]`, `b = [${list(p.b, v.b)}]`, ...(p.kind !== 'hopper' ? [`scale_a = ${scaleText(E8M0, Number(v.scale_a))}`, `scale_b = ${scaleText(E8M0, Number(v.scale_b))}`] : []), `c = ${floatText(FP32, Number(v.c))}`];
  },
  describeOutput: (_p, _port, value) => floatText(FP32, Number(value)),
};
