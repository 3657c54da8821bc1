/**
 * fused: the GPU-compatible fused dot-add, proven on its whole input space in seven obligations
 * that follow the steps of its golden function (src/fused.ts fusedDotAdd):
 *
 *   lane       every lane's product (significand, exponent, sign, flags) on every code pair, and the
 *              wiring of the k lane instances (exhaustive, against fusedProduct)
 *   exponents  with the lanes' outputs cut, E is the largest of C's exponent and the products'
 *              (each the lane exponent plus both scale exponents)
 *   align      with the lanes' outputs and E cut, every term is its significand shifted to E and
 *              truncated toward zero, with its sign (C's decoded from its bits)
 *   sum        with the terms cut, the sign and magnitude of their exact sum
 *   flags      the special results' flags and sign from the lanes' flags, the scales and C
 *   round      with the rounder's inputs cut, the conversion toward zero (SAT against the reference
 *              rounder, itself checked against the golden rounding)
 *   specials   with the rounder's inputs cut, NaN gives 0x7FFFFFFF and Inf the Inf of the sign
 */
import { elementBits } from '../../src/formats/format.js';
import { FP32 } from '../../src/formats/float.js';
import { FUSED_NAN, FUSED_SHAPES } from '../../src/fused.js';
import { FUSED_CUTS, FUSED_LANE_PORTS, FUSED_PORTS, fusedExpLeaves, fusedFamily, fusedLaneName, fusedShape, maxTree } from '../../generator/units/fused.js';
import { NO_ASSUMPTION, miterScripts, type FreeInput, type Miter } from '../harness.js';
import type { ObligationSpec, UnitRef } from '../spec.js';
import { hexLit } from '../verilog.js';
import { PlanError, exhaustiveObligation, obligationId, referenceTree, requirePorts, tiesOf, wireWidth, type ModuleShape, type Planned, type Recipe } from './common.js';
import { checkFusedDecomposition } from '../golden.js';
import { roundSatObligation, specialsObligation, type RoundStage } from './round.js';

const PARTS = ['lane', 'exponents', 'align', 'sum', 'flags', 'round', 'specials'] as const;
type Flag = 'nan' | 'pinf' | 'ninf';

const connect = (ins: readonly FreeInput[]) => ins.map((i) => ({ port: i.name, expr: i.name }));

/** `e` (w bits) zero-extended to `to` bits. */
const zx = (e: string, w: number, to: number): string => (to > w ? `{${to - w}'d0, ${e}}` : e);

export const fusedRecipe: Recipe = {
  parts: () => [...PARTS],
  plan(u: UnitRef, shape: (module: string) => ModuleShape): Planned[] {
    const p = fusedFamily.fromParameters(u.parameters);
    const problem = checkFusedDecomposition(p.kind, p.a, p.b, 2000);
    if (problem !== null) throw new PlanError(`the golden fused dot-add no longer decomposes as the proof assumes: ${problem}`);
    const hs = fusedShape(p);
    const { k, F, scaled, B, EW, pw, up, cKeep, cUp, cw } = hs;
    const ts = shape(u.top);
    const laneName = fusedLaneName(p);
    const ls = shape(laneName);
    const wa = elementBits(p.a);
    const wb = elementBits(p.b);
    const flags = (['nan', 'pinf', 'ninf'] as const).filter((f) => ls.ports.some((x) => x.name === f));
    requirePorts(u.top, ts, [
      { name: FUSED_PORTS.a, dir: 'input', width: wa * k },
      { name: FUSED_PORTS.b, dir: 'input', width: wb * k },
      ...(scaled ? [{ name: FUSED_PORTS.scaleA, dir: 'input' as const, width: 8 }, { name: FUSED_PORTS.scaleB, dir: 'input' as const, width: 8 }] : []),
      { name: FUSED_PORTS.c, dir: 'input', width: 32 },
      { name: FUSED_PORTS.d, dir: 'output', width: 32 },
    ]);
    const inputs: FreeInput[] = [
      { name: FUSED_PORTS.a, width: wa * k },
      { name: FUSED_PORTS.b, width: wb * k },
      ...(scaled ? [{ name: FUSED_PORTS.scaleA, width: 8 }, { name: FUSED_PORTS.scaleB, width: 8 }] : []),
      { name: FUSED_PORTS.c, width: 32 },
    ];
    const w = (n: string): number => wireWidth(u.top, ts, n, 'a cut point of the fused dot-add');
    const prep = (cuts: string[], observes: string[]) => ({ rtlFiles: u.files.map((f) => f.name), top: u.top, cuts, observes, ties: tiesOf(ts, cuts, observes) });
    const sat = (part: string, title: string, statement: string[], m: Omit<Miter, 'id'>, cuts: string[], observes: string[], weight: number): ObligationSpec => {
      const id = obligationId(u, part);
      const s = miterScripts('sat', { ...m, id }, title, prep(cuts, observes), null);
      return { id, unit: u, title, statement, method: 'sat', scriptFile: s.scriptFile, script: s.script, files: s.files, weight };
    };
    const { sigBits, expBits } = hs.lane;
    const laneCuts = [FUSED_CUTS.lane('sig'), FUSED_CUTS.lane('exp'), FUSED_CUTS.lane('sign'), ...flags.map((f) => FUSED_CUTS.lane(f))];
    const sl = (name: string, width: number, i: number): string => (width === 1 ? `${name}[${i}]` : `${name}[${width * i + width - 1}:${width * i}]`);
    // the reference exponents (plus B): product i = lane exponent + both scale codes; C = its field (1 when 0) + B - 127
    const refExps = (): string[] => [
      ...Array.from({ length: k }, (_, i) => `wire [${EW - 1}:0] ref_e${i} = ${zx(sl(FUSED_CUTS.lane('exp'), expBits, i), expBits, EW)}${scaled ? ` + ${zx('scale_a', 8, EW)} + ${zx('scale_b', 8, EW)}` : ''};`),
      `wire [${EW - 1}:0] ref_ec = ${zx("(c[30:23] == 8'd0 ? 8'd1 : c[30:23])", 8, EW)} + ${EW}'d${B - 127};`,
    ];
    const all = (f: (i: string) => string): string => [...Array.from({ length: k }, (_, i) => f(`ref_e${i}`)), f('ref_ec')].join(' && ');

    const out: Planned[] = [];

    // 1. lane: exhaustive on the lane module, with the wiring of its k instances
    requirePorts(laneName, ls, [
      { name: FUSED_LANE_PORTS.a, dir: 'input', width: wa },
      { name: FUSED_LANE_PORTS.b, dir: 'input', width: wb },
      { name: FUSED_LANE_PORTS.sig, dir: 'output', width: sigBits },
      { name: FUSED_LANE_PORTS.exp, dir: 'output', width: expBits },
      { name: FUSED_LANE_PORTS.sign, dir: 'output', width: 1 },
      ...flags.map((f) => ({ name: f, dir: 'output' as const, width: 1 })),
    ]);
    out.push(
      exhaustiveObligation(
        u,
        'lane',
        laneName,
        `every lane: sig, exp, sign${flags.length > 0 ? `, ${flags.join(', ')}` : ''} of (a_i, b_i) as the golden fusedProduct, every code pair`,
        [
          `For every code pair (${p.a.name}, ${p.b.name}): sig = the product of the significands (${hs.lane.fracBits} fractional bits) and exp = e_a + e_b + 252, with a zero's exponent -126, where both codes are finite; sign = the product's sign where it is not zero;`,
          `${flags.length > 0 ? `${flags.join(', ')} as src/fused.ts fusedProduct classifies the product (NaN for a NaN code or Inf x 0, else +-Inf)` : 'no code is NaN or Inf'}.`,
          `Wiring, on ${u.top} as elaborated: exactly ${k} instances of ${laneName}; instance i connects a to a[${wa}i+${wa - 1}:${wa}i], b to b[${wb}i+${wb - 1}:${wb}i] and each output to bit(s) i of ${laneCuts.join(', ')}, and nothing else drives those bits.`,
          `Method: exhaustive, all ${2 ** (wa + wb)} code pairs.`,
        ],
        [],
        [],
        (f) => ({
          type: 'lanes',
          ...f,
          lanes: [
            {
              inputs: [
                { port: FUSED_LANE_PORTS.a, lo: 0, width: wa },
                { port: FUSED_LANE_PORTS.b, lo: 0, width: wb },
              ],
              outputs: [
                { port: FUSED_LANE_PORTS.sig, lo: 0, width: sigBits },
                { port: FUSED_LANE_PORTS.exp, lo: 0, width: expBits },
                { port: FUSED_LANE_PORTS.sign, lo: 0, width: 1 },
                ...flags.map((fl) => ({ port: fl, lo: 0, width: 1 })),
              ],
            },
          ],
          shared: [],
          golden: { kind: 'fused-lane', elemA: p.a.name, elemB: p.b.name, flags },
        }),
        1 + (wa + wb) / 8,
        [],
        [],
        {
          parent: u.top,
          lanes: Array.from({ length: k }, (_, i) => ({
            [FUSED_LANE_PORTS.a]: { port: FUSED_PORTS.a, lo: wa * i, width: wa },
            [FUSED_LANE_PORTS.b]: { port: FUSED_PORTS.b, lo: wb * i, width: wb },
            [FUSED_LANE_PORTS.sig]: { port: FUSED_CUTS.lane('sig'), lo: sigBits * i, width: sigBits },
            [FUSED_LANE_PORTS.exp]: { port: FUSED_CUTS.lane('exp'), lo: expBits * i, width: expBits },
            [FUSED_LANE_PORTS.sign]: { port: FUSED_CUTS.lane('sign'), lo: i, width: 1 },
            ...Object.fromEntries(flags.map((fl: Flag) => [fl, { port: FUSED_CUTS.lane(fl), lo: i, width: 1 }])),
          })),
        },
      ),
    );

    // 2. exponents: the leaves are the terms' exponents, every node of the tree the larger of its two,
    // e_max the root: so e_max is the largest exponent (max is associative and commutative)
    const leaves = fusedExpLeaves(k);
    const mt = maxTree(leaves);
    const nodeNames = [...leaves, ...mt.nodes.map((n) => n.name)];
    const obs = (n: string): string => `dut_${n}`;
    const refOf = (leaf: number): string => (leaf === 0 ? 'ref_ec' : `ref_e${leaf - 1}`);
    out.push(
      sat(
        'exponents',
        `with the lanes' outputs cut: ${FUSED_CUTS.emax} = the largest of C's exponent and the ${k} products' exponents (plus ${B})`,
        [
          `${laneCuts.join(', ')} are cut. Product i's exponent is lane i's exp${scaled ? ' plus both scale codes (each e_scale + 127)' : ''}, C's is its exponent field (1 when the field is 0: subnormal or zero, -126) - 127; all plus ${B}.`,
          `For every value of the cuts and inputs: each leaf of the tree (${leaves[0]}, ${leaves[1]} .. ${leaves[k]}) is that exponent, each of its ${mt.nodes.length} nodes (emax_l*) is the larger of its two`,
          `children, and ${FUSED_CUTS.emax} is the root; so ${FUSED_CUTS.emax} is the largest of the ${k + 1} exponents (max is associative and commutative).`,
        ],
        {
          about: ['property: the leaves are the exponents, each node the maximum of its children, e_max the root'],
          inputs: [...inputs, ...laneCuts.map((c) => ({ name: c, width: w(c) }))],
          dutWires: [...nodeNames, FUSED_CUTS.emax].map((n) => ({ name: obs(n), width: EW })),
          dutConnections: [...connect(inputs), ...laneCuts.map((c) => ({ port: c, expr: c })), ...[...nodeNames, FUSED_CUTS.emax].map((n) => ({ port: n, expr: obs(n) })), { port: FUSED_PORTS.d, expr: '' }],
          gold: [...refExps(), "assign gold_y = 1'b1;"],
          gate: [
            ...leaves.map((l, i) => `${obs(l)} == ${refOf(i)}`),
            ...mt.nodes.map((n) => `${obs(n.name)} == (${obs(n.left)} > ${obs(n.right)} ? ${obs(n.left)} : ${obs(n.right)})`),
            `${obs(FUSED_CUTS.emax)} == ${obs(mt.root)}`,
          ].join(' && '),
          ok: NO_ASSUMPTION,
          width: 1,
        },
        laneCuts,
        [...nodeNames, FUSED_CUTS.emax],
        2,
      ),
    );

    // 3. align: every term, with the lanes' outputs and E cut
    const termNames = [...Array.from({ length: k }, (_, i) => FUSED_CUTS.term(i)), FUSED_CUTS.termC];
    const alignCuts = [...laneCuts, FUSED_CUTS.emax];
    const tw = pw + 1;
    const ctw = cw + 1;
    const alignGold = [
      ...refExps(),
      ...Array.from({ length: k }, (_, i) => {
        const sig = sl(FUSED_CUTS.lane('sig'), sigBits, i);
        const mag = `ref_m${i}`;
        return [
          `wire [${pw - 1}:0] ${mag} = {${pw - sigBits - up > 0 ? `${pw - sigBits - up}'d0, ` : ''}${sig}${up > 0 ? `, ${up}'d0` : ''}} >> (${FUSED_CUTS.emax} - ref_e${i});`,
          `wire [${tw - 1}:0] ref_t${i} = ${sl(FUSED_CUTS.lane('sign'), 1, i)} ? ${tw}'d0 - {1'b0, ${mag}} : {1'b0, ${mag}};`,
        ].join('\n  ');
      }),
      `wire [${cKeep}:0] ref_csig = (c[30:23] == 8'hff) ? ${cKeep + 1}'d0 : {c[30:23] != 8'd0, c[22:${23 - cKeep}]};`,
      `wire [${cw - 1}:0] ref_mc = {ref_csig${cUp > 0 ? `, ${cUp}'d0` : ''}} >> (${FUSED_CUTS.emax} - ref_ec);`,
      `wire [${ctw - 1}:0] ref_tc = c[31] ? ${ctw}'d0 - {1'b0, ref_mc} : {1'b0, ref_mc};`,
      `assign gold_y = {${[...Array.from({ length: k }, (_, i) => `ref_t${i}`), 'ref_tc'].join(', ')}};`,
    ];
    out.push(
      sat(
        'align',
        `with the lanes' outputs and E cut: each term is its significand shifted to E, truncated toward zero to ${F} fractional bits, signed`,
        [
          `${alignCuts.join(', ')} are cut. Assumption: ${FUSED_CUTS.emax} is at least every term's exponent (the exponents obligation).`,
          `For every value of the cuts and inputs: term_i = (-1)^sign_i * floor(sig_i * 2^(${F} - ${hs.lane.fracBits}) / 2^(E - e_i)) for i = 0 .. ${k - 1}, and term_c = (-1)^s_c * floor(sig_c * 2^(${F} - 23) / 2^(E - e_c)),`,
          `with sig_c C's significand (hidden bit, 23 fraction bits; 0 for Inf / NaN, whose result the specials decide)${cKeep < 23 ? `, its ${23 - cKeep} low bits dropped first (the same floor)` : ''}.`,
        ],
        {
          about: ["gold: the terms written from their definition; gate: the unit's terms with the lanes' outputs and E cut"],
          inputs: [...inputs, ...alignCuts.map((c) => ({ name: c, width: w(c) }))],
          dutWires: termNames.map((t, i) => ({ name: `dut_${t}`, width: i < k ? tw : ctw })),
          dutConnections: [...connect(inputs), ...alignCuts.map((c) => ({ port: c, expr: c })), ...termNames.map((t) => ({ port: t, expr: `dut_${t}` })), { port: FUSED_PORTS.d, expr: '' }],
          gold: alignGold,
          gate: `{${termNames.map((t) => `dut_${t}`).join(', ')}}`,
          ok: all((e) => `${FUSED_CUTS.emax} >= ${e}`),
          width: k * tw + ctw,
        },
        alignCuts,
        termNames,
        3,
      ),
    );

    // 4. sum: sign and magnitude of the exact sum of the cut terms
    const fullW = Math.max(tw, ctw) + Math.ceil(Math.log2(k + 1)) + 1;
    const inRange = (n: string, width: number, max: bigint): string => `($signed(${n}) >= $signed(${hexLit(width, -max)}) && $signed(${n}) <= $signed(${hexLit(width, max)}))`;
    const wm = w(FUSED_CUTS.sumMag);
    out.push(
      sat(
        'sum',
        `with the terms cut: ${FUSED_CUTS.sumNeg} and ${FUSED_CUTS.sumMag} are the sign and magnitude of term_0 + ... + term_${k - 1} + term_c, exactly`,
        [
          `term_0 .. term_${k - 1} and term_c are cut. Assumption: |term_i| <= ${hs.tmax}, |term_c| <= ${hs.cmax} (what align produces).`,
          `For every such value: ${FUSED_CUTS.sumNeg} = (the sum < 0) and ${FUSED_CUTS.sumMag} = |the sum| (${wm} bits), the sum computed by a balanced tree at ${fullW} bits (no partial sum can overflow).`,
        ],
        {
          about: ['gold: the sum of the cut terms by a full-width tree; gate: the sign and magnitude of the unit\'s sum'],
          inputs: [...inputs, ...termNames.map((c, i) => ({ name: c, width: i < k ? tw : ctw }))],
          dutWires: [
            { name: 'dut_neg', width: 1 },
            { name: 'dut_mag', width: wm },
          ],
          dutConnections: [...connect(inputs), ...termNames.map((c) => ({ port: c, expr: c })), { port: FUSED_CUTS.sumNeg, expr: 'dut_neg' }, { port: FUSED_CUTS.sumMag, expr: 'dut_mag' }, { port: FUSED_PORTS.d, expr: '' }],
          gold: [
            `wire [${fullW - 1}:0] ref_s;`,
            ...referenceTree(termNames.map((name, i) => ({ name, width: i < k ? tw : ctw })), fullW, 'ref_s'),
            `wire [${fullW - 1}:0] ref_abs = ref_s[${fullW - 1}] ? ${fullW}'d0 - ref_s : ref_s;`,
            `assign gold_y = {ref_s[${fullW - 1}], ref_abs[${wm - 1}:0]};`,
          ],
          gate: '{dut_neg, dut_mag}',
          ok: termNames.map((n, i) => inRange(n, i < k ? tw : ctw, i < k ? hs.tmax : hs.cmax)).join(' && '),
          width: 1 + wm,
        },
        termNames,
        [FUSED_CUTS.sumNeg, FUSED_CUTS.sumMag],
        3,
      ),
    );

    // 5. flags: the special results' flags and sign
    const flagCuts = [...flags.map((f) => FUSED_CUTS.lane(f)), FUSED_CUTS.sumNeg];
    const red = (f: Flag): string => (flags.includes(f) ? `(|${FUSED_CUTS.lane(f)})` : "1'b0");
    out.push(
      sat(
        'flags',
        'with the lanes\' flags and the sum\'s sign cut: the result is NaN, Inf, or finite with its sign, as the golden rules say',
        [
          `${flagCuts.join(', ')} are cut. NaN = C is NaN${scaled ? ', or a scale code is 0xFF' : ''}, or a lane is NaN, or +Inf (a lane's, or C's) meets -Inf; Inf = otherwise an Inf lane or C;`,
          `the sign is that Inf's (negative when any Inf is negative) or, for a finite result, ${FUSED_CUTS.sumNeg}. For every value of the cuts and inputs, ${FUSED_CUTS.res('nan')}, ${FUSED_CUTS.res('inf')} and (when not NaN) ${FUSED_CUTS.res('sign')} are these.`,
        ],
        {
          about: ['gold: the special rules of src/fused.ts written out; gate: the flags the rounder receives'],
          inputs: [...inputs, ...flagCuts.map((c) => ({ name: c, width: w(c) }))],
          dutWires: [
            { name: 'dut_nan', width: 1 },
            { name: 'dut_inf', width: 1 },
            { name: 'dut_sign', width: 1 },
          ],
          dutConnections: [...connect(inputs), ...flagCuts.map((c) => ({ port: c, expr: c })), { port: FUSED_CUTS.res('nan'), expr: 'dut_nan' }, { port: FUSED_CUTS.res('inf'), expr: 'dut_inf' }, { port: FUSED_CUTS.res('sign'), expr: 'dut_sign' }, { port: FUSED_PORTS.d, expr: '' }],
          gold: [
            "wire ref_cnan = c[30:23] == 8'hff && c[22:0] != 23'd0;",
            "wire ref_cpinf = c == 32'h7f800000;",
            "wire ref_cninf = c == 32'hff800000;",
            `wire ref_p = ${red('pinf')} | ref_cpinf;`,
            `wire ref_n = ${red('ninf')} | ref_cninf;`,
            `wire ref_nan = ref_cnan${scaled ? " | scale_a == 8'hff | scale_b == 8'hff" : ''} | ${red('nan')} | (ref_p & ref_n);`,
            'wire ref_inf = (ref_p | ref_n) & ~ref_nan;',
            `assign gold_y = {ref_nan, ref_inf, ref_nan ? 1'b0 : ref_inf ? ref_n : ${FUSED_CUTS.sumNeg}};`,
          ],
          gate: "{dut_nan, dut_inf, dut_nan ? 1'b0 : dut_sign}",
          ok: NO_ASSUMPTION,
          width: 3,
        },
        flagCuts,
        [FUSED_CUTS.res('nan'), FUSED_CUTS.res('inf'), FUSED_CUTS.res('sign')],
        1,
      ),
    );

    // 6, 7. the rounder toward zero and the special results
    const st: RoundStage = {
      sign: FUSED_CUTS.res('sign'),
      mag: FUSED_CUTS.sumMag,
      exp: FUSED_CUTS.emax,
      nan: FUSED_CUTS.res('nan'),
      inf: FUSED_CUTS.res('inf'),
      result: FUSED_PORTS.d,
      out: FP32,
      magMax: hs.magMax,
      expMax: Math.max(hs.termExpMax, hs.cExpMax),
      expOffset: -B - F,
      zero: 'positive',
      inputs,
      mode: 'toward-zero',
      keepFraction: FUSED_SHAPES[p.kind].outFracBits,
      nanCode: FUSED_NAN,
    };
    out.push(roundSatObligation(u, ts, st, `with the rounder's inputs cut: d = (-1)^sign * |sum| * 2^(E - ${B} - ${F}) converted to FP32 toward zero${FUSED_SHAPES[p.kind].outFracBits < 23 ? ` keeping ${FUSED_SHAPES[p.kind].outFracBits} fraction bits` : ''}, +0 when it truncates to zero`));
    out.push(specialsObligation(u, ts, st));
    return out;
  },
  coverage: (u) => [
    `The steps of src/fused.ts fusedDotAdd, one obligation each: the products of every code pair and the wiring of the lanes (lane),`,
    `the largest exponent (exponents), each term aligned and truncated (align), their exact sum (sum), the conversion of the sum toward zero`,
    `(round), and the special results (flags, specials). Each obligation cuts the wires the one before it proves, so together they give`,
    `${u.top}'s d for every input: the golden d, whose steps are these (every term, exponent and flag of the golden function is the one`,
    'the obligations state, and the rounding is src/round-float.ts toward zero, as fusedDotAdd calls it). That the golden',
    'fusedDotAdd is this composition is checked before the proofs on 2,000 instructions with zeros, specials and extreme scales',
    '(formal/golden.ts checkFusedDecomposition); the run stops with an error if it is not.',
  ],
};

