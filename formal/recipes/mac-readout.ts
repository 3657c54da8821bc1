/**
 * The read-out of an FP32 accumulator in another result format (mac_array --accum fp32
 * --out-format bf16): the completed FP32 sum decoded and rounded by the shared rounder.
 *
 * - readout: with acc_next (the accumulator's next value, which the pe step shows) cut, the
 *   rounder's inputs ro_* are the FP32 value's sign, significand (hidden bit included), exponent
 *   and NaN / Inf flags, as the IEEE 754 binary32 definition gives them (src/fp32.ts fp32ToRaw);
 * - round, specials: the shared rounder's obligations (formal/recipes/round.ts) on those inputs,
 *   with zeros keeping their sign (src/round-float.ts roundRawToFloat).
 */
import { FP32, floatBits } from '../../src/formats/float.js';
import { elementBits, scaleBits } from '../../src/formats/format.js';
import { PE_FP32_READOUT, PE_PORTS, peModuleName, type MacParams } from '../../generator/units/mac.js';
import { NO_ASSUMPTION, miterScripts, type FreeInput, type Miter } from '../harness.js';
import type { ObligationSpec, UnitRef } from '../spec.js';
import { roundSatObligation, specialsObligation, type RoundStage } from './round.js';
import { PlanError, obligationId, planPart, portsOf, tiesOf, wireWidth, type ModuleShape, type Planned } from './common.js';

export const FP32_READOUT_PARTS = ['readout', 'round', 'specials'];

const NEXT = 'acc_next';

export function fp32Readout(u: UnitRef, p: MacParams, shape: (m: string) => ModuleShape): Planned[] {
  const pe = peModuleName(p);
  const ps = shape(pe);
  const R = PE_FP32_READOUT;
  const W = floatBits(FP32);
  const k = p.block;
  const inputs: FreeInput[] = [
    ...(['clk', 'reset', 'en', 'first', 'last'] as const).map((n) => ({ name: PE_PORTS[n], width: 1 })),
    { name: PE_PORTS.a, width: elementBits(p.a) * k },
    { name: PE_PORTS.b, width: elementBits(p.b) * k },
    { name: PE_PORTS.scaleA, width: scaleBits(p.scale) },
    { name: PE_PORTS.scaleB, width: scaleBits(p.scale) },
  ];
  const out: Planned[] = [];
  const part = (name: string, make: () => Planned): void => planPart(out, u, name, make);
  const fields = ['sign', 'mag', 'exp', 'nan', 'inf'] as const;
  const w = (n: string): number => wireWidth(pe, ps, n, "a cut point of the PE's read-out");

  part('readout', () => {
    if (w(NEXT) !== W) throw new PlanError(`${pe}: ${NEXT} is ${w(NEXT)} bits, not ${W}`);
    if (w(R.value('mag')) !== FP32.mbits + 1 || w(R.value('exp')) !== FP32.ebits) throw new PlanError(`${pe}: ${R.value('mag')} / ${R.value('exp')} are not ${FP32.mbits + 1} / ${FP32.ebits} bits`);
    const id = obligationId(u, 'readout');
    const M = FP32.mbits;
    const E = FP32.ebits;
    const gold = [
      `wire [${E - 1}:0] ref_e = ${NEXT}[${W - 2}:${M}];`,
      `wire [${M - 1}:0] ref_f = ${NEXT}[${M - 1}:0];`,
      `wire ref_top = ref_e == ${E}'h${((1 << E) - 1).toString(16)};`,
      `wire ref_nan = ref_top & (ref_f != ${M}'d0);`,
      `wire ref_inf = ref_top & (ref_f == ${M}'d0);`,
      '// normal: 1.f * 2^(e - bias) = {1, f} * 2^((e - 1) + 1 - bias - M); subnormal: 0.f * 2^(1 - bias) = {0, f} * 2^(0 + 1 - bias - M)',
      `wire [${M}:0] ref_mag = ref_e == ${E}'d0 ? {1'b0, ref_f} : {1'b1, ref_f};`,
      `wire [${E - 1}:0] ref_exp = ref_e == ${E}'d0 ? ${E}'d0 : ref_e - ${E}'d1;`,
      `assign gold_y = {ref_nan, ref_inf, ${NEXT}[${W - 1}], (ref_nan | ref_inf) ? ${M + 1 + E}'d0 : {ref_mag, ref_exp}};`,
    ];
    const m: Miter = {
      id,
      about: [`gold: the IEEE 754 binary32 decode of ${NEXT} (sign, significand with the hidden bit, exponent, NaN, Inf); gate: ${fields.map((f) => R.value(f)).join(', ')} with ${NEXT} cut. No assumption.`],
      inputs: [...inputs, { name: NEXT, width: W }],
      dutWires: fields.map((f) => ({ name: `dut_${f}`, width: w(R.value(f)) })),
      dutConnections: [...inputs.map((i) => ({ port: i.name, expr: i.name })), { port: NEXT, expr: NEXT }, { port: PE_PORTS.result, expr: '' }, ...fields.map((f) => ({ port: R.value(f), expr: `dut_${f}` }))],
      gold,
      gate: `{dut_nan, dut_inf, dut_sign, (dut_nan | dut_inf) ? ${M + 1 + E}'d0 : {dut_mag, dut_exp}}`,
      ok: NO_ASSUMPTION,
      width: 3 + M + 1 + E,
    };
    const observes = fields.map((f) => R.value(f));
    const title = `with ${NEXT} cut: the read-out rounder gets the FP32 decode of the completed sum`;
    const s = miterScripts('sat', m, title, { rtlFiles: u.files.map((f) => f.name), top: pe, cuts: [NEXT], observes, ties: tiesOf(ps, [NEXT], observes) }, null);
    return {
      id,
      unit: u,
      title,
      statement: [
        `${NEXT} is cut (a free input). For every value x of it: ${R.value('nan')} / ${R.value('inf')} = x is NaN / Inf; otherwise ${R.value('sign')} = x's sign, and`,
        `x = ${R.value('mag')} * 2^(${R.value('exp')} - 149): the significand with its hidden bit (none for subnormals) and the biased exponent less one (0 for subnormals), as binary32 defines x.`,
      ],
      method: 'sat',
      scriptFile: s.scriptFile,
      script: s.script,
      files: s.files,
      weight: 1,
    };
  });

  const peUnit: UnitRef = { ...u, top: pe, ports: portsOf(ps) };
  const underArray = (o: ObligationSpec, name: string): ObligationSpec => ({ ...o, id: obligationId(u, name), part: name });
  const stage: RoundStage = {
    sign: R.value('sign'),
    mag: R.value('mag'),
    exp: R.value('exp'),
    nan: R.value('nan'),
    inf: R.value('inf'),
    result: R.rounded,
    resultWire: true,
    out: p.out,
    magMax: (1n << BigInt(FP32.mbits + 1)) - 1n,
    expMax: (1 << FP32.ebits) - 2,
    expOffset: 1 - FP32.bias - FP32.mbits,
    zero: 'keep-sign',
    inputs,
    otherOutputs: [PE_PORTS.result],
  };
  part('round', () => underArray(roundSatObligation(peUnit, ps, stage, `in ${pe}, with the read-out rounder's inputs cut: ${R.rounded} = the golden rounding to ${p.out.name.toUpperCase()} of every finite FP32 value`), 'round'));
  part('specials', () => underArray(specialsObligation(peUnit, ps, stage), 'specials'));
  return out;
}
