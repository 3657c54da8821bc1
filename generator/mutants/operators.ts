/**
 * Systematic mutants of a generated Verilog module: one small, width-preserving edit each, so that
 * a mutant still builds and a bench or proof that misses it shows a gap. Only the right-hand sides
 * of assignments are edited (`wire x = ...;`, `assign x = ...;`, `x <= ...;`, case-table arms);
 * comments, headers and declarations are left alone.
 *
 *   operator     * -> +, + <-> -, & <-> |, ^ -> &, == <-> !=, < <-> <=, > <-> >=, << <-> >>, ~x -> x
 *   constant     a sized literal with its lowest bit flipped
 *   select       x[i] -> x[i +- 1], x[h:l] -> x[h+-1:l+-1], inside x's declared width
 *   condition    c ? a : b -> c ? b : a
 *   case         a case-table arm's value with its lowest bit flipped
 *   concat       two neighbours of equal width in a concatenation swapped
 *
 * The list is deterministic: the same module text gives the same mutants in the same order.
 */

export type MutantKind = 'operator' | 'constant' | 'select' | 'condition' | 'case' | 'concat';

export const MUTANT_KINDS: readonly MutantKind[] = ['operator', 'constant', 'select', 'condition', 'case', 'concat'];

export interface Mutant {
  readonly kind: MutantKind;
  /** 1-based line of the edit */
  readonly line: number;
  /** the line before and after */
  readonly before: string;
  readonly after: string;
}

const SWAPS: Readonly<Record<string, string>> = { '*': '+', '+': '-', '-': '+', '&': '|', '|': '&', '^': '&', '==': '!=', '!=': '==', '<': '<=', '<=': '<', '>': '>=', '>=': '>', '<<': '>>', '>>': '<<' };

/** Declared widths of the module's nets: `wire [7:0] x`, `reg x`, `input wire [3:0] a`. */
export function declaredWidths(text: string): Map<string, number> {
  const widths = new Map<string, number>();
  for (const m of text.matchAll(/^\s*(?:input\s+|output\s+)?(?:wire|reg)\s+(?:\[(\d+):(\d+)\]\s+)?([A-Za-z_][A-Za-z0-9_]*)/gm)) {
    widths.set(m[3], m[1] === undefined ? 1 : Number(m[1]) - Number(m[2]) + 1);
  }
  return widths;
}

/** Where the right-hand side of an assignment line starts, or -1 (also for comment and declaration-only lines). */
function rhsStart(line: string): number {
  const code = line.replace(/\/\/.*$/, '');
  if (/^\s*(?:input|output)\b/.test(code)) return -1;
  let m = /^\s*(?:wire|reg)\s+(?:\[\d+:\d+\]\s+)?[A-Za-z_]\w*\s*=\s*/.exec(code);
  if (m) return m[0].length;
  m = /^\s*assign\s+[^=]+?=\s*/.exec(code);
  if (m) return m[0].length;
  m = /^\s*[A-Za-z_]\w*(?:\[[^\]]*\])?\s*<=\s*/.exec(code);
  if (m) return m[0].length;
  // a case-table arm: "  4'd3: y = 8'h12;"
  m = /^\s*(?:\d+'[bdh][0-9a-fA-F_?xz]+|default)\s*:\s*[A-Za-z_]\w*\s*=\s*/.exec(code);
  if (m) return m[0].length;
  return -1;
}

function isCaseArm(line: string): boolean {
  return /^\s*(?:\d+'[bdh][0-9a-fA-F_?xz]+|default)\s*:/.test(line);
}

/** The end of the statement's right-hand side (before the ';' and any comment). */
function rhsEnd(line: string): number {
  const code = line.replace(/\/\/.*$/, '');
  const semi = code.lastIndexOf(';');
  return semi < 0 ? code.length : semi;
}

function literalFlip(lit: string): string | null {
  const m = /^(\d+)'([bdh])([0-9a-fA-F_]+)$/.exec(lit);
  if (!m) return null;
  const width = Number(m[1]);
  const radix = m[2] === 'b' ? 2 : m[2] === 'd' ? 10 : 16;
  const digits = m[3].replace(/_/g, '');
  const v = BigInt(radix === 10 ? digits : `0${m[2] === 'b' ? 'b' : 'x'}${digits}`);
  const w = v ^ 1n;
  if (w >> BigInt(width) !== 0n) return null;
  return `${width}'${m[2]}${w.toString(radix)}`;
}

/** Width of a simple concatenation item: a sized literal, a name, a bit or part select. */
function itemWidth(item: string, widths: ReadonlyMap<string, number>): number | null {
  const t = item.trim();
  let m = /^(\d+)'[bdh][0-9a-fA-F_]+$/.exec(t);
  if (m) return Number(m[1]);
  m = /^([A-Za-z_]\w*)$/.exec(t);
  if (m) return widths.get(m[1]) ?? null;
  m = /^[A-Za-z_]\w*\[(\d+)\]$/.exec(t);
  if (m) return 1;
  m = /^[A-Za-z_]\w*\[(\d+):(\d+)\]$/.exec(t);
  if (m) return Number(m[1]) - Number(m[2]) + 1;
  return null;
}

/** The index of the ':' that closes the '?' at `q` (depth-0 scan), or -1. */
function matchingColon(s: string, q: number, end: number): number {
  let depth = 0;
  let pending = 0;
  for (let i = q + 1; i < end; i++) {
    const c = s[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      if (depth === 0) return -1;
      depth--;
    } else if (depth === 0 && c === '?') pending++;
    else if (depth === 0 && c === ':') {
      if (pending === 0) return i;
      pending--;
    }
  }
  return -1;
}

/** The mutants of one line (its right-hand side from `from` to `to`). */
function lineMutants(line: string, from: number, to: number, widths: ReadonlyMap<string, number>): { kind: MutantKind; after: string }[] {
  const out: { kind: MutantKind; after: string }[] = [];
  const edit = (kind: MutantKind, at: number, len: number, text: string): void => {
    const after = line.slice(0, at) + text + line.slice(at + len);
    if (after !== line) out.push({ kind, after });
  };
  const rhs = line.slice(from, to);
  // operators: binary ones written with spaces around them (as the emitter writes them), and ~
  for (const m of rhs.matchAll(/ (\*|\+|-|&|\||\^|==|!=|<=|>=|<<|>>|<|>) /g)) {
    const op = m[1];
    edit('operator', from + (m.index ?? 0) + 1, op.length, SWAPS[op]);
  }
  for (const m of rhs.matchAll(/~(?=[A-Za-z_(|&])/g)) edit('operator', from + (m.index ?? 0), 1, '');
  // constants (in a case arm: the arm's value, counted as a case-table entry)
  const kind: MutantKind = isCaseArm(line) ? 'case' : 'constant';
  for (const m of rhs.matchAll(/\b\d+'[bdh][0-9a-fA-F_]+\b/g)) {
    const flipped = literalFlip(m[0]);
    if (flipped) edit(kind, from + (m.index ?? 0), m[0].length, flipped);
  }
  // selects, kept inside the declared width
  for (const m of rhs.matchAll(/\b([A-Za-z_]\w*)\[(\d+)(?::(\d+))?\]/g)) {
    const w = widths.get(m[1]);
    if (w === undefined) continue;
    const hi = Number(m[2]);
    const lo = m[3] === undefined ? hi : Number(m[3]);
    const shift = hi + 1 < w ? 1 : lo > 0 ? -1 : 0;
    if (shift === 0) continue;
    const text = m[3] === undefined ? `${m[1]}[${hi + shift}]` : `${m[1]}[${hi + shift}:${lo + shift}]`;
    edit('select', from + (m.index ?? 0), m[0].length, text);
  }
  // conditions: the first ?: at the top of the right-hand side, arms swapped
  const q = (() => {
    let depth = 0;
    for (let i = from; i < to; i++) {
      const c = line[i];
      if (c === '(' || c === '{' || c === '[') depth++;
      else if (c === ')' || c === '}' || c === ']') depth--;
      else if (c === '?' && depth === 0) return i;
    }
    return -1;
  })();
  if (q >= 0) {
    const colon = matchingColon(line, q, to);
    if (colon > q) {
      const a = line.slice(q + 1, colon).trim();
      const b = line.slice(colon + 1, to).trim();
      out.push({ kind: 'condition', after: `${line.slice(0, q + 1)} ${b} : ${a}${line.slice(to)}` });
    }
  }
  // concatenations: neighbours of equal known width swapped
  for (const m of rhs.matchAll(/\{([^{}]+)\}/g)) {
    const body = m[1];
    if (/^\d+\{/.test(body)) continue;
    const items = body.split(',');
    if (items.length < 2) continue;
    for (let i = 0; i + 1 < items.length; i++) {
      const wa = itemWidth(items[i], widths);
      const wb = itemWidth(items[i + 1], widths);
      if (wa === null || wa !== wb || items[i].trim() === items[i + 1].trim()) continue;
      const swapped = [...items.slice(0, i), ` ${items[i + 1].trim()}`, ` ${items[i].trim()}`, ...items.slice(i + 2)].join(',').replace(/^ /, '');
      edit('concat', from + (m.index ?? 0) + 1, body.length, swapped);
    }
  }
  return out;
}

/** Every mutant of a module's text, in line order. */
export function mutantsOf(text: string): Mutant[] {
  const widths = declaredWidths(text);
  const lines = text.split('\n');
  const out: Mutant[] = [];
  let inModule = false;
  for (const [i, line] of lines.entries()) {
    if (/^\s*module\b/.test(line)) inModule = true;
    if (!inModule || /^\s*\/\//.test(line)) continue;
    const from = rhsStart(line);
    if (from < 0) continue;
    const to = rhsEnd(line);
    for (const m of lineMutants(line, from, to, widths)) out.push({ kind: m.kind, line: i + 1, before: line, after: m.after });
  }
  return out;
}

/** The module text with one mutant applied. */
export function applyMutant(text: string, m: Mutant): string {
  const lines = text.split('\n');
  if (lines[m.line - 1] !== m.before) throw new Error(`line ${m.line} is not the one the mutant was made from`);
  lines[m.line - 1] = m.after;
  return lines.join('\n');
}
