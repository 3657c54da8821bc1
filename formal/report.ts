/**
 * formal/reports/<config>.json and .md: per unit and per obligation the status, the time, the
 * exact Yosys script and how to rerun it, counterexamples in format values, and the argument that
 * the obligations of a unit together cover the whole unit.
 */
import type { Counterexample, Method, Status } from './spec.js';

export interface ObligationReport {
  readonly id: string;
  readonly title: string;
  readonly statement: readonly string[];
  readonly method: Method | 'none';
  readonly status: Status;
  readonly seconds: number;
  readonly detail: string;
  /** paths relative to the project root */
  readonly script?: string;
  readonly scriptText?: string;
  readonly files: readonly string[];
  readonly logs: readonly string[];
  readonly rerun: readonly string[];
  readonly warnings: readonly string[];
  readonly counterexample?: Counterexample;
  readonly vectorFile?: string;
}

export interface UnitReport {
  readonly family: string;
  readonly top: string;
  /** the unit's files (paths relative to the project root) and their sha256 */
  readonly files: readonly { readonly path: string; readonly sha256: string }[];
  /** files whose sha256 differs from the manifest's (edited after generation) */
  readonly edited: readonly string[];
  readonly coverage: readonly string[];
  readonly obligations: readonly ObligationReport[];
}

export interface Report {
  readonly format: 'mxrtl-formal-report/1';
  readonly config: string;
  readonly rtl: string;
  readonly generator: { readonly version: string; readonly command: string };
  readonly yosys: { readonly release: string; readonly package: string };
  readonly node: string;
  readonly cpus: number;
  readonly jobs: number;
  readonly timeoutSeconds: number;
  readonly started: string;
  readonly wallSeconds: number;
  /** the --only selection, or null for a full run */
  readonly only: string | null;
  readonly result: 'proven' | 'not proven';
  readonly counts: Readonly<Record<Status, number>>;
  readonly units: readonly UnitReport[];
  readonly sequential: string;
}

/** What the proofs say about a unit with files edited after generation: the files, and the real status. */
export function editedText(u: Pick<UnitReport, 'edited' | 'obligations'>): string {
  const files = u.edited.join(', ');
  const n = u.obligations.length;
  const proven = u.obligations.filter((o) => o.status === 'proven').length;
  const what = proven === n ? `the edited file${u.edited.length === 1 ? ' is' : 's are'} proven equal to the golden model as ${u.edited.length === 1 ? 'it stands' : 'they stand'}` : `the unit as edited is NOT proven (${proven} of ${n} obligations proven)`;
  return `${files} ${u.edited.length === 1 ? 'differs' : 'differ'} from the SHA-256 in manifest.json; ${what}.`;
}

export function secondsText(s: number): string {
  return s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`;
}

const METHOD_TEXT: Record<Method | 'none', string> = {
  equiv: 'Yosys equiv_simple',
  sat: 'Yosys SAT',
  exhaustive: 'exhaustive (Yosys netlist)',
  induction: 'Yosys SAT k-induction',
  netlist: 'netlist check (Yosys write_json)',
  none: '-',
};

/**
 * The command that replays a counterexample's vector file on the simulation bench, on the RTL the
 * proofs ran on (`rtl`, relative to the project root): the Makefile's RTL defaults to rtl-out.
 */
export function replayCommand(rtl: string, vectorFile: string): string {
  return `make sim${rtl === 'rtl-out' ? '' : ` RTL=${rtl}`} SIM_ARGS="--replay ${vectorFile}"`;
}

function cexMarkdown(c: Counterexample, vectorFile: string | undefined, rtl: string): string[] {
  const out: string[] = ['', '**Counterexample**', ''];
  for (const l of c.at) out.push(`- found: ${l}`);
  if (c.inputs.length > 0) {
    out.push('- input vector of the whole unit:');
    for (const l of c.inputs) out.push(`  - ${l}`);
  }
  if (c.expected !== undefined) out.push(`- golden model: ${c.expected}`);
  if (c.actual !== undefined) out.push(`- generated unit (evaluated by Yosys, nothing cut): ${c.actual}`);
  out.push(`- confirmed on the whole unit: ${c.confirmed ? 'yes, the outputs differ' : 'no'}`);
  if (c.note) out.push(`- note: ${c.note}`);
  if (vectorFile) out.push(`- vector file: \`${vectorFile}\` (replay: \`${replayCommand(rtl, vectorFile)}\`)`);
  return out;
}

export function renderMarkdown(r: Report): string {
  const all = r.units.flatMap((u) => u.obligations);
  const proven = all.filter((o) => o.status === 'proven').length;
  const out: string[] = [];
  out.push(`# Formal equivalence: ${r.config}`, '');
  out.push(
    `**${r.result === 'proven' ? 'PROVEN' : 'NOT PROVEN'}**: ${proven} of ${all.length} obligations proven` +
      (r.counts.failed ? `, ${r.counts.failed} failed` : '') +
      (r.counts.unknown ? `, ${r.counts.unknown} unknown (timed out)` : '') +
      (r.counts.error ? `, ${r.counts.error} error` : '') +
      `, in ${secondsText(r.wallSeconds)} wall time.`,
    '',
  );
  if (r.only !== null) out.push(`Partial run: only \`${r.only}\`.`, '');
  out.push(
    `- RTL: \`${r.rtl}\`, generated by mxrtl ${r.generator.version} (\`${r.generator.command}\`)`,
    `- Yosys: ${r.yosys.release}, WebAssembly build from npm ${r.yosys.package}`,
    `- Node ${r.node}; ${r.cpus} CPUs; ${r.jobs} proof workers; time limit ${r.timeoutSeconds} s per obligation`,
    `- started ${r.started}`,
    '',
    'A timed-out obligation is reported as unknown, and a Yosys error or crash as error; only "proven" means proven.',
    '',
    '| unit | obligation | method | status | time |',
    '| --- | --- | --- | --- | ---: |',
  );
  for (const u of r.units) {
    for (const o of u.obligations) out.push(`| ${u.family} | ${o.id} | ${METHOD_TEXT[o.method]} | ${o.status} | ${secondsText(o.seconds)} |`);
  }
  out.push('', `Sum of obligation times: ${secondsText(all.reduce((s, o) => s + o.seconds, 0))} (obligations run in parallel on ${r.jobs} workers).`, '');
  for (const u of r.units) {
    out.push(`## ${u.family}: \`${u.top}\``, '');
    out.push(`Files: ${u.files.map((f) => `\`${f.path}\` (sha256 \`${f.sha256.slice(0, 16)}...\`)`).join(', ')}.`, '');
    if (u.edited.length > 0) out.push(`**Edited after generation:** ${editedText(u)}`, '');
    out.push('### Why the obligations cover the whole unit', '');
    for (const l of u.coverage) out.push(l);
    out.push('');
    for (const o of u.obligations) {
      out.push(`### ${o.id}: ${o.status} (${secondsText(o.seconds)})`, '');
      out.push(o.title, '');
      for (const l of o.statement) out.push(`> ${l}`);
      out.push('', `Method: ${METHOD_TEXT[o.method]}. Engine: ${o.detail}`);
      if (o.warnings.length > 0) out.push('', `Yosys warnings: ${o.warnings.slice(0, 5).map((w) => `\`${w}\``).join('; ')}`);
      if (o.counterexample) out.push(...cexMarkdown(o.counterexample, o.vectorFile, r.rtl));
      if (o.rerun.length > 0) {
        out.push('', 'Rerun by hand (from the project root):', '', '```sh', ...o.rerun, '```');
      }
      if (o.script && o.scriptText) {
        out.push('', `Yosys script \`${o.script}\`${o.files.length > 0 ? `, reading ${o.files.map((f) => `\`${f}\``).join(', ')}` : ''}:`, '', '```', o.scriptText.trimEnd(), '```');
      }
      if (o.logs.length > 0) out.push('', `Logs: ${o.logs.map((l) => `\`${l}\``).join(', ')}`);
      out.push('');
    }
  }
  out.push('## Sequential equivalence', '', r.sequential, '');
  return out.join('\n');
}

/** The report's word on the clocked units of a manifest: which proofs cover their cycles. */
export function sequentialText(units: readonly { readonly top: string; readonly clocked: boolean; readonly registerStages: number }[]): string {
  const clocked = units.filter((u) => u.clocked);
  if (clocked.length === 0) return 'Every unit in the manifest is combinational (no clock): there is no sequential proof to run.';
  return clocked
    .map((u) =>
      u.registerStages > 0
        ? `- \`${u.top}\` is a pipeline of ${u.registerStages} register stage${u.registerStages > 1 ? 's' : ''}: \`${u.top}.pipeline\` checks on its netlist that every path from an input to an output passes ${u.registerStages} register${u.registerStages > 1 ? 's' : ''} and none loops, and its other obligations are proven on the netlist with those registers shorted (the function its stages compute). Together: its outputs just after a rising edge are the combinational unit's on the inputs clocked in ${u.registerStages - 1 === 0 ? 'at that edge' : `${u.registerStages - 1} edge${u.registerStages > 2 ? 's' : ''} before`}.`
        : `- \`${u.top}\` is clocked and holds state of its own: its obligations state what holds of every cycle (one step of its registers; with register stages, the retime obligation relates it to the unit without them).`,
    )
    .join('\n');
}
