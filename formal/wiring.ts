/**
 * The structural half of a lane obligation whose lanes are instances of one module: the parent's
 * elaborated netlist (Yosys write_json after proc, nothing flattened) holds exactly one instance of
 * the lane module per lane; every port of each instance is connected to the stated bits of the
 * parent, and nothing else; every bit an instance drives is driven by it alone (no other cell, no
 * input port, no constant). With the lane module evaluated on its whole input space, lane i of the
 * parent is then that module applied to lane i's bits.
 */
import type { Field, LaneInstances } from './spec.js';

type Bit = number | string;

interface JsonCell {
  type: string;
  port_directions?: Record<string, string>;
  connections?: Record<string, Bit[]>;
}

interface JsonModule {
  ports?: Record<string, { direction: string; bits: Bit[] }>;
  netnames?: Record<string, { bits: Bit[] }>;
  cells?: Record<string, JsonCell>;
}

function describe(f: Field): string {
  return f.width === 1 ? `${f.port}[${f.lo}]` : `${f.port}[${f.lo + f.width - 1}:${f.lo}]`;
}

function sameBits(x: readonly Bit[] | undefined, y: readonly Bit[]): boolean {
  return x !== undefined && x.length === y.length && x.every((b, i) => b === y[i]);
}

/**
 * Null when `json` shows the parent as stated; otherwise what differs, in one line. Throws when the
 * statement itself names bits the parent does not have (the plan is wrong, not the RTL).
 */
export function checkInstances(jsonText: string, lane: string, inst: LaneInstances): string | null {
  const json = JSON.parse(jsonText) as { modules?: Record<string, JsonModule> };
  const m = json.modules?.[inst.parent];
  if (!m) return `the netlist has no module ${inst.parent}`;
  const bitsOf = (f: Field): Bit[] => {
    const n = m.netnames?.[f.port];
    if (!n || f.lo + f.width > n.bits.length) throw new Error(`${inst.parent} has no bits ${describe(f)}`);
    return n.bits.slice(f.lo, f.lo + f.width);
  };
  const cells = Object.entries(m.cells ?? {});
  const mine = cells.filter(([, c]) => c.type === lane);
  if (mine.length !== inst.lanes.length) return `${inst.parent} holds ${mine.length} instances of ${lane}, expected one per lane (${inst.lanes.length})`;
  // how many drivers each net has: the parent's input ports and every cell output
  const drivers = new Map<Bit, number>();
  const drive = (b: Bit): void => {
    drivers.set(b, (drivers.get(b) ?? 0) + 1);
  };
  for (const p of Object.values(m.ports ?? {})) if (p.direction !== 'output') p.bits.forEach(drive);
  for (const [, c] of cells) {
    for (const [port, bits] of Object.entries(c.connections ?? {})) if (c.port_directions?.[port] !== 'input') bits.forEach(drive);
  }
  const used = new Set<string>();
  for (const [j, want] of inst.lanes.entries()) {
    const ports = Object.keys(want).sort();
    const wanted = Object.fromEntries(ports.map((p) => [p, bitsOf(want[p])]));
    const hit = mine.find(([name, c]) => {
      if (used.has(name)) return false;
      const have = Object.keys(c.connections ?? {}).sort();
      return have.length === ports.length && have.every((p, i) => p === ports[i] && sameBits(c.connections?.[p], wanted[p]));
    });
    if (!hit) {
      return `lane ${j}: no instance of ${lane} in ${inst.parent} connects ${ports.map((p) => `.${p}(${describe(want[p])})`).join(' ')} and nothing else`;
    }
    const [name, c] = hit;
    used.add(name);
    for (const p of ports) {
      if (c.port_directions?.[p] === 'input') continue;
      for (const b of wanted[p]) {
        if (typeof b !== 'number') return `lane ${j}: ${name}.${p} drives a constant bit of ${describe(want[p])}`;
        const n = drivers.get(b) ?? 0;
        if (n !== 1) return `lane ${j}: ${describe(want[p])}, which ${name}.${p} drives, has ${n} drivers`;
      }
    }
  }
  return null;
}
