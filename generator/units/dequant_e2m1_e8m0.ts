/**
 * MXFP4 dequantizer: k E2M1 codes and one E8M0 scale in, k FP32 words out.
 * Golden function: src/dequant.ts dequantE2M1E8M0, lane by lane.
 */
import { E2M1 } from '../../src/formats/e2m1.js';
import { decodeMinifloat } from '../raw/decode_minifloat.js';
import { roundFp32 } from '../raw/round_fp32.js';
import { VerilogModule } from '../verilog/module.js';
import { binop, cmp, concat, lit, litTwos, ref, signedBits, slice, zext, type Expr } from '../verilog/signal.js';
import { configTag, type GenConfig } from './config.js';
import { header } from './header.js';
import type { Unit } from './unit.js';

export function dequantModuleName(c: GenConfig): string {
  return `mx_dequant_${configTag(c)}`;
}

export function genDequantE2M1E8M0(c: GenConfig, command: string): Unit {
  const k = c.block;
  const name = dequantModuleName(c);
  const m = new VerilogModule(
    name,
    header({
      module: name,
      unit: 'MX block dequantizer',
      command,
      configuration: ['element format: FP4 E2M1', 'scale format: E8M0 (2^(scale-127); 8\'hFF is NaN)', `block size k = ${k}`],
      computes: ['result[32i+31:32i] = elems[4i+3:4i] * 2^(scale-127) as IEEE FP32, for i = 0 .. k-1'],
      numerics: [
        'Exact except at the top: element magnitude >= 2 with scale 8\'hFE is >= 2^128 and gives +-Inf.',
        'Results below 2^-126 are FP32 subnormals (exact; none is lost).',
        'A zero element keeps its sign (-0 gives 32\'h80000000).',
        'scale = 8\'hFF (NaN) gives the quiet NaN 32\'h7FC00000 in every lane.',
      ],
    }),
  );
  const elems = m.input('elems', 4 * k, 'k E2M1 codes; lane i at bits [4i+3:4i]');
  const scale = m.input('scale', 8, 'E8M0 shared scale');
  const result = m.output('result', 32 * k, 'k FP32 words; lane i at bits [32i+31:32i]');
  m.section('shared scale');
  const scaleNan = m.wire('scale_nan', cmp(ref(scale), '==', lit(8, 255)));
  const lanes: Expr[] = [];
  // lane value = sig * 2^(exp + expOffset + scale - 127)
  for (let i = 0; i < k; i++) {
    m.section(`lane ${i}`);
    const code = m.wire(`e${i}`, slice(elems, 4 * i + 3, 4 * i));
    const r = decodeMinifloat(m, `e${i}`, E2M1, code);
    const lo = r.expOffset - 127;
    const hi = r.expMax + r.expOffset + 254 - 127;
    const ew = signedBits(lo, hi);
    const exp = m.wire(`e${i}_scaled_exp`, binop(binop(zext(ref(r.exp), ew), '+', zext(ref(scale), ew)), '+', litTwos(ew, r.expOffset - 127)), {
      comment: `lane ${i}: exponent of the significand's unit, scale applied`,
    });
    lanes.unshift(ref(roundFp32(m, `q${i}`, { nan: ref(scaleNan), sign: r.sign, mag: r.sig, exp, expLo: lo, expHi: hi })));
  }
  m.section('outputs');
  m.assign(result, concat(...lanes));
  return { kind: 'dequant_e2m1_e8m0', module: m, parameters: { elem: 'e2m1', scale: 'e8m0', block: k } };
}
