/**
 * fused: the GPU-compatible fused dot-add, proven on its whole input space in obligations that
 * follow the steps of its golden function (src/fused.ts fusedDotAdd):
 *
 *   lane       (blackwell, hopper) every lane's product (significand, exponent, sign, flags) on every
 *              code pair, and the wiring of the k lane instances (exhaustive, against fusedProduct)
 *   group.*    (blackwell-f4) each group module as the dot product's stages prove it (formal/recipes/
 *              dot.ts planDot: the products, the adder tree, the scale decode, the scaled magnitude)
 *   exponents  with the lanes' or groups' values cut, E is the largest of C's exponent and the terms'
 *              (a product's: the lane exponent plus both scale exponents; a group's: both scale
 *              exponents, a zero scale's -126); for the groups also their wiring
 *   align      with those values and E cut, every term is its significand shifted to E and truncated
 *              toward zero, with its sign (C's decoded from its bits)
 *   sum        with the terms cut, the sign and magnitude of their exact sum
 *   flags      the special results' flags and sign from the lanes' flags, the scales and C
 *   round      with the rounder's inputs cut, the conversion toward zero (SAT against the reference
 *              rounder, itself checked against the golden rounding)
 *   specials   with the rounder's inputs cut, NaN gives 0x7FFFFFFF and Inf the Inf of the sign
 */
import { elementBits, isE8M0, scaleBits } from '../../src/formats/format.js';
import { FP32 } from '../../src/formats/float.js';
import type { MinifloatSpec } from '../../src/formats/minifloat.js';
import { FUSED_NAN, FUSED_SHAPES } from '../../src/fused.js';
import { dotFamily } from '../../generator/units/dot.js';
import {
  FUSED_CUTS,
  FUSED_GROUP_PORTS,
  FUSED_LANE_PORTS,
  FUSED_PORTS,
  fusedExpLeaves,
  fusedFamily,
  fusedGroupName,
  fusedLaneName,
  fusedScaleBlock,
  fusedShape,
  type FusedHwShape,
  type FusedParams,
} from '../../generator/units/fused.js';
import { maxTree } from '../../generator/raw/max_tree.js';
import { NO_ASSUMPTION, miterScripts, type FreeInput, type Miter } from '../harness.js';
import type { ObligationSpec, UnitRef } from '../spec.js';
import { hexLit } from '../verilog.js';
import { PlanError, exhaustiveObligation, obligationId, planPart, portsOf, referenceTree, requirePorts, tiesOf, wireWidth, type ModuleShape, type Planned, type Recipe } from './common.js';
import { dotRecipe, planDot, type DotPart } from './dot.js';
import { checkFusedDecomposition } from '../golden.js';
import { roundSatObligation, specialsObligation, type RoundStage } from './round.js';
import { adopt } from './step.js';

const PARTS = ['exponents', 'align', 'sum', 'flags', 'round', 'specials'] as const;
/** The dot product's stages a group module holds (it ends with the scaled sum, before any rounding). */
const GROUP_PARTS: readonly DotPart[] = ['products', 'tree', 'flags', 'scales', 'magnitude', 'scaling'];
type Flag = 'nan' | 'pinf' | 'ninf';

const connect = (ins: readonly FreeInput[]) => ins.map((i) => ({ port: i.name, expr: i.name }));

/** `e` (w bits) zero-extended to `to` bits. */
const zx = (e: string, w: number, to: number): string => (to > w ? `{${to - w}'d0, ${e}}` : e);

const sl = (name: string, width: number, i: number): string => (width === 1 ? `${name}[${i}]` : `${name}[${width * i + width - 1}:${width * i}]`);

/** The group module as a dot-product unit of 16 elements, for planDot. */
function groupRef(u: UnitRef, p: FusedParams, shape?: (m: string) => ModuleShape): UnitRef {
  const top = fusedGroupName(p);
  const dp = { a: p.a, b: p.b, scale: p.scale ?? undefined, out: FP32, block: FUSED_SHAPES[p.kind].group, adders: p.adders };
  if (!dp.scale) throw new Error(`${p.kind}: groups need a scale format`);
  return { family: 'dot', top, files: u.files, ports: shape ? portsOf(shape(top)) : [], parameters: dotFamily.generate({ ...dp, scale: dp.scale }, '').parameters };
}

function groupParts(u: UnitRef, p: FusedParams): string[] {
  return dotRecipe.parts(groupRef(u, p)).filter((x) => (GROUP_PARTS as readonly string[]).includes(x));
}

/**
 * The terms beside C as the proofs see them: the wires cut before the exponents (the lanes' or the
 * groups' outputs), each term's significand and sign there, and the reference exponents (plus B)
 * written from their definition.
 */
interface TermView {
  readonly cuts: readonly string[];
  readonly sig: (i: number) => string;
  readonly sign: (i: number) => string;
  /** Verilog lines defining ref_e0 .. ref_e{n-1} */
  readonly refExps: string[];
  /** what a term's exponent is, in words */
  readonly expWords: string;
  readonly flags: readonly Flag[];
  /** the NaN causes beside the lanes' flags and C, as Verilog and in words */
  readonly nanExtra: string;
  readonly nanWords: string;
}

function termView(p: FusedParams, hs: FusedHwShape, ts: ModuleShape, laneShape: ModuleShape | null): TermView {
  const { EW } = hs;
  if (hs.lane) {
    const { sigBits, expBits } = hs.lane;
    const flags = (['nan', 'pinf', 'ninf'] as const).filter((f) => laneShape?.ports.some((x) => x.name === f));
    const scaled = p.scale !== null;
    return {
      cuts: [FUSED_CUTS.lane('sig'), FUSED_CUTS.lane('exp'), FUSED_CUTS.lane('sign'), ...flags.map((f) => FUSED_CUTS.lane(f))],
      sig: (i) => sl(FUSED_CUTS.lane('sig'), sigBits, i),
      sign: (i) => sl(FUSED_CUTS.lane('sign'), 1, i),
      refExps: Array.from({ length: hs.n }, (_, i) => `wire [${EW - 1}:0] ref_e${i} = ${zx(sl(FUSED_CUTS.lane('exp'), expBits, i), expBits, EW)}${scaled ? ` + ${zx('scale_a', 8, EW)} + ${zx('scale_b', 8, EW)}` : ''};`),
      expWords: `product i's exponent is lane i's exp${scaled ? ' plus both scale codes (each e_scale + 127)' : ''}`,
      flags,
      nanExtra: scaled ? " | scale_a == 8'hff | scale_b == 8'hff" : '',
      nanWords: scaled ? ', or a scale code is 0xFF' : '',
    };
  }
  const G = hs.group;
  if (!G || !p.scale) throw new PlanError(`${p.kind}: neither lanes nor groups`);
  const ws = scaleBits(p.scale);
  const per = fusedScaleBlock(p) / G.size;
  const code = (side: 'a' | 'b', j: number): { all: string; field: string } => {
    const lo = ws * Math.floor(j / per);
    return { all: `scale_${side}[${lo + ws - 1}:${lo}]`, field: `scale_${side}[${lo + ws - 1}:${lo + ms}]` };
  };
  const e8 = isE8M0(p.scale);
  const ms = e8 ? 0 : (p.scale as MinifloatSpec).mbits;
  const bias = e8 ? 127 : (p.scale as MinifloatSpec).bias;
  // a scale code's e + 127: E8M0 the code; a minifloat max(field, 1) - bias + 127, and 1 (e = -126) for the zero code
  const gexp = (c: { all: string; field: string }): string =>
    e8 ? zx(c.all, 8, EW) : `(${c.all} == ${ws}'d0 ? ${EW}'d1 : (${c.field} == ${ws - ms}'d0 ? ${EW}'d1 : ${zx(c.field, ws - ms, EW)}) + ${EW}'d${127 - bias})`;
  void ts;
  return {
    cuts: [FUSED_CUTS.group('sign'), FUSED_CUTS.group('mag'), FUSED_CUTS.group('nan')],
    sig: (j) => sl(FUSED_CUTS.group('mag'), G.magBits, j),
    sign: (j) => sl(FUSED_CUTS.group('sign'), 1, j),
    refExps: Array.from({ length: hs.n }, (_, j) => `wire [${EW - 1}:0] ref_e${j} = ${gexp(code('a', j))} + ${gexp(code('b', j))};`),
    expWords: e8
      ? "group j's exponent is the sum of its two E8M0 scale codes (each e_scale + 127)"
      : `group j's exponent is e_scale_a + e_scale_b + 254, a ${p.scale.name} code's e being max(field, 1) - ${bias}, and -126 for the zero code`,
    flags: [],
    nanExtra: ` | (|${FUSED_CUTS.group('nan')})`,
    nanWords: `, or a group's ${FUSED_CUTS.group('nan')} (a NaN scale code, the group obligations)`,
  };
}

export const fusedRecipe: Recipe = {
  parts: (u) => {
    const p = fusedFamily.fromParameters(u.parameters);
    return [...(FUSED_SHAPES[p.kind].group > 1 ? groupParts(u, p).map((x) => `group.${x}`) : ['lane']), ...PARTS];
  },
  plan(u: UnitRef, shape: (module: string) => ModuleShape): Planned[] {
    const p = fusedFamily.fromParameters(u.parameters);
    const problem = checkFusedDecomposition(p.kind, p.a, p.b, p.scale, 2000);
    if (problem !== null) throw new PlanError(`the golden fused dot-add no longer decomposes as the proof assumes: ${problem}`);
    const hs = fusedShape(p);
    const { k, n, F, scaled, B, EW, pw, up, cKeep, cUp, cw } = hs;
    const ts = shape(u.top);
    const grouped = hs.group !== null;
    const laneName = fusedLaneName(p);
    const ls = grouped ? null : shape(laneName);
    const wa = elementBits(p.a);
    const wb = elementBits(p.b);
    const ws = p.scale ? scaleBits(p.scale) * hs.scales : 0;
    requirePorts(u.top, ts, [
      { name: FUSED_PORTS.a, dir: 'input', width: wa * k },
      { name: FUSED_PORTS.b, dir: 'input', width: wb * k },
      ...(scaled ? [{ name: FUSED_PORTS.scaleA, dir: 'input' as const, width: ws }, { name: FUSED_PORTS.scaleB, dir: 'input' as const, width: ws }] : []),
      { name: FUSED_PORTS.c, dir: 'input', width: 32 },
      { name: FUSED_PORTS.d, dir: 'output', width: 32 },
    ]);
    const inputs: FreeInput[] = [
      { name: FUSED_PORTS.a, width: wa * k },
      { name: FUSED_PORTS.b, width: wb * k },
      ...(scaled ? [{ name: FUSED_PORTS.scaleA, width: ws }, { name: FUSED_PORTS.scaleB, width: ws }] : []),
      { name: FUSED_PORTS.c, width: 32 },
    ];
    const tv = termView(p, hs, ts, ls);
    const flags = tv.flags;
    const w = (nm: string): number => wireWidth(u.top, ts, nm, 'a cut point of the fused dot-add');
    const prep = (cuts: readonly string[], observes: string[]) => ({ rtlFiles: u.files.map((f) => f.name), top: u.top, cuts: [...cuts], observes, ties: tiesOf(ts, cuts, observes) });
    const sat = (part: string, title: string, statement: string[], m: Omit<Miter, 'id'>, cuts: readonly string[], observes: string[], weight: number, wiring?: ObligationSpec['wiring']): ObligationSpec => {
      const id = obligationId(u, part);
      const s = miterScripts('sat', { ...m, id }, title, prep(cuts, observes), null);
      return { id, unit: u, title, statement, method: 'sat', scriptFile: s.scriptFile, script: s.script, files: s.files, weight, ...(wiring ? { wiring } : {}) };
    };
    const refExps = (): string[] => [...tv.refExps, `wire [${EW - 1}:0] ref_ec = ${zx("(c[30:23] == 8'd0 ? 8'd1 : c[30:23])", 8, EW)} + ${EW}'d${B - 127};`];
    const all = (f: (i: string) => string): string => [...Array.from({ length: n }, (_, i) => f(`ref_e${i}`)), f('ref_ec')].join(' && ');
    const termCuts = tv.cuts;

    const out: Planned[] = [];

    // 1. the terms: lanes (exhaustive on the lane module, with the wiring of its k instances), or groups (the dot product's stages)
    if (ls) {
      const { sigBits, expBits } = hs.lane as NonNullable<typeof hs.lane>;
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
            `For every code pair (${p.a.name}, ${p.b.name}): sig = the product of the significands (${hs.sigFrac} fractional bits) and exp = e_a + e_b + 252, with a zero's exponent -126, where both codes are finite; sign = the product's sign where it is not zero;`,
            `${flags.length > 0 ? `${flags.join(', ')} as src/fused.ts fusedProduct classifies the product (NaN for a NaN code or Inf x 0, else +-Inf)` : 'no code is NaN or Inf'}.`,
            `Wiring, on ${u.top} as elaborated: exactly ${k} instances of ${laneName}; instance i connects a to a[${wa}i+${wa - 1}:${wa}i], b to b[${wb}i+${wb - 1}:${wb}i] and each output to bit(s) i of ${termCuts.join(', ')}, and nothing else drives those bits.`,
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
            golden: { kind: 'fused-lane', elemA: p.a.name, elemB: p.b.name, flags: [...flags] },
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
    } else {
      const g = groupRef(u, p, shape);
      const view = { value: (f: 'sign' | 'mag' | 'exp' | 'nan' | 'inf'): string => (f === 'inf' ? 'inf' : FUSED_GROUP_PORTS[f]), parts: GROUP_PARTS, otherInputs: [], otherOutputs: [FUSED_GROUP_PORTS.sign, FUSED_GROUP_PORTS.mag, FUSED_GROUP_PORTS.exp, FUSED_GROUP_PORTS.nan] };
      out.push(...adopt(u, 'group', g, planDot(g, shape, view)));
    }
    // the groups' wiring in the top, checked with the exponents obligation
    const G = hs.group;
    const groupWiring: ObligationSpec['wiring'] = G
      ? [
          {
            lane: fusedGroupName(p),
            instances: {
              parent: u.top,
              jsonFile: `${u.top}.groups.json`,
              lanes: Array.from({ length: n }, (_, j) => {
                const wsc = scaleBits(p.scale as NonNullable<typeof p.scale>);
                const q = Math.floor((j * G.size) / fusedScaleBlock(p));
                const e = G.size;
                return {
                  [FUSED_GROUP_PORTS.a]: { port: FUSED_PORTS.a, lo: wa * e * j, width: wa * e },
                  [FUSED_GROUP_PORTS.b]: { port: FUSED_PORTS.b, lo: wb * e * j, width: wb * e },
                  [FUSED_GROUP_PORTS.scaleA]: { port: FUSED_PORTS.scaleA, lo: wsc * q, width: wsc },
                  [FUSED_GROUP_PORTS.scaleB]: { port: FUSED_PORTS.scaleB, lo: wsc * q, width: wsc },
                  [FUSED_GROUP_PORTS.sign]: { port: FUSED_CUTS.group('sign'), lo: j, width: 1 },
                  [FUSED_GROUP_PORTS.mag]: { port: FUSED_CUTS.group('mag'), lo: G.magBits * j, width: G.magBits },
                  [FUSED_GROUP_PORTS.exp]: { port: FUSED_CUTS.group('exp'), lo: G.expBits * j, width: G.expBits },
                  [FUSED_GROUP_PORTS.nan]: { port: FUSED_CUTS.group('nan'), lo: j, width: 1 },
                };
              }),
            },
          },
        ]
      : undefined;

    // 2. exponents: the leaves are the terms' exponents, every node of the tree the larger of its two,
    // e_max the root: so e_max is the largest exponent (max is associative and commutative)
    const leaves = fusedExpLeaves(n);
    const mt = maxTree(leaves);
    const nodeNames = [...leaves, ...mt.nodes.map((x) => x.name)];
    const obs = (x: string): string => `dut_${x}`;
    const refOf = (leaf: number): string => (leaf === 0 ? 'ref_ec' : `ref_e${leaf - 1}`);
    out.push(
      sat(
        'exponents',
        `with the ${grouped ? 'groups' : 'lanes'}' values cut: ${FUSED_CUTS.emax} = the largest of C's exponent and the ${n} ${grouped ? 'groups' : 'products'}' exponents (plus ${B})`,
        [
          `${termCuts.join(', ')} are cut. ${tv.expWords[0].toUpperCase()}${tv.expWords.slice(1)}; C's is its exponent field (1 when the field is 0: subnormal or zero, -126) - 127; all plus ${B}.`,
          `For every value of the cuts and inputs: each leaf of the tree (${leaves[0]}, ${leaves[1]} .. ${leaves[n]}) is that exponent, each of its ${mt.nodes.length} nodes (emax_l*) is the larger of its two`,
          `children, and ${FUSED_CUTS.emax} is the root; so ${FUSED_CUTS.emax} is the largest of the ${n + 1} exponents (max is associative and commutative).`,
          ...(G
            ? [
                `Wiring, on ${u.top} as elaborated: exactly ${n} instances of ${fusedGroupName(p)}; instance j connects a, b to the codes of elements ${G.size}j .. ${G.size}j+${G.size - 1}, scale_a / scale_b to the scale codes of those elements, and each output to its slice j of ${FUSED_CUTS.group('sign')}, ${FUSED_CUTS.group('mag')}, ${FUSED_CUTS.group('exp')}, ${FUSED_CUTS.group('nan')}, and nothing else drives those bits.`,
              ]
            : []),
        ],
        {
          about: ['property: the leaves are the exponents, each node the maximum of its children, e_max the root'],
          inputs: [...inputs, ...termCuts.map((c) => ({ name: c, width: w(c) }))],
          dutWires: [...nodeNames, FUSED_CUTS.emax].map((x) => ({ name: obs(x), width: EW })),
          dutConnections: [...connect(inputs), ...termCuts.map((c) => ({ port: c, expr: c })), ...[...nodeNames, FUSED_CUTS.emax].map((x) => ({ port: x, expr: obs(x) })), { port: FUSED_PORTS.d, expr: '' }],
          gold: [...refExps(), "assign gold_y = 1'b1;"],
          gate: [
            ...leaves.map((l, i) => `${obs(l)} == ${refOf(i)}`),
            ...mt.nodes.map((x) => `${obs(x.name)} == (${obs(x.left)} > ${obs(x.right)} ? ${obs(x.left)} : ${obs(x.right)})`),
            `${obs(FUSED_CUTS.emax)} == ${obs(mt.root)}`,
          ].join(' && '),
          ok: NO_ASSUMPTION,
          width: 1,
        },
        termCuts,
        [...nodeNames, FUSED_CUTS.emax],
        2,
        groupWiring,
      ),
    );

    // 3. align: every term, with the terms' values and E cut
    const termNames = [...Array.from({ length: n }, (_, i) => FUSED_CUTS.term(i)), FUSED_CUTS.termC];
    const alignCuts = [...termCuts, FUSED_CUTS.emax];
    const tw = pw + 1;
    const ctw = cw + 1;
    const sigBits = hs.sigBits;
    const alignGold = [
      ...refExps(),
      ...Array.from({ length: n }, (_, i) => {
        const mag = `ref_m${i}`;
        return [
          `wire [${pw - 1}:0] ${mag} = {${pw - sigBits - up > 0 ? `${pw - sigBits - up}'d0, ` : ''}${tv.sig(i)}${up > 0 ? `, ${up}'d0` : ''}} >> (${FUSED_CUTS.emax} - ref_e${i});`,
          `wire [${tw - 1}:0] ref_t${i} = ${tv.sign(i)} ? ${tw}'d0 - {1'b0, ${mag}} : {1'b0, ${mag}};`,
        ].join('\n  ');
      }),
      `wire [${cKeep}:0] ref_csig = (c[30:23] == 8'hff) ? ${cKeep + 1}'d0 : {c[30:23] != 8'd0, c[22:${23 - cKeep}]};`,
      `wire [${cw - 1}:0] ref_mc = {ref_csig${cUp > 0 ? `, ${cUp}'d0` : ''}} >> (${FUSED_CUTS.emax} - ref_ec);`,
      `wire [${ctw - 1}:0] ref_tc = c[31] ? ${ctw}'d0 - {1'b0, ref_mc} : {1'b0, ref_mc};`,
      `assign gold_y = {${[...Array.from({ length: n }, (_, i) => `ref_t${i}`), 'ref_tc'].join(', ')}};`,
    ];
    out.push(
      sat(
        'align',
        `with the ${grouped ? 'groups' : 'lanes'}' values and E cut: each term is its significand shifted to E, truncated toward zero to ${F} fractional bits, signed`,
        [
          `${alignCuts.join(', ')} are cut. Assumption: ${FUSED_CUTS.emax} is at least every term's exponent (the exponents obligation).`,
          `For every value of the cuts and inputs: term_i = (-1)^sign_i * floor(sig_i * 2^(${F} - ${hs.sigFrac}) / 2^(E - e_i)) for i = 0 .. ${n - 1}${grouped ? ` (sig_i the group's ${FUSED_CUTS.group('mag')} slice, sign_i its ${FUSED_CUTS.group('sign')} bit)` : ''}, and term_c = (-1)^s_c * floor(sig_c * 2^(${F} - 23) / 2^(E - e_c)),`,
          `with sig_c C's significand (hidden bit, 23 fraction bits; 0 for Inf / NaN, whose result the specials decide)${cKeep < 23 ? `, its ${23 - cKeep} low bits dropped first (the same floor)` : ''}.`,
        ],
        {
          about: ["gold: the terms written from their definition; gate: the unit's terms with the terms' values and E cut"],
          inputs: [...inputs, ...alignCuts.map((c) => ({ name: c, width: w(c) }))],
          dutWires: termNames.map((t, i) => ({ name: `dut_${t}`, width: i < n ? tw : ctw })),
          dutConnections: [...connect(inputs), ...alignCuts.map((c) => ({ port: c, expr: c })), ...termNames.map((t) => ({ port: t, expr: `dut_${t}` })), { port: FUSED_PORTS.d, expr: '' }],
          gold: alignGold,
          gate: `{${termNames.map((t) => `dut_${t}`).join(', ')}}`,
          ok: all((e) => `${FUSED_CUTS.emax} >= ${e}`),
          width: n * tw + ctw,
        },
        alignCuts,
        termNames,
        3,
      ),
    );

    // 4. sum: sign and magnitude of the exact sum of the cut terms
    const fullW = Math.max(tw, ctw) + Math.ceil(Math.log2(n + 1)) + 1;
    const inRange = (x: string, width: number, max: bigint): string => `($signed(${x}) >= $signed(${hexLit(width, -max)}) && $signed(${x}) <= $signed(${hexLit(width, max)}))`;
    const wm = w(FUSED_CUTS.sumMag);
    out.push(
      sat(
        'sum',
        `with the terms cut: ${FUSED_CUTS.sumNeg} and ${FUSED_CUTS.sumMag} are the sign and magnitude of term_0 + ... + term_${n - 1} + term_c, exactly`,
        [
          `term_0 .. term_${n - 1} and term_c are cut. Assumption: |term_i| <= ${hs.tmax}, |term_c| <= ${hs.cmax} (what align produces).`,
          `For every such value: ${FUSED_CUTS.sumNeg} = (the sum < 0) and ${FUSED_CUTS.sumMag} = |the sum| (${wm} bits), the sum computed by a balanced tree at ${fullW} bits (no partial sum can overflow).`,
        ],
        {
          about: ["gold: the sum of the cut terms by a full-width tree; gate: the sign and magnitude of the unit's sum"],
          inputs: [...inputs, ...termNames.map((c, i) => ({ name: c, width: i < n ? tw : ctw }))],
          dutWires: [
            { name: 'dut_neg', width: 1 },
            { name: 'dut_mag', width: wm },
          ],
          dutConnections: [...connect(inputs), ...termNames.map((c) => ({ port: c, expr: c })), { port: FUSED_CUTS.sumNeg, expr: 'dut_neg' }, { port: FUSED_CUTS.sumMag, expr: 'dut_mag' }, { port: FUSED_PORTS.d, expr: '' }],
          gold: [
            `wire [${fullW - 1}:0] ref_s;`,
            ...referenceTree(termNames.map((name, i) => ({ name, width: i < n ? tw : ctw })), fullW, 'ref_s'),
            `wire [${fullW - 1}:0] ref_abs = ref_s[${fullW - 1}] ? ${fullW}'d0 - ref_s : ref_s;`,
            `assign gold_y = {ref_s[${fullW - 1}], ref_abs[${wm - 1}:0]};`,
          ],
          gate: '{dut_neg, dut_mag}',
          ok: termNames.map((x, i) => inRange(x, i < n ? tw : ctw, i < n ? hs.tmax : hs.cmax)).join(' && '),
          width: 1 + wm,
        },
        termNames,
        [FUSED_CUTS.sumNeg, FUSED_CUTS.sumMag],
        3,
      ),
    );

    // 5. flags: the special results' flags and sign
    const flagCuts = [...(grouped ? [FUSED_CUTS.group('nan')] : flags.map((f) => FUSED_CUTS.lane(f))), FUSED_CUTS.sumNeg];
    const red = (f: Flag): string => (flags.includes(f) ? `(|${FUSED_CUTS.lane(f)})` : "1'b0");
    out.push(
      sat(
        'flags',
        `with the ${grouped ? 'groups' : 'lanes'}' flags and the sum's sign cut: the result is NaN, Inf, or finite with its sign, as the golden rules say`,
        [
          `${flagCuts.join(', ')} are cut. NaN = C is NaN${tv.nanWords}${flags.length > 0 ? ', or a lane is NaN' : ''}, or +Inf (${flags.length > 0 ? "a lane's, or C's" : "C's"}) meets -Inf; Inf = otherwise an Inf ${flags.length > 0 ? 'lane or C' : 'C'};`,
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
            `wire ref_nan = ref_cnan${tv.nanExtra} | ${red('nan')} | (ref_p & ref_n);`,
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
    planPart(out, u, 'round', () => roundSatObligation(u, ts, st, `with the rounder's inputs cut: d = (-1)^sign * |sum| * 2^(E - ${B} - ${F}) converted to FP32 toward zero${FUSED_SHAPES[p.kind].outFracBits < 23 ? ` keeping ${FUSED_SHAPES[p.kind].outFracBits} fraction bits` : ''}, +0 when it truncates to zero`));
    planPart(out, u, 'specials', () => specialsObligation(u, ts, st));
    return out;
  },
  coverage: (u) => {
    const p = fusedFamily.fromParameters(u.parameters);
    const grouped = FUSED_SHAPES[p.kind].group > 1;
    return [
      grouped
        ? `The steps of src/fused.ts fusedDotAdd, one obligation each: every group's |exact sum of ${FUSED_SHAPES[p.kind].group} products| times both scale significands, its sign and its NaN flag, proven on the group module by the dot product's obligations (group.*), and the groups' wiring (with exponents),`
        : 'The steps of src/fused.ts fusedDotAdd, one obligation each: the products of every code pair and the wiring of the lanes (lane),',
      `the largest exponent (exponents), each term aligned and truncated (align), their exact sum (sum), the conversion of the sum toward zero`,
      `(round), and the special results (flags, specials). Each obligation cuts the wires the one before it proves, so together they give`,
      `${u.top}'s d for every input: the golden d, whose steps are these (every term, exponent and flag of the golden function is the one`,
      'the obligations state, and the rounding is src/round-float.ts toward zero, as fusedDotAdd calls it). That the golden',
      'fusedDotAdd is this composition is checked before the proofs on 2,000 instructions with zeros, specials and extreme scales',
      '(formal/golden.ts checkFusedDecomposition); the run stops with an error if it is not.',
    ];
  },
};
