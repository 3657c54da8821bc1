/**
 * quant: the MX quantizer (power-of-two recipes, E8M0 scales), proven on its whole input space in
 * three obligations that follow the golden quantizer (src/quantize.ts quantizeBlockReference):
 *
 *   amax   the block maximum: every leaf of the tree is |x_i| (the 31 magnitude bits), every node
 *          the larger of its two children, amax the root
 *   scale  with amax and the lanes' codes cut: the scale code of amax as the recipe defines it
 *          (floor(log2 amax) - emax_elem, ceil's step up, the clamp, NaN / zero blocks), the scale
 *          code the lanes get, and the codes passed on (zero for a NaN / Inf block)
 *   lane   every lane: the element code of x / 2^(sc - 127) for every finite x and sc <= 254,
 *          against a reference that counts the midpoints between element values below |x| (the
 *          definition of rounding to nearest, with the tie rule and saturation), and the lanes'
 *          wiring in the top
 *
 * The references are written from those definitions, with the element values and their midpoints
 * taken from the golden element table; formal/golden.ts checkQuantDecomposition checks before the
 * proofs that the golden quantizer is this composition.
 */
import { elementBits, elementEmax, elementMax, elementMaxCode, isIntFormat } from '../../src/formats/format.js';
import { QLANE_PORTS, QUANT_CUTS, QUANT_PORTS, qlaneName, quantFamily } from '../../generator/units/quant.js';
import { maxTree } from '../../generator/raw/max_tree.js';
import { NO_ASSUMPTION, miterScripts, type FreeInput, type Miter } from '../harness.js';
import type { ObligationSpec, UnitRef } from '../spec.js';
import { checkQuantDecomposition, quantMidpoints } from '../golden.js';
import { PlanError, obligationId, planPart, requirePorts, tiesOf, wireWidth, type ModuleShape, type Planned, type Recipe } from './common.js';

const PARTS = ['amax', 'scale', 'lane'] as const;

const T22 = 22;

export const quantRecipe: Recipe = {
  parts: () => [...PARTS],
  plan(u: UnitRef, shape: (module: string) => ModuleShape): Planned[] {
    const p = quantFamily.fromParameters(u.parameters);
    const f = p.elem;
    const k = p.block;
    const away = p.round === 'away';
    const problem = checkQuantDecomposition(f, p.recipe, away, Math.min(k, 16), 4000);
    if (problem !== null) throw new PlanError(`the golden quantizer no longer decomposes as the proof assumes: ${problem}`);
    const wq = elementBits(f);
    const ts = shape(u.top);
    const lane = qlaneName(p);
    const ls = shape(lane);
    const bf = p.in === 'bf16';
    const wi = bf ? 16 : 32;
    // value i as FP32 bits: the input itself, or (BF16) the wire xf, its top half the BF16 value
    const xf = bf ? QUANT_CUTS.xf : QUANT_PORTS.x;
    const expand = Array.from({ length: k }, (_, j) => `x[${16 * (k - 1 - j) + 15}:${16 * (k - 1 - j)}], 16'h0`).join(', ');
    requirePorts(u.top, ts, [
      { name: QUANT_PORTS.x, dir: 'input', width: wi * k },
      { name: QUANT_PORTS.scale, dir: 'output', width: 8 },
      { name: QUANT_PORTS.q, dir: 'output', width: wq * k },
    ]);
    requirePorts(lane, ls, [
      { name: QLANE_PORTS.x, dir: 'input', width: 32 },
      { name: QLANE_PORTS.sc, dir: 'input', width: 8 },
      { name: QLANE_PORTS.q, dir: 'output', width: wq },
    ]);
    const inputs: FreeInput[] = [{ name: QUANT_PORTS.x, width: wi * k }];
    const connect = (ins: readonly FreeInput[]) => ins.map((i) => ({ port: i.name, expr: i.name }));
    const sat = (module: string, ms: ModuleShape, part: string, title: string, statement: string[], m: Omit<Miter, 'id'>, cuts: string[], observes: string[], weight: number, wiring?: ObligationSpec['wiring']): ObligationSpec => {
      const id = obligationId(u, part);
      const s = miterScripts('sat', { ...m, id }, title, { rtlFiles: u.files.map((x) => x.name), top: module, cuts, observes, ties: tiesOf(ms, cuts, observes) }, null);
      return { id, unit: u, title, statement, method: 'sat', scriptFile: s.scriptFile, script: s.script, files: s.files, weight, ...(wiring ? { wiring } : {}) };
    };
    const out: Planned[] = [];

    // 1. amax: the tree of comparisons
    planPart(out, u, 'amax', () => {
      const leaves = Array.from({ length: k }, (_, i) => `mag_${i}`);
      const t = maxTree(leaves, 'amax');
      const names = [...leaves, ...t.nodes.map((n) => n.name), QUANT_CUTS.amax];
      for (const n of names) if (wireWidth(u.top, ts, n, 'a node of the block maximum') !== 31) throw new PlanError(`${u.top}: ${n} is not 31 bits`);
      if (bf && wireWidth(u.top, ts, xf, 'the values as FP32') !== 32 * k) throw new PlanError(`${u.top}: ${xf} is not ${32 * k} bits`);
      const o = (n: string): string => `dut_${n}`;
      return sat(
        u.top,
        ts,
        'amax',
        `amax = the largest |x_i| (31 magnitude bits), node by node`,
        [
          ...(bf ? [`Nothing cut. For every x: ${xf} = the FP32 values of the BF16 inputs (value i at bits [32i+31:32i] is {x[16i+15:16i], 16'h0}).`] : []),
          `${bf ? 'And' : 'Nothing cut. For every x:'} each leaf mag_i is ${xf}[32i+30:32i], each of the ${t.nodes.length} nodes (amax_l*) is the larger of its two children, and ${QUANT_CUTS.amax} is the root;`,
          'so amax is the largest of the magnitudes (max is associative and commutative). The magnitude bits of FP32 values order like their',
          'magnitudes, NaN and Inf above every finite value, as src/quantize.ts blockAmax compares them.',
        ],
        {
          about: ['property: the leaves are the magnitudes, each node the maximum of its children, amax the root'],
          inputs,
          dutWires: [...names.map((n) => ({ name: o(n), width: 31 })), ...(bf ? [{ name: o(xf), width: 32 * k }] : [])],
          dutConnections: [...connect(inputs), ...names.map((n) => ({ port: n, expr: o(n) })), ...(bf ? [{ port: xf, expr: o(xf) }] : []), { port: QUANT_PORTS.scale, expr: '' }, { port: QUANT_PORTS.q, expr: '' }],
          gold: [...(bf ? [`wire [${32 * k - 1}:0] r_xf = {${expand}};`] : []), "assign gold_y = 1'b1;"],
          gate: [
            ...(bf ? [`${o(xf)} == r_xf`] : []),
            ...leaves.map((l, i) => `${o(l)} == ${bf ? 'r_xf' : 'x'}[${32 * i + 30}:${32 * i}]`),
            ...t.nodes.map((n) => `${o(n.name)} == (${o(n.left)} > ${o(n.right)} ? ${o(n.left)} : ${o(n.right)})`),
            `${o(QUANT_CUTS.amax)} == ${o(t.root)}`,
          ].join(' && '),
          ok: NO_ASSUMPTION,
          width: 1,
        },
        [],
        [...names, ...(bf ? [xf] : [])],
        1 + k / 32,
      );
    });

    // 2. scale: the scale code of amax, and the codes passed on
    planPart(out, u, 'scale', () => {
      const emax = elementEmax(f);
      const off = T22 + emax;
      const mx = BigInt(elementMax(f).sig);
      const ceilSig = Number(mx << BigInt(24 - mx.toString(2).length));
      const cuts = [QUANT_CUTS.amax, 'codes'];
      for (const c of cuts) wireWidth(u.top, ts, c, 'a cut point of the quantizer');
      const chain = (pick: (j: number) => string, fallback: string): string => Array.from({ length: 23 }, (_, i) => 22 - i).reduce((acc, j) => acc.replace('@', `amax[${j}] ? ${pick(j)} : @`), '@').replace('@', fallback);
      const gold = [
        "wire [7:0] r_ev = amax[30:23];",
        `// floor(log2 amax) + 149: the exponent field + 22, or the position of a subnormal's leading one`,
        `wire [8:0] r_fl = r_ev != 8'd0 ? {1'b0, r_ev} + 9'd22 : ${chain((j) => `9'd${j}`, "9'd0")};`,
        ...(p.recipe === 'ceil'
          ? [
              "// amax's significand with its leading one at bit 23",
              `wire [23:0] r_sig = r_ev != 8'd0 ? {1'b1, amax[22:0]} : ${chain((j) => (j === 23 ? 'amax[23:0]' : `{amax[${j}:0], ${23 - j}'d0}`), "24'd0")};`,
              `// ceil: one binade up when amax exceeds max_elem (${elementMaxCode(f)}) times 2^(floor(log2 amax) - ${emax})`,
              `wire [8:0] r_t = r_fl + (r_sig > 24'h${ceilSig.toString(16)} ? 9'd1 : 9'd0);`,
            ]
          : ['wire [8:0] r_t = r_fl;']),
        `wire [7:0] r_sc = r_t < 9'd${off} ? 8'd0 : r_t > 9'd${off + 254} ? 8'd254 : r_t - 9'd${off};`,
        "wire r_special = r_ev == 8'hff;",
        `assign gold_y = {r_special ? 8'hff : amax == 31'd0 ? 8'd0 : r_sc, amax == 31'd0 ? 8'd0 : r_sc, 1'b1, r_special ? ${wq * k}'d0 : codes};`,
      ];
      return sat(
        u.top,
        ts,
        'scale',
        `with amax and the lanes' codes cut: scale = the ${p.recipe} scale code of amax, sc (the lanes' scale) its clamped code, q the codes (0 for NaN / Inf)`,
        [
          `${cuts.join(', ')} are cut. For every amax and codes: sc <= 254, and for amax != 0 sc = floor(log2 amax) - ${emax}${p.recipe === 'ceil' ? ' (plus 1 when amax exceeds max_elem * 2^that)' : ''} + 127, clamped to 0 .. 254`,
          '(for an all-zero block the lanes see only zeros, whose codes do not depend on sc),',
          "with floor(log2 amax) of a subnormal amax from the position of its leading one; scale = 0xFF when amax is NaN or Inf (exponent field 0xFF), 0 when amax = 0, else sc;",
          'q = 0 for a NaN / Inf block, else the codes. This is src/quantize.ts pow2ScaleExponent and pow2ScaleCode (clamp) with the special blocks of quantizeBlockReference.',
        ],
        {
          about: ['gold: the scale code written from its definition (a priority chain for the leading one); gate: the unit with amax and codes cut'],
          inputs: [...inputs, { name: QUANT_CUTS.amax, width: 31 }, { name: 'codes', width: wq * k }],
          dutWires: [
            { name: 'dut_scale', width: 8 },
            { name: 'dut_sc', width: 8 },
            { name: 'dut_q', width: wq * k },
          ],
          dutConnections: [...connect(inputs), { port: QUANT_CUTS.amax, expr: QUANT_CUTS.amax }, { port: 'codes', expr: 'codes' }, { port: QUANT_CUTS.sc, expr: 'dut_sc' }, { port: QUANT_PORTS.scale, expr: 'dut_scale' }, { port: QUANT_PORTS.q, expr: 'dut_q' }],
          gold,
          gate: `{dut_scale, amax == 31'd0 ? 8'd0 : dut_sc, dut_sc <= 8'd254, dut_q}`,
          ok: NO_ASSUMPTION,
          width: 17 + wq * k,
        },
        cuts,
        [QUANT_CUTS.sc],
        1,
      );
    });

    // 3. lane: the element encode against the midpoint count, with the lanes' wiring
    planPart(out, u, 'lane', () => {
      const mids = quantMidpoints(f);
      const E0 = 40; // BEo = sc + e + E0 >= 0 for every midpoint exponent e
      if (mids.some((m) => m.e + E0 < 0)) throw new PlanError(`${f.name}: a midpoint below 2^-${E0}`);
      const gold: string[] = ['wire [30:0] r_mag = x[30:0];'];
      const ups: string[] = [];
      for (const m of mids) {
        const c = m.code;
        const tie = away || (c & 1) === 1;
        gold.push(
          `// midpoint ${c}: 1.${m.frac.toString(16)} * 2^${m.e} times the scale; biased exponent r_be${c} - ${E0}`,
          `wire [9:0] r_be${c} = {2'b0, sc} + 10'd${m.e + E0};`,
          `wire [30:0] r_t${c} = r_be${c} >= 10'd${E0 + 1} ? {r_be${c}[7:0] - 8'd${E0}, 23'h${m.frac.toString(16)}} : {7'd0, {1'b1, 23'h${m.frac.toString(16)}} >> (10'd${E0 + 1} - r_be${c})};`,
          `wire r_up${c} = r_be${c} < 10'd${E0 + 255} && (r_mag > r_t${c}${tie ? ` || r_mag == r_t${c}` : ''});`,
        );
        ups.push(`{7'd0, r_up${c}}`);
      }
      gold.push(`wire [7:0] r_n = ${ups.join(' + ')};`);
      if (isIntFormat(f)) gold.push(`assign gold_y = x[31] && r_n != 8'd0 ? 8'd0 - r_n : r_n;`);
      else gold.push(`assign gold_y = {x[31], r_n[${wq - 2}:0]};`);
      const laneInputs: FreeInput[] = [
        { name: QLANE_PORTS.x, width: 32 },
        { name: QLANE_PORTS.sc, width: 8 },
      ];
      return sat(
        lane,
        ls,
        'lane',
        `every lane: q = the ${f.name} code of x / 2^(sc - 127), to nearest (${away ? 'ties away' : 'ties to even'}), saturated, for every finite x and sc <= 254`,
        [
          `For every x with exponent field below 0xFF and every sc <= 254: |q| = the number of midpoints between neighbouring ${f.name} values (${mids.length} of them, from the golden element table) that`,
          `|x| exceeds once scaled by 2^(sc - 127), plus one on a midpoint whose lower code is ${away ? 'any (ties away)' : 'odd (ties to even)'}; the sign of x${isIntFormat(f) ? ' (two\'s complement, one zero)' : ' (a zero keeps it)'}. That is rounding to nearest`,
          `on the element grid with saturation at +-max, src/encode.ts encodeElementRatio. Each scaled midpoint is an FP32 value (or 2^128 and above: never exceeded), compared as magnitude bits.`,
          `Wiring, on ${u.top} as elaborated: exactly ${k} instances of ${lane}; instance i connects x to ${xf}[32i+31:32i], sc to ${QUANT_CUTS.sc}, q to codes[${wq}i+${wq - 1}:${wq}i], and nothing else drives those bits.`,
        ],
        {
          about: ['gold: the code as the number of scaled midpoints below |x|; gate: the lane module'],
          inputs: laneInputs,
          dutWires: [{ name: 'dut_q', width: wq }],
          dutConnections: [...connect(laneInputs), { port: QLANE_PORTS.q, expr: 'dut_q' }],
          gold,
          gate: 'dut_q',
          ok: "x[30:23] != 8'hff && sc <= 8'd254",
          width: wq,
        },
        [],
        [],
        2 + mids.length / 32,
        [
          {
            lane,
            instances: {
              parent: u.top,
              jsonFile: `${u.top}.lanes.json`,
              lanes: Array.from({ length: k }, (_, i) => ({
                [QLANE_PORTS.x]: { port: xf, lo: 32 * i, width: 32 },
                [QLANE_PORTS.sc]: { port: QUANT_CUTS.sc, lo: 0, width: 8 },
                [QLANE_PORTS.q]: { port: 'codes', lo: wq * i, width: wq },
              })),
            },
          },
        ],
      );
    });
    return out;
  },
  coverage: (u) => {
    const p = quantFamily.fromParameters(u.parameters);
    return [
      `The steps of src/quantize.ts quantizeBlockReference for the ${p.recipe} recipe, one obligation each: the block maximum (amax), the scale code`,
      "of amax with the special blocks and the codes passed on (scale), and every lane's encode with the lanes' wiring (lane). The scale",
      'obligation cuts amax and the codes, which the other two prove; together they give scale and q for every input as the golden',
      'quantizer, whose composition of exactly these steps formal/golden.ts checkQuantDecomposition checks on 4,000 adversarial blocks',
      '(subnormals, ties, NaN / Inf, extreme exponents) before the proofs; the run stops with an error if it is not.',
    ];
  },
};
