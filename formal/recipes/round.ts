/**
 * The obligations of the one shared rounder (generator/raw/round.ts), for any unit that hands it
 * (sign, mag, exp, nan, inf) at named cut points: the rounding of every finite input by SAT against
 * the reference rounder (formal/round-reference.ts, itself checked against the golden rounding
 * first), and the special results.
 */
import { floatBits, floatInf, floatQuietNan, type FloatFormat } from '../../src/formats/float.js';
import { miterScripts, type FreeInput, type Miter } from '../harness.js';
import { boundaryMagnitudes, referenceRounder } from '../round-reference.js';
import type { CexSearch, ObligationSpec, UnitRef, WorkFile } from '../spec.js';
import { hexLit } from '../verilog.js';
import { obligationId, tiesOf, wireWidth, type ModuleShape } from './common.js';

/** The rounder of a unit as its proof sees it: the cut names, the result port and the input range. */
export interface RoundStage {
  readonly sign: string;
  readonly mag: string;
  /** null: the exponent is always 0 (value = mag * 2^expOffset) */
  readonly exp: string | null;
  readonly nan: string | null;
  readonly inf: string | null;
  /** the result: a port of the unit, or (resultWire) an internal wire, observed */
  readonly result: string;
  readonly resultWire?: boolean;
  readonly out: FloatFormat;
  readonly magMax: bigint;
  readonly expMax: number;
  readonly expOffset: number;
  /** the sign of an exact zero (mag = 0) */
  readonly zero: 'positive' | 'keep-sign';
  /** the unit's own inputs (left free, connected to the dut) */
  readonly inputs: readonly FreeInput[];
  /** the unit's outputs other than the result (left open) */
  readonly otherOutputs?: readonly string[];
  /** the rounder's mode and kept fraction bits (default: to nearest even, all bits) */
  readonly mode?: 'nearest-even' | 'toward-zero';
  readonly keepFraction?: number;
  /** the code of a NaN result (default the format's quiet NaN) */
  readonly nanCode?: number;
}

function bitLen(x: bigint): number {
  return x === 0n ? 1 : x.toString(2).length;
}

export function stageCuts(st: RoundStage): string[] {
  return [st.sign, st.mag, ...(st.exp ? [st.exp] : []), ...(st.nan ? [st.nan] : []), ...(st.inf ? [st.inf] : [])];
}

const connect = (ins: readonly FreeInput[]) => ins.map((i) => ({ port: i.name, expr: i.name }));

/** "+0 if m = 0" or "a zero of the sign if m = 0", for statements. */
function zeroText(st: RoundStage): string {
  return st.zero === 'positive' ? 'result = +0 if m = 0' : 'result = a zero of the sign if m = 0';
}

/**
 * The rounding of every finite (sign, exp, mag) in range, by SAT against the reference rounder; the
 * reference is checked against the golden rounding at every boundary point of this width first.
 * `cex` may add a search for a counterexample among values the unit can really produce.
 */
export function roundSatObligation(
  u: UnitRef,
  ts: ModuleShape,
  st: RoundStage,
  title: string,
  cex?: (m: Miter, prep: Parameters<typeof miterScripts>[3], ref: WorkFile) => CexSearch,
): ObligationSpec {
  const id = obligationId(u, 'round');
  const w = (n: string): number => wireWidth(u.top, ts, n, "the rounder's inputs are cut there");
  const cuts = stageCuts(st);
  const wm = w(st.mag);
  const we = st.exp ? w(st.exp) : 1;
  const expText = st.exp ?? "1'b0";
  const wr = floatBits(st.out);
  const refName = 'ref_round';
  const refText = referenceRounder({ name: refName, magWidth: wm, expWidth: we, expOffset: st.expOffset, out: st.out, zero: st.zero, mode: st.mode, keepFraction: st.keepFraction });
  const refFile: WorkFile = { name: `${refName}.v`, text: refText };
  const held = [st.nan, st.inf].filter((x): x is string => x !== null);
  const m: Miter = {
    id,
    about: [
      'gold: the reference rounder (formal/round-reference.ts, written from the definition of rounding, checked against the',
      "golden rounding before this run); gate: the result with the rounder's inputs cut. Assumption: no NaN / Inf (the specials",
      `obligation covers them), the magnitude at most ${st.magMax} and the exponent at most ${st.expMax}, as the stage before guarantees.`,
    ],
    inputs: [...st.inputs, ...cuts.map((c) => ({ name: c, width: w(c) }))],
    dutWires: [{ name: 'dut_result', width: wr }],
    dutConnections: [...connect(st.inputs), ...cuts.map((c) => ({ port: c, expr: c })), { port: st.result, expr: 'dut_result' }, ...(st.otherOutputs ?? []).map((o) => ({ port: o, expr: '' }))],
    gold: [`${refName} u_ref (.m(${st.mag}), .e(${expText}), .sign(${st.sign}), .r(gold_y));`],
    gate: 'dut_result',
    ok: [...held.map((h) => `~${h}`), `${st.mag} <= ${hexLit(wm, st.magMax)}`, ...(st.exp ? [`${st.exp} <= ${hexLit(we, st.expMax)}`] : [])].join(' && '),
    width: wr,
  };
  const observes = st.resultWire ? [st.result] : [];
  const prep = { rtlFiles: u.files.map((f) => f.name), top: u.top, cuts, observes, ties: tiesOf(ts, cuts, observes) };
  const s = miterScripts('sat', m, title, prep, refFile);
  const cexSearch = cex?.(m, prep, refFile);
  const mags = boundaryMagnitudes(wm, st.out.mbits);
  const checkScript = [
    `# mxrtl formal: ${id}, the reference rounder's own check`,
    `read_verilog ${refName}.v`,
    `hierarchy -check -top ${refName}`,
    'proc',
    'opt -fast',
    'techmap',
    'opt -fast',
    'aigmap',
    'opt_clean',
    `write_aiger -ascii -map ${id}.ref.map ${id}.ref.aag`,
    'delete t:*',
    'opt_clean -purge',
    `write_json ${id}.ref.ports.json`,
    '',
  ].join('\n');
  const points = 2 * (st.expMax + 1) * mags.length;
  return {
    id,
    unit: u,
    title,
    statement: [
      `${cuts.join(', ')} are cut${held.length > 0 ? `; ${held.join(' and ')} held at 0 (the specials obligation covers them)` : ''}.`,
      `For every sign, ${st.exp ? `${st.exp} = e in 0 .. ${st.expMax}` : 'e = 0'} and ${st.mag} = m in 0 .. ${st.magMax}: ${st.result} ${zeroText(st).replace(/^result /, '')}, else roundToFloat(${st.out.name}, sign, m, e + ${st.expOffset}) (src/round-float.ts).`,
      `Method: SAT against a reference rounder (${bitLen(st.magMax)}-bit magnitudes are too many to enumerate). The reference is written from the definition of`,
      "rounding in formal/round-reference.ts, with none of the generated rounder's structure; it is trusted because it equals the golden",
      `rounding on every input at small widths (test/formal/round-reference.test.ts) and, in this run, at all ${points.toLocaleString('en-US')} boundary points of this width`,
      '(every exponent, every power of two and its neighbours, the points around every rounding boundary and tie).',
    ],
    method: 'sat',
    scriptFile: s.scriptFile,
    script: s.script,
    files: s.files,
    ...(cexSearch ? { cexSearch } : {}),
    referenceCheck: {
      scriptFile: `${id}.ref.ys`,
      script: checkScript,
      files: [refFile],
      space: {
        type: 'round',
        aagFile: `${id}.ref.aag`,
        mapFile: `${id}.ref.map`,
        portsFile: `${id}.ref.ports.json`,
        top: refName,
        mag: 'm',
        magMax: (1n << BigInt(wm)) - 1n,
        mags,
        exp: 'e',
        expMax: st.expMax,
        expOffset: st.expOffset,
        sign: 'sign',
        zeros: [],
        result: 'r',
        out: st.out.name,
        ...(st.zero === 'positive' ? {} : { zero: st.zero }),
        ...(st.mode === 'toward-zero' ? { options: { mode: st.mode, ...(st.keepFraction !== undefined ? { keepFraction: st.keepFraction } : {}) } } : {}),
      },
    },
    weight: 3,
  };
}

/** With the rounder's inputs cut: the NaN flag gives the quiet NaN, the Inf flag Inf of the sign. */
export function specialsObligation(u: UnitRef, ts: ModuleShape, st: RoundStage): ObligationSpec {
  if (st.nan === null) throw new Error(`${u.top}: a specials obligation without a NaN flag`);
  const id = obligationId(u, 'specials');
  const cuts = stageCuts(st);
  const w = (n: string): number => wireWidth(u.top, ts, n, 'a cut point');
  const wr = floatBits(st.out);
  const nan = st.nan;
  const inf = st.inf;
  const qnan = hexLit(wr, st.nanCode ?? floatQuietNan(st.out));
  const infBits = hexLit(wr - 1, floatInf(st.out, false));
  const m: Miter = {
    id,
    about: [`gold: the quiet NaN ${qnan} when ${nan}, else Inf of ${st.sign}${inf ? ` when ${inf}` : ''}; gate: result with the rounder's inputs cut.`],
    inputs: [...st.inputs, ...cuts.map((c) => ({ name: c, width: w(c) }))],
    dutWires: [{ name: 'dut_result', width: wr }],
    dutConnections: [...connect(st.inputs), ...cuts.map((c) => ({ port: c, expr: c })), { port: st.result, expr: 'dut_result' }, ...(st.otherOutputs ?? []).map((o) => ({ port: o, expr: '' }))],
    gold: [`assign gold_y = ${nan} ? ${qnan} : {${st.sign}, ${infBits}};`],
    gate: 'dut_result',
    ok: inf ? `${nan} | ${inf}` : nan,
    width: wr,
  };
  const title = `with the rounder's inputs cut: ${nan} gives the quiet NaN${inf ? `, ${inf} the Inf of the sign` : ''}, whatever the other inputs`;
  const observes = st.resultWire ? [st.result] : [];
  const s = miterScripts('sat', m, title, { rtlFiles: u.files.map((f) => f.name), top: u.top, cuts, observes, ties: tiesOf(ts, cuts, observes) }, null);
  return {
    id,
    unit: u,
    title,
    statement: [
      `${cuts.join(', ')} are cut (free inputs). For every value of them with ${nan} = 1: ${st.result} = ${qnan};`,
      ...(inf ? [`with ${nan} = 0 and ${inf} = 1: ${st.result} = {${st.sign}, ${infBits}} (Inf of the sign).`] : []),
    ],
    method: 'sat',
    scriptFile: s.scriptFile,
    script: s.script,
    files: s.files,
    weight: 1,
  };
}
