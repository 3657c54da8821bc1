/**
 * quant: the MX quantizer (floor, ceil, nv; every scale format), proven on its whole input space in
 * three obligations that follow the golden quantizer (src/quantize.ts quantizeBlockReference):
 *
 *   amax   the block maximum: every leaf of the tree is |x_i| (the 31 magnitude bits), every node
 *          the larger of its two children, amax the root
 *   scale  with amax and the lanes' codes cut: the scale code of amax as the recipe defines it
 *          (floor(log2 amax) - emax_elem, ceil's step up, the clamp to the scale format's powers of
 *          two; nv: the count of the constant thresholds max_elem * (S_c + S_c+1) / 2 below amax),
 *          NaN / zero blocks, the guard, the scale the lanes get (and that it lies where the lane
 *          obligation assumes), and the codes passed on (zero for a NaN / Inf block, the zeros of
 *          the values' signs for a zero scale)
 *   lane   every lane: the element code of x / 2^(sc - 127) (nv: x / S) for every finite x and
 *          scale, against a reference that counts the midpoints between element values below |x|
 *          (the definition of rounding to nearest, with the tie rule and saturation; nv compares
 *          |x| with each midpoint times S, a product, where the lane divides), and the lanes'
 *          wiring in the top
 *
 * The references are written from those definitions, with the element values and their midpoints
 * taken from the golden element table; formal/golden.ts checkQuantDecomposition checks before the
 * proofs that the golden quantizer is this composition.
 */
import { decodeScale, elementBits, elementEmax, elementMax, elementMaxCode, isE8M0, isIntFormat, scaleBits, scaleMaxCode, scaleNanCode } from '../../src/formats/format.js';
import { QLANE_PORTS, QUANT_CUTS, QUANT_PORTS, dividesLanes, qlaneName, qlaneScaleBits, quantFamily } from '../../generator/units/quant.js';
import { maxTree } from '../../generator/raw/max_tree.js';
import { NO_ASSUMPTION, miterScripts, type FreeInput, type Miter } from '../harness.js';
import type { ObligationSpec, UnitRef } from '../spec.js';
import { CLOCK_PORT } from '../../generator/units/unit.js';
import { checkQuantDecomposition, fp32KeyOf, nvScaleThresholds, pow2ScaleCodes, quantMidpoints } from '../golden.js';
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
    const problem = checkQuantDecomposition({ elem: f, scale: p.scale, recipe: p.recipe, guard: p.guard }, away, Math.min(k, 16), 4000);
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
    const ws = scaleBits(p.scale);
    const wsc = qlaneScaleBits(p);
    const div = dividesLanes(p);
    requirePorts(u.top, ts, [
      ...(p.stages > 0 ? [{ name: CLOCK_PORT, dir: 'input' as const, width: 1 }] : []),
      { name: QUANT_PORTS.x, dir: 'input', width: wi * k },
      { name: QUANT_PORTS.scale, dir: 'output', width: ws },
      { name: QUANT_PORTS.q, dir: 'output', width: wq * k },
    ]);
    requirePorts(lane, ls, [
      { name: QLANE_PORTS.x, dir: 'input', width: 32 },
      { name: QLANE_PORTS.sc, dir: 'input', width: wsc },
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
      const cuts = [QUANT_CUTS.amax, QUANT_CUTS.codes];
      for (const c of cuts) wireWidth(u.top, ts, c, 'a cut point of the quantizer');
      const nanCode = scaleNanCode(p.scale);
      const e8 = isE8M0(p.scale);
      const flushes = !e8 && !p.guard;
      // the lanes' domain: an E8M0 code 0 .. 254, or a positive finite nv scale code
      const [scLo, scHi] = p.recipe === 'nv' ? [1, scaleMaxCode(p.scale)] : [0, 254];
      const chain = (pick: (j: number) => string, fallback: string): string => Array.from({ length: 23 }, (_, i) => 22 - i).reduce((acc, j) => acc.replace('@', `amax[${j}] ? ${pick(j)} : @`), '@').replace('@', fallback);
      const gold: string[] = ["wire [7:0] r_ev = amax[30:23];"];
      let statement: string[];
      if (p.recipe === 'nv') {
        const th = nvScaleThresholds(f, p.scale);
        gold.push(
          `// nv: the number of thresholds max_elem * (S_c + S_c+1) / 2 below amax (on one: up when c is odd), ${th.length} of them`,
          ...th.map((t) => `wire r_up${t.code} = amax > 31'h${t.key.toString(16)}${(t.code & 1) === 1 ? ` || amax == 31'h${t.key.toString(16)}` : ''};`),
          `wire [${ws - 1}:0] r_n = ${th.map((t) => `{${ws - 1}'d0, r_up${t.code}}`).join(' + ')};`,
          `wire [${wsc - 1}:0] r_sc = ${p.guard ? `r_n == ${ws}'d0 ? ${ws}'d1 : r_n` : 'r_n'};`,
          `wire r_flush = ${flushes ? `r_sc == ${ws}'d0 || amax == 31'd0` : "1'b0"};`,
          `wire [${ws - 1}:0] r_code = r_sc;`,
        );
        statement = [
          `${cuts.join(', ')} are cut. For every amax and codes: sc = the number of the ${th.length} thresholds max_elem * (S_c + S_c+1) / 2 (S_c the value of scale code c, from the golden`,
          `scale decode; each an FP32 value, compared as magnitude bits) that amax exceeds, plus those it equals with c odd: amax / max_elem rounded to nearest even on the`,
          `${p.scale.name.toUpperCase()} grid, saturated at the largest finite code (the count stops there)${p.guard ? ', 0 raised to 1 (the guard)' : ''}; scale = ${nanCode.toString(16).toUpperCase()}h (NaN) when amax is NaN or Inf, 0 when amax = 0${flushes ? ' or sc = 0' : ''}, else sc;`,
          `q = 0 for a NaN / Inf block, ${flushes ? "the zeros of the values' signs when sc = 0, " : ''}else the codes. This is src/quantize.ts nvScaleCode (clamp) with the special blocks of quantizeBlockReference.`,
        ];
      } else {
        const r = pow2ScaleCodes(p.scale);
        gold.push(
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
          `wire [7:0] r_sc = r_t < 9'd${off + r.lo} ? 8'd${r.lo} : r_t > 9'd${off + r.hi} ? 8'd${r.hi} : r_t - 9'd${off};`,
          `wire r_flush = ${flushes ? `r_t < 9'd${off + r.lo} || amax == 31'd0` : "1'b0"};`,
          ...(e8
            ? ['wire [7:0] r_code = r_sc;']
            : [
                `// the ${p.scale.name.toUpperCase()} code of each power of two 2^(sc - 127) it holds (src/encode.ts scaleCodeOfPow2)`,
                `wire [${ws - 1}:0] r_code = ${Array.from({ length: r.hi - r.lo }, (_, j) => `r_sc == 8'd${r.lo + j} ? ${ws}'h${r.code(r.lo + j).toString(16)} : `).join('')}${ws}'h${r.code(r.hi).toString(16)};`,
              ]),
        );
        statement = [
          `${cuts.join(', ')} are cut. For every amax and codes: for amax != 0 sc = floor(log2 amax) - ${emax}${p.recipe === 'ceil' ? ' (plus 1 when amax exceeds max_elem * 2^that)' : ''} + 127, clamped to ${r.lo} .. ${r.hi}`,
          `(${e8 ? 'E8M0' : `the powers of two of ${p.scale.name.toUpperCase()}`}; for an all-zero block the lanes see only zeros, whose codes do not depend on sc), with floor(log2 amax) of a subnormal amax from the position of its leading one;`,
          `scale = ${nanCode.toString(16).toUpperCase()}h (NaN) when amax is NaN or Inf, 0 when amax = 0${flushes ? ' or the exponent lies below the clamp (a zero scale)' : ''}, else ${e8 ? 'sc' : "the scale code of 2^(sc - 127) (golden scaleCodeOfPow2)"}${!e8 && p.guard ? ' (the guard: the smallest subnormal, not zero)' : ''};`,
          `q = 0 for a NaN / Inf block, ${flushes ? "the zeros of the values' signs for a zero scale, " : ''}else the codes. This is src/quantize.ts pow2ScaleExponent and pow2ScaleCode (clamp) with the special blocks of quantizeBlockReference.`,
        ];
      }
      const zeros = isIntFormat(f) ? `${wq * k}'d0` : `{${Array.from({ length: k }, (_, j) => `x${bf ? `[${16 * (k - 1 - j) + 15}]` : `[${32 * (k - 1 - j) + 31}]`}, ${wq - 1}'d0`).join(', ')}}`;
      gold.push(
        "wire r_special = r_ev == 8'hff;",
        `assign gold_y = {r_special ? ${ws}'h${nanCode.toString(16)} : amax == 31'd0 || r_flush ? ${ws}'d0 : r_code, amax == 31'd0 ? ${wsc}'d0 : r_sc, 1'b1, r_special ? ${wq * k}'d0 : r_flush ? ${zeros} : codes};`,
      );
      return sat(
        u.top,
        ts,
        'scale',
        `with amax and the lanes' codes cut: scale = the ${p.recipe} scale code of amax, sc (what the lanes divide by) the reference's, q the codes (0 for NaN / Inf${flushes ? ", zeros for a zero scale" : ''})`,
        statement,
        {
          about: ['gold: the scale code written from its definition; gate: the unit with amax and codes cut'],
          inputs: [...inputs, { name: QUANT_CUTS.amax, width: 31 }, { name: QUANT_CUTS.codes, width: wq * k }],
          dutWires: [
            { name: 'dut_scale', width: ws },
            { name: 'dut_sc', width: wsc },
            { name: 'dut_q', width: wq * k },
          ],
          dutConnections: [...connect(inputs), { port: QUANT_CUTS.amax, expr: QUANT_CUTS.amax }, { port: QUANT_CUTS.codes, expr: QUANT_CUTS.codes }, { port: QUANT_CUTS.sc, expr: 'dut_sc' }, { port: QUANT_PORTS.scale, expr: 'dut_scale' }, { port: QUANT_PORTS.q, expr: 'dut_q' }],
          gold,
          // the lanes' sc lies where the lane obligation assumes it whenever their codes are passed on
          gate: `{dut_scale, amax == 31'd0 ? ${wsc}'d0 : dut_sc, r_special || r_flush || (dut_sc >= ${wsc}'d${scLo} && dut_sc <= ${wsc}'d${scHi}), dut_q}`,
          ok: NO_ASSUMPTION,
          width: ws + wsc + 1 + wq * k,
        },
        cuts,
        [QUANT_CUTS.sc],
        1 + (p.recipe === 'nv' ? scaleMaxCode(p.scale) / 64 : 0),
      );
    });

    // 3. lane: the element encode against the midpoint count, with the lanes' wiring
    planPart(out, u, 'lane', () => {
      const mids = quantMidpoints(f);
      const E0 = 40; // BEo = sc + e + E0 >= 0 for every midpoint exponent e
      if (mids.some((m) => m.e + E0 < 0)) throw new PlanError(`${f.name}: a midpoint below 2^-${E0}`);
      const gold: string[] = ['wire [30:0] r_mag = x[30:0];'];
      const ups: string[] = [];
      if (div) {
        // the scale's value S = r_d / 8 * 2^(r_es - 127) per code, from the golden scale decode
        const top = scaleMaxCode(p.scale);
        const ds: number[] = [];
        const es: number[] = [];
        for (let c = 1; c <= top; c++) {
          const sv = decodeScale(p.scale, c);
          const bl = Number(sv.sig).toString(2).length;
          ds.push(Number(sv.sig) << (4 - bl));
          es.push(sv.exp + bl - 1 + 127);
        }
        const table = (vals: number[], w: number): string => vals.slice(0, -1).map((v, i) => `sc == ${wsc}'d${i + 1} ? ${w}'d${v} : `).join('') + `${w}'d${vals[vals.length - 1]}`;
        gold.push(
          `// S = r_d / 8 * 2^(r_es - 127) for each scale code 1 .. ${top} (golden decodeScale)`,
          `wire [3:0] r_d = ${table(ds, 4)};`,
          `wire [8:0] r_es = ${table(es, 9)};`,
        );
        for (const m of mids) {
          const c = m.code;
          const tie = away || (c & 1) === 1;
          if ((m.frac & 0xf) !== 0) throw new PlanError(`${f.name}: midpoint ${c} has too many bits for the threshold product`);
          // every threshold must be a normal FP32 value for the comparison of magnitude bits
          for (let i = 0; i < ds.length; i++) {
            const key = fp32KeyOf({ n: BigInt((1 << 23) | m.frac) * BigInt(ds[i]), e: m.e - 23 + es[i] - 127 - 3 });
            if (key === null || key >>> 23 === 0) throw new PlanError(`${f.name} / ${p.scale.name}: midpoint ${c} times scale ${i + 1} is not a normal FP32 value`);
          }
          gold.push(
            `// midpoint ${c}: 1.${m.frac.toString(16)} * 2^${m.e} times S: the product of the significands, its exponent`,
            `wire [27:0] r_p${c} = 28'h${((1 << 23) | m.frac).toString(16)} * {24'd0, r_d};`,
            `wire [9:0] r_be${c} = {1'b0, r_es} + 10'd${m.e + E0} + {9'd0, r_p${c}[27]} - 10'd${E0};`,
            `wire [30:0] r_t${c} = {r_be${c}[7:0], r_p${c}[27] ? r_p${c}[26:4] : r_p${c}[25:3]};`,
            `wire r_up${c} = r_mag > r_t${c}${tie ? ` || r_mag == r_t${c}` : ''};`,
          );
          ups.push(`{7'd0, r_up${c}}`);
        }
      } else {
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
      }
      gold.push(`wire [7:0] r_n = ${ups.join(' + ')};`);
      if (isIntFormat(f)) gold.push(`assign gold_y = x[31] && r_n != 8'd0 ? 8'd0 - r_n : r_n;`);
      else gold.push(`assign gold_y = {x[31], r_n[${wq - 2}:0]};`);
      const laneInputs: FreeInput[] = [
        { name: QLANE_PORTS.x, width: 32 },
        { name: QLANE_PORTS.sc, width: wsc },
      ];
      const over = div ? 'x / S (S the value of the nv scale code sc)' : 'x / 2^(sc - 127)';
      const domain = div ? `1 <= sc <= ${scaleMaxCode(p.scale)} (every positive finite scale)` : 'sc <= 254';
      return sat(
        lane,
        ls,
        'lane',
        `every lane: q = the ${f.name} code of ${over}, to nearest (${away ? 'ties away' : 'ties to even'}), saturated, for every finite x and ${domain}`,
        [
          `For every x with exponent field below 0xFF and every ${domain}: |q| = the number of midpoints between neighbouring ${f.name} values (${mids.length} of them, from the golden element table) that`,
          `|x| exceeds once scaled by ${div ? 'S' : '2^(sc - 127)'}, plus one on a midpoint whose lower code is ${away ? 'any (ties away)' : 'odd (ties to even)'}; the sign of x${isIntFormat(f) ? ' (two\'s complement, one zero)' : ' (a zero keeps it)'}. That is rounding to nearest`,
          div
            ? `on the element grid with saturation at +-max, src/encode.ts encodeElementRatio. Each midpoint times S is the product of the midpoint's significand and S's (S from a table of the golden scale decode per code), an FP32 value (checked for every code), compared as magnitude bits.`
            : `on the element grid with saturation at +-max, src/encode.ts encodeElementRatio. Each scaled midpoint is an FP32 value (or 2^128 and above: never exceeded), compared as magnitude bits.`,
          `Wiring, on ${u.top} as elaborated: exactly ${k} instances of ${lane}; instance i connects x to ${xf}[32i+31:32i], sc to ${QUANT_CUTS.sc}, q to codes[${wq}i+${wq - 1}:${wq}i], and nothing else drives those bits.`,
        ],
        {
          about: [div ? 'gold: the code as the number of midpoints times S below |x| (multiplications, no division); gate: the lane module' : 'gold: the code as the number of scaled midpoints below |x|; gate: the lane module'],
          inputs: laneInputs,
          dutWires: [{ name: 'dut_q', width: wq }],
          dutConnections: [...connect(laneInputs), { port: QLANE_PORTS.q, expr: 'dut_q' }],
          gold,
          gate: 'dut_q',
          ok: div ? `x[30:23] != 8'hff && sc != ${wsc}'d0 && sc <= ${wsc}'d${scaleMaxCode(p.scale)}` : "x[30:23] != 8'hff && sc <= 8'd254",
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
                [QLANE_PORTS.sc]: { port: QUANT_CUTS.sc, lo: 0, width: wsc },
                [QLANE_PORTS.q]: { port: QUANT_CUTS.codes, lo: wq * i, width: wq },
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
      `The steps of src/quantize.ts quantizeBlockReference for the ${p.recipe} recipe with ${p.scale.name.toUpperCase()} scales${p.guard ? ' and the guard' : ''}, one obligation each: the block maximum (amax), the scale code`,
      "of amax with the special blocks and the codes passed on (scale), and every lane's encode with the lanes' wiring (lane). The scale",
      'obligation cuts amax and the codes, which the other two prove; together they give scale and q for every input as the golden',
      'quantizer, whose composition of exactly these steps formal/golden.ts checkQuantDecomposition checks on 4,000 adversarial blocks',
      '(subnormals, ties, NaN / Inf, extreme exponents) before the proofs; the run stops with an error if it is not.',
    ];
  },
};
