/**
 * `fused`: the GPU-compatible fused dot-add, one tensor-core instruction, d = c + sum_i a_i * b_i
 * (with the block scales), computed as NVIDIA's tensor cores compute it (src/fused.ts):
 *
 *   every term (c and the k products, or the k/16 group sums) is a significand times 2^exponent; E
 *   is the largest exponent; each significand is shifted to E and truncated toward zero to F
 *   fractional bits; the terms are added exactly; the sum times 2^E is converted to FP32 toward
 *   zero (hopper: 13 fraction bits).
 *
 * Stages: the terms (blackwell, hopper: k lanes `mx_fused_lane_*`, one product each with its sign,
 * significand, exponent and flags; blackwell-f4: k/16 groups `mx_fused_group_*`, each the exact sum
 * of 16 products times both scale significands, as the dot product builds it); the terms' exponents
 * with the scales; the largest exponent (a tree of comparisons); each term's right shift by its
 * distance to E, truncating; the terms' exact sum (an adder tree); the one shared rounder, toward
 * zero; the special results (NaN 0x7FFFFFFF).
 * Golden function: src/fused.ts fusedDotAdd.
 */
import { FP32 } from '../../src/formats/float.js';
import { elementBits, isE8M0, isIntFormat, scaleBits, type ElementFormat, type ScaleFormat } from '../../src/formats/format.js';
import { E8M0 } from '../../src/formats/e8m0.js';
import { minifloatEmin, type MinifloatSpec } from '../../src/formats/minifloat.js';
import { FUSED_NAN, FUSED_SHAPES, fusedDotAdd, fusedElementNames, type FusedKind } from '../../src/fused.js';
import { elementText, formatSummary, floatText, scaleText } from '../../src/text.js';
import { addTree, type AdderStyle, type TreeTerm } from '../raw/add_tree.js';
import { maxTree } from '../raw/max_tree.js';
import { decodeMinifloat } from '../raw/decode.js';
import { roundToFormat, roundingNotes } from '../raw/round.js';
import { VerilogModule, type LaneConnection } from '../verilog/module.js';
import { any, binop, cmp, concat, lit, mux, not, paren, reduce, ref, slice, unsignedBits, zext, type Expr, type Signal } from '../verilog/signal.js';
import { DEFAULT_ADDERS, addersEntry, addersParameter, addersSuffix, elementFormat, elemsTag, scaleFormat, type GenConfig } from './config.js';
import { dotsumModule, scaledSum, sumInstance } from './dot.js';
import { UsageError } from '../cli-args.js';
import { header } from './header.js';
import type { PortValues, Unit, UnitFamily } from './unit.js';

/** The kinds generated in hardware. */
export const FUSED_RTL_KINDS = ['blackwell', 'blackwell-f4', 'hopper'] as const satisfies readonly FusedKind[];
export type FusedRtlKind = (typeof FUSED_RTL_KINDS)[number];

export interface FusedParams {
  readonly kind: FusedRtlKind;
  readonly a: MinifloatSpec;
  readonly b: MinifloatSpec;
  /** the block scale format; null for hopper (no block scale) */
  readonly scale: ScaleFormat | null;
  /** how the adder trees add (the sum of the aligned terms; mxf4nvf4's groups): default operator */
  readonly adders?: AdderStyle;
}

export const FUSED_PORTS = { a: 'a', b: 'b', scaleA: 'scale_a', scaleB: 'scale_b', c: 'c', d: 'd' } as const;
export const FUSED_LANE_PORTS = { a: 'a', b: 'b', sign: 'sign', sig: 'sig', exp: 'exp', nan: 'nan', pinf: 'pinf', ninf: 'ninf' } as const;
/** A group module's ports: 16 codes of A and B and their scale codes in; the scaled exact group sum out. */
export const FUSED_GROUP_PORTS = { a: 'a', b: 'b', scaleA: 'scale_a', scaleB: 'scale_b', sign: 'sign', mag: 'mag', exp: 'exp', nan: 'nan' } as const;

/**
 * The wires a proof cuts or observes in the top module: the lanes' or groups' outputs (packed, lane i
 * at its slice), the largest exponent, the aligned terms, the sum's sign and magnitude, and the
 * result's special flags and sign (the rounder's inputs).
 */
export const FUSED_CUTS = {
  lane: (f: 'sig' | 'exp' | 'sign' | 'nan' | 'pinf' | 'ninf'): string => `lane_${f}`,
  group: (f: 'sign' | 'mag' | 'exp' | 'nan'): string => `grp_${f}`,
  emax: 'e_max',
  term: (i: number): string => `term_${i}`,
  termC: 'term_c',
  sumNeg: 'sum_neg',
  sumMag: 'sum_mag',
  res: (f: 'nan' | 'inf' | 'sign'): string => `res_${f}`,
} as const;

/** Inside a group module: the scaled group sum's wires, which the module's outputs repeat. */
export const FUSED_GROUP_VALUE = (f: 'sign' | 'mag' | 'exp' | 'nan' | 'inf'): string => `val_${f}`;

/** Offset of a zero's exponent (-126) in the lanes' unsigned exponents: exp = e + 126 per element. */
const ZERO_EXP = -126;

const kindTag = (k: FusedRtlKind): string => k.replace(/-/g, '_');

export function fusedModuleName(p: FusedParams): string {
  return `mx_fused_${elemsTag(p.a, p.b)}_${p.scale ? `${p.scale.name}_` : ''}k${FUSED_SHAPES[p.kind].k}_${kindTag(p.kind)}${addersSuffix(p.adders)}`;
}

export function fusedLaneName(p: Pick<FusedParams, 'a' | 'b'>): string {
  return `mx_fused_lane_${elemsTag(p.a, p.b)}`;
}

export function fusedGroupName(p: FusedParams): string {
  return `mx_fused_group_${elemsTag(p.a, p.b)}_${(p.scale as ScaleFormat).name}_k${FUSED_SHAPES[p.kind].group}${addersSuffix(p.adders)}`;
}

/** The kind's checks on the configuration's formats (UsageError naming what is wrong). */
export function fusedParams(kind: string, c: Pick<GenConfig, 'elemA' | 'elemB' | 'scale' | 'block'> & { readonly adders?: AdderStyle }): FusedParams {
  if (!(FUSED_RTL_KINDS as readonly string[]).includes(kind)) throw new UsageError(`unknown GPU kind '${kind}' (one of: ${FUSED_RTL_KINDS.join(', ')})`);
  const k = kind as FusedRtlKind;
  const shape = FUSED_SHAPES[k];
  for (const [n, f] of [['A', c.elemA], ['B', c.elemB]] as const) {
    if (!shape.elements.includes(f)) throw new UsageError(`--gpu ${k}: ${n} elements must be ${fusedElementNames(k)}, got ${f.name}`);
  }
  if (c.block !== shape.k) throw new UsageError(`--gpu ${k}: the instruction takes ${shape.k} elements per operand: --block ${shape.k}, got ${c.block}`);
  const adders = addersEntry(c.adders);
  if (k === 'hopper') return { kind: k, a: c.elemA as MinifloatSpec, b: c.elemB as MinifloatSpec, scale: null, ...adders };
  if (!shape.scales.some((s) => s.format === c.scale)) {
    throw new UsageError(`--gpu ${k}: ${k === 'blackwell' ? 'kind::mxf8f6f4' : 'kind::mxf4nvf4'} takes ${shape.scales.map((s) => `${s.format.name} scales (one per ${s.block} elements)`).join(' or ')}, got ${c.scale.name}`);
  }
  return { kind: k, a: c.elemA as MinifloatSpec, b: c.elemB as MinifloatSpec, scale: c.scale, ...adders };
}

/** Elements per scale code: k for blackwell, 32 (E8M0) or 16 (UE4M3) for blackwell-f4. */
export function fusedScaleBlock(p: FusedParams): number {
  const s = FUSED_SHAPES[p.kind].scales.find((x) => x.format === p.scale);
  return s ? s.block : FUSED_SHAPES[p.kind].k;
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

/** A scale's significand bits below its binary point (E8M0: none; UE4M3: 3). */
const scaleMbits = (s: ScaleFormat): number => (isE8M0(s) ? 0 : (s as MinifloatSpec).mbits);

/**
 * One group of the mxf4nvf4 kind: the exact sum of 16 products (the dot product's dotsum module)
 * times both scale significands, as the dot product builds its scaled sum (dot.ts scaledSum): sign,
 * magnitude, the scale exponents' sum, and NaN for a NaN scale.
 */
function groupModule(p: FusedParams, command: string) {
  const scale = p.scale as ScaleFormat;
  const g = FUSED_SHAPES[p.kind].group;
  const core = dotsumModule({ a: p.a, b: p.b, block: g, adders: p.adders }, command);
  const name = fusedGroupName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const wa = elementBits(p.a);
  const wb = elementBits(p.b);
  const ws = scaleBits(scale);
  const a = m.input(FUSED_GROUP_PORTS.a, wa * g, `A: ${g} codes (${p.a.name}); element i at bits [${wa}i+${wa - 1}:${wa}i]`);
  const b = m.input(FUSED_GROUP_PORTS.b, wb * g, `B: ${g} codes (${p.b.name})`);
  const sa = m.input(FUSED_GROUP_PORTS.scaleA, ws, `scale code of A's group (${scale.name})`);
  const sb = m.input(FUSED_GROUP_PORTS.scaleB, ws, `scale code of B's group (${scale.name})`);
  const sums = sumInstance(m, `the exact sum of the ${g} products`, core, a, b);
  const x = scaledSum(m, name, scale, core.shape, sa, sb, sums, FUSED_GROUP_VALUE);
  if (!x.nan || x.inf) throw new Error(`${name}: expected a scale NaN flag and no Inf products`);
  m.section('outputs');
  m.assign(m.output(FUSED_GROUP_PORTS.sign, 1, 'sign of the group sum'), ref(x.sign));
  m.assign(m.output(FUSED_GROUP_PORTS.mag, x.mw, '|group sum| times both scale significands, exactly'), ref(x.mag));
  const we = x.exp.width;
  m.assign(m.output(FUSED_GROUP_PORTS.exp, we, "the two scale codes' exponents, summed (the decoder's exponents: a subnormal or zero code's is 0)"), ref(x.exp));
  m.assign(m.output(FUSED_GROUP_PORTS.nan, 1, 'a scale code is NaN'), ref(x.nan));
  const fracBits = -core.shape.prodLsb + 2 * scaleMbits(scale);
  lines.push(
    ...header({
      module: name,
      unit: `one group of the fused dot-add kind::mxf4nvf4: ${g} products summed exactly, times both scale significands`,
      command,
      configuration: [p.a === p.b ? `element format (A and B): ${formatSummary(p.a)}` : `A: ${formatSummary(p.a)}; B: ${formatSummary(p.b)}`, `scale format: ${formatSummary(scale)}`, `group size ${g}`],
      computes: [
        `mag = |sum_i a_i * b_i| * s_a * s_b with s the scale significands, exactly, in units of 2^-${fracBits} (the group sum unscaled, not normalised)`,
        `exp = the scale codes' decoded exponents, summed; sign = the sum's sign; nan = a scale code is NaN`,
      ],
      numerics: ['Exact: no rounding. The fused unit aligns and truncates this group term with the others.'],
      uses: [core.module.name],
    }),
  );
  return { module: m, core, mw: x.mw, we, magMax: x.magMax, expMax: x.expMax, fracBits };
}

/** The exponent leaves of the largest-exponent tree: C's, then term i's. */
export function fusedExpLeaves(n: number): string[] {
  return ['c_exp', ...Array.from({ length: n }, (_, i) => `exp_${i}`)];
}

/** A lane's sizes (kinds with one product per term). */
export interface FusedLaneShape {
  readonly sigBits: number;
  readonly fracBits: number;
  readonly expBits: number;
  readonly expMax: number;
  readonly sigMax: bigint;
}

/** A group's sizes (blackwell-f4). */
export interface FusedGroupShape {
  readonly size: number;
  readonly magBits: number;
  readonly magMax: bigint;
  /** fractional bits of mag */
  readonly fracBits: number;
  readonly expBits: number;
  readonly expMax: number;
  /** the GPU exponent of a scale code plus 127 is (decoder exponent) + scaleAdd, or 1 for a zero code */
  readonly scaleAdd: number;
}

/** The sizes of a fused unit, for the module and its proof. */
export interface FusedHwShape {
  readonly k: number;
  /** terms beside C: the k products, or the k / 16 groups */
  readonly n: number;
  /** fractional bits of the aligned terms */
  readonly F: number;
  readonly scaled: boolean;
  /** scale codes per operand */
  readonly scales: number;
  /** every exponent is held plus B (unsigned) */
  readonly B: number;
  readonly lane: FusedLaneShape | null;
  readonly group: FusedGroupShape | null;
  /** a term's significand: bits, fractional bits */
  readonly sigBits: number;
  readonly sigFrac: number;
  /** width of the exponents and of E */
  readonly EW: number;
  /** the largest term and C exponent (plus B) */
  readonly termExpMax: number;
  readonly cExpMax: number;
  /** a term: (pw + 1)-bit two's complement, |term| <= tmax; its significand shifted up by `up` */
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

type LaneBuilt = ReturnType<typeof laneModule>;
type GroupBuilt = ReturnType<typeof groupModule>;

export function fusedShape(p: FusedParams, built: LaneBuilt | GroupBuilt = FUSED_SHAPES[p.kind].group > 1 ? groupModule(p, '') : laneModule(p, '')): FusedHwShape {
  const shape = FUSED_SHAPES[p.kind];
  const k = shape.k;
  const F = shape.fracBits;
  const scaled = p.scale !== null;
  const grouped = 'core' in built;
  let lane: FusedLaneShape | null = null;
  let group: FusedGroupShape | null = null;
  let sigBits: number;
  let sigFrac: number;
  let sigMax: bigint;
  let B: number;
  let termExpMax: number;
  if (grouped) {
    const scale = p.scale as ScaleFormat;
    // a scale code's GPU exponent is its decoder exponent plus (its expOffset + mbits); a zero code's is -126
    const scaleAdd = isE8M0(scale) ? 0 : 1 - (scale as MinifloatSpec).bias + 127;
    group = { size: shape.group, magBits: built.mw, magMax: built.magMax, fracBits: built.fracBits, expBits: built.we, expMax: built.expMax, scaleAdd };
    sigBits = built.mw;
    sigFrac = built.fracBits;
    sigMax = built.magMax;
    B = 254; // a group's exponent is e_scale_a + e_scale_b >= -254
    termExpMax = built.expMax + 2 * scaleAdd;
  } else {
    lane = { sigBits: built.sigBits, fracBits: built.fracBits, expBits: built.expBits, expMax: built.expMax, sigMax: built.sigMax };
    sigBits = built.sigBits;
    sigFrac = built.fracBits;
    sigMax = built.sigMax;
    // every exponent plus B, so that all are unsigned: products e_a + e_b (+ scales) + B, C e_c + B
    B = -2 * ZERO_EXP + (scaled ? 254 : 0);
    termExpMax = built.expMax + (scaled ? 2 * 254 : 0);
  }
  const cExpMax = 254 - 127 + B;
  const up = F - sigFrac;
  if (up < 0) throw new Error(`${fusedModuleName(p)}: ${sigFrac} fractional bits of a term above F = ${F}`);
  const tmax = sigMax << BigInt(up);
  const cKeep = Math.min(23, F);
  const cUp = F - cKeep;
  const cmax = ((1n << BigInt(1 + cKeep)) - 1n) << BigInt(cUp);
  const n = k / shape.group;
  return {
    k,
    n,
    F,
    scaled,
    scales: scaled ? k / fusedScaleBlock(p) : 0,
    B,
    lane,
    group,
    sigBits,
    sigFrac,
    EW: unsignedBits(Math.max(termExpMax, cExpMax)),
    termExpMax,
    cExpMax,
    pw: unsignedBits(tmax),
    up,
    tmax,
    cKeep,
    cUp,
    cw: F + 1,
    cmax,
    magMax: BigInt(n) * tmax + cmax,
  };
}

/** The terms beside C, as the top module's wires: significand slices, signs, exponents (plus B), flags. */
interface TermWires {
  readonly sig: (i: number) => Expr;
  readonly sign: (i: number) => Expr;
  readonly exp: readonly Signal[];
  readonly nan: readonly Expr[];
  readonly pinf: Expr | null;
  readonly ninf: Expr | null;
}

/** k lanes, one product each, and the products' exponents with the scales. */
function laneTerms(m: VerilogModule, p: FusedParams, hs: FusedHwShape, lane: LaneBuilt, a: Signal, b: Signal, sa: Signal | null, sb: Signal | null): TermWires {
  const k = hs.k;
  m.section(`k = ${k} lanes, each ${lane.module.name}`);
  const has = (port: string): boolean => lane.module.portList().some((q) => q.name === port);
  const sigs = m.net(FUSED_CUTS.lane('sig'), lane.sigBits * k, `lane i's product significand at bits [${lane.sigBits}i+${lane.sigBits - 1}:${lane.sigBits}i]`);
  const exps = m.net(FUSED_CUTS.lane('exp'), lane.expBits * k, "lane i's product exponent + 252");
  const signs = m.net(FUSED_CUTS.lane('sign'), k, "lane i's product sign");
  const conn: Record<string, LaneConnection> = { a: { perLane: a }, b: { perLane: b }, sig: { perLane: sigs }, exp: { perLane: exps }, sign: { perLane: signs } };
  const flags: Partial<Record<'nan' | 'pinf' | 'ninf', Signal>> = {};
  for (const f of ['nan', 'pinf', 'ninf'] as const) if (has(f)) conn[f] = { perLane: (flags[f] = m.net(FUSED_CUTS.lane(f), k, `lane i: the product is ${f === 'nan' ? 'NaN' : f === 'pinf' ? '+Inf' : '-Inf'}`)) };
  m.lanes('lane', k, 'u_lane', lane.module, conn);

  m.section(`the terms' exponents, plus ${hs.B}${sa ? ' (products: the lane exponent plus both scale codes, e_scale + 127 each)' : ''}`);
  const exp: Signal[] = [];
  for (let i = 0; i < k; i++) {
    const le = slice(exps, lane.expBits * i + lane.expBits - 1, lane.expBits * i);
    exp.push(m.wire(fusedExpLeaves(k)[i + 1], sa && sb ? binop(binop(zext(le, hs.EW), '+', zext(ref(sa), hs.EW)), '+', zext(ref(sb), hs.EW)) : zext(le, hs.EW)));
  }
  return {
    sig: (i) => slice(sigs, lane.sigBits * i + lane.sigBits - 1, lane.sigBits * i),
    sign: (i) => slice(signs, i),
    exp,
    nan: [...(sa && sb ? [cmp(ref(sa), '==', lit(8, 0xff)), cmp(ref(sb), '==', lit(8, 0xff))] : []), ...(flags.nan ? [reduce('|', ref(flags.nan))] : [])],
    pinf: flags.pinf ? reduce('|', ref(flags.pinf)) : null,
    ninf: flags.ninf ? reduce('|', ref(flags.ninf)) : null,
  };
}

/**
 * The per-group scale codes of one operand: the operand's scale codes themselves when each group has
 * its own (UE4M3 per 16), else each code repeated for the groups it covers (E8M0 per 32).
 */
function groupScales(m: VerilogModule, name: string, s: Signal, ws: number, groups: number, perScale: number): Signal {
  if (perScale === 1) return s;
  const parts: Expr[] = [];
  for (let j = groups - 1; j >= 0; j--) {
    const q = Math.floor(j / perScale);
    parts.push(slice(s, ws * q + ws - 1, ws * q));
  }
  return m.wire(name, concat(...parts), { comment: `group j's scale code at bits [${ws}j+${ws - 1}:${ws}j]: one code per ${perScale} groups` });
}

/** k / 16 group instances and the groups' exponents (plus 254) from the scale codes. */
function groupTerms(m: VerilogModule, p: FusedParams, hs: FusedHwShape, grp: GroupBuilt, a: Signal, b: Signal, sa: Signal, sb: Signal): TermWires {
  const G = hs.group as FusedGroupShape;
  const n = hs.n;
  const scale = p.scale as ScaleFormat;
  const ws = scaleBits(scale);
  const perScale = fusedScaleBlock(p) / G.size;
  if (perScale > 1) m.section(`the scale codes of each group (one ${scale.name} code per ${fusedScaleBlock(p)} elements: ${perScale} groups)`);
  const gsa = groupScales(m, 'gscale_a', sa, ws, n, perScale);
  const gsb = groupScales(m, 'gscale_b', sb, ws, n, perScale);
  m.section(`${n} groups of ${G.size} products, each ${grp.module.name}`);
  const signs = m.net(FUSED_CUTS.group('sign'), n, "group j's sign");
  const mags = m.net(FUSED_CUTS.group('mag'), G.magBits * n, `group j's |sum| * both scale significands at bits [${G.magBits}j+${G.magBits - 1}:${G.magBits}j], units of 2^-${G.fracBits}`);
  const exps = m.net(FUSED_CUTS.group('exp'), G.expBits * n, "group j's scale exponents, summed (the decoder's)");
  const nans = m.net(FUSED_CUTS.group('nan'), n, "group j: a scale code is NaN");
  m.lanes('group', n, 'u_group', grp.module, {
    a: { perLane: a },
    b: { perLane: b },
    scale_a: { perLane: gsa },
    scale_b: { perLane: gsb },
    sign: { perLane: signs },
    mag: { perLane: mags },
    exp: { perLane: exps },
    nan: { perLane: nans },
  });
  const z = G.scaleAdd - 1;
  m.section(
    isE8M0(scale)
      ? `the groups' exponents, plus ${hs.B}: e_scale_a + e_scale_b + 254 is the sum of the two codes`
      : `the groups' exponents, plus ${hs.B}: each scale's e + 127 is its decoder exponent + ${G.scaleAdd}, or 1 for the zero code (-126; its decoder exponent is 0)`,
  );
  const exp: Signal[] = [];
  for (let j = 0; j < n; j++) {
    const ge = zext(slice(exps, G.expBits * j + G.expBits - 1, G.expBits * j), hs.EW);
    if (isE8M0(scale)) {
      exp.push(m.wire(fusedExpLeaves(n)[j + 1], ge));
      continue;
    }
    const code = (s: Signal): Expr => slice(s, ws * j + ws - 1, ws * j);
    const za = m.wire(`szero_a_${j}`, cmp(code(gsa), '==', lit(ws, 0)));
    const zb = m.wire(`szero_b_${j}`, cmp(code(gsb), '==', lit(ws, 0)));
    const adj = (zz: Signal): Expr => paren(mux(ref(zz), lit(hs.EW, z), lit(hs.EW, 0)));
    exp.push(m.wire(fusedExpLeaves(n)[j + 1], binop(binop(binop(ge, '+', lit(hs.EW, 2 * G.scaleAdd)), '-', adj(za)), '-', adj(zb))));
  }
  return {
    sig: (j) => slice(mags, G.magBits * j + G.magBits - 1, G.magBits * j),
    sign: (j) => slice(signs, j),
    exp,
    nan: [reduce('|', ref(nans))],
    pinf: null,
    ninf: null,
  };
}

function fusedModules(p: FusedParams, command: string): { top: VerilogModule; subs: VerilogModule[]; parameters: Record<string, string | number> } {
  const shape = FUSED_SHAPES[p.kind];
  const grouped = shape.group > 1;
  const built = grouped ? groupModule(p, command) : laneModule(p, command);
  const hs = fusedShape(p, built);
  const { k, n, F, scaled, B, EW, termExpMax, cExpMax, pw, up, tmax, cKeep, cUp, cw, cmax } = hs;
  const name = fusedModuleName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const wa = elementBits(p.a);
  const wb = elementBits(p.b);
  const ws = p.scale ? scaleBits(p.scale) : 0;
  const a = m.input(FUSED_PORTS.a, wa * k, `A: ${k} codes (${p.a.name}); element i at bits [${wa}i+${wa - 1}:${wa}i]`);
  const b = m.input(FUSED_PORTS.b, wb * k, `B: ${k} codes (${p.b.name})`);
  const scaleAbout = (x: string): string => (hs.scales === 1 ? `scale code of ${x} (${p.scale?.name})` : `${x}'s ${hs.scales} scale codes (${p.scale?.name}), code j for elements ${fusedScaleBlock(p)}j .. ${fusedScaleBlock(p)}j+${fusedScaleBlock(p) - 1}`);
  const sa = scaled ? m.input(FUSED_PORTS.scaleA, ws * hs.scales, scaleAbout('A')) : null;
  const sb = scaled ? m.input(FUSED_PORTS.scaleB, ws * hs.scales, scaleAbout('B')) : null;
  const c = m.input(FUSED_PORTS.c, 32, 'addend C (FP32)');
  const d = m.output(FUSED_PORTS.d, 32, 'D = C + the dot product (FP32, as the GPU computes it)');

  const t = grouped ? groupTerms(m, p, hs, built as GroupBuilt, a, b, sa as Signal, sb as Signal) : laneTerms(m, p, hs, built as LaneBuilt, a, b, sa, sb);

  m.section('C: sign, significand (23 fractional bits), exponent');
  const cSign = m.wire('c_sign', slice(c, 31));
  const cField = m.wire('c_field', slice(c, 30, 23));
  const cMan = m.wire('c_man', slice(c, 22, 0));
  const cTop = m.wire('c_top', reduce('&', ref(cField)), { comment: 'C is Inf or NaN' });
  const cNan = m.wire('c_nan', binop(ref(cTop), '&', reduce('|', ref(cMan))));
  const cInf = m.wire('c_inf', binop(ref(cTop), '&', paren(not(reduce('|', ref(cMan))))));
  const cNormal = m.wire('c_normal', cmp(ref(cField), '!=', lit(8, 0)));
  const cSig = m.wire('c_sig', mux(ref(cTop), lit(1 + cKeep, 0), concat(ref(cNormal), slice(cMan, 22, 23 - cKeep))), {
    comment: `C's significand with its hidden bit${cKeep < 23 ? `, truncated to ${cKeep} fractional bits` : ''} (0 for Inf / NaN)`,
  });
  // e_c + B: field - 127 + B when normal, -126 + B when subnormal or zero
  const cExp = m.wire(fusedExpLeaves(n)[0], binop(zext(mux(ref(cNormal), ref(cField), lit(8, 1)), EW), '+', lit(EW, B - 127)), { comment: `C's exponent + ${B} (subnormal and zero: -126)` });

  m.section('E: the largest exponent of all terms');
  const byName = new Map<string, Signal>([cExp, ...t.exp].map((x) => [x.name, x]));
  const emax = maxTree([cExp, ...t.exp].map((x) => x.name));
  for (const nd of emax.nodes) {
    const [l, r] = [byName.get(nd.left) as Signal, byName.get(nd.right) as Signal];
    byName.set(nd.name, m.wire(nd.name, mux(cmp(ref(l), '>', ref(r)), ref(l), ref(r))));
  }
  const E = m.wire(FUSED_CUTS.emax, ref(byName.get(emax.root) as Signal), { comment: `the largest exponent + ${B}` });

  m.section(`align: each significand shifted to E, truncated toward zero to ${F} fractional bits`);
  const terms: TreeTerm[] = [];
  for (let i = 0; i < n; i++) {
    const dist = m.wire(`dist_${i}`, binop(ref(E), '-', ref(t.exp[i])));
    const s = t.sig(i);
    const wide = up > 0 ? concat(s, lit(up, 0)) : s;
    const mag = m.wire(`mag_${i}`, { text: `${zext(wide, pw).text} >> ${dist.name}`, width: pw }, { comment: i === 0 ? `|term| in units of 2^(E - ${F}), truncated` : undefined });
    const v = m.wire(FUSED_CUTS.term(i), mux(t.sign(i), binop(lit(pw + 1, 0), '-', zext(ref(mag), pw + 1)), zext(ref(mag), pw + 1)));
    terms.push({ value: v, lo: -tmax, hi: tmax });
  }
  const cDist = m.wire('dist_c', binop(ref(E), '-', ref(cExp)));
  const cPre = cUp > 0 ? concat(ref(cSig), lit(cUp, 0)) : ref(cSig);
  const cMag = m.wire('mag_c', { text: `${zext(cPre, cw).text} >> ${cDist.name}`, width: cw });
  const cTerm = m.wire(FUSED_CUTS.termC, mux(ref(cSign), binop(lit(cw + 1, 0), '-', zext(ref(cMag), cw + 1)), zext(ref(cMag), cw + 1)));
  terms.push({ value: cTerm, lo: -cmax, hi: cmax });

  const tree = addTree(m, 'sum', terms, -F, p.adders ?? DEFAULT_ADDERS);
  const S = tree.value;
  m.section('the exact sum: sign and magnitude');
  const sNeg = m.wire(FUSED_CUTS.sumNeg, slice(S, S.width - 1));
  const sMag = m.wire(FUSED_CUTS.sumMag, mux(ref(sNeg), binop(lit(S.width, 0), '-', ref(S)), ref(S)), { comment: `|sum| in units of 2^(E - ${B} - ${F})` });

  m.section('specials');
  const cP = binop(ref(cInf), '&', not(ref(cSign)));
  const cN = binop(ref(cInf), '&', ref(cSign));
  const anyP = m.wire('any_pinf', t.pinf ? binop(t.pinf, '|', paren(cP)) : cP);
  const anyN = m.wire('any_ninf', t.ninf ? binop(t.ninf, '|', paren(cN)) : cN);
  const nanTerms: Expr[] = [ref(cNan), ...t.nan, paren(binop(ref(anyP), '&', ref(anyN)))];
  const nan = m.wire(FUSED_CUTS.res('nan'), any(nanTerms), { comment: `NaN: a NaN element, scale or C, Inf x 0, +Inf with -Inf (result 0x${FUSED_NAN.toString(16)})` });
  const inf = m.wire(FUSED_CUTS.res('inf'), binop(paren(binop(ref(anyP), '|', ref(anyN))), '&', not(ref(nan))));
  const sign = m.wire(FUSED_CUTS.res('sign'), mux(ref(inf), ref(anyN), ref(sNeg)));

  const r = roundToFormat(m, 'rnd', FP32, {
    nan: ref(nan),
    inf: ref(inf),
    sign: ref(sign),
    mag: sMag,
    magMax: hs.magMax,
    exp: ref(E),
    expMax: Math.max(termExpMax, cExpMax),
    expOffset: -B - F,
    zero: 'positive',
    mode: 'toward-zero',
    keepFraction: shape.outFracBits,
    nanCode: FUSED_NAN,
  });
  m.assign(d, ref(r.result));

  const formats = p.a === p.b ? [`element format (A and B): ${formatSummary(p.a)}`] : [`A element format: ${formatSummary(p.a)}`, `B element format: ${formatSummary(p.b)}`];
  const scaleLine = !p.scale
    ? 'no block scale'
    : isE8M0(p.scale)
      ? `scale format: E8M0 (2^(code - 127), 0xFF NaN), one code per ${fusedScaleBlock(p)} elements of each operand`
      : `scale format: ${formatSummary(p.scale)}, one code per ${fusedScaleBlock(p)} elements of each operand`;
  const computes = grouped
    ? [
        `d = c + sum over the ${n} groups of ${shape.group} elements of (sum_i a_i * b_i) * scale_a * scale_b, as the GPU computes it:`,
        `each group's ${shape.group} products are summed exactly, unscaled, and times both scale significands make a term whose exponent is`,
        `e_scale_a + e_scale_b (a zero scale's exponent is -126); E is the largest exponent of C's and the ${n} groups'; each term is`,
        `shifted to E and truncated toward zero to ${F} fractional bits; the truncated terms are added exactly.`,
      ]
    : [
        'd = c + sum_i a_i * b_i' + (scaled ? ' * scale_a * scale_b' : '') + ', as the GPU computes it:',
        `every term (c and each product) is a significand times 2^exponent; E is the largest exponent of all ${k + 1} terms`,
        `(a zero's exponent is -126, so zero terms take part); each term is shifted to E and truncated toward zero to ${F}`,
        'fractional bits; the truncated terms are added exactly.',
      ];
  lines.push(
    ...header({
      module: name,
      unit: `fused dot-add, ${shape.about}`,
      command,
      configuration: [...formats, scaleLine, `k = ${k}`, 'C and D: FP32'],
      computes,
      numerics: [
        ...roundingNotes(FP32, r.needs, { mode: 'toward-zero', keepFraction: shape.outFracBits }),
        `NaN (a NaN element${scaled ? ', a NaN scale' : ''} or C, Inf x 0, +Inf with -Inf) gives 0x${FUSED_NAN.toString(16).toUpperCase()}; otherwise an Inf term gives that Inf.`,
        'Not IEEE "exact sum, one rounding": see docs/NUMERICS.md 7.1.',
      ],
      uses: [built.module.name],
    }),
  );
  const subs = grouped ? [(built as GroupBuilt).core.lane, (built as GroupBuilt).core.module, built.module] : [built.module];
  return {
    top: m,
    subs,
    parameters: {
      kind: p.kind,
      elem_a: p.a.name,
      elem_b: p.b.name,
      block: k,
      frac_bits: F,
      out_frac_bits: shape.outFracBits,
      exp_offset: B,
      ...(p.scale ? { scale: p.scale.name, scale_block: fusedScaleBlock(p) } : {}),
      ...(grouped ? { group: shape.group } : {}),
      ...addersEntry(p.adders),
    },
  };
}

function unpack(v: bigint, n: number, w: number): number[] {
  const mask = (1n << BigInt(w)) - 1n;
  return Array.from({ length: n }, (_, i) => Number((v >> BigInt(w * i)) & mask));
}

/** The golden operands of one instruction from the ports' values. */
function operandsOf(p: FusedParams, v: PortValues): { a: Parameters<typeof fusedDotAdd>[1]; b: Parameters<typeof fusedDotAdd>[2] } {
  const k = FUSED_SHAPES[p.kind].k;
  const a = { elem: p.a as ElementFormat, codes: unpack(v.a, k, elementBits(p.a)) };
  const b = { elem: p.b as ElementFormat, codes: unpack(v.b, k, elementBits(p.b)) };
  if (!p.scale) return { a, b };
  const n = k / fusedScaleBlock(p);
  const ws = scaleBits(p.scale);
  return { a: { ...a, scale: p.scale, scales: unpack(v.scale_a, n, ws) }, b: { ...b, scale: p.scale, scales: unpack(v.scale_b, n, ws) } };
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
    return { kind: kind as FusedRtlKind, a, b, scale: r.scale === undefined ? null : scaleFormat(String(r.scale)), ...addersEntry(addersParameter(r)) };
  },
  generate(p, command): Unit {
    const g = fusedModules(p, command);
    return { family: 'fused', top: g.top, modules: [...g.subs, g.top], parameters: g.parameters };
  },
  golden(p) {
    return (v: PortValues) => {
      const o = operandsOf(p, v);
      return { d: BigInt(fusedDotAdd(p.kind, o.a, o.b, Number(v.c)) >>> 0) };
    };
  },
  describeInputs(p, v) {
    const o = operandsOf(p, v);
    const list = (f: ElementFormat, x: ArrayLike<number>): string => Array.from(x, (c) => elementText(f, c)).join(', ');
    const scales = (x: typeof o.a): string => Array.from(x.scales ?? [], (s) => scaleText(p.scale as ScaleFormat, s)).join(', ');
    return [
      `a = [${list(p.a, o.a.codes)}]`,
      `b = [${list(p.b, o.b.codes)}]`,
      ...(p.scale ? [`scale_a = ${scales(o.a)}`, `scale_b = ${scales(o.b)}`] : []),
      `c = ${floatText(FP32, Number(v.c))}`,
    ];
  },
  describeOutput: (_p, _port, value) => floatText(FP32, Number(value)),
};
