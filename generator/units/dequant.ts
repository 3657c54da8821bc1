/**
 * `dequant`: k element codes and one shared scale code in, k values in the result format (FP32 or
 * BF16) out: result_i = element_i * scale, rounded once. A lane module dequantizes one element;
 * the block module instantiates it k times.
 *
 * Golden function: src/dequant.ts dequantElement, lane by lane.
 */
import { dequantElement } from '../../src/dequant.js';
import { floatBits, floatQuietNan, type FloatFormat } from '../../src/formats/float.js';
import { decodeScale as goldenScale, elementBits, scaleBits, type ElementFormat, type ScaleFormat } from '../../src/formats/format.js';
import { elementList, floatText, formatSummary, scaleText } from '../../src/text.js';
import { decodeElement, decodeScale } from '../raw/decode.js';
import { mulRaw } from '../raw/mul_raw.js';
import { roundToFormat, roundingNotes } from '../raw/round.js';
import { VerilogModule } from '../verilog/module.js';
import { ref } from '../verilog/signal.js';
import { checkBlock, elementFormat, floatFormat, outSuffix, scaleFormat } from './config.js';
import { header } from './header.js';
import type { PortValues, Unit, UnitFamily } from './unit.js';

export interface DequantParams {
  readonly elem: ElementFormat;
  readonly scale: ScaleFormat;
  readonly out: FloatFormat;
  readonly block: number;
}

export const DEQUANT_PORTS = { elems: 'elems', scale: 'scale', result: 'result' } as const;
/** Ports of the one-element lane module. */
export const DEQUANT_LANE_PORTS = { elem: 'elem', scale: 'scale', result: 'result' } as const;

export function dequantLaneName(p: DequantParams): string {
  return `mx_dequant_${p.elem.name}_${p.scale.name}${outSuffix(p.out)}`;
}

export function dequantModuleName(p: DequantParams): string {
  return `mx_dequant_${p.elem.name}_${p.scale.name}_k${p.block}${outSuffix(p.out)}`;
}

function configuration(p: DequantParams): string[] {
  return [`element format: ${formatSummary(p.elem)}`, `scale format: ${formatSummary(p.scale)}`, `result format: ${formatSummary(p.out)}`];
}

function specialNotes(p: DequantParams, nan: boolean, inf: boolean): string[] {
  const q = floatText(p.out, floatQuietNan(p.out)).split(' ')[0];
  return [
    ...(nan ? [`A NaN element or scale${inf ? ', or Inf times a zero scale,' : ''} gives the quiet NaN ${q}.`] : []),
    ...(inf ? ['An Inf element gives Inf of its sign.'] : []),
    'A zero element keeps its sign (-0 gives -0), also with a zero scale.',
  ];
}

/** The lane module: one element times the scale, rounded once. */
export function dequantLane(p: DequantParams, command: string): VerilogModule {
  const name = dequantLaneName(p);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const elem = m.input(DEQUANT_LANE_PORTS.elem, elementBits(p.elem), `element code (${p.elem.name})`);
  const scale = m.input(DEQUANT_LANE_PORTS.scale, scaleBits(p.scale), `scale code (${p.scale.name})`);
  const result = m.output(DEQUANT_LANE_PORTS.result, floatBits(p.out), `element * scale in ${p.out.name.toUpperCase()}`);
  m.section('decode the element and the scale');
  const e = decodeElement(m, 'e', p.elem, elem);
  const s = decodeScale(m, 's', p.scale, scale);
  m.section('exact product element * scale');
  const v = mulRaw(m, 'v', e, s);
  const mag = m.wire('v_mag', v.sig ?? { text: "1'b1", width: 1 }, { comment: 'significand of the exact product' });
  const r = roundToFormat(m, 'q', p.out, {
    nan: v.nan,
    inf: v.inf,
    sign: v.sign,
    mag,
    magMax: v.sigMax,
    exp: v.exp,
    expMax: v.expMax,
    expOffset: v.expOffset,
    zero: 'keep-sign',
  });
  m.section('output');
  m.assign(result, ref(r.result));
  lines.push(
    ...header({
      module: name,
      unit: 'MX dequantizer lane (one element)',
      command,
      configuration: configuration(p),
      computes: [`result = elem * scale, rounded once to ${p.out.name.toUpperCase()}`],
      numerics: [...roundingNotes(p.out, r.needs), ...specialNotes(p, v.nan !== null, v.inf !== null)],
    }),
  );
  return m;
}

export function dequantBlock(p: DequantParams, command: string): { top: VerilogModule; lane: VerilogModule } {
  const lane = dequantLane(p, command);
  const name = dequantModuleName(p);
  const k = p.block;
  const we = elementBits(p.elem);
  const wr = floatBits(p.out);
  const lines: string[] = [];
  const m = new VerilogModule(name, lines);
  const elems = m.input(DEQUANT_PORTS.elems, we * k, `k codes (${p.elem.name}); lane i at bits [${we}i+${we - 1}:${we}i]`);
  const scale = m.input(DEQUANT_PORTS.scale, scaleBits(p.scale), `shared scale code (${p.scale.name})`);
  const result = m.output(DEQUANT_PORTS.result, wr * k, `k ${p.out.name.toUpperCase()} values; lane i at bits [${wr}i+${wr - 1}:${wr}i]`);
  m.section(`k = ${k} lanes, each ${lane.name}`);
  m.lanes('lane', k, 'u_dequant', lane, {
    [DEQUANT_LANE_PORTS.elem]: { perLane: elems },
    [DEQUANT_LANE_PORTS.scale]: { shared: ref(scale) },
    [DEQUANT_LANE_PORTS.result]: { perLane: result },
  });
  lines.push(
    ...header({
      module: name,
      unit: 'MX block dequantizer',
      command,
      configuration: [...configuration(p), `block size k = ${k}`],
      computes: [`result[${wr}i+${wr - 1}:${wr}i] = elems[${we}i+${we - 1}:${we}i] * scale, rounded once to ${p.out.name.toUpperCase()}, for i = 0 .. k-1`],
      numerics: [`Each lane is ${lane.name}; its header states the rounding, subnormal, overflow and special-value rules.`],
      uses: [lane.name],
    }),
  );
  return { top: m, lane };
}

export const dequantFamily: UnitFamily<DequantParams> = {
  name: 'dequant',
  summary: 'k element codes times one scale, rounded to the result format',
  instances(c) {
    const elems = c.elemA === c.elemB ? [c.elemA] : [c.elemA, c.elemB];
    return elems.map((elem) => ({ elem, scale: c.scale, out: c.out, block: c.block }));
  },
  fromParameters: (r) => ({ elem: elementFormat(String(r.elem)), scale: scaleFormat(String(r.scale)), out: floatFormat(String(r.out)), block: checkBlock(Number(r.block)) }),
  generate(p, command): Unit {
    const { top, lane } = dequantBlock(p, command);
    return { family: 'dequant', top, modules: [lane, top], parameters: { elem: p.elem.name, scale: p.scale.name, out: p.out.name, block: p.block } };
  },
  golden(p) {
    const we = BigInt(elementBits(p.elem));
    const wr = BigInt(floatBits(p.out));
    return (v: PortValues) => {
      const s = goldenScale(p.scale, Number(v.scale));
      let r = 0n;
      for (let i = p.block - 1; i >= 0; i--) {
        const c = Number((v.elems >> (we * BigInt(i))) & ((1n << we) - 1n));
        r = (r << wr) | BigInt(dequantElement(p.elem, c, s, p.out) >>> 0);
      }
      return { result: r };
    };
  },
  describeInputs(p, v) {
    const we = BigInt(elementBits(p.elem));
    const codes = Array.from({ length: p.block }, (_, i) => Number((v.elems >> (we * BigInt(i))) & ((1n << we) - 1n)));
    return [`elems = ${elementList(p.elem, codes)} (lane 0 first)`, `scale = ${scaleText(p.scale, Number(v.scale))}`];
  },
  describeOutput(p, _port, value) {
    const wr = BigInt(floatBits(p.out));
    const lanes = Array.from({ length: p.block }, (_, i) => floatText(p.out, Number((value >> (wr * BigInt(i))) & ((1n << wr) - 1n))));
    return lanes.length === 1 ? lanes[0] : `[${lanes.join(', ')}]`;
  },
};

