/**
 * `quant`: k FP32 (or BF16) values in, one scale code and k element codes out, as the golden `quantize`
 * computes them (src/quantize.ts quantizeBlockReference):
 *
 *   floor  scale 2^x, x = floor(log2 amax) - emax_elem (OCP MX; FP32 subnormals by their true value)
 *   ceil   the smallest 2^x with amax / 2^x <= max_elem (no element saturates)
 *   nv     amax / max_elem rounded to nearest even in the scale format (UE4M3 / UE5M3), saturated
 *
 * A power-of-two scale is clamped to the scale format's range (E8M0 -127 .. 127; UE4M3 / UE5M3 down
 * to their smallest subnormal, below which the scale is zero and the block flushed to zeros, or with
 * the underflow guard the smallest subnormal). A block holding NaN or Inf gets the NaN scale and zero
 * codes, an all-zero block scale code 0 and the zeros' signs. Each element is x_i / scale rounded to
 * nearest (ties to even, or away with --round away) and saturated at +-max.
 *
 * Stages: the block maximum of |x_i| (a tree of comparisons on the 31 magnitude bits, which order
 * like the values; NaN and Inf above every finite value); its floor(log2) (a leading-zero count for
 * a subnormal amax); the scale code (nv: amax's significand divided by max_elem's, then the grid
 * rounder with the scale format's grid); k lanes (`mx_qlane_*`), each one element's encode: over a
 * power of two a shift, over an nv scale a division by the scale's 4-bit significand.
 * With --stages S, register stages cut this datapath at its boundaries (QUANT_BOUNDARIES): S = 1
 * after the scale, S = 2 also after the block maximum (VerilogModule.registerStages).
 * Golden function: src/quantize.ts quantizeBlockReference (the general path, not the fast one).
 */
import { elementBits, elementEmax, elementMax, elementMaxCode, isE8M0, isIntFormat, scaleBits, scaleMaxCode, scaleNanCode, type ElementFormat, type ScaleFormat } from '../../src/formats/format.js';
import { minifloatEmax, type MinifloatSpec } from '../../src/formats/minifloat.js';
import { quantizeBlockReference, resolveQuantizeOptions, type ScaleRecipe } from '../../src/quantize.js';
import type { RoundMode } from '../../src/round.js';
import { elementText, formatSummary, floatText, scaleText } from '../../src/text.js';
import { FP32 } from '../../src/formats/float.js';
import { decodeMinifloat } from '../raw/decode.js';
import { divideNormalized } from '../raw/divide.js';
import { maxTree } from '../raw/max_tree.js';
import { normalize } from '../raw/normalize.js';
import { VerilogModule } from '../verilog/module.js';
import { binop, cmp, concat, lit, mux, paren, reduce, ref, shift, slice, unsignedBits, zext, type Expr, type Signal } from '../verilog/signal.js';
import { UsageError } from '../cli-args.js';
import { MAX_QUANT_STAGES, checkBlock, elementFormat, scaleFormat, type GenConfig } from './config.js';
import { header } from './header.js';
import { CLOCK_PORT, type PortValues, type Unit, type UnitFamily } from './unit.js';

/** The recipes generated in hardware so far. */
export const QUANT_RTL_RECIPES = ['floor', 'ceil', 'nv'] as const satisfies readonly ScaleRecipe[];
export type QuantRtlRecipe = (typeof QUANT_RTL_RECIPES)[number];

export interface QuantParams {
  readonly elem: ElementFormat;
  readonly scale: ScaleFormat;
  readonly block: number;
  readonly recipe: QuantRtlRecipe;
  readonly round: RoundMode;
  /** the values' format: FP32, or BF16 (the top 16 bits of its FP32 value) */
  readonly in: 'fp32' | 'bf16';
  /** underflow guard: a scale that would be zero becomes the smallest subnormal (no effect with E8M0) */
  readonly guard: boolean;
  /** register stages: 0 combinational, 1 after the scale, 2 also after the block maximum */
  readonly stages: number;
}

export const QUANT_PORTS = { x: 'x', scale: 'scale', q: 'q' } as const;

/**
 * The places a register stage cuts the quantizer, in datapath order: after the block maximum, and
 * after the scale (before the lanes). S stages take the last S of them.
 */
export const QUANT_BOUNDARIES = ['amax', 'scale'] as const;

/** The boundaries S register stages cut at. */
export function quantBoundaries(stages: number): string[] {
  return stages === 0 ? [] : QUANT_BOUNDARIES.slice(-stages);
}

export const QLANE_PORTS = { x: 'x', sc: 'sc', q: 'q' } as const;

/**
 * Cut points: amax; sc, the scale the lanes divide by (an E8M0 code for the power-of-two recipes,
 * the scale code for nv); special (NaN / Inf block); xf (BF16 inputs as FP32); codes (the lanes'
 * outputs); flush (the scale is zero: UE4M3 / UE5M3 only).
 */
export const QUANT_CUTS = { amax: 'amax', sc: 'sc', special: 'special', xf: 'xf', codes: 'codes', flush: 'flush' } as const;

const roundTag = (r: RoundMode): string => (r === 'away' ? '_away' : '');

/** nv lanes divide by the scale's value; the power-of-two lanes shift by an E8M0 exponent code. */
export const dividesLanes = (p: Pick<QuantParams, 'recipe'>): boolean => p.recipe === 'nv';

export function quantModuleName(p: QuantParams): string {
  return `mx_quant_${p.elem.name}_${p.scale.name}_k${p.block}_${p.recipe}${p.guard ? '_guard' : ''}${roundTag(p.round)}${p.in === 'bf16' ? '_bf16in' : ''}${p.stages > 0 ? `_s${p.stages}` : ''}`;
}

export function qlaneName(p: Pick<QuantParams, 'elem' | 'round' | 'recipe' | 'scale'>): string {
  return `mx_qlane_${p.elem.name}${dividesLanes(p) ? `_${p.scale.name}` : ''}${roundTag(p.round)}`;
}

/** The lanes' scale input width: an E8M0 exponent code, or the nv scale code. */
export function qlaneScaleBits(p: Pick<QuantParams, 'recipe' | 'scale'>): number {
  return dividesLanes(p) ? scaleBits(p.scale) : 8;
}

/** The configuration's quantizer, checked (UsageError naming what is wrong). */
export function quantParams(c: Pick<GenConfig, 'elemA' | 'elemB' | 'scale' | 'block' | 'quant'>): QuantParams {
  const { recipe, round, guard } = c.quant;
  if (!(QUANT_RTL_RECIPES as readonly string[]).includes(recipe)) {
    throw new UsageError(`--recipe ${recipe}: the quantizer is generated for ${QUANT_RTL_RECIPES.join(', ')} so far (the golden model and mxrtl quantize have every recipe)`);
  }
  if (c.elemA !== c.elemB) throw new UsageError(`--units quant quantizes to one element format: give --elem, not ${c.elemA.name} and ${c.elemB.name}`);
  try {
    resolveQuantizeOptions({ elem: c.elemA, scale: c.scale, blockSize: c.block, recipe: recipe as QuantRtlRecipe, round, guard });
  } catch (e) {
    throw new UsageError(`--units quant: ${(e as Error).message}`);
  }
  return { elem: c.elemA, scale: c.scale, block: c.block, recipe: recipe as QuantRtlRecipe, round, in: c.quant.in, guard, stages: c.quant.stages };
}

/** Bit 23 of a normal FP32 value's significand sits at exponent field - 150; t below is that field + 22 (subnormals: 22 - leading zeros). */
const T22 = 22;

/** The element grid a rounder targets: an element format, or (nv) the scale format. */
interface Grid {
  readonly mbits: number;
  readonly ebits: number;
  /** the largest finite magnitude code: saturation */
  readonly maxMag: number;
}

const elementGrid = (f: MinifloatSpec): Grid => ({ mbits: f.mbits, ebits: f.ebits, maxMag: elementMaxCode(f) });

/**
 * A value mant * 2^(te - bias - 23) (mant with its leading one at bit 23, or with `linear` a
 * subnormal's unnormalized significand; te = u - UO, the grid's biased exponent of the value) to
 * the magnitude code of a minifloat grid: rounded to nearest (ties to even, or away) with `sticky`
 * the bits below mant, subnormals kept, saturated at the largest finite code. The one grid rounder
 * of the quantizer: its lanes' elements and the nv scale.
 */
function roundToGrid(m: VerilogModule, px: string, g: Grid, x: { mant: Signal; u: Signal; UO: number; linear?: Signal; sticky?: Signal; away: number; unusedBelow?: boolean }): Signal {
  const M = g.mbits;
  const UW = x.u.width;
  const { u, UO } = x;
  const lin = x.linear;
  // the smallest right shift: 23 - M for a normal grid value (a linear subnormal: one less)
  const minSh = lin ? 22 - M : 23 - M;
  const notSub = lin ? paren({ text: `~${lin.name}`, width: 1 }) : null;
  const above = cmp(ref(u), '>', lit(UW, UO + 1));
  const normal = m.wire(`${px}normal`, notSub ? binop(notSub, '&', paren(above)) : above, {
    comment: lin ? 'te > 1 for a normal value: a normal grid value (te = 1 is the top of the subnormals, the same grid; a subnormal value is always on it)' : 'te > 1: a normal grid value (te = 1 is the top of the subnormals, the same grid)',
  });
  // sh = 23 - M + max(0, 1 - te) (a linear subnormal: 23 - M + 1 - te, te <= 2), at most 25; held as sh - minSh
  const extraHi = notSub ? binop(notSub, '&', paren(cmp(ref(u), '>=', lit(UW, UO + 1)))) : cmp(ref(u), '>=', lit(UW, UO + 1));
  const extra = m.wire(`${px}extra`, mux(extraHi, lit(UW, 23 - M - minSh), binop(lit(UW, UO + 1 + 23 - M - minSh), '-', ref(u))), { comment: `the shift beyond ${minSh}: 1 - te below the normal range, else 0, plus ${23 - M - minSh}` });
  const shw = m.wire(`${px}sh_wide`, binop(ref(extra), '+', lit(UW, minSh)), { unusedReason: 'its low 5 bits are taken where it lies below 25' });
  const sh = m.wire(`${px}sh`, mux(cmp(ref(extra), '>=', lit(UW, 25 - minSh)), lit(5, 25), slice(shw, 4, 0)), { comment: 'the right shift of the significand, at most 25 (which leaves 0)' });
  const r = roundShifted(m, px, x.mant, sh, x.away, minSh, x.sticky);
  // the code's magnitude: (te - 1) << M plus the rounded significand (its carry moves into the exponent)
  const CW = Math.max(UW, r.width) + M + 1;
  const body = m.wire(`${px}body`, binop(paren(mux(ref(normal), { text: `{${zext(binop(ref(u), '-', lit(UW, UO + 1)), CW - M).text}, ${M}'d0}`, width: CW }, lit(CW, 0))), '+', zext(ref(r), CW)), {
    comment: '(te - 1) * 2^M + the rounded significand: the magnitude code',
  });
  const mw = g.ebits + g.mbits;
  return m.wire(`${px}mag`, mux(cmp(ref(body), '>', lit(CW, g.maxMag)), lit(mw, g.maxMag), slice(ref(body), mw - 1, 0)), { comment: `saturated at the largest finite code ${g.maxMag}` });
}

/** The value's fields, and (normalized) its significand with the leading one at bit 23 and t = exponent field + 22. */
function valueFields(m: VerilogModule, x: Signal): { sign: Signal; ev: Signal; fr: Signal; sub: Signal } {
  m.section('the value: sign, exponent field, fraction');
  const sign = m.wire('sign', slice(x, 31));
  const ev = m.wire('ev', slice(x, 30, 23));
  const fr = m.wire('fr', slice(x, 22, 0));
  const sub = m.wire('sub', cmp(ref(ev), '==', lit(8, 0)), { comment: 'zero or subnormal' });
  return { sign, ev, fr, sub };
}

function normalizedValue(m: VerilogModule, v: { ev: Signal; fr: Signal; sub: Signal }, awayUnused: { unusedReason?: string }): { mant: Signal; t: Signal } {
  m.section('a subnormal value normalized: its leading one moved to bit 22');
  const nz = normalize(m, 'nrm', v.fr);
  if (!nz.lz) throw new Error('normalize: no count');
  const TW = unsignedBits(254 + T22);
  const mant = m.wire('mant', mux(ref(v.sub), concat(ref(nz.norm), lit(1, 0)), concat(lit(1, 1), ref(v.fr))), { comment: '24-bit significand with its leading one at bit 23', ...awayUnused });
  // t = e + 22, e the exponent field of the normalized value (a subnormal's is -lz)
  const t = m.wire('t', mux(ref(v.sub), binop(lit(TW, T22), '-', zext(ref(nz.lz), TW)), binop(zext(ref(v.ev), TW), '+', lit(TW, T22))), { comment: 'the normalized exponent field + 22' });
  return { mant, t };
}

function laneHeader(p: Pick<QuantParams, 'elem' | 'round' | 'recipe' | 'scale'>, command: string, name: string): string[] {
  const f = p.elem;
  const away = p.round === 'away';
  const div = dividesLanes(p);
  return header({
    module: name,
    unit: `one lane of the quantizer: an FP32 value over ${div ? `a ${p.scale.name.toUpperCase()} scale` : 'a power-of-two scale'} to an ${f.name.toUpperCase()} code`,
    command,
    configuration: [`element format: ${formatSummary(f)}`, ...(div ? [`scale format: ${formatSummary(p.scale)}`] : []), `rounding: to nearest, ${away ? 'ties away from zero' : 'ties to even'}`],
    computes: [div ? 'q = the element code of x / S, S the value of scale code sc, rounded to nearest and saturated at +-max' : 'q = the element code of x / 2^(sc - 127), rounded to nearest and saturated at +-max'],
    numerics: [
      'FP32 subnormals by their true value. Saturation: a value beyond the largest finite element gives +-max.',
      isIntFormat(f) ? 'INT8: symmetric range +-127/64; a single zero.' : 'A value that rounds to zero keeps its sign (-0 stays -0).',
      ...(div
        ? [
            "x / S exactly: the value's significand (top 14 bits) divided by S's 4-bit significand gives 10 or 11 quotient bits, more than any element keeps",
            'with its round bit; the remainder and the bits below join the sticky bit.',
            'x is finite and S positive and finite here (NaN / Inf blocks and a zero scale are the top module\'s to handle).',
          ]
        : ["x is finite here (a block holding NaN or Inf is the top module's to handle)."]),
    ],
  });
}

/**
 * One power-of-two lane: an FP32 value x and the block's scale 2^(sc - 127) (an E8M0 code, sc <= 254)
 * to the element code of x / 2^(sc - 127), rounded to nearest and saturated.
 */
function pow2LaneModule(p: Pick<QuantParams, 'elem' | 'round' | 'recipe' | 'scale'>, command: string): VerilogModule {
  const f = p.elem;
  const name = qlaneName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const x = m.input(QLANE_PORTS.x, 32, 'the value (FP32 bits)');
  const sc = m.input(QLANE_PORTS.sc, 8, "the block's scale as an E8M0 code (0 .. 254): the value is divided by 2^(sc - 127)");
  const wq = elementBits(f);
  const q = m.output(QLANE_PORTS.q, wq, `the element code (${f.name})`);
  const away = p.round === 'away' ? 1 : 0;
  const { sign, ev, fr, sub } = valueFields(m, x);
  const maxMag = elementMaxCode(f);
  if (isIntFormat(f)) {
    // x / 2^(sc-127) * 2^fracBits = mant * 2^(e - 150 - sc + 127 + fracBits): a right shift of the
    // 24-bit significand by sh = 23 + sc - fracBits - max(ev, 1) (no normalization: a subnormal's
    // shift is at least 16)
    m.section(`INT8: x * 2^${f.fracBits} / scale, an integer, to nearest${away ? ' (ties away)' : ' (ties to even)'}, saturated at +-${maxMag}`);
    const mant = m.wire('mant', concat(binop({ text: `~${sub.name}`, width: 1 }, '&', lit(1, 1)), ref(fr)), { comment: '24-bit significand (hidden bit 0 for a subnormal)' });
    const K = 23 - f.fracBits; // sh = K + sc - max(ev, 1)
    const W = unsignedBits(K + 254 + 254);
    // D = sh + 254 >= 0; sh <= 0 (D <= 254): the value is at least 2^23: saturate
    const D = m.wire('d', binop(binop(zext(ref(sc), W), '+', lit(W, K + 254)), '-', zext(mux(ref(sub), lit(8, 1), ref(ev)), W)), { comment: 'right shift of the significand, plus 254' });
    const big = m.wire('big', cmp(ref(D), '<=', lit(W, 254)), { comment: 'x / scale >= 2^23: saturates' });
    const shw = m.wire('sh_wide', binop(ref(D), '-', lit(W, 254)), { unusedReason: 'its low 5 bits are taken where it lies in 1 .. 24' });
    const sh = m.wire('sh', mux(cmp(ref(D), '>=', lit(W, 254 + 25)), lit(5, 25), slice(shw, 4, 0)), { comment: 'the shift, at most 25 (which leaves 0)' });
    const r = roundShifted(m, '', mant, sh, away, 1);
    const lim = lit(8, maxMag);
    const magW = r.width;
    const mag = m.wire('mag', mux(binop(ref(big), '|', cmp(ref(r), '>', lit(magW, maxMag))), lim, slice(ref(r), 7, 0)), { comment: `|code|, saturated at ${maxMag} (symmetric range)` });
    m.assign(q, mux(binop(ref(sign), '&', cmp(ref(mag), '!=', lit(8, 0))), binop(lit(8, 0), '-', ref(mag)), ref(mag)));
  } else {
    const M = f.mbits;
    const zero = m.wire('zero', binop(ref(sub), '&', cmp(ref(fr), '==', lit(23, 0))), { comment: '+-0: a zero code of its sign' });
    // With bias 1 (E2M1, E2M3) an FP32 subnormal over any scale (sc >= 0) lies below the element's
    // second binade, where the codes are a linear grid: it needs no normalizing, only a shift.
    const linear = f.bias <= 1;
    // ties away decide on the round bit alone: the bits below the smallest shift are not read
    const awayUnused = away ? { unusedReason: `bits below ${22 - M - (linear ? 1 : 0)} only matter to ties to even` } : {};
    const TW = unsignedBits(254 + T22);
    let mant: Signal;
    let t: Signal;
    if (linear) {
      mant = m.wire('mant', concat(paren({ text: `~${sub.name}`, width: 1 }), ref(fr)), { comment: '24-bit significand (hidden bit 0 for a subnormal, not normalized)', ...awayUnused });
      t = m.wire('t', binop(zext(mux(ref(sub), lit(8, 1), ref(ev)), TW), '+', lit(TW, T22)), { comment: 'the exponent field (1 for a subnormal) + 22' });
    } else {
      ({ mant, t } = normalizedValue(m, { ev, fr, sub }, awayUnused));
    }
    // te = e + bias - sc, the element's biased exponent of x / scale; u = te + 254 + 22 >= 0
    const UO = 254 + T22; // te = u - UO
    const UW = unsignedBits(254 + T22 + f.bias + 254);
    const u = m.wire('u', binop(binop(zext(ref(t), UW), '+', lit(UW, f.bias + 254)), '-', zext(ref(sc), UW)), { comment: `the element's biased exponent of x / scale, plus ${UO}` });
    m.section(`round the significand to ${M} fraction bits (more below the smallest normal), to nearest${away ? ', ties away' : ', ties to even'}`);
    const mag = roundToGrid(m, '', elementGrid(f), { mant, u, UO, ...(linear ? { linear: sub } : {}), away });
    m.assign(q, concat(ref(sign), mux(ref(zero), lit(mag.width, 0), ref(mag))));
  }
  lines.push(...laneHeader(p, command, name));
  return m;
}

/**
 * One nv lane: an FP32 value x and the block's scale code sc (positive, finite) to the element code
 * of x / S exactly, S the value of sc: x's significand over S's (a 14-by-4-bit division), then the
 * grid rounder.
 */
function divLaneModule(p: Pick<QuantParams, 'elem' | 'round' | 'recipe' | 'scale'>, command: string): VerilogModule {
  const f = p.elem;
  const s = p.scale;
  if (isE8M0(s)) throw new Error('divLaneModule: an E8M0 scale is a power of two');
  const name = qlaneName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const ws = scaleBits(s);
  const x = m.input(QLANE_PORTS.x, 32, 'the value (FP32 bits)');
  const sc = m.input(QLANE_PORTS.sc, ws, `the block's scale code (${s.name}, positive and finite): the value is divided by its value S`);
  const wq = elementBits(f);
  const q = m.output(QLANE_PORTS.q, wq, `the element code (${f.name})`);
  const away = p.round === 'away' ? 1 : 0;
  const v = valueFields(m, x);
  const zero = m.wire('zero', binop(ref(v.sub), '&', cmp(ref(v.fr), '==', lit(23, 0))), { comment: '+-0: a zero code' });
  const { mant, t } = normalizedValue(m, v, away ? { unusedReason: 'bits 9 .. 0 only matter to ties to even' } : {});
  m.section(`the scale: S = d * 2^(l - ${s.bias + 2 * s.mbits - 1}), d its significand with the leading one at bit ${s.mbits}`);
  const sr = decodeMinifloat(m, 's', s, sc);
  if (!sr.sig) throw new Error('decode: no significand');
  const sig: Signal = { name: sr.sig.text, width: sr.sig.width };
  const sn = normalize(m, 's_nrm', sig);
  const d = sn.norm;
  const LsMax = sr.expMax + s.mbits;
  const LW = unsignedBits(LsMax);
  const sexp = sr.exp ?? lit(1, 0);
  const l = m.wire('s_l', sn.lz ? binop(binop(zext(sexp, LW), '+', lit(LW, s.mbits)), '-', zext(ref(sn.lz), LW)) : binop(zext(sexp, LW), '+', lit(LW, s.mbits)), { comment: `floor(log2 S) + ${-sr.expOffset}` });
  m.section('x / S: the top 14 bits of the significand over d, 10 or 11 quotient bits; the rest sticky');
  const NW = 14;
  const n = m.wire('dn', slice(mant, 23, 24 - NW), { comment: "the significand's top 14 bits" });
  // ties away decide on the round bit alone: the remainder and the bits below are not needed
  const dv = divideNormalized(m, 'dv', n, ref(d), 11, away ? 'only ties to even read the remainder' : undefined);
  const dq = dv.q;
  const hiq = m.wire('dq_hi', slice(dq, 10), { comment: "quotient >= 1024: x's significand at least S's (the binade of x / S)" });
  const qm = m.wire('qm', mux(ref(hiq), concat(ref(dq), lit(13, 0)), concat(slice(dq, 9, 0), lit(14, 0))), {
    comment: 'the quotient with its leading one at bit 23',
    ...(away ? { unusedReason: 'its low bits only matter to ties to even' } : {}),
  });
  const sticky = away ? undefined : m.wire('dsticky', binop(reduce('|', slice(mant, 23 - NW, 0)), '|', reduce('|', ref(dv.rem))), { comment: 'bits of x / S below the quotient' });
  // floor(log2 (x / S)) = (t - 149) - (l + expOffset) - ~hi; te = that + bias; u = te + UO >= 0
  const C = LsMax + 1;
  const bias = isIntFormat(f) ? 0 : f.bias;
  const UO = C + 149 + sr.expOffset - bias;
  if (UO < 0) throw new Error(`${name}: negative exponent offset`);
  const UW = unsignedBits(254 + T22 + C);
  const u = m.wire('u', binop(binop(binop(zext(ref(t), UW), '+', lit(UW, C)), '-', zext(ref(l), UW)), '-', zext(paren({ text: `~${hiq.name}`, width: 1 }), UW)), {
    comment: `floor(log2 (x / S))${bias ? ` + ${bias}` : ''}, plus ${UO}`,
  });
  const maxMag = elementMaxCode(f);
  if (isIntFormat(f)) {
    m.section(`INT8: x * 2^${f.fracBits} / S, an integer, to nearest${away ? ' (ties away)' : ' (ties to even)'}, saturated at +-${maxMag}`);
    // code = qm * 2^(L + fracBits - 23), L = u - UO: a right shift by 23 - fracBits - L; L + fracBits >= 7 saturates
    const big = m.wire('big', cmp(ref(u), '>=', lit(UW, UO + 7 - f.fracBits)), { comment: `x / S >= 2^${7 - f.fracBits}: saturates` });
    const shw = m.wire('sh_wide', binop(lit(UW, UO + 23 - f.fracBits), '-', ref(u)), { unusedReason: 'its low 5 bits are taken where it lies in 17 .. 24' });
    const sh = m.wire('sh', mux(cmp(ref(u), '<=', lit(UW, UO - 2 - f.fracBits)), lit(5, 25), slice(shw, 4, 0)), { comment: 'the shift, 17 .. 25 (25 leaves 0)' });
    const r = roundShifted(m, '', qm, sh, away, 17, sticky);
    const mag = m.wire('mag', mux(binop(ref(big), '|', cmp(ref(r), '>', lit(r.width, maxMag))), lit(8, maxMag), zext(ref(r), 8)), { comment: `|code|, saturated at ${maxMag} (symmetric range)` });
    const mz = m.wire('mag_z', mux(ref(zero), lit(8, 0), ref(mag)));
    m.assign(q, mux(binop(ref(v.sign), '&', cmp(ref(mz), '!=', lit(8, 0))), binop(lit(8, 0), '-', ref(mz)), ref(mz)));
  } else {
    m.section(`round the quotient to ${f.mbits} fraction bits (more below the smallest normal), to nearest${away ? ', ties away' : ', ties to even'}`);
    const mag = roundToGrid(m, '', elementGrid(f), { mant: qm, u, UO, sticky, away });
    m.assign(q, concat(ref(v.sign), mux(ref(zero), lit(mag.width, 0), ref(mag))));
  }
  lines.push(...laneHeader(p, command, name));
  return m;
}

/**
 * mant / 2^sh rounded to nearest (ties to even, or away), for minSh <= sh <= 25: the bits below
 * minSh - 1 can only be sticky, so one fixed shift drops them and a narrow shifter moves the rest by
 * sh - minSh; the last bit shifted out is the round bit, any other set bit (or `extra`, bits below
 * mant) the sticky bit.
 */
function roundShifted(m: VerilogModule, px: string, mant: Signal, sh: Signal, away: number, minSh: number, extra?: Signal): Signal {
  const pre = minSh - 1;
  const W = 24 - pre;
  const hi = m.wire(`${px}r_hi`, slice(mant, 23, pre), { comment: `the significand's top ${W} bits (the lower ${pre} only sticky)` });
  const v = m.wire(`${px}r_v`, binop(ref(sh), '-', lit(5, minSh)), { comment: `the shift beyond ${pre}: 0 .. ${25 - minSh}` });
  const y = m.wire(`${px}r_y`, { text: `${hi.name} >> ${v.name}`, width: W }, { comment: 'the kept bits and the round bit below them' });
  let upText = `${y.name}[0]`;
  if (!away) {
    // ties to even needs to know whether the value is exactly on the half
    const lost = m.wire(`${px}r_lost`, { text: `|(${hi.name} & ~({${W}{1'b1}} << ${v.name}))`, width: 1 }, { comment: 'a set bit shifted out below the round bit' });
    const terms = [...(pre > 0 ? [`|${mant.name}[${pre - 1}:0]`] : []), lost.name, ...(extra ? [extra.name] : [])];
    const sticky = m.wire(`${px}r_sticky`, { text: terms.join(' | '), width: 1 });
    upText = `${y.name}[0] & (${sticky.name} | ${y.name}[1])`;
  }
  const up = m.wire(`${px}r_up`, { text: upText, width: 1 }, { comment: away ? 'round up on the round bit (ties away)' : 'round up above the half, or on it when the kept bit is odd (ties to even)' });
  return m.wire(`${px}rnd`, binop(paren(shift(ref(y), '>>', lit(1, 1))), '+', zext(ref(up), W)), { comment: 'mant / 2^sh, rounded to nearest' });
}

function quantModules(p: QuantParams, command: string): { top: VerilogModule; lane: VerilogModule } {
  const f = p.elem;
  const s = p.scale;
  const k = p.block;
  const div = dividesLanes(p);
  const lane = div ? divLaneModule(p, command) : pow2LaneModule(p, command);
  const name = quantModuleName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const wq = elementBits(f);
  const wi = p.in === 'bf16' ? 16 : 32;
  const ws = scaleBits(s);
  const e8 = isE8M0(s);
  const nanCode = scaleNanCode(s);
  const clk = p.stages > 0 ? m.input(CLOCK_PORT, 1, 'clock: each rising edge moves every value one register stage on') : null;
  const x = m.input(QUANT_PORTS.x, wi * k, `${k} ${p.in.toUpperCase()} values; value i at bits [${wi}i+${wi - 1}:${wi}i]`);
  const scale = m.output(QUANT_PORTS.scale, ws, `the block scale code (${s.name.toUpperCase()})`);
  const q = m.output(QUANT_PORTS.q, wq * k, `${k} element codes (${f.name}); code i at bits [${wq}i+${wq - 1}:${wq}i]`);

  let xf: Signal = x;
  if (p.in === 'bf16') {
    m.section('the values as FP32: each BF16 value is the top half of its FP32 value');
    xf = m.wire(QUANT_CUTS.xf, concat(...Array.from({ length: k }, (_, j) => concat(slice(x, 16 * (k - 1 - j) + 15, 16 * (k - 1 - j)), lit(16, 0)))), { comment: 'value i as FP32 at bits [32i+31:32i]' });
  }
  m.section('the block maximum of |x_i| (magnitude bits order like the values; NaN and Inf above all)');
  const leaves = Array.from({ length: k }, (_, i) => m.wire(`mag_${i}`, slice(xf, 32 * i + 30, 32 * i)));
  const byName = new Map<string, Signal>(leaves.map((l) => [l.name, l]));
  const tree = maxTree(leaves.map((l) => l.name), 'amax');
  for (const n of tree.nodes) {
    const [l, r] = [byName.get(n.left) as Signal, byName.get(n.right) as Signal];
    byName.set(n.name, m.wire(n.name, mux(cmp(ref(l), '>', ref(r)), ref(l), ref(r))));
  }
  const amax = m.wire(QUANT_CUTS.amax, ref(byName.get(tree.root) as Signal), { comment: 'the largest magnitude' });
  const special = m.wire(QUANT_CUTS.special, cmp(slice(amax, 30, 23), '==', lit(8, 0xff)), { comment: 'the block holds NaN or Inf' });
  const isZero = m.wire('all_zero', cmp(ref(amax), '==', lit(31, 0)), { comment: 'every value is +-0' });
  m.boundary('amax', 'the block maximum known: its exponent and significand');

  const ea = m.wire('a_ev', slice(amax, 30, 23));
  const afr = m.wire('a_fr', slice(amax, 22, 0));
  const asub = m.wire('a_sub', cmp(ref(ea), '==', lit(8, 0)));
  const needSig = p.recipe !== 'floor';
  const nz = normalize(m, 'a_nrm', afr, !needSig);
  if (!nz.lz) throw new Error('normalize: no count');
  const TW = unsignedBits(254 + T22 + 1);
  // t = floor(log2 amax) + 127 + 22: the exponent field + 22, or 22 - leading zeros for a subnormal
  const t = m.wire('a_t', mux(ref(asub), binop(lit(TW, T22), '-', zext(ref(nz.lz), TW)), binop(zext(ref(ea), TW), '+', lit(TW, T22))), { comment: 'floor(log2 amax) + 149' });
  const sig = needSig ? m.wire('a_sig', mux(ref(asub), concat(ref(nz.norm), lit(1, 0)), concat(lit(1, 1), ref(afr))), { comment: "amax's significand, leading one at bit 23" }) : null;

  let sc: Signal; // what the lanes divide by
  let code: Expr; // the scale code of a finite non-zero block
  let flush: Signal | null = null; // the scale is zero: every code a zero
  if (p.recipe === 'nv') {
    if (e8 || !sig) throw new Error('nv needs a UE4M3 / UE5M3 scale');
    const mx = elementMax(f);
    const Mx = Number(mx.sig);
    const lm = unsignedBits(Mx);
    const fl = lm - 1 + mx.exp; // floor(log2 max_elem)
    m.section(`the scale: amax / ${elementText(f, elementMaxCode(f))} (max_elem = ${Mx} * 2^${mx.exp}) rounded to nearest even on the ${s.name.toUpperCase()} grid, saturated at code 0x${scaleMaxCode(s).toString(16)}${p.guard ? '; zero raised to the smallest subnormal (guard)' : ''}`);
    const NW = 10 + lm;
    const n = m.wire('s_dn', slice(sig, 23, 24 - NW), { comment: `amax's significand, top ${NW} bits` });
    const dv = divideNormalized(m, 's_dv', n, lit(lm, Mx), 11);
    const dq = dv.q;
    const hiq = m.wire('s_dq_hi', slice(dq, 10), { comment: `quotient >= 1024: amax's significand at least ${Mx}'s` });
    const qm = m.wire('s_qm', mux(ref(hiq), concat(ref(dq), lit(13, 0)), concat(slice(dq, 9, 0), lit(14, 0))), { comment: 'amax / max_elem with its leading one at bit 23' });
    const sticky = m.wire('s_dsticky', binop(reduce('|', slice(sig, 23 - NW, 0)), '|', reduce('|', ref(dv.rem))), { comment: 'bits below the quotient' });
    // floor(log2 (amax / max)) = (t - 149) - fl - ~hi; te = that + bias_s; u = te + UO
    const UO = 1 + 149 + fl - s.bias;
    if (UO < 0) throw new Error(`${name}: negative exponent offset`);
    const UW = unsignedBits(254 + T22 + 1);
    const u = m.wire('s_u', binop(binop(zext(ref(t), UW), '+', lit(UW, 1)), '-', zext(paren({ text: `~${hiq.name}`, width: 1 }), UW)), { comment: `floor(log2 (amax / max_elem)) + ${s.bias}, plus ${UO}` });
    const raw = roundToGrid(m, 's_', { mbits: s.mbits, ebits: s.ebits, maxMag: scaleMaxCode(s) }, { mant: qm, u, UO, sticky, away: 0 });
    sc = m.wire(QUANT_CUTS.sc, p.guard ? mux(cmp(ref(raw), '==', lit(ws, 0)), lit(ws, 1), ref(raw)) : ref(raw), { comment: p.guard ? 'the scale code, 0 raised to 1 (guard)' : 'the scale code (0: the block flushed to zeros)' });
    code = ref(sc);
    if (!p.guard) flush = m.wire(QUANT_CUTS.flush, binop(paren(cmp(ref(sc), '==', lit(ws, 0))), '|', ref(isZero)), { comment: "amax / max_elem rounds to zero (or every value is zero): every code a zero of its value's sign" });
  } else {
    m.section(`the scale exponent: floor(log2 amax) - ${elementEmax(f)}${p.recipe === 'ceil' ? ", plus 1 when amax's significand exceeds max_elem's" : ''}, as an E8M0 code (+127)`);
    let tc: Signal = t;
    if (p.recipe === 'ceil' && sig) {
      const mxSig = BigInt(elementMax(f).sig);
      const ceilSig = Number(mxSig << BigInt(24 - mxSig.toString(2).length));
      const up = m.wire('a_up', cmp(ref(sig), '>', lit(24, ceilSig)), { comment: `above max_elem's significand (0x${ceilSig.toString(16)}): one binade up` });
      tc = m.wire('a_tc', binop(ref(t), '+', zext(ref(up), TW)));
    }
    const off = T22 + elementEmax(f); // the E8M0 code = tc - off
    // the E8M0 codes of the format's smallest and largest powers of two
    const lo = e8 ? 0 : 127 + 1 - s.bias - s.mbits;
    const hi = e8 ? 254 : 127 + minifloatEmax(s);
    if (off + lo < 0) throw new Error(`${name}: the scale's range starts below the exponent offset`);
    const scw = m.wire('sc_wide', binop(ref(tc), '-', lit(TW, off)), { unusedReason: `its low 8 bits are taken where it lies in ${lo} .. ${hi}` });
    const under = cmp(ref(tc), '<', lit(TW, off + lo));
    sc = m.wire(QUANT_CUTS.sc, mux(under, lit(8, lo), mux(cmp(ref(tc), '>', lit(TW, off + hi)), lit(8, hi), slice(scw, 7, 0))), {
      comment: e8 ? 'the scale code of a finite non-zero block' : `the scale as an E8M0 code, clamped to ${s.name.toUpperCase()}'s powers of two 2^${lo - 127} .. 2^${hi - 127}`,
    });
    if (e8) code = ref(sc);
    else {
      m.section(`the ${s.name.toUpperCase()} code of the power of two: subnormal below 2^${1 - s.bias}, else {exponent + ${s.bias}, ${s.mbits}'b0}`);
      const be = m.wire('sc_be', binop(ref(sc), '-', lit(8, 127 - s.bias)), { unusedReason: `its low ${s.ebits} bits are taken for a normal scale` });
      let subCode: Expr = lit(ws, 1 << (s.mbits - 1));
      for (let j = s.mbits - 2; j >= 0; j--) subCode = mux(cmp(ref(sc), '==', lit(8, lo + j)), lit(ws, 1 << j), subCode);
      code = ref(m.wire('sc_code', mux(cmp(ref(sc), '<', lit(8, lo + s.mbits)), subCode, concat(slice(be, s.ebits - 1, 0), lit(s.mbits, 0))), { comment: `the ${s.name.toUpperCase()} code of 2^(sc - 127)` }));
      if (!p.guard) flush = m.wire(QUANT_CUTS.flush, binop(paren(under), '|', ref(isZero)), { comment: `the scale is below 2^${lo - 127}: zero (or every value is zero): every code a zero of its value's sign` });
    }
  }
  m.boundary('scale', 'the scale known: the lanes and the outputs');
  const scaleCode = flush ? mux(ref(flush), lit(ws, 0), code) : code;
  m.assign(scale, mux(ref(special), lit(ws, nanCode), mux(ref(isZero), lit(ws, 0), paren(scaleCode))));

  m.section(`k = ${k} lanes, each ${lane.name}; a NaN / Inf block gives zero codes${flush ? ', a zero scale zero codes of the values\' signs' : ''}`);
  const codes = m.net(QUANT_CUTS.codes, wq * k, "lane i's code");
  m.lanes('lane', k, 'u_lane', lane, { x: { perLane: xf }, sc: { shared: ref(sc) }, q: { perLane: codes } });
  let passed: Expr = ref(codes);
  if (flush) {
    const zs = isIntFormat(f)
      ? lit(wq * k, 0)
      : concat(...Array.from({ length: k }, (_, j) => concat(slice(xf, 32 * (k - 1 - j) + 31), lit(wq - 1, 0))));
    passed = mux(ref(flush), zs, ref(codes));
  }
  m.assign(q, mux(ref(special), lit(wq * k, 0), paren(passed)));

  const rec =
    p.recipe === 'floor'
      ? `floor: 2^(floor(log2 amax) - ${elementEmax(f)}) (OCP MX)`
      : p.recipe === 'ceil'
        ? `ceil: the smallest 2^x with amax / 2^x <= ${elementText(f, elementMaxCode(f))}`
        : `nv: amax / ${elementText(f, elementMaxCode(f))} rounded to nearest even in ${s.name.toUpperCase()}, saturated at ${scaleText(s, scaleMaxCode(s))}`;
  const lowest = e8 ? '' : scaleText(s, 1);
  lines.push(
    ...header({
      module: name,
      unit: `MX quantizer: k ${p.in.toUpperCase()} values to one ${s.name.toUpperCase()} scale and k element codes`,
      command,
      configuration: [
        `element format: ${formatSummary(f)}`,
        `scale format: ${formatSummary(s)}`,
        `block size k = ${k}`,
        `recipe: ${rec}`,
        `underflow guard: ${e8 ? (p.guard ? 'on (no effect: E8M0 has no zero)' : 'off (no effect: E8M0 has no zero)') : p.guard ? `on (a zero scale becomes ${lowest})` : 'off (a zero scale flushes the block)'}`,
        `element rounding: to nearest, ${p.round === 'away' ? 'ties away' : 'ties to even'}`,
        `input: ${p.in === 'bf16' ? 'BF16 (each value exactly its FP32 value)' : 'FP32'}`,
        p.stages === 0
          ? 'register stages: 0 (combinational)'
          : `register stages: ${p.stages} (after ${quantBoundaries(p.stages).map((b) => (b === 'amax' ? 'the block maximum' : 'the scale')).join(' and after ')}; no reset): the outputs of the values clocked in at a rising edge come out ${p.stages === 1 ? 'right after it' : p.stages === 2 ? 'after the next edge' : `${p.stages - 1} edges after it`}, a latency of ${p.stages} cycle${p.stages > 1 ? 's' : ''}`,
      ],
      computes: [`scale = the recipe's scale code of amax = max |x_i|; q_i = x_i / S as an element code, S the scale's value`],
      numerics: [
        p.recipe === 'nv'
          ? `The scale is amax / max_elem exactly, rounded once: a ratio above the largest ${s.name.toUpperCase()} value gives it (saturation).`
          : e8
            ? 'The scale exponent is clamped to -127 .. 127 (a larger one gives the largest scale, its elements saturated).'
            : `The scale exponent is clamped above at ${hiPow2(s)} (its elements saturated); below 2^${1 - s.bias - s.mbits} the scale is ${p.guard ? `raised to ${lowest}` : 'zero'}.`,
        `A block holding NaN or Inf: scale 0x${nanCode.toString(16).toUpperCase()} (NaN), every code 0. An all-zero block: scale 0, each code a zero of its value's sign.${flush ? " A zero scale: each code a zero of its value's sign." : ''}`,
        'FP32 subnormals count by their true value, in amax as in the elements.',
      ],
      uses: [lane.name],
    }),
  );
  if (clk) m.registerStages(clk, quantBoundaries(p.stages));
  return { top: m, lane };
}

const hiPow2 = (s: ScaleFormat): string => `2^${minifloatEmax(s as MinifloatSpec)}`;

/** The block's values as FP32 bits (a BF16 value is the top half of its FP32 value). */
function fp32Values(p: QuantParams, x: bigint): number[] {
  const w = p.in === 'bf16' ? 16 : 32;
  const mask = (1n << BigInt(w)) - 1n;
  return Array.from({ length: p.block }, (_, i) => (Number((x >> BigInt(w * i)) & mask) * (w === 16 ? 65536 : 1)) >>> 0);
}

export const quantFamily: UnitFamily<QuantParams> = {
  name: 'quant',
  summary: 'MX quantizer: k FP32 values to one scale and k element codes (--recipe, --round, --guard)',
  instances: (c) => [quantParams(c)],
  fromParameters: (r) => {
    const recipe = String(r.recipe);
    if (!(QUANT_RTL_RECIPES as readonly string[]).includes(recipe)) throw new Error(`unknown recipe '${recipe}'`);
    const round = String(r.round);
    if (round !== 'rne' && round !== 'away') throw new Error(`unknown rounding '${round}'`);
    const inFormat = String(r.in);
    if (inFormat !== 'fp32' && inFormat !== 'bf16') throw new Error(`unknown input format '${inFormat}'`);
    const stages = Number(r.stages ?? 0);
    if (!Number.isInteger(stages) || stages < 0 || stages > MAX_QUANT_STAGES) throw new Error(`register stages must be 0 .. ${MAX_QUANT_STAGES}, got '${String(r.stages)}'`);
    return {
      elem: elementFormat(String(r.elem)),
      scale: scaleFormat(String(r.scale ?? 'e8m0')),
      block: checkBlock(Number(r.block)),
      recipe: recipe as QuantRtlRecipe,
      round,
      in: inFormat,
      guard: Number(r.guard ?? 0) === 1,
      stages,
    };
  },
  generate(p, command): Unit {
    const g = quantModules(p, command);
    return { family: 'quant', top: g.top, modules: [g.lane, g.top], parameters: { elem: p.elem.name, scale: p.scale.name, block: p.block, recipe: p.recipe, round: p.round, in: p.in, guard: p.guard ? 1 : 0, stages: p.stages } };
  },
  golden(p) {
    const k = p.block;
    const w = BigInt(elementBits(p.elem));
    return (v: PortValues) => {
      const src = fp32Values(p, v.x);
      const out = new Uint8Array(k);
      const s = quantizeBlockReference(src, 0, { elem: p.elem, scale: p.scale, blockSize: k, recipe: p.recipe, round: p.round, guard: p.guard }, out, 0);
      let q = 0n;
      for (let i = k - 1; i >= 0; i--) q = (q << w) | BigInt(out[i]);
      return { scale: BigInt(s), q };
    };
  },
  registerStages: (p) => p.stages,
  describeInputs(p, v) {
    const xs = fp32Values(p, v.x).map((b) => floatText(FP32, b));
    return [`x = [${xs.join(', ')}]`];
  },
  describeOutput(p, port, value) {
    if (port === QUANT_PORTS.scale) return scaleText(p.scale, Number(value));
    const w = BigInt(elementBits(p.elem));
    return `[${Array.from({ length: p.block }, (_, i) => elementText(p.elem, Number((value >> (w * BigInt(i))) & ((1n << w) - 1n)))).join(', ')}]`;
  },
};
