/**
 * What every proof recipe (formal/recipes/<family>.ts, named like the family's definition in
 * generator/units/) shares: the shape Yosys reports of the generated modules, the obligation kinds
 * a plan may return, and the script of an exhaustive obligation.
 */
import type { PortValues } from '../../generator/units/unit.js';
import { sext } from '../verilog.js';
import type { ExhaustiveSpace, Field, LaneInstances, ObligationSpec, PortInfo, Tie, UnitRef } from '../spec.js';

/** What Yosys reports about one generated module (see tasks.ts `inspect`). */
export interface ModuleShape {
  readonly ports: readonly PortInfo[];
  /** every named wire (ports included) and its width */
  readonly wires: Readonly<Record<string, number>>;
  /** for a named wire, the other named wires (ports excluded) that are the same net */
  readonly aliases?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The other names of the cut nets: a later stage may read a cut net under another name (the same
 * bits). Each such name is cut too and given the cut's value, so the read sees the cut, as it sees
 * the net in the design. Names that are cut or observed themselves are left alone.
 */
export function tiesOf(shape: ModuleShape, cuts: readonly string[], keep: readonly string[]): Tie[] {
  return cuts.flatMap((c) => (shape.aliases?.[c] ?? []).filter((a) => !cuts.includes(a) && !keep.includes(a)).map((a) => ({ alias: a, cut: c, width: shape.wires[c] ?? 0 })));
}

/** The unit cannot be proven as generated (a missing wire, a port of the wrong width). */
export class PlanError extends Error {
  override readonly name = 'PlanError';
}

/** An obligation that cannot be set up for this RTL (error), or whose method does not reach it (unknown). */
export interface Unplanned {
  readonly id: string;
  readonly status: 'error' | 'unknown';
  readonly detail: string;
  readonly title: string;
  readonly statement: readonly string[];
}

export type Planned = ObligationSpec | Unplanned;

export function isUnplanned(p: Planned): p is Unplanned {
  return 'status' in p;
}

export interface Recipe {
  /** the obligations' parts, in report order */
  parts(u: UnitRef): string[];
  /** the obligations; `shape` gives the ports and wires of a module of the unit's hierarchy */
  plan(u: UnitRef, shape: (module: string) => ModuleShape): Planned[];
  /** why the obligations together cover the whole unit, as lines of Markdown */
  coverage(u: UnitRef): string[];
  /**
   * Input vectors of the whole unit that should show a difference found by obligation `part`, from
   * the values found (unit inputs and cut points by name; for the round stage sign, exp and mag).
   */
  realize?(u: UnitRef, part: string, found: ReadonlyMap<string, bigint>): PortValues[];
  /** values of the unit's inputs where a counterexample leaves them free (default 0) */
  defaults?(u: UnitRef): Readonly<Record<string, bigint>>;
}

export function obligationId(u: UnitRef, part: string): string {
  return `${u.top}.${part}`;
}

/** Plan one part into `out`; a PlanError becomes an 'error' obligation that carries its message. */
export function planPart(out: Planned[], u: UnitRef, name: string, make: () => Planned): void {
  try {
    out.push(make());
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    out.push({ id: obligationId(u, name), status: 'error', detail: e.message, title: name, statement: [] });
  }
}

export function requirePorts(module: string, shape: ModuleShape, want: readonly PortInfo[]): void {
  for (const p of want) {
    const have = shape.ports.find((x) => x.name === p.name);
    if (!have) throw new PlanError(`${module} has no ${p.dir} port '${p.name}'`);
    if (have.dir !== p.dir || have.width !== p.width) throw new PlanError(`${module}: port '${p.name}' is ${have.dir} [${have.width}], expected ${p.dir} [${p.width}]`);
  }
  for (const p of shape.ports) {
    if (!want.some((w) => w.name === p.name)) throw new PlanError(`${module} has an unexpected port '${p.name}'`);
  }
}

export function wireWidth(module: string, shape: ModuleShape, name: string, why: string): number {
  const w = shape.wires[name];
  if (w === undefined) throw new PlanError(`${module} has no wire '${name}' (${why})`);
  return w;
}

/** The port list of a module (inputs and outputs) as Yosys reported it. */
export function portsOf(shape: ModuleShape): PortInfo[] {
  return shape.ports.map((p) => ({ name: p.name, dir: p.dir, width: p.width }));
}

/**
 * The Yosys script of an exhaustive obligation: module `top` of the unit's files, cut at `cuts`
 * (free inputs, drivers disconnected) and observed at `observes` (made outputs), flattened and
 * mapped to an and-inverter graph that mxrtl then evaluates on every point of `space`.
 */
export function exhaustiveObligation(
  u: UnitRef,
  part: string,
  top: string,
  title: string,
  statement: readonly string[],
  cuts: readonly string[],
  observes: readonly string[],
  space: (netlist: { aagFile: string; mapFile: string; portsFile: string; top: string }) => ExhaustiveSpace,
  weight: number,
  /** output ports the obligation does not compare: their logic is dropped before mapping */
  unused: readonly string[] = [],
  /** other names of cut nets (tiesOf), cut as well and given the cut's values by the evaluator */
  ties: readonly Tie[] = [],
  /**
   * `top` is a lane module: the lanes are its instances in `parent`, connected per lane as listed
   * (lane-module port -> bits of the parent); the space's lanes then describe the one module
   */
  instancesIn?: { readonly parent: string; readonly lanes: readonly Readonly<Record<string, Field>>[] },
): ObligationSpec {
  const id = obligationId(u, part);
  const jsonFile = `${id}.wiring.json`;
  const elaborate = instancesIn
    ? [
        `hierarchy -check -top ${instancesIn.parent}`,
        'proc',
        `# ${instancesIn.parent} as elaborated (not flattened): mxrtl checks that it holds one ${top} per lane, wired as stated`,
        `write_json ${jsonFile}`,
        `# then ${top} alone: the lane module whose netlist is evaluated`,
        `hierarchy -top ${top}`,
      ]
    : [`hierarchy -check -top ${top}`, 'proc'];
  const named = [...cuts, ...observes];
  const chunks = (xs: readonly string[]): string[][] => Array.from({ length: Math.ceil(xs.length / 8) }, (_, i) => xs.slice(8 * i, 8 * i + 8));
  const script = [
    `# mxrtl formal: ${id}`,
    `# ${title}`,
    '# Writes the netlist as an and-inverter graph; mxrtl then evaluates it on every point of the input',
    '# space and compares each result with the golden model.',
    ...u.files.map((f) => `read_verilog ${f.name}`),
    ...elaborate,
    ...(named.length > 0 ? ['# every cut and observed wire exists under its name', ...chunks(named).map((c) => `select -assert-count ${c.length} ${c.map((w) => `${top}/w:${w}`).join(' ')}`)] : []),
    ...(cuts.length > 0 ? ['# cut points: each wire becomes a free input, its driver disconnected', ...chunks(cuts).map((c) => `expose -input ${c.map((w) => `${top}/w:${w}`).join(' ')}`)] : []),
    ...(ties.length > 0 ? [`# other names of cut nets: cut too, each given its cut's value (${ties.map((t) => `${t.alias} = ${t.cut}`).join(', ')})`, ...chunks(ties.map((t) => t.alias)).map((c) => `expose -input ${c.map((w) => `${top}/w:${w}`).join(' ')}`)] : []),
    ...(cuts.length > 0 ? ['# no net has two drivers after the cuts', 'check -assert'] : []),
    ...(observes.length > 0 ? ['# observed wires become outputs', ...chunks(observes).map((c) => `expose ${c.map((w) => `${top}/w:${w}`).join(' ')}`)] : []),
    ...(unused.length > 0 ? ['# outputs not compared here lose their port status, and their logic with it', `delete -port ${unused.map((w) => `${top}/w:${w}`).join(' ')}`] : []),
    'flatten -noscopeinfo',
    'memory',
    'opt -fast',
    'wreduce',
    'opt_clean',
    'techmap',
    'opt -fast',
    'aigmap',
    'opt_clean',
    `write_aiger -ascii -map ${id}.map ${id}.aag`,
    '# the ports alone: the AIGER map leaves output bits driven by constants unnamed',
    'delete t:*',
    'opt_clean -purge',
    `write_json ${id}.ports.json`,
    '',
  ].join('\n');
  return {
    id,
    unit: u,
    title,
    statement,
    method: 'exhaustive',
    scriptFile: `${id}.ys`,
    script,
    files: [],
    space: withInstances(
      { ...space({ aagFile: `${id}.aag`, mapFile: `${id}.map`, portsFile: `${id}.ports.json`, top }), ...(ties.length > 0 ? { ties } : {}) },
      instancesIn && { parent: instancesIn.parent, jsonFile, lanes: instancesIn.lanes },
    ),
    weight,
  };
}

function withInstances(space: ExhaustiveSpace, instances: LaneInstances | undefined): ExhaustiveSpace {
  if (!instances) return space;
  if (space.type !== 'lanes') throw new PlanError('only a lane space can be a lane module\'s instances');
  return { ...space, instances };
}

/**
 * The reference sum of cut terms: a balanced tree at full `width` (no partial sum can overflow),
 * assigned to `target`. The terms are two's complement wires of their given widths.
 */
export function referenceTree(terms: readonly { readonly name: string; readonly width: number }[], width: number, target = 'gold_y'): string[] {
  const lines: string[] = [];
  let level = terms.map((t) => sext(t.name, t.width, width));
  let depth = 0;
  while (level.length > 1) {
    depth++;
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      if (i + 1 === level.length) {
        next.push(level[i]);
        continue;
      }
      const name = `ref_t${depth}_${i / 2}`;
      lines.push(`wire [${width - 1}:0] ${name} = ${level[i]} + ${level[i + 1]};`);
      next.push(name);
    }
    level = next;
  }
  lines.push(`assign ${target} = ${level[0]};`);
  return lines;
}
