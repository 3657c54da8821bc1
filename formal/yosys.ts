/**
 * Yosys through @yowasp/yosys (WebAssembly): one call runs one script on an in-memory file tree.
 * The first call in a process compiles the WebAssembly module; later calls reuse it.
 *
 * Also the readers of the Yosys log lines the proofs depend on (SAT result and model, equivalence
 * status, warnings), so that every interpretation of Yosys output lives in one place.
 */
import { Exit, runYosys, version as yowaspVersion } from '@yowasp/yosys';

export interface YosysRun {
  /** exit status: 0 success, non-zero a Yosys ERROR (a failed -assert, a syntax error, ...) */
  readonly code: number;
  /** everything Yosys printed */
  readonly log: string;
  /** text files present after the run (inputs and outputs) */
  readonly files: Record<string, string>;
}

/** Yosys did not exit: the WebAssembly instance trapped or the runtime failed. */
export class YosysCrash extends Error {
  override readonly name = 'YosysCrash';
}

/** Version of the @yowasp/yosys package (the Yosys release is in the log banner). */
export const YOWASP_VERSION: string = yowaspVersion;

type Tree = { [name: string]: Tree | string | Uint8Array };

function flatten(tree: Tree, prefix: string, out: Record<string, string>): void {
  for (const [name, v] of Object.entries(tree)) {
    if (typeof v === 'string') out[prefix + name] = v;
    else if (v instanceof Uint8Array) out[prefix + name] = Buffer.from(v).toString('latin1');
    else flatten(v, `${prefix}${name}/`, out);
  }
}

/** Run Yosys with `args` on `files` (name -> text; names may contain '/'). */
export async function yosys(args: readonly string[], files: Readonly<Record<string, string>>): Promise<YosysRun> {
  const tree: Tree = {};
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split('/');
    let dir = tree;
    for (const p of parts.slice(0, -1)) {
      const next = dir[p];
      if (next === undefined || typeof next === 'string' || next instanceof Uint8Array) dir = dir[p] = {};
      else dir = next;
    }
    dir[parts[parts.length - 1]] = text;
  }
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const sink = (bytes: Uint8Array | null): void => {
    if (bytes) chunks.push(decoder.decode(bytes, { stream: true }));
  };
  try {
    const result = (await runYosys([...args], tree, { stdout: sink, stderr: sink })) as Tree | undefined;
    const out: Record<string, string> = {};
    if (result) flatten(result, '', out);
    return { code: 0, log: chunks.join(''), files: out };
  } catch (e) {
    if (e instanceof Exit) {
      const out: Record<string, string> = {};
      flatten(e.files as Tree, '', out);
      return { code: e.code, log: chunks.join(''), files: out };
    }
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new YosysCrash(`Yosys crashed: ${msg}`);
  }
}

/** "Yosys 0.55 (git sha1 60f126cd0, ...)" from a log banner or `yosys -V`, or null. */
export function yosysVersionLine(log: string): string | null {
  const m = /^\s*(Yosys \d+\.\d+\S*(?: \([^)]*\))?)/m.exec(log);
  return m ? m[1] : null;
}

/** The `ERROR: ...` line of a failed run, or null. */
export function yosysError(log: string): string | null {
  const m = /^ERROR: (.*)$/m.exec(log);
  return m ? m[1].trim() : null;
}

/** Every distinct `Warning: ...` line. */
export function yosysWarnings(log: string): string[] {
  const out = new Set<string>();
  for (const m of log.matchAll(/^Warning: (.*)$/gm)) out.add(m[1].trim());
  return [...out];
}

/** Warnings that mean the proof would not check what it claims to (a width mismatch at a port). */
export function harmfulWarnings(log: string): string[] {
  return yosysWarnings(log).filter((w) => /Resizing cell port|is used but has no driver|multiple conflicting drivers|Identifier .* is implicitly declared/i.test(w));
}

export type SatOutcome = 'proven' | 'failed' | 'none';

/** Outcome of the last `sat -prove ...` of the log ('none' when there is no proof result). */
export function satOutcome(log: string): SatOutcome {
  let outcome: SatOutcome = 'none';
  for (const line of log.split('\n')) {
    if (/SAT proof finished - no model found: SUCCESS!/.test(line)) outcome = 'proven';
    else if (/SAT proof finished - model found: FAIL!/.test(line)) outcome = 'failed';
  }
  return outcome;
}

export type InductionOutcome = 'proven' | 'failed' | 'inconclusive' | 'none';

/**
 * Outcome of a `sat -tempinduct` run: proven (base case and induction step), failed (the base case
 * has a model: a run from the reset on which the property breaks), inconclusive (no induction step
 * of up to -maxsteps cycles closes), none (no result in the log).
 */
export function inductionOutcome(log: string): { outcome: InductionOutcome; length: number | null } {
  const lengths = [...log.matchAll(/\*\* Trying induction with length (\d+) \*\*/g)].map((m) => Number(m[1]));
  const length = lengths.length > 0 ? lengths[lengths.length - 1] : null;
  if (/Induction step proven: SUCCESS!/.test(log)) return { outcome: 'proven', length };
  if (/model found for base case: FAIL!/.test(log)) return { outcome: 'failed', length };
  if (/Reached maximum number of time steps -> proof failed/.test(log)) return { outcome: 'inconclusive', length };
  return { outcome: 'none', length };
}

/**
 * The model table Yosys prints after "model found": signal name -> bits (MSB first, '0'/'1'/'x').
 * Names lose their leading backslash.
 */
export function satModel(log: string): Map<string, string> {
  const model = new Map<string, string>();
  const at = Math.max(log.lastIndexOf('model found: FAIL!'), log.lastIndexOf('SAT solving finished - model found:'));
  if (at < 0) return model;
  const lines = log.slice(at).split('\n');
  let inTable = false;
  for (const line of lines) {
    if (/^\s+Signal Name\s+Dec\s+Hex\s+Bin\s*$/.test(line)) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    if (/^\s+-+ -+/.test(line)) continue;
    const m = /^\s+\\?(\S+)\s+(\S+)\s+(\S+)\s+([01xXzZ]+)\s*$/.exec(line);
    if (!m) {
      if (model.size > 0) break;
      continue;
    }
    model.set(m[1], m[4].toLowerCase());
  }
  return model;
}

export interface EquivStatus {
  readonly total: number;
  readonly proven: number;
  readonly unproven: number;
}

/** Counts from the last `equiv_status` of the log, or null. */
export function equivStatus(log: string): EquivStatus | null {
  let found: EquivStatus | null = null;
  for (const m of log.matchAll(/Found (\d+) \$equiv cells in [^:\n]*:\s*\n\s*Of those cells (\d+) are proven and (\d+) are unproven\./g)) {
    found = { total: Number(m[1]), proven: Number(m[2]), unproven: Number(m[3]) };
  }
  return found;
}

/** Names of the unproven $equiv cells' signals that `equiv_status` lists, e.g. "y [17]". */
export function unprovenEquivSignals(log: string): string[] {
  const out: string[] = [];
  for (const m of log.matchAll(/^\s+Unproven \$equiv \S+: \\?(\S+?)(?:_gold)? \[(\d+)\]/gm)) out.push(`${m[1]}[${m[2]}]`);
  return out;
}

/** A binary string (MSB first) as a bigint; null when it holds x or z bits. */
export function bitsToBigInt(bits: string): bigint | null {
  if (!/^[01]+$/.test(bits)) return null;
  return BigInt('0b' + bits);
}
