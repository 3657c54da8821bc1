/**
 * Pipelined = combinational: the PE with one register stage (S = 1) against the PE the generator
 * writes for S = 0, as netlists, by k-induction (Yosys `sat -tempinduct`), with the latency
 * accounted for: the S = 0 PE is fed every beat one cycle late.
 *
 * Both PEs build the block's value (the dot product, or the exact scaled sum) from a, b and the
 * scales with the same generated logic, which the dot obligations prove against the golden model.
 * That value is cut in both: the miter gives the S = 1 PE a free value each cycle and the S = 0 PE
 * the same value one cycle later, which is what its own value logic computes from the beat one
 * cycle late. Everything after the value (stage registers, accumulator, flags, result register,
 * control) is compared as generated. The property proven for every cycle after a reset: the two
 * results are equal, and so are the two states (the invariant the induction needs).
 */
import { PE_PORTS, macModules, peModuleName, peStageMap, type MacParams } from '../../generator/units/mac.js';
import { floatBits } from '../../src/formats/float.js';
import { elementBits, scaleBits } from '../../src/formats/format.js';
import type { ObligationSpec, UnitRef, WorkFile } from '../spec.js';
import { PlanError, obligationId, wireWidth, type ModuleShape } from './common.js';

const MITER = 'retime';

export function retimeObligation(u: UnitRef, p: MacParams, shape: (m: string) => ModuleShape): ObligationSpec {
  if (p.stages !== 1) throw new PlanError(`${u.top}: the pipelined = combinational proof covers one register stage, not ${p.stages}`);
  const pe1 = peModuleName(p);
  const ps = shape(pe1);
  const p0 = { ...p, stages: 0 };
  const pe0 = peModuleName(p0);
  // the combinational PE as the generator writes it (its submodules are the folder's own files)
  const text0 = macModules(p0, '').modules.find((m) => m.name === pe0)?.render();
  if (text0 === undefined) throw new PlanError(`the generator wrote no ${pe0}`);
  const map = peStageMap(p);
  const has = (w: string): boolean => ps.wires[w] !== undefined;
  const w = (n: string): number => wireWidth(pe1, ps, n, 'a register or cut of the pipelined PE');
  const value = map.value.filter((v) => has(v.wire));
  const state = map.state.filter((s) => has(s));
  for (const v of value) if (!has(v.reg)) throw new PlanError(`${pe1} has no stage register '${v.reg}'`);
  for (const c of map.control) if (!has(c.reg)) throw new PlanError(`${pe1} has no stage register '${c.reg}'`);
  const k = p.block;
  const ins = [
    { name: PE_PORTS.clk, width: 1 },
    { name: PE_PORTS.reset, width: 1 },
    ...map.control.map((c) => ({ name: c.port, width: 1 })),
    { name: PE_PORTS.a, width: elementBits(p.a) * k },
    { name: PE_PORTS.b, width: elementBits(p.b) * k },
    { name: PE_PORTS.scaleA, width: scaleBits(p.scale) },
    { name: PE_PORTS.scaleB, width: scaleBits(p.scale) },
    ...value.map((v) => ({ name: `v_${v.wire}`, width: w(v.wire) })),
  ];
  const vec = (n: number): string => (n > 1 ? `[${n - 1}:0] ` : '');
  const probes = [
    ...state.map((s) => ({ g: `g_${s}`, s: `s_${s}`, width: w(s), gold: `g.${s}`, gate: `s.${s}` })),
    ...map.control.map((c) => ({ g: null, s: `s_${c.reg}`, width: 1, gold: null, gate: `s.${c.reg}` })),
    ...value.map((v) => ({ g: null, s: `s_${v.reg}`, width: w(v.reg), gold: null, gate: `s.${v.reg}` })),
  ];
  const conn = (delayed: boolean): string =>
    [
      `.${PE_PORTS.clk}(${PE_PORTS.clk})`,
      `.${PE_PORTS.reset}(${PE_PORTS.reset})`,
      ...map.control.map((c) => `.${c.port}(${c.port}${delayed ? '_d' : ''})`),
      ...[PE_PORTS.a, PE_PORTS.b, PE_PORTS.scaleA, PE_PORTS.scaleB].map((x) => `.${x}(${x})`),
      ...value.map((v) => `.${v.wire}(v_${v.wire}${delayed ? '_d' : ''})`),
      `.${PE_PORTS.result}(${delayed ? 'r0' : 'r1'})`,
    ].join(', ');
  const miter = [
    `// mxrtl formal: ${obligationId(u, 'retime')}: ${pe1} (one register stage) against ${pe0} fed each beat one cycle late.`,
    '// The block value wires are cut in both PEs: the S = 1 PE gets v_* as this beat\'s value, the S = 0 PE the same value',
    '// one cycle later (what its own value logic computes from the beat one cycle late).',
    `module ${MITER} (`,
    ins.map((i) => `  input wire ${vec(i.width)}${i.name},`).join('\n'),
    '  output wire ok',
    ');',
    '  // the beat one cycle late (a reset clears its control, as it clears the stage)',
    ...map.control.map((c) => `  reg ${c.port}_d;`),
    ...value.map((v) => `  reg ${vec(w(v.wire))}v_${v.wire}_d;`),
    '  always @(posedge clk) begin',
    ...map.control.map((c) => `    ${c.port}_d <= ${PE_PORTS.reset} ? 1'b0 : ${c.port};`),
    ...value.map((v) => `    v_${v.wire}_d <= v_${v.wire};`),
    '  end',
    `  wire [${floatBits(p.out) - 1}:0] r0, r1;`,
    `  ${pe0} g (${conn(true)});`,
    `  ${pe1} s (${conn(false)});`,
    '  // the two PEs\' registers, connected after flattening',
    ...probes.flatMap((q) => [...(q.g ? [`  wire ${vec(q.width)}${q.g};`] : []), `  wire ${vec(q.width)}${q.s};`]),
    '  // the results agree; so do the states: accumulators, flags, result registers; the stage holds the beat one cycle late',
    '  // (its value only where that beat was one: a stage register of an idle beat is never read)',
    `  assign ok = r0 == r1 && ${[
      ...state.map((s) => `g_${s} == s_${s}`),
      ...map.control.map((c) => `${c.port}_d == s_${c.reg}`),
      `(!s_${map.control[0].reg} || (${value.map((v) => `v_${v.wire}_d == s_${v.reg}`).join(' && ')}))`,
    ].join(' && ')};`,
    'endmodule',
    '',
  ].join('\n');
  const maxSteps = 4;
  const connects = probes.flatMap((q) => [...(q.g && q.gold ? [`connect -set ${q.g} \\${q.gold}`] : []), `connect -set ${q.s} \\${q.gate}`]);
  const miterFile = `${u.top}.retime.v`;
  const pe0File: WorkFile = { name: `${pe0}.v`, text: text0 };
  const script = [
    `# mxrtl formal: ${obligationId(u, 'retime')}`,
    `# ${pe1} = ${pe0} one cycle later, by k-induction from a reset`,
    ...u.files.map((f) => `read_verilog ${f.name}`),
    `read_verilog ${pe0File.name}`,
    '# the block value wires become free inputs of both PEs (before proc, so that the registers read the cut wire)',
    ...[pe0, pe1].map((m) => `select -assert-count ${value.length} ${value.map((v) => `${m}/w:${v.wire}`).join(' ')}`),
    ...[pe0, pe1].map((m) => `expose -input ${value.map((v) => `${m}/w:${v.wire}`).join(' ')}`),
    `read_verilog ${miterFile}`,
    `hierarchy -check -top ${MITER}`,
    'proc',
    'flatten',
    '# the probes: each PE register under its name',
    ...connects,
    'opt_clean',
    '# no net undriven or driven twice',
    'check -assert',
    `# k-induction: ok in every cycle after a reset in the first (the first cycle is not checked), up to ${maxSteps} cycles of induction`,
    `sat -tempinduct -prove ok 1 -set-at 1 ${PE_PORTS.reset} 1 -seq 2 -maxsteps ${maxSteps} -show-inputs`,
    '',
  ].join('\n');
  const title = `${pe1} equals ${pe0} one cycle later, for every input sequence after a reset (k-induction on the two netlists)`;
  return {
    id: obligationId(u, 'retime'),
    unit: u,
    title,
    statement: [
      `Miter: ${pe1} (S = 1) on the inputs, and ${pe0} (S = 0, as the generator writes it) on the inputs one cycle late, both clocked by clk and reset together.`,
      `The block value wires (${value.map((v) => v.wire).join(', ')}) are cut in both: the S = 1 PE gets a free value each cycle, the S = 0 PE that value one cycle later.`,
      'Both build that value from a, b and the scales with the same generated logic (proven against the golden model by the dot obligations), so that is what',
      'the S = 0 PE computes itself from the beat one cycle late; everything after the value is compared as generated.',
      `Property, every cycle after a reset: result(S = 1) = result(S = 0); and the states agree (${state.join(', ')} equal; ${map.control.map((c) => c.reg).join(', ')} hold the control one cycle late,`,
      `${value.map((v) => v.reg).join(', ')} its value when it was a beat). Method: Yosys sat -tempinduct (base case from the reset, then induction), at most ${maxSteps} steps.`,
      `With latency ${1 + p.stages} (S = 1) against 1 (S = 0) at the PE's output register, and out_valid's extra register proven by the array obligation, the pipelined array equals the combinational one ${p.stages} cycle later.`,
    ],
    method: 'induction',
    scriptFile: `${u.top}.retime.ys`,
    script,
    files: [pe0File, { name: miterFile, text: miter }],
    weight: 1,
  };
}
