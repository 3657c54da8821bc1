/**
 * `quant`: k FP32 (or BF16) values in, one scale code and k element codes out, as the golden `quantize`
 * computes them (src/quantize.ts) with a power-of-two recipe and E8M0 scales:
 *
 *   floor  scale 2^x, x = floor(log2 amax) - emax_elem (OCP MX; FP32 subnormals by their true value)
 *   ceil   the smallest 2^x with amax / 2^x <= max_elem (no element saturates)
 *
 * x is clamped to -127 .. 127 (E8M0's range); a block holding NaN or Inf gets the NaN scale and zero
 * codes, an all-zero block scale code 0 and the zeros' signs. Each element is x_i / 2^x rounded to
 * nearest (ties to even, or away with --round away) and saturated at +-max.
 *
 * Stages: the block maximum of |x_i| (a tree of comparisons on the 31 magnitude bits, which order
 * like the values; NaN and Inf above every finite value); its floor(log2) (a leading-zero count for
 * a subnormal amax); the scale code; k lanes (`mx_qlane_*`), each one element's encode.
 * Golden function: src/quantize.ts quantizeBlockReference (the general path, not the fast one).
 */
import { E8M0 } from '../../src/formats/e8m0.js';
import { elementBits, elementEmax, elementMax, elementMaxCode, isIntFormat, type ElementFormat } from '../../src/formats/format.js';
import { quantizeBlockReference, type ScaleRecipe } from '../../src/quantize.js';
import type { RoundMode } from '../../src/round.js';
import { elementText, formatSummary, floatText, scaleText } from '../../src/text.js';
import { FP32 } from '../../src/formats/float.js';
import { maxTree } from '../raw/max_tree.js';
import { normalize } from '../raw/normalize.js';
import { VerilogModule } from '../verilog/module.js';
import { binop, cmp, concat, lit, mux, paren, ref, shift, slice, unsignedBits, zext, type Signal } from '../verilog/signal.js';
import { UsageError } from '../cli-args.js';
import { checkBlock, elementFormat, type GenConfig } from './config.js';
import { header } from './header.js';
import type { PortValues, Unit, UnitFamily } from './unit.js';

/** The recipes generated in hardware so far (E8M0 scales, FP32 inputs). */
export const QUANT_RTL_RECIPES = ['floor', 'ceil'] as const satisfies readonly ScaleRecipe[];
export type QuantRtlRecipe = (typeof QUANT_RTL_RECIPES)[number];

export interface QuantParams {
  readonly elem: ElementFormat;
  readonly block: number;
  readonly recipe: QuantRtlRecipe;
  readonly round: RoundMode;
  /** the values' format: FP32, or BF16 (the top 16 bits of its FP32 value) */
  readonly in: 'fp32' | 'bf16';
}

export const QUANT_PORTS = { x: 'x', scale: 'scale', q: 'q' } as const;
export const QLANE_PORTS = { x: 'x', sc: 'sc', q: 'q' } as const;

export const QUANT_CUTS = { amax: 'amax', sc: 'sc', special: 'special', xf: 'xf' } as const;

const roundTag = (r: RoundMode): string => (r === 'away' ? '_away' : '');

export function quantModuleName(p: QuantParams): string {
  return `mx_quant_${p.elem.name}_e8m0_k${p.block}_${p.recipe}${roundTag(p.round)}${p.in === 'bf16' ? '_bf16in' : ''}`;
}

export function qlaneName(p: Pick<QuantParams, 'elem' | 'round'>): string {
  return `mx_qlane_${p.elem.name}${roundTag(p.round)}`;
}

/** The configuration's quantizer, checked (UsageError naming what is wrong). */
export function quantParams(c: Pick<GenConfig, 'elemA' | 'elemB' | 'scale' | 'block' | 'quant'>): QuantParams {
  const { recipe, round } = c.quant;
  if (!(QUANT_RTL_RECIPES as readonly string[]).includes(recipe)) {
    throw new UsageError(`--recipe ${recipe}: the quantizer is generated for ${QUANT_RTL_RECIPES.join(', ')} so far (the golden model and mxrtl quantize have every recipe)`);
  }
  if (c.scale !== E8M0) throw new UsageError(`--units quant: the quantizer is generated for e8m0 scales so far, got ${c.scale.name}`);
  if (c.elemA !== c.elemB) throw new UsageError(`--units quant quantizes to one element format: give --elem, not ${c.elemA.name} and ${c.elemB.name}`);
  return { elem: c.elemA, block: c.block, recipe: recipe as QuantRtlRecipe, round, in: c.quant.in };
}

/** Bit 23 of a normal FP32 value's significand sits at exponent field - 150; t below is that field + 22 (subnormals: 22 - leading zeros). */
const T22 = 22;

/**
 * One lane: an FP32 value x and the block's scale code sc (2^(sc - 127), sc <= 254) to the element
 * code of x / 2^(sc - 127), rounded to nearest and saturated.
 */
function laneModule(p: Pick<QuantParams, 'elem' | 'round'>, command: string): VerilogModule {
  const f = p.elem;
  const name = qlaneName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const x = m.input(QLANE_PORTS.x, 32, 'the value (FP32 bits)');
  const sc = m.input(QLANE_PORTS.sc, 8, "the block's scale code (E8M0, 0 .. 254): the value is divided by 2^(sc - 127)");
  const wq = elementBits(f);
  const q = m.output(QLANE_PORTS.q, wq, `the element code (${f.name})`);
  const away = p.round === 'away' ? 1 : 0;
  m.section('the value: sign, exponent field, fraction');
  const sign = m.wire('sign', slice(x, 31));
  const ev = m.wire('ev', slice(x, 30, 23));
  const fr = m.wire('fr', slice(x, 22, 0));
  const sub = m.wire('sub', cmp(ref(ev), '==', lit(8, 0)), { comment: 'zero or subnormal' });
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
    const r = roundShifted(m, mant, sh, away, 1);
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
      m.section('a subnormal value normalized: its leading one moved to bit 22');
      const nz = normalize(m, 'nrm', fr);
      if (!nz.lz) throw new Error('normalize: no count');
      mant = m.wire('mant', mux(ref(sub), concat(ref(nz.norm), lit(1, 0)), concat(lit(1, 1), ref(fr))), { comment: '24-bit significand with its leading one at bit 23', ...awayUnused });
      // t = e + 22, e the exponent field of the normalized value (a subnormal's is -lz)
      t = m.wire('t', mux(ref(sub), binop(lit(TW, T22), '-', zext(ref(nz.lz), TW)), binop(zext(ref(ev), TW), '+', lit(TW, T22))), { comment: 'the normalized exponent field + 22' });
    }
    // te = e + bias - sc, the element's biased exponent of x / scale; u = te + 254 + 22 >= 0
    const UO = 254 + T22; // te = u - UO
    const UW = unsignedBits(254 + T22 + f.bias + 254);
    const u = m.wire('u', binop(binop(zext(ref(t), UW), '+', lit(UW, f.bias + 254)), '-', zext(ref(sc), UW)), { comment: `the element's biased exponent of x / scale, plus ${UO}` });
    m.section(`round the significand to ${M} fraction bits (more below the smallest normal), to nearest${away ? ', ties away' : ', ties to even'}`);
    const above = cmp(ref(u), '>', lit(UW, UO + 1));
    const normal = m.wire('normal', linear ? binop(paren({ text: `~${sub.name}`, width: 1 }), '&', paren(above)) : above, {
      comment: linear ? 'te > 1 for a normal value: a normal element (te = 1 is the top of the subnormals, the same grid; a subnormal value is always on it)' : 'te > 1: a normal element (te = 1 is the top of the subnormals, the same grid)',
    });
    // sh = 23 - M + max(0, 1 - te) (a linear subnormal: 23 - M + 1 - te, te <= 2), at most 25; held as sh - minSh
    const minSh = linear ? 22 - M : 23 - M;
    const extraHi = linear ? binop(paren({ text: `~${sub.name}`, width: 1 }), '&', paren(cmp(ref(u), '>=', lit(UW, UO + 1)))) : cmp(ref(u), '>=', lit(UW, UO + 1));
    const extra = m.wire('extra', mux(extraHi, lit(UW, 23 - M - minSh), binop(lit(UW, UO + 1 + 23 - M - minSh), '-', ref(u))), { comment: `the shift beyond ${minSh}: 1 - te below the normal range, else 0, plus ${23 - M - minSh}` });
    const shw = m.wire('sh_wide', binop(ref(extra), '+', lit(UW, minSh)), { unusedReason: 'its low 5 bits are taken where it lies below 25' });
    const sh = m.wire('sh', mux(cmp(ref(extra), '>=', lit(UW, 25 - minSh)), lit(5, 25), slice(shw, 4, 0)), { comment: 'the right shift of the significand, at most 25 (which leaves 0)' });
    const r = roundShifted(m, mant, sh, away, minSh);
    // the code's magnitude: (te - 1) << M plus the rounded significand (its carry moves into the exponent)
    const CW = Math.max(UW, r.width) + M + 1;
    const body = m.wire('body', binop(paren(mux(ref(normal), { text: `{${zext(binop(ref(u), '-', lit(UW, UO + 1)), CW - M).text}, ${M}'d0}`, width: CW }, lit(CW, 0))), '+', zext(ref(r), CW)), {
      comment: '(te - 1) * 2^M + the rounded significand: the magnitude code',
    });
    const mw = f.ebits + f.mbits;
    const mag = m.wire('mag', mux(cmp(ref(body), '>', lit(CW, maxMag)), lit(mw, maxMag), slice(ref(body), mw - 1, 0)), { comment: `saturated at the largest finite code ${maxMag}` });
    m.assign(q, concat(ref(sign), mux(ref(zero), lit(mw, 0), ref(mag))));
  }
  lines.push(
    ...header({
      module: name,
      unit: `one lane of the quantizer: an FP32 value over a power-of-two scale to an ${f.name.toUpperCase()} code`,
      command,
      configuration: [`element format: ${formatSummary(f)}`, `rounding: to nearest, ${away ? 'ties away from zero' : 'ties to even'}`],
      computes: ['q = the element code of x / 2^(sc - 127), rounded to nearest and saturated at +-max'],
      numerics: [
        'FP32 subnormals by their true value. Saturation: a value beyond the largest finite element gives +-max.',
        isIntFormat(f) ? 'INT8: symmetric range +-127/64; a single zero.' : 'A value that rounds to zero keeps its sign (-0 stays -0).',
        'x is finite here (a block holding NaN or Inf is the top module\'s to handle).',
      ],
    }),
  );
  return m;
}

/**
 * mant / 2^sh rounded to nearest (ties to even, or away), for minSh <= sh <= 25: the bits below
 * minSh - 1 can only be sticky, so one fixed shift drops them and a narrow shifter moves the rest by
 * sh - minSh; the last bit shifted out is the round bit, any other set bit the sticky bit.
 */
function roundShifted(m: VerilogModule, mant: Signal, sh: Signal, away: number, minSh: number): Signal {
  const pre = minSh - 1;
  const W = 24 - pre;
  const hi = m.wire('r_hi', slice(mant, 23, pre), { comment: `the significand's top ${W} bits (the lower ${pre} only sticky)` });
  const v = m.wire('r_v', binop(ref(sh), '-', lit(5, minSh)), { comment: `the shift beyond ${pre}: 0 .. ${25 - minSh}` });
  const y = m.wire('r_y', { text: `${hi.name} >> ${v.name}`, width: W }, { comment: 'the kept bits and the round bit below them' });
  let upText = `${y.name}[0]`;
  if (!away) {
    // ties to even needs to know whether the value is exactly on the half
    const lost = m.wire('r_lost', { text: `|(${hi.name} & ~({${W}{1'b1}} << ${v.name}))`, width: 1 }, { comment: 'a set bit shifted out below the round bit' });
    const sticky = m.wire('r_sticky', { text: pre > 0 ? `|${mant.name}[${pre - 1}:0] | ${lost.name}` : lost.name, width: 1 });
    upText = `${y.name}[0] & (${sticky.name} | ${y.name}[1])`;
  }
  const up = m.wire('r_up', { text: upText, width: 1 }, { comment: away ? 'round up on the round bit (ties away)' : 'round up above the half, or on it when the kept bit is odd (ties to even)' });
  return m.wire('rnd', binop(paren(shift(ref(y), '>>', lit(1, 1))), '+', zext(ref(up), W)), { comment: 'mant / 2^sh, rounded to nearest' });
}

function quantModules(p: QuantParams, command: string): { top: VerilogModule; lane: VerilogModule } {
  const f = p.elem;
  const k = p.block;
  const lane = laneModule(p, command);
  const name = quantModuleName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const wq = elementBits(f);
  const wi = p.in === 'bf16' ? 16 : 32;
  const x = m.input(QUANT_PORTS.x, wi * k, `${k} ${p.in.toUpperCase()} values; value i at bits [${wi}i+${wi - 1}:${wi}i]`);
  const scale = m.output(QUANT_PORTS.scale, 8, 'the block scale code (E8M0)');
  const q = m.output(QUANT_PORTS.q, wq * k, `${k} element codes (${f.name}); code i at bits [${wq}i+${wq - 1}:${wq}i]`);

  let xf: Signal = x;
  if (p.in === 'bf16') {
    m.section('the values as FP32: each BF16 value is the top half of its FP32 value');
    xf = m.wire(QUANT_CUTS.xf, concat(...Array.from({ length: k }, (_, j) => concat(slice(x, 16 * (k - 1 - j) + 15, 16 * (k - 1 - j)), lit(16, 0)))), { comment: 'value i as FP32 at bits [32i+31:32i]' });
  }
  m.section('the block maximum of |x_i| (magnitude bits order like the values; NaN and Inf above all)');
  const leaves = Array.from({ length: k }, (_, i) => m.wire(`mag_${i}`, slice(xf, 32 * i + 30, 32 * i)));
  const byName = new Map<string, Signal>(leaves.map((s) => [s.name, s]));
  const tree = maxTree(leaves.map((s) => s.name), 'amax');
  for (const n of tree.nodes) {
    const [l, r] = [byName.get(n.left) as Signal, byName.get(n.right) as Signal];
    byName.set(n.name, m.wire(n.name, mux(cmp(ref(l), '>', ref(r)), ref(l), ref(r))));
  }
  const amax = m.wire(QUANT_CUTS.amax, ref(byName.get(tree.root) as Signal), { comment: 'the largest magnitude' });
  const special = m.wire(QUANT_CUTS.special, cmp(slice(amax, 30, 23), '==', lit(8, 0xff)), { comment: 'the block holds NaN or Inf' });
  const isZero = m.wire('all_zero', cmp(ref(amax), '==', lit(31, 0)), { comment: 'every value is +-0' });

  m.section(`the scale exponent: floor(log2 amax) - ${elementEmax(f)}${p.recipe === 'ceil' ? ", plus 1 when amax's significand exceeds max_elem's" : ''}, as a code (+127), clamped to 0 .. 254`);
  const ea = m.wire('a_ev', slice(amax, 30, 23));
  const afr = m.wire('a_fr', slice(amax, 22, 0));
  const asub = m.wire('a_sub', cmp(ref(ea), '==', lit(8, 0)));
  const nz = normalize(m, 'a_nrm', afr, p.recipe === 'floor');
  if (!nz.lz) throw new Error('normalize: no count');
  const TW = unsignedBits(254 + T22 + 1);
  // t = floor(log2 amax) + 127 + 22: the exponent field + 22, or 22 - leading zeros for a subnormal
  const t = m.wire('a_t', mux(ref(asub), binop(lit(TW, T22), '-', zext(ref(nz.lz), TW)), binop(zext(ref(ea), TW), '+', lit(TW, T22))), { comment: 'floor(log2 amax) + 149' });
  let tc: Signal = t;
  if (p.recipe === 'ceil') {
    const mx = elementMax(f);
    const mxSig = BigInt(mx.sig);
    const ceilSig = Number(mxSig << BigInt(24 - mxSig.toString(2).length));
    const sig = m.wire('a_sig', mux(ref(asub), concat(ref(nz.norm), lit(1, 0)), concat(lit(1, 1), ref(afr))), { comment: "amax's significand, leading one at bit 23" });
    const up = m.wire('a_up', cmp(ref(sig), '>', lit(24, ceilSig)), { comment: `above max_elem's significand (0x${ceilSig.toString(16)}): one binade up` });
    tc = m.wire('a_tc', binop(ref(t), '+', zext(ref(up), TW)));
  }
  const off = T22 + elementEmax(f); // sc = t - off, clamped
  const scw = m.wire('sc_wide', binop(ref(tc), '-', lit(TW, off)), { unusedReason: 'its low 8 bits are taken where it lies in 0 .. 254' });
  const sc = m.wire(QUANT_CUTS.sc, mux(cmp(ref(tc), '<', lit(TW, off)), lit(8, 0), mux(cmp(ref(tc), '>', lit(TW, off + 254)), lit(8, 254), slice(scw, 7, 0))), {
    comment: 'the scale code of a finite non-zero block',
  });
  m.assign(scale, mux(ref(special), lit(8, 0xff), mux(ref(isZero), lit(8, 0), ref(sc))));

  m.section(`k = ${k} lanes, each ${lane.name}; a NaN / Inf block gives zero codes`);
  const codes = m.net('codes', wq * k, "lane i's code");
  m.lanes('lane', k, 'u_lane', lane, { x: { perLane: xf }, sc: { shared: ref(sc) }, q: { perLane: codes } });
  m.assign(q, mux(ref(special), lit(wq * k, 0), ref(codes)));

  const rec = p.recipe === 'floor' ? `floor: 2^(floor(log2 amax) - ${elementEmax(f)}) (OCP MX)` : `ceil: the smallest 2^x with amax / 2^x <= ${elementText(f, elementMaxCode(f))}`;
  lines.push(
    ...header({
      module: name,
      unit: `MX quantizer: k ${p.in.toUpperCase()} values to one E8M0 scale and k element codes`,
      command,
      configuration: [`element format: ${formatSummary(f)}`, 'scale format: E8M0', `block size k = ${k}`, `recipe: ${rec}`, `element rounding: to nearest, ${p.round === 'away' ? 'ties away' : 'ties to even'}`, `input: ${p.in === 'bf16' ? 'BF16 (each value exactly its FP32 value)' : 'FP32'}`],
      computes: ['scale = the recipe\'s scale code of amax = max |x_i|; q_i = x_i / 2^(scale - 127) as an element code'],
      numerics: [
        'The scale exponent is clamped to -127 .. 127 (a larger one gives the largest scale, its elements saturated).',
        'A block holding NaN or Inf: scale 0xFF (NaN), every code 0. An all-zero block: scale 0, each code a zero of its value\'s sign.',
        'FP32 subnormals count by their true value, in amax as in the elements.',
      ],
      uses: [lane.name],
    }),
  );
  return { top: m, lane };
}

/** The block's values as FP32 bits (a BF16 value is the top half of its FP32 value). */
function fp32Values(p: QuantParams, x: bigint): number[] {
  const w = p.in === 'bf16' ? 16 : 32;
  const mask = (1n << BigInt(w)) - 1n;
  return Array.from({ length: p.block }, (_, i) => (Number((x >> BigInt(w * i)) & mask) * (w === 16 ? 65536 : 1)) >>> 0);
}

export const quantFamily: UnitFamily<QuantParams> = {
  name: 'quant',
  summary: 'MX quantizer: k FP32 values to one scale and k element codes (--recipe, --round)',
  instances: (c) => [quantParams(c)],
  fromParameters: (r) => {
    const recipe = String(r.recipe);
    if (!(QUANT_RTL_RECIPES as readonly string[]).includes(recipe)) throw new Error(`unknown recipe '${recipe}'`);
    const round = String(r.round);
    if (round !== 'rne' && round !== 'away') throw new Error(`unknown rounding '${round}'`);
    const inFormat = String(r.in);
    if (inFormat !== 'fp32' && inFormat !== 'bf16') throw new Error(`unknown input format '${inFormat}'`);
    return { elem: elementFormat(String(r.elem)), block: checkBlock(Number(r.block)), recipe: recipe as QuantRtlRecipe, round, in: inFormat };
  },
  generate(p, command): Unit {
    const g = quantModules(p, command);
    return { family: 'quant', top: g.top, modules: [g.lane, g.top], parameters: { elem: p.elem.name, scale: 'e8m0', block: p.block, recipe: p.recipe, round: p.round, in: p.in } };
  },
  golden(p) {
    const k = p.block;
    const w = BigInt(elementBits(p.elem));
    return (v: PortValues) => {
      const src = fp32Values(p, v.x);
      const out = new Uint8Array(k);
      const s = quantizeBlockReference(src, 0, { elem: p.elem, scale: E8M0, blockSize: k, recipe: p.recipe, round: p.round }, out, 0);
      let q = 0n;
      for (let i = k - 1; i >= 0; i--) q = (q << w) | BigInt(out[i]);
      return { scale: BigInt(s), q };
    };
  },
  describeInputs(p, v) {
    const xs = fp32Values(p, v.x).map((b) => floatText(FP32, b));
    return [`x = [${xs.join(', ')}]`];
  },
  describeOutput(p, port, value) {
    if (port === QUANT_PORTS.scale) return scaleText(E8M0, Number(value));
    const w = BigInt(elementBits(p.elem));
    return `[${Array.from({ length: p.block }, (_, i) => elementText(p.elem, Number((value >> (w * BigInt(i))) & ((1n << w) - 1n)))).join(', ')}]`;
  },
};
