/**
 * `mac_array`: an R x C grid of processing elements that accumulates C += A·B block by block at a
 * clock rate. Each beat (a cycle with in_valid high) brings R A-blocks (k element codes and a scale
 * each: the rows) and C B-blocks (the columns); PE (r, c) adds dot(A_r, B_c) to its accumulator.
 *
 * Dataflow: operands broadcast. Row r's A-block goes to the C PEs of row r and column c's B-block to
 * the R PEs of column c in the same cycle, so every PE sees its operands at the same beat and all
 * complete together: one `first` / `last` / `in_valid` for the whole array, one `out_valid`, and a
 * latency that does not depend on the PE's position (a systolic array would skew the operands by
 * r + c cycles and the results with them). The price is fan-out: an A-block drives C PEs.
 *
 * PE (fp32 accumulation): the block's dot product rounded to FP32 (the dot unit), then added to the
 * FP32 accumulator by the FP32 adder unit; a `first` beat loads the block's result instead. On a beat
 * with `last`, the PE's result register takes the completed sum and keeps it until the next sum
 * completes, so a new accumulation can start on the very next beat while the result is read.
 * Golden function: src/mac.ts MacArrayModel.
 */
import { FP32, floatBits, floatQuietNan, type FloatFormat } from '../../src/formats/float.js';
import { elementBits, scaleBits, type ElementFormat, type ScaleFormat } from '../../src/formats/format.js';
import { MacArrayModel, type MacBeat } from '../../src/mac.js';
import { elementList, floatText, formatSummary, scaleText } from '../../src/text.js';
import { VerilogModule } from '../verilog/module.js';
import { any, binop, lit, mux, not, ref, shift, slice, unsignedBits, zext, type Expr, type Signal } from '../verilog/signal.js';
import { ADD_PORTS, addModule } from './add.js';
import { DEFAULT_MAC, addersEntry, addersParameter, addersSuffix, checkBlock, checkMac, elementFormat, elemsTag, floatFormat, outSuffix, scaleFormat, type MacAccumulationName, type MacConfig } from './config.js';
import type { AdderStyle } from '../raw/add_tree.js';
import { DOT_PORTS, dotModules, dotsumModule, scaledSum, sumInstance, type SumShape } from './dot.js';
import { decodeMinifloat } from '../raw/decode.js';
import { roundToFormat, roundingNotes } from '../raw/round.js';
import { header } from './header.js';
import { FUSED_PORTS, fusedFamily, fusedParams, type FusedParams } from './fused.js';
import { FUSED_SHAPES } from '../../src/fused.js';
import { CLOCK_PORT, type PortValues, type Unit, type UnitFamily } from './unit.js';

export interface MacParams extends MacConfig {
  readonly a: ElementFormat;
  readonly b: ElementFormat;
  readonly scale: ScaleFormat;
  readonly block: number;
  /** the results' format: FP32, or BF16 (rounded at read-out) */
  readonly out: FloatFormat;
  /** how the PEs' adder trees add (default operator) */
  readonly adders?: AdderStyle;
}

export const MAC_PORTS = {
  clk: CLOCK_PORT,
  reset: 'reset',
  valid: 'in_valid',
  first: 'first',
  last: 'last',
  a: 'a',
  scaleA: 'scale_a',
  b: 'b',
  scaleB: 'scale_b',
  result: 'result',
  outValid: 'out_valid',
} as const;

/** Ports of one processing element. */
export const PE_PORTS = { clk: CLOCK_PORT, reset: 'reset', en: 'en', first: 'first', last: 'last', a: 'a', b: 'b', scaleA: 'scale_a', scaleB: 'scale_b', result: 'result' } as const;

/** Cycles from a beat with `last` to the cycle whose outputs show its sums (out_valid high). */
export function macLatency(p: Pick<MacParams, 'stages'>): number {
  return 1 + p.stages;
}

/** The PE's pipeline registers (stage 1): the block's dot product and the beat's control. */
export const PE_STAGE_REGS = { dot: 'dot_q', en: 'en_q', first: 'first_q', last: 'last_q' } as const;

function tag(p: MacParams): string {
  // the fused accumulations have no adder tree of the dot product's
  return `${elemsTag(p.a, p.b)}_${p.scale.name}_k${p.block}${isFusedAccum(p.accum) ? '' : addersSuffix(p.adders)}`;
}

const stageSuffix = (p: MacParams): string => (p.stages > 0 ? `_s${p.stages}` : '');

export function peModuleName(p: MacParams): string {
  return `mx_pe_${tag(p)}_${p.accum}${outSuffix(p.out)}${stageSuffix(p)}`;
}

export function macModuleName(p: MacParams): string {
  return `mx_mac_${tag(p)}_${p.rows}x${p.cols}_${p.accum}${outSuffix(p.out)}${stageSuffix(p)}`;
}

/** The read-out of an FP32 accumulator in another format: its cut points (the decoded sum and the rounded result). */
export const PE_FP32_READOUT = {
  value: (f: 'sign' | 'mag' | 'exp' | 'nan' | 'inf'): string => `ro_${f}`,
  rounded: 'ro_result',
} as const;

function operands(p: MacParams): string[] {
  return p.a === p.b ? [`element format (A and B): ${formatSummary(p.a)}`] : [`element format of A: ${formatSummary(p.a)}`, `element format of B: ${formatSummary(p.b)}`];
}

const TIMING = [
  'Clocked: every register updates on the rising edge of clk; reset is synchronous (active high) and',
  'clears every accumulator and result to +0 and out_valid to 0. No initial values are relied on.',
];

/** A PE's inputs: clock, reset, the beat's control, the two blocks and their scales. */
function peInputs(m: VerilogModule, p: MacParams, resetText: string, lastText: string) {
  const k = p.block;
  return {
    clk: m.input(PE_PORTS.clk, 1, 'clock: registers update on its rising edge'),
    reset: m.input(PE_PORTS.reset, 1, `synchronous reset, active high: ${resetText}`),
    en: m.input(PE_PORTS.en, 1, 'a beat: the accumulator takes this block'),
    first: m.input(PE_PORTS.first, 1, 'with en: this block starts a new sum (the accumulator loads it)'),
    last: m.input(PE_PORTS.last, 1, `with en: this block completes the sum (${lastText})`),
    a: m.input(PE_PORTS.a, elementBits(p.a) * k, `A-block: k codes (${p.a.name})`),
    b: m.input(PE_PORTS.b, elementBits(p.b) * k, `B-block: k codes (${p.b.name})`),
    sa: m.input(PE_PORTS.scaleA, scaleBits(p.scale), `scale code of the A-block (${p.scale.name})`),
    sb: m.input(PE_PORTS.scaleB, scaleBits(p.scale), `scale code of the B-block (${p.scale.name})`),
  };
}

function peModule(p: MacParams, command: string, dot: VerilogModule, add: VerilogModule): VerilogModule {
  const k = p.block;
  const W = floatBits(FP32);
  const WR = floatBits(p.out);
  const OUT = p.out.name.toUpperCase();
  const name = peModuleName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const { clk, reset, en, first, last, a, b, sa, sb } = peInputs(m, p, 'accumulator and result to +0', 'the result register takes it');
  const result = m.output(PE_PORTS.result, WR, `${OUT}: the last completed sum (+0 after reset)`);

  m.section('state: the FP32 accumulator and the result register');
  const acc = m.reg('acc', W, 'FP32 accumulator: the sum of this accumulation so far');
  const res = m.reg('result_q', WR, `${OUT}: the last completed sum`);

  m.section("this beat's block: the dot product, rounded to FP32");
  const prod = m.net('block_dot', W, 'dot(A-block, B-block) in FP32');
  m.instance('u_dot', dot, { [DOT_PORTS.a]: ref(a), [DOT_PORTS.b]: ref(b), [DOT_PORTS.scaleA]: ref(sa), [DOT_PORTS.scaleB]: ref(sb), [DOT_PORTS.result]: ref(prod) });

  // with a register stage, the accumulation works on the block and control of the beat before
  let [dotS, enS, firstS, lastS]: Signal[] = [prod, en, first, last];
  if (p.stages > 0) {
    m.section('stage 1: the block\'s dot product and the beat\'s control, one cycle later');
    const r = PE_STAGE_REGS;
    [dotS, enS, firstS, lastS] = [m.reg(r.dot, W, 'the dot product of the beat before'), m.reg(r.en, 1), m.reg(r.first, 1), m.reg(r.last, 1)];
    m.flops(clk, reset, null, [
      { reg: dotS, next: ref(prod), reset: lit(W, 0) },
      { reg: enS, next: ref(en), reset: lit(1, 0) },
      { reg: firstS, next: ref(first), reset: lit(1, 0) },
      { reg: lastS, next: ref(last), reset: lit(1, 0) },
    ]);
  }

  m.section('accumulate: acc + block, rounded to FP32 (a first block is loaded as it is)');
  const sum = m.net('acc_sum', W, `acc + ${dotS.name} in FP32`);
  m.instance('u_add', add, { [ADD_PORTS.a]: ref(acc), [ADD_PORTS.b]: ref(dotS), [ADD_PORTS.sum]: ref(sum) });
  const next = m.wire('acc_next', mux(ref(firstS), ref(dotS), ref(sum)), { comment: 'the accumulator after this beat' });

  // the read-out: the FP32 sum as it is, or rounded to the result format
  let readout: Signal = next;
  let readNotes: string[] = [];
  if (p.out !== FP32) {
    m.section(`read-out: the completed FP32 sum rounded to ${OUT}`);
    const d = decodeMinifloat(m, 'acc_next_fp32', FP32, next);
    const R = PE_FP32_READOUT;
    if (!d.sign || !d.sig || !d.exp || !d.nan || !d.inf) throw new Error(`${name}: the FP32 decode lacks a field`);
    const [sign, mag, exp, nan, inf] = [m.wire(R.value('sign'), d.sign), m.wire(R.value('mag'), d.sig, { comment: 'significand, hidden bit included (0 for NaN / Inf)' }), m.wire(R.value('exp'), d.exp), m.wire(R.value('nan'), d.nan), m.wire(R.value('inf'), d.inf)];
    const r = roundToFormat(m, R.rounded, p.out, { nan: ref(nan), inf: ref(inf), sign: ref(sign), mag, magMax: d.sigMax, exp: ref(exp), expMax: d.expMax, expOffset: d.expOffset, zero: 'keep-sign' });
    if (r.result.name !== R.rounded) throw new Error(`${name}: the read-out is '${r.result.name}', not the cut point ${R.rounded}`);
    readout = r.result;
    readNotes = [`Read-out: the FP32 sum rounded to ${OUT} (a second rounding): ${roundingNotes(p.out, r.needs).join(' ')} NaN gives ${OUT}'s quiet NaN, Inf and zeros keep their sign.`];
  }

  m.section('registers');
  m.flops(clk, reset, ref(enS), [{ reg: acc, next: ref(next), reset: lit(W, 0) }], 'the accumulator takes every beat');
  m.flops(clk, reset, binop(ref(enS), '&', ref(lastS)), [{ reg: res, next: ref(readout), reset: lit(WR, 0) }], 'the result register takes the completed sum');
  m.section('output');
  m.assign(result, ref(res));

  lines.push(
    ...header({
      module: name,
      unit: 'MAC array processing element (FP32 accumulation)',
      command,
      configuration: [
        ...operands(p),
        `scale format: ${formatSummary(p.scale)}`,
        `block size k = ${k}`,
        'accumulation: fp32',
        `result format: ${formatSummary(p.out)}`,
        p.stages > 0 ? 'register stages: 1 (the dot product and the control registered; the accumulation works on the beat before)' : 'register stages: 0',
      ],
      computes: [
        'on a beat (en): acc = first ? dot(a, b) : acc + dot(a, b), each dot product rounded once to FP32 and',
        `each addition rounded to nearest even (IEEE 754 FP32); with last, result = the new acc${p.out === FP32 ? '' : `, rounded to ${OUT}`}`,
      ],
      numerics: [
        `dot(a, b): ${dot.name} (the dot product unit, exact sum rounded once to FP32); the addition: ${add.name}.`,
        'NaN and Inf follow IEEE 754 addition: once NaN, the sum stays NaN; +Inf + -Inf gives the quiet NaN 0x7fc00000.',
        'Zeros follow IEEE 754 addition: (-0) + (-0) = -0, any other exact zero sum +0. After reset the accumulator is +0.',
        ...readNotes,
      ],
      uses: [dot.name, add.name],
      clocked: TIMING.join(' '),
    }),
  );
  return m;
}

/**
 * The exact PE's cut points: the block's scaled value (as the dot product hands it to its rounder),
 * the accumulator's next state, the read-out rounder's inputs and its result.
 */
export const PE_EXACT_CUTS = {
  value: (f: 'sign' | 'mag' | 'exp' | 'nan' | 'inf'): string => `blk_${f}`,
  next: 'acc_next',
  nextFlag: (f: 'nan' | 'pinf' | 'ninf'): string => `acc_${f}_next`,
  readout: (f: 'sign' | 'mag' | 'nan' | 'inf'): string => ({ sign: 'acc_result_sign', mag: 'acc_next_mag', nan: 'acc_next_nan', inf: 'acc_next_inf' })[f],
  rounded: 'rnd',
} as const;

/** The stage-1 registers of the exact PE: the block's scaled value and the beat's control. */
export const PE_EXACT_STAGE_REGS = { sign: 'blk_sign_q', mag: 'blk_mag_q', exp: 'blk_exp_q', nan: 'blk_nan_q', inf: 'blk_inf_q', en: 'en_q', first: 'first_q', last: 'last_q' } as const;

/**
 * What a PE's stage 1 registers, as (register, the wire of the same beat it takes): the block's
 * value, then the control; and the PE's state registers (those the stages leave where they are).
 * Entries whose wire a format does not build (no NaN or Inf flag) are still listed; a user keeps
 * those the netlist has.
 */
export function peStageMap(p: Pick<MacParams, 'accum'>): { value: { reg: string; wire: string }[]; control: { reg: string; port: string }[]; state: string[] } {
  const control = (['en', 'first', 'last'] as const).map((f) => ({ reg: PE_STAGE_REGS[f], port: PE_PORTS[f] }));
  if (p.accum === 'exact') {
    return {
      value: (['sign', 'mag', 'exp', 'nan', 'inf'] as const).map((f) => ({ reg: PE_EXACT_STAGE_REGS[f], wire: PE_EXACT_CUTS.value(f) })),
      control,
      state: ['acc', 'acc_nan', 'acc_pinf', 'acc_ninf', 'result_q'],
    };
  }
  return { value: [{ reg: PE_STAGE_REGS.dot, wire: 'block_dot' }], control, state: ['acc', 'result_q'] };
}

/** The exact accumulator's shape: one block's largest |value| and the accumulator's width. */
export interface ExactShape {
  /** every block value is an integer multiple of 2^lsbExp */
  readonly lsbExp: number;
  /** the largest |value| of one block, in units of 2^lsbExp */
  readonly blockMax: bigint;
  /** two's complement bits of the accumulator: maxBlocks * blockMax fits, with the sign */
  readonly accBits: number;
}

export function exactShape(p: MacParams, sum: SumShape, x: { magMax: bigint; expMax: number; expOffset: number }): ExactShape {
  const blockMax = x.magMax << BigInt(x.expMax);
  return { lsbExp: x.expOffset, blockMax, accBits: unsignedBits(BigInt(p.maxBlocks) * blockMax) + 1 };
}

function peExactModule(p: MacParams, command: string, core: { module: VerilogModule; shape: SumShape }): { module: VerilogModule; exact: ExactShape } {
  const k = p.block;
  const S = core.shape;
  const name = peModuleName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const { clk, reset, en, first, last, a, b, sa, sb } = peInputs(m, p, 'accumulator to an exact zero, result to +0', 'the result register takes it, rounded');
  const result = m.output(PE_PORTS.result, floatBits(p.out), `${p.out.name.toUpperCase()}: the last completed sum, rounded once (+0 after reset)`);

  const x = scaledSum(m, name, p.scale, S, sa, sb, sumInstance(m, "this beat's block: the exact sum of the products", core, a, b), PE_EXACT_CUTS.value);
  const X = exactShape(p, S, x);
  const A = X.accBits;

  // with a register stage, the accumulation works on the block value and control of the beat before
  let [signS, magS, expS, nanS, infS, enS, firstS, lastS]: (Signal | null)[] = [x.sign, x.mag, x.exp, x.nan, x.inf, en, first, last];
  if (p.stages > 0) {
    m.section("stage 1: the block's scaled value and the beat's control, one cycle later");
    const r = PE_EXACT_STAGE_REGS;
    const updates: { reg: Signal; next: Expr; reset: Expr }[] = [];
    const stage = (src: Signal | null, q: string, comment?: string): Signal | null => {
      if (src === null) return null;
      const reg = m.reg(q, src.width, comment);
      updates.push({ reg, next: ref(src), reset: lit(src.width, 0) });
      return reg;
    };
    [signS, magS, expS, nanS, infS] = [stage(x.sign, r.sign, 'the block value of the beat before'), stage(x.mag, r.mag), stage(x.exp, r.exp), stage(x.nan, r.nan), stage(x.inf, r.inf)];
    [enS, firstS, lastS] = [stage(en, r.en), stage(first, r.first), stage(last, r.last)];
    m.flops(clk, reset, null, updates);
  }
  if (!signS || !magS || !expS || !enS || !firstS || !lastS) throw new Error(`${name}: a block value without sign, magnitude or exponent`);

  m.section(`the block as a ${A}-bit two's complement integer in units of 2^${X.lsbExp}: magnitude shifted by the exponent, then signed`);
  const aligned = m.wire('blk_aligned', shift(zext(ref(magS), A), '<<', ref(expS)), { comment: `magnitude * 2^exp (|value| < 2^${unsignedBits(X.blockMax)})` });
  const blk = m.wire('blk_value', mux(ref(signS), binop(lit(A, 0), '-', ref(aligned)), ref(aligned)), { comment: 'the exact value of the block (0 for NaN / Inf blocks with a zero magnitude)' });

  m.section(`state: the ${A}-bit exact accumulator, its special flags, and the result register`);
  const acc = m.reg('acc', A, `exact sum of this accumulation so far, two's complement, units of 2^${X.lsbExp}`);
  const accNan = nanS ? m.reg('acc_nan', 1, 'a NaN block since the first one') : null;
  const accPinf = infS ? m.reg('acc_pinf', 1, 'a +Inf block since the first one') : null;
  const accNinf = infS ? m.reg('acc_ninf', 1, 'a -Inf block since the first one') : null;
  const res = m.reg('result_q', floatBits(p.out), `${p.out.name.toUpperCase()}: the last completed sum, rounded`);

  m.section('accumulate: acc + block exactly (a first block is loaded as it is); the flags are sticky');
  const accSum = m.wire('acc_sum', binop(ref(acc), '+', ref(blk)), { comment: `cannot overflow for up to ${p.maxBlocks} blocks` });
  const next = m.wire(PE_EXACT_CUTS.next, mux(ref(firstS), ref(blk), ref(accSum)), { comment: 'the accumulator after this beat' });
  const sticky = (flag: Signal | null, accFlag: Signal | null, nm: string, blockFlag: Expr | null): Signal | null =>
    flag && accFlag && blockFlag ? m.wire(nm, mux(ref(firstS as Signal), blockFlag, binop(ref(accFlag), '|', blockFlag))) : null;
  const nanNext = sticky(nanS, accNan, PE_EXACT_CUTS.nextFlag('nan'), nanS ? ref(nanS) : null);
  const blkPinf = infS ? m.wire('blk_pinf', binop(ref(infS), '&', not(ref(signS))), { comment: 'the block is +Inf' }) : null;
  const blkNinf = infS ? m.wire('blk_ninf', binop(ref(infS), '&', ref(signS)), { comment: 'the block is -Inf' }) : null;
  const pinfNext = sticky(infS, accPinf, PE_EXACT_CUTS.nextFlag('pinf'), blkPinf ? ref(blkPinf) : null);
  const ninfNext = sticky(infS, accNinf, PE_EXACT_CUTS.nextFlag('ninf'), blkNinf ? ref(blkNinf) : null);

  m.section(`read-out: the completed sum rounded once to ${p.out.name.toUpperCase()}`);
  const accSign = m.wire('acc_next_neg', slice(next, A - 1));
  const low = slice(next, A - 2, 0);
  const mag = m.wire(PE_EXACT_CUTS.readout('mag'), mux(ref(accSign), binop(lit(A - 1, 0), '-', low), low), { comment: `|acc_next| (fits ${A - 1} bits)` });
  const inf = pinfNext && ninfNext ? m.wire(PE_EXACT_CUTS.readout('inf'), binop(ref(pinfNext), '|', ref(ninfNext)), { comment: 'an Inf block (of one sign only)' }) : null;
  const nanTerms: Expr[] = [];
  if (nanNext) nanTerms.push(ref(nanNext));
  if (pinfNext && ninfNext) nanTerms.push(binop(ref(pinfNext), '&', ref(ninfNext)));
  const nan = nanTerms.length > 0 ? m.wire(PE_EXACT_CUTS.readout('nan'), any(nanTerms), { comment: 'a NaN block, or +Inf and -Inf blocks' }) : null;
  const sign = m.wire(PE_EXACT_CUTS.readout('sign'), inf && ninfNext ? mux(ref(inf), ref(ninfNext), ref(accSign)) : ref(accSign));
  const r = roundToFormat(m, PE_EXACT_CUTS.rounded, p.out, {
    nan: nan ? ref(nan) : null,
    inf: inf ? ref(inf) : null,
    sign: ref(sign),
    mag,
    magMax: BigInt(p.maxBlocks) * X.blockMax,
    exp: null,
    expMax: 0,
    expOffset: X.lsbExp,
    zero: 'positive',
  });

  if (r.result.name !== PE_EXACT_CUTS.rounded) throw new Error(`${name}: the rounded sum is '${r.result.name}', not the cut point ${PE_EXACT_CUTS.rounded}`);
  m.section('registers');
  const flagUpdates = [
    ...(accNan && nanNext ? [{ reg: accNan, next: ref(nanNext), reset: lit(1, 0) }] : []),
    ...(accPinf && pinfNext ? [{ reg: accPinf, next: ref(pinfNext), reset: lit(1, 0) }] : []),
    ...(accNinf && ninfNext ? [{ reg: accNinf, next: ref(ninfNext), reset: lit(1, 0) }] : []),
  ];
  m.flops(clk, reset, ref(enS), [{ reg: acc, next: ref(next), reset: lit(A, 0) }, ...flagUpdates], 'the accumulator takes every beat');
  m.flops(clk, reset, binop(ref(enS), '&', ref(lastS)), [{ reg: res, next: ref(r.result), reset: lit(floatBits(p.out), 0) }], 'the result register takes the completed sum, rounded');
  m.section('output');
  m.assign(result, ref(res));

  lines.push(
    ...header({
      module: name,
      unit: 'MAC array processing element (exact accumulation)',
      command,
      configuration: [
        ...operands(p),
        `scale format: ${formatSummary(p.scale)}`,
        `block size k = ${k}`,
        `accumulation: exact, up to ${p.maxBlocks} blocks per sum (--max-blocks)`,
        `accumulator: ${A}-bit two's complement, units of 2^${X.lsbExp} (one block's |value| < 2^${unsignedBits(X.blockMax)} units)`,
        p.stages > 0 ? "register stages: 1 (the block's scaled value and the control registered; the accumulation works on the beat before)" : 'register stages: 0',
      ],
      computes: [
        'on a beat (en): acc = first ? v : acc + v, v = scale_a * scale_b * sum_i a_i*b_i exactly (no rounding);',
        `with last, result = acc rounded once to ${p.out.name.toUpperCase()} (round to nearest even)`,
      ],
      numerics: [
        `The sum of products: ${core.module.name} (exact); the scale significands multiply it and the scale exponents shift it into the accumulator, exactly.`,
        `No sum of up to ${p.maxBlocks} blocks at any scales loses a bit: the accumulator holds ${p.maxBlocks} times the largest block value. A longer sum may wrap around.`,
        ...roundingNotes(p.out, r.needs),
        `A NaN block (NaN element or scale, +Inf and -Inf products, Inf times a zero scale), or +Inf and -Inf blocks in one sum, gives the quiet NaN ${floatText(p.out, floatQuietNan(p.out)).split(' ')[0]}; otherwise an Inf block gives Inf of its sign.`,
        'An exact zero sum gives +0, whatever the signs of the terms. After reset the accumulator is an exact zero.',
      ],
      uses: [core.module.name],
      clocked: TIMING.join(' '),
    }),
  );
  return { module: m, exact: X };
}

function arrayModule(p: MacParams, command: string, pe: VerilogModule, exact: ExactShape | null): VerilogModule {
  const { rows: R, cols: C, block: k } = p;
  const wa = elementBits(p.a);
  const wb = elementBits(p.b);
  const ws = scaleBits(p.scale);
  const W = floatBits(p.out);
  const OUT = p.out.name.toUpperCase();
  const name = macModuleName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const clk = m.input(MAC_PORTS.clk, 1, 'clock: registers update on its rising edge');
  const reset = m.input(MAC_PORTS.reset, 1, 'synchronous reset, active high');
  const valid = m.input(MAC_PORTS.valid, 1, 'a beat: every PE takes this cycle\'s blocks');
  const first = m.input(MAC_PORTS.first, 1, 'with in_valid: the blocks start new sums');
  const last = m.input(MAC_PORTS.last, 1, 'with in_valid: the blocks complete the sums');
  const a = m.input(MAC_PORTS.a, R * wa * k, `R = ${R} A-blocks of k codes (${p.a.name}); row r at bits [${wa * k}r+${wa * k - 1}:${wa * k}r]`);
  const sa = m.input(MAC_PORTS.scaleA, R * ws, `R scale codes (${p.scale.name}); row r at bits [${ws}r+${ws - 1}:${ws}r]`);
  const b = m.input(MAC_PORTS.b, C * wb * k, `C = ${C} B-blocks of k codes (${p.b.name}); column c at bits [${wb * k}c+${wb * k - 1}:${wb * k}c]`);
  const sb = m.input(MAC_PORTS.scaleB, C * ws, `C scale codes (${p.scale.name}); column c at bits [${ws}c+${ws - 1}:${ws}c]`);
  const result = m.output(MAC_PORTS.result, R * C * W, `R x C ${OUT} sums; PE (r, c) at bits [${W}(${C}r+c)+${W - 1}:${W}(${C}r+c)]`);
  const outValid = m.output(MAC_PORTS.outValid, 1, `result holds the sums of the beat with last ${macLatency(p)} cycle${macLatency(p) > 1 ? 's' : ''} ago (high for one cycle per completed sum)`);

  m.section(`${R} x ${C} processing elements, each ${pe.name}: row r reads A-block r, column c reads B-block c`);
  const sums = m.net('pe_result', R * C * W, 'the PEs\' result registers, PE (r, c) at index C*r + c');
  m.grid('pe_row', R, C, 'u_pe', pe, {
    [PE_PORTS.clk]: { shared: ref(clk) },
    [PE_PORTS.reset]: { shared: ref(reset) },
    [PE_PORTS.en]: { shared: ref(valid) },
    [PE_PORTS.first]: { shared: ref(first) },
    [PE_PORTS.last]: { shared: ref(last) },
    [PE_PORTS.a]: { perRow: a },
    [PE_PORTS.b]: { perCol: b },
    [PE_PORTS.scaleA]: { perRow: sa },
    [PE_PORTS.scaleB]: { perCol: sb },
    [PE_PORTS.result]: { perCell: sums },
  });

  m.section(`output valid: a beat with last completed the sums${p.stages > 0 ? `, ${p.stages} cycle${p.stages > 1 ? 's' : ''} through the PEs' register stages` : ''}`);
  let done: Signal | null = null;
  for (let i = 1; i <= p.stages; i++) {
    const d = m.reg(`done_q${i}`, 1, `a beat with last, ${i} cycle${i > 1 ? 's' : ''} ago`);
    m.flops(clk, reset, null, [{ reg: d, next: done ? ref(done) : binop(ref(valid), '&', ref(last)), reset: lit(1, 0) }]);
    done = d;
  }
  const ov = m.reg('out_valid_q', 1);
  m.flops(clk, reset, null, [{ reg: ov, next: done ? ref(done) : binop(ref(valid), '&', ref(last)), reset: lit(1, 0) }]);
  m.section('outputs');
  m.assign(result, ref(sums));
  m.assign(outValid, ref(ov));

  lines.push(
    ...header({
      module: name,
      unit: `MX MAC array, ${R} x ${C} processing elements`,
      command,
      configuration: [
        ...operands(p),
        `scale format: ${formatSummary(p.scale)}`,
        `block size k = ${k}`,
        `result format: ${formatSummary(p.out)}`,
        `array: ${R} rows x ${C} columns`,
        exact
          ? `accumulation: exact (${exact.accBits}-bit fixed point, units of 2^${exact.lsbExp}, up to ${p.maxBlocks} blocks per sum), rounded once to FP32`
          : isFusedAccum(p.accum)
            ? `accumulation: ${p.accum} (each beat one GPU fused dot-add, ${FUSED_SHAPES[p.accum].about}, D = C + block)`
            : 'accumulation: fp32 (each block rounded to FP32, each addition rounded to nearest even)',
        `register stages: ${p.stages}`,
        `longest accumulation the bench streams: ${p.maxBlocks} blocks`,
      ],
      computes: [
        'PE (r, c): C[r][c] = sum over the beats of one accumulation of dot(A-block r, B-block c),',
        exact
          ? 'accumulated exactly and rounded once to FP32 (see the PE module); all PEs share first / last / in_valid.'
          : isFusedAccum(p.accum)
            ? 'accumulated as a chain of GPU fused dot-adds (see the PE module); all PEs share first / last / in_valid.'
            : 'accumulated in FP32 block by block (see the PE module); all PEs share first / last / in_valid.',
      ],
      numerics: [`Each PE is ${pe.name}; its header states the rounding of every step.`, `Results are ${OUT}${p.out === FP32 ? '' : exact ? ' (the exact sum rounded once)' : ' (the FP32 sum rounded at read-out)'}.`],
      uses: [pe.name],
      clocked: [
        ...TIMING,
        `Latency ${macLatency(p)} cycle${macLatency(p) > 1 ? 's' : ''}: the sums of a beat with last are on result, with out_valid high, ${macLatency(p)} cycle${macLatency(p) > 1 ? 's' : ''} later;`,
        'result then holds them until the next sum completes. Beats may follow each other with no gap, and a new sum may',
        'start on the beat after a last one.',
      ].join(' '),
    }),
  );
  return m;
}

/** The GPU-mode PE's wires: the fused dot-add's addend and result. */
export const PE_FUSED_CUTS = { c: 'fused_c', d: 'block_acc' } as const;

export type FusedAccum = 'blackwell' | 'hopper';

export function isFusedAccum(a: string): a is FusedAccum {
  return a === 'blackwell' || a === 'hopper';
}

/**
 * The fused dot-add of a GPU-compatible PE: the kind's instruction on the array's formats, with the
 * array's E8M0 scales (for hopper too, whose instruction has none: they enter the exponents).
 */
export function peFusedParams(p: Pick<MacParams, 'accum' | 'a' | 'b' | 'scale' | 'block'>): FusedParams {
  if (!isFusedAccum(p.accum)) throw new Error(`accumulation ${p.accum} has no fused dot-add`);
  // the array's fused dot-adds keep a + b (--adders shapes the fp32 and exact PEs)
  return { ...fusedParams(p.accum, { elemA: p.a, elemB: p.b, scale: p.scale, block: p.block }), scale: p.scale };
}

/**
 * The PE of `--accum blackwell` or `hopper`: each beat is one fused dot-add of the GPU (the fused unit), its
 * addend C +0 on a first beat, else the accumulator; the accumulator takes D.
 */
function peFusedModule(p: MacParams, command: string, fused: VerilogModule): VerilogModule {
  const W = floatBits(FP32);
  const name = peModuleName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const { clk, reset, en, first, last, a, b, sa, sb } = peInputs(m, p, 'accumulator and result to +0', 'the result register takes it');
  const result = m.output(PE_PORTS.result, W, 'FP32: the last completed sum (+0 after reset)');
  m.section('state: the FP32 accumulator and the result register');
  const acc = m.reg('acc', W, 'FP32 accumulator: D of the beat before');
  const res = m.reg('result_q', W, 'FP32: the last completed sum');
  m.section("this beat: one fused dot-add, D = C + the block, C = +0 on a first beat, else the accumulator");
  const c = m.wire(PE_FUSED_CUTS.c, mux(ref(first), lit(W, 0), ref(acc)), { comment: 'the addend C' });
  const d = m.net(PE_FUSED_CUTS.d, W, 'D: the accumulator after this beat');
  m.instance('u_fused', fused, { [FUSED_PORTS.a]: ref(a), [FUSED_PORTS.b]: ref(b), [FUSED_PORTS.scaleA]: ref(sa), [FUSED_PORTS.scaleB]: ref(sb), [FUSED_PORTS.c]: ref(c), [FUSED_PORTS.d]: ref(d) });
  m.section('registers');
  m.flops(clk, reset, ref(en), [{ reg: acc, next: ref(d), reset: lit(W, 0) }], 'the accumulator takes every beat');
  m.flops(clk, reset, binop(ref(en), '&', ref(last)), [{ reg: res, next: ref(d), reset: lit(W, 0) }], 'the result register takes the completed sum');
  m.section('output');
  m.assign(result, ref(res));
  lines.push(
    ...header({
      module: name,
      unit: `MAC array processing element (GPU-compatible accumulation, ${FUSED_SHAPES[p.accum as FusedAccum].about})`,
      command,
      configuration: [...operands(p), `scale format: ${formatSummary(p.scale)}`, `block size k = ${p.block}`, `accumulation: ${p.accum} (one GPU fused dot-add per beat)`, `result format: ${formatSummary(p.out)}`, 'register stages: 0'],
      computes: [
        'on a beat (en): acc = D = C + dot(a, b) as the GPU computes it (terms aligned to the largest exponent,',
        'truncated, the sum truncated to FP32), C = +0 with first, else acc; with last, result = that D',
      ],
      numerics: [
        `The fused dot-add: ${fused.name} (its header states every rule). NaN is 0x7fffffff. After reset the accumulator is +0.`,
        ...(p.accum === 'hopper' ? ['A Hopper instruction has no block scale: the E8M0 codes enter the exponents as in kind::mxf8f6f4; codes 127 give the GPU\'s results.'] : []),
      ],
      uses: [fused.name],
      clocked: TIMING.join(' '),
    }),
  );
  return m;
}

export function macModules(p: MacParams, command: string): { top: VerilogModule; modules: VerilogModule[]; exact: ExactShape | null } {
  if (isFusedAccum(p.accum)) {
    const f = fusedFamily.generate(peFusedParams(p), command);
    const pe = peFusedModule(p, command, f.top);
    const top = arrayModule(p, command, pe, null);
    return { top, modules: [...f.modules, pe, top], exact: null };
  }
  if (p.accum === 'exact') {
    const core = dotsumModule(p, command);
    const pe = peExactModule(p, command, core);
    const top = arrayModule(p, command, pe.module, pe.exact);
    return { top, modules: [core.lane, core.module, pe.module, top], exact: pe.exact };
  }
  const dot = dotModules({ a: p.a, b: p.b, scale: p.scale, out: FP32, block: p.block, adders: p.adders }, command);
  const add = addModule({ format: FP32 }, command);
  const pe = peModule(p, command, dot.top, add);
  const top = arrayModule(p, command, pe, null);
  return { top, modules: [...dot.modules, add, pe, top], exact: null };
}

function unpack(v: bigint, n: number, w: number): number[] {
  const mask = (1n << BigInt(w)) - 1n;
  return Array.from({ length: n }, (_, i) => Number((v >> BigInt(w * i)) & mask));
}

/** One cycle's port values as the golden model's beat. */
export function macBeat(p: MacParams, v: PortValues): MacBeat {
  const wa = elementBits(p.a);
  const wb = elementBits(p.b);
  const ws = scaleBits(p.scale);
  const k = p.block;
  return {
    reset: v[MAC_PORTS.reset] === 1n,
    valid: v[MAC_PORTS.valid] === 1n,
    first: v[MAC_PORTS.first] === 1n,
    last: v[MAC_PORTS.last] === 1n,
    a: Array.from({ length: p.rows }, (_, r) => unpack(v[MAC_PORTS.a] >> BigInt(wa * k * r), k, wa)),
    scaleA: unpack(v[MAC_PORTS.scaleA], p.rows, ws),
    b: Array.from({ length: p.cols }, (_, c) => unpack(v[MAC_PORTS.b] >> BigInt(wb * k * c), k, wb)),
    scaleB: unpack(v[MAC_PORTS.scaleB], p.cols, ws),
  };
}

export const macFamily: UnitFamily<MacParams> = {
  name: 'mac_array',
  summary: 'R x C array of MX dot products accumulating block by block, clocked (--array, --accum, --max-blocks)',
  instances: (c) => [{ a: c.elemA, b: c.elemB, scale: c.scale, block: c.block, out: c.out, adders: c.adders, ...c.mac }],
  fromParameters: (r) => ({
    a: elementFormat(String(r.elem_a)),
    b: elementFormat(String(r.elem_b)),
    scale: scaleFormat(String(r.scale)),
    block: checkBlock(Number(r.block)),
    out: floatFormat(String(r.out ?? 'fp32')),
    adders: addersParameter(r),
    ...checkMac({ rows: Number(r.rows), cols: Number(r.cols), accum: String(r.accum) as MacAccumulationName, maxBlocks: Number(r.max_blocks ?? DEFAULT_MAC.maxBlocks), stages: Number(r.stages ?? 0) }),
  }),
  generate(p, command): Unit {
    const d = macModules(p, command);
    return {
      family: 'mac_array',
      top: d.top,
      modules: d.modules,
      parameters: {
        elem_a: p.a.name,
        elem_b: p.b.name,
        scale: p.scale.name,
        block: p.block,
        out: p.out.name,
        rows: p.rows,
        cols: p.cols,
        accum: p.accum,
        max_blocks: p.maxBlocks,
        stages: p.stages,
        ...(isFusedAccum(p.accum) ? {} : addersEntry(p.adders)),
        ...(d.exact ? { acc_bits: d.exact.accBits, acc_lsb: d.exact.lsbExp, acc_max: String(BigInt(p.maxBlocks) * d.exact.blockMax) } : {}),
        latency: macLatency(p),
        clock: MAC_PORTS.clk,
        reset: 'synchronous, active high',
      },
    };
  },
  /** Stateful: each call starts from reset, and the function it returns steps one cycle per call, in order. */
  golden(p) {
    const model = new MacArrayModel({ elemA: p.a, elemB: p.b, scale: p.scale, block: p.block, rows: p.rows, cols: p.cols, accum: p.accum, stages: p.stages, out: p.out });
    const W = BigInt(floatBits(p.out));
    return (v: PortValues) => {
      const o = model.step(macBeat(p, v));
      return { [MAC_PORTS.result]: o.result.reduceRight((acc, x) => (acc << W) | BigInt(x >>> 0), 0n), [MAC_PORTS.outValid]: o.outValid ? 1n : 0n };
    };
  },
  describeInputs(p, v) {
    const beat = macBeat(p, v);
    const ctl = [beat.reset ? 'reset' : null, beat.valid ? 'in_valid' : null, beat.first ? 'first' : null, beat.last ? 'last' : null].filter((x) => x !== null);
    return [
      `control: ${ctl.length > 0 ? ctl.join(', ') : 'none (an idle cycle)'}`,
      ...beat.a.map((row, r) => `A-block ${r} = ${elementList(p.a, row)}, scale ${scaleText(p.scale, beat.scaleA[r])}`),
      ...beat.b.map((col, c) => `B-block ${c} = ${elementList(p.b, col)}, scale ${scaleText(p.scale, beat.scaleB[c])}`),
    ];
  },
  describeOutput(p, port, value) {
    if (port === MAC_PORTS.outValid) return String(value);
    const W = floatBits(p.out);
    return unpack(value, p.rows * p.cols, W)
      .map((x, q) => `PE(${Math.floor(q / p.cols)},${q % p.cols}) ${floatText(p.out, x)}`)
      .join('; ');
  },
};
