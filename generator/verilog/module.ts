/**
 * A Verilog-2005 module built item by item and printed in one fixed layout: header comment,
 * port list, then declarations and logic in the order they were added. Every generated unit is
 * built through this class; nothing else writes Verilog text.
 */
import type { Expr, Signal } from './signal.js';

export interface Port extends Signal {
  readonly dir: 'input' | 'output';
  readonly comment: string;
}

/** One `case` arm: the label(s) as written (e.g. "4'b01??") and the assigned value. */
export interface CaseArm {
  readonly label: string;
  readonly value: Expr;
}

/** A module parameter: Verilog-2005 `parameter`, with its default value and what it means. */
export interface Parameter {
  readonly name: string;
  readonly value: number;
  readonly comment: string;
}

/**
 * How a port of a lane instance is connected: to lane i's slice of a packed signal
 * (`sig[w*i +: w]`, w the port's width), or to the same expression in every lane.
 */
export type LaneConnection = { readonly perLane: Signal } | { readonly shared: Expr };

/**
 * How a port of a grid instance (row r, column c of R x C) is connected: to row r's slice of a
 * packed signal, to column c's slice, to cell (r, c)'s slice (index C*r + c), or to one expression.
 */
export type GridConnection = { readonly perRow: Signal } | { readonly perCol: Signal } | { readonly perCell: Signal } | { readonly shared: Expr };

/** One register of a clocked block: its value after reset and its next value when enabled. */
export interface RegUpdate {
  readonly reg: Signal;
  readonly next: Expr;
  readonly reset: Expr;
}

/** A register of a pipeline stage: `name` holds `from` (a signal of the stage before) one clock later. */
interface StageReg {
  readonly name: string;
  readonly width: number;
  readonly from: string;
  readonly unusedReason?: string;
}

/** The signal names an expression reads (Verilog identifiers; not the letters of a sized literal like 8'hff, nor $signed). */
const IDENT = /(?<![\w'$.])[A-Za-z_][A-Za-z0-9_]*\b/g;

type Item =
  | { kind: 'section'; title: string }
  | { kind: 'lanes'; label: string; count: number; module: string; name: string; connections: Record<string, LaneConnection>; widths: Record<string, number>; outputs: string[] }
  | { kind: 'instance'; module: string; name: string; params: Record<string, number>; connections: Record<string, Expr>; outputs: string[] }
  | { kind: 'wire'; sig: Signal; expr: Expr; comment?: string; unusedReason?: string }
  | { kind: 'assign'; target: Signal; expr: Expr }
  | { kind: 'net'; sig: Signal; comment?: string }
  | { kind: 'casez'; target: Signal; select: Expr; arms: CaseArm[]; dflt: Expr; comment?: string }
  | { kind: 'grid'; label: string; rows: number; cols: number; module: string; name: string; connections: Record<string, GridConnection>; widths: Record<string, number>; outputs: string[] }
  | { kind: 'boundary'; label: string; title: string }
  | { kind: 'stage'; index: number; title: string; regs: StageReg[] }
  | { kind: 'reg'; sig: Signal; comment?: string }
  | { kind: 'flops'; clk: Signal; reset: Signal; enable: Expr | null; updates: RegUpdate[]; comment?: string };

export class VerilogModule {
  private readonly params: Parameter[] = [];
  private readonly ports: Port[] = [];
  private readonly items: Item[] = [];
  private readonly names = new Set<string>();
  /** Verilog functions, by name: their text, printed after the port list */
  private readonly functions = new Map<string, readonly string[]>();
  /** the clock of the register stages (registerStages), or null */
  private clock: string | null = null;

  constructor(
    readonly name: string,
    private readonly header: string[],
  ) {}

  private claim(name: string): void {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad Verilog name '${name}'`);
    if (this.names.has(name)) throw new Error(`${this.name}: '${name}' declared twice`);
    this.names.add(name);
  }

  /**
   * A Verilog function of this module, declared once however often it is asked for: `body` is its
   * whole text (function ... endfunction), built only the first time. Returns the name.
   */
  function(name: string, body: () => readonly string[]): string {
    if (!this.functions.has(name)) {
      this.claim(name);
      this.functions.set(name, body());
    }
    return name;
  }

  /** A parameter of this module (a value the instantiating design may override). */
  parameter(name: string, value: number, comment: string): Parameter {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`${this.name}: parameter '${name}' must be upper case`);
    if (this.params.some((p) => p.name === name)) throw new Error(`${this.name}: parameter '${name}' declared twice`);
    if (!Number.isInteger(value)) throw new Error(`${this.name}: parameter '${name}' must be an integer`);
    const p = { name, value, comment };
    this.params.push(p);
    return p;
  }

  /**
   * An instance of another module. Every port of `of` is connected, each to an expression of the
   * port's width; parameters are overridden by name.
   */
  instance(name: string, of: VerilogModule, connections: Record<string, Expr>, params: Record<string, number> = {}): void {
    this.claim(name);
    for (const p of of.portList()) {
      const e = connections[p.name];
      if (!e) throw new Error(`${this.name}.${name}: port ${p.name} of ${of.name} is not connected`);
      if (e.width !== p.width) throw new Error(`${this.name}.${name}: port ${p.name} is ${p.width} bits, ${e.text} is ${e.width}`);
    }
    for (const c of Object.keys(connections)) {
      if (!of.portList().some((p) => p.name === c)) throw new Error(`${this.name}.${name}: ${of.name} has no port ${c}`);
    }
    for (const k of Object.keys(params)) {
      if (!of.params.some((p) => p.name === k)) throw new Error(`${this.name}.${name}: ${of.name} has no parameter ${k}`);
    }
    this.items.push({ kind: 'instance', module: of.name, name, params, connections, outputs: outputsOf(of) });
  }

  /**
   * `count` instances of `of`, one per lane, as a generate loop (block label `label`, genvar `i`):
   * lane i's instance `label[i].name`. Every port of `of` is connected (see LaneConnection); a
   * packed signal must be exactly `count` times the port's width.
   */
  lanes(label: string, count: number, name: string, of: VerilogModule, connections: Record<string, LaneConnection>): void {
    this.claim(label);
    if (!Number.isInteger(count) || count < 1) throw new Error(`${this.name}.${label}: bad lane count ${count}`);
    const widths: Record<string, number> = {};
    for (const p of of.portList()) {
      const c = connections[p.name];
      if (!c) throw new Error(`${this.name}.${label}: port ${p.name} of ${of.name} is not connected`);
      if ('perLane' in c) {
        if (c.perLane.width !== p.width * count) throw new Error(`${this.name}.${label}: port ${p.name} needs ${p.width * count} bits for ${count} lanes, ${c.perLane.name} has ${c.perLane.width}`);
      } else if (c.shared.width !== p.width) throw new Error(`${this.name}.${label}: port ${p.name} is ${p.width} bits, ${c.shared.text} is ${c.shared.width}`);
      widths[p.name] = p.width;
    }
    for (const c of Object.keys(connections)) {
      if (!of.portList().some((p) => p.name === c)) throw new Error(`${this.name}.${label}: ${of.name} has no port ${c}`);
    }
    if (!this.names.has('i')) this.names.add('i');
    this.items.push({ kind: 'lanes', label, count, module: of.name, name, connections, widths, outputs: outputsOf(of) });
  }

  /**
   * `rows` x `cols` instances of `of` as two nested generate loops (labels `label` and `col`, genvars
   * r and c): cell (r, c)'s instance `label[r].col[c].name`. Every port of `of` is connected (see
   * GridConnection); a packed signal must be exactly rows, cols or rows * cols times the port's width.
   */
  grid(label: string, rows: number, cols: number, name: string, of: VerilogModule, connections: Record<string, GridConnection>): void {
    this.claim(label);
    if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) throw new Error(`${this.name}.${label}: bad grid ${rows} x ${cols}`);
    const widths: Record<string, number> = {};
    for (const p of of.portList()) {
      const c = connections[p.name];
      if (!c) throw new Error(`${this.name}.${label}: port ${p.name} of ${of.name} is not connected`);
      const [sig, n] = 'perRow' in c ? [c.perRow, rows] : 'perCol' in c ? [c.perCol, cols] : 'perCell' in c ? [c.perCell, rows * cols] : [null, 1];
      if (sig !== null && sig.width !== p.width * n) throw new Error(`${this.name}.${label}: port ${p.name} needs ${p.width * n} bits, ${sig.name} has ${sig.width}`);
      if ('shared' in c && c.shared.width !== p.width) throw new Error(`${this.name}.${label}: port ${p.name} is ${p.width} bits, ${c.shared.text} is ${c.shared.width}`);
      widths[p.name] = p.width;
    }
    for (const c of Object.keys(connections)) {
      if (!of.portList().some((p) => p.name === c)) throw new Error(`${this.name}.${label}: ${of.name} has no port ${c}`);
    }
    for (const g of ['r', 'c', 'col']) if (!this.names.has(g)) this.names.add(g);
    this.items.push({ kind: 'grid', label, rows, cols, module: of.name, name, connections, widths, outputs: outputsOf(of) });
  }

  /** A register declared here (readable from here on); a `flops` block gives its next value. */
  reg(name: string, width: number, comment?: string): Signal {
    this.claim(name);
    const sig: Signal = { name, width };
    this.items.push({ kind: 'reg', sig, comment });
    return sig;
  }

  /**
   * One clocked block: on every rising edge of `clk`, a synchronous `reset` loads every register's
   * reset value; otherwise, when `enable` is high (always, for null), each register takes its next value.
   */
  flops(clk: Signal, reset: Signal, enable: Expr | null, updates: RegUpdate[], comment?: string): void {
    for (const u of updates) {
      if (u.next.width !== u.reg.width) throw new Error(`${this.name}: ${u.reg.name} (${u.reg.width} bits) <= ${u.next.text} (${u.next.width} bits)`);
      if (u.reset.width !== u.reg.width) throw new Error(`${this.name}: ${u.reg.name} (${u.reg.width} bits) reset to ${u.reset.text} (${u.reset.width} bits)`);
    }
    if (enable && enable.width !== 1) throw new Error(`${this.name}: enable ${enable.text} is not one bit`);
    this.items.push({ kind: 'flops', clk, reset, enable, updates, comment });
  }

  input(name: string, width: number, comment: string): Signal {
    this.claim(name);
    const p: Port = { name, width, dir: 'input', comment };
    this.ports.push(p);
    return p;
  }

  output(name: string, width: number, comment: string): Signal {
    this.claim(name);
    const p: Port = { name, width, dir: 'output', comment };
    this.ports.push(p);
    return p;
  }

  portList(): readonly Port[] {
    return this.ports;
  }

  /**
   * A place where the datapath may be cut by a register stage (`registerStages`); unregistered, it
   * is a section comment like `section(title)`.
   */
  boundary(label: string, title: string): void {
    if (this.items.some((it) => it.kind === 'boundary' && it.label === label)) throw new Error(`${this.name}: boundary '${label}' placed twice`);
    this.items.push({ kind: 'boundary', label, title });
  }

  /**
   * Turn the module into a pipeline with a register stage at each boundary named in `at` (the
   * others stay section comments): every signal computed (or input) before a registered boundary
   * and read after it is read there from a register clocked by `clk` (an input of this module), one
   * register per boundary it crosses. The registers have no reset: a pipeline of S stages gives,
   * after S rising edges, the outputs of the inputs S - 1 edges before (each edge moves every value
   * one stage on). Every output must be driven after the last registered boundary, so that all of
   * them come out of the same stage. Call once, after the module is complete.
   */
  registerStages(clk: Signal, at: readonly string[]): void {
    if (!this.ports.some((p) => p.dir === 'input' && p.name === clk.name && p.width === 1)) throw new Error(`${this.name}: no 1-bit clock input ${clk.name}`);
    const labels = new Set(at);
    for (const l of labels) if (!this.items.some((it) => it.kind === 'boundary' && it.label === l)) throw new Error(`${this.name}: no boundary '${l}'`);
    if (this.items.some((it) => it.kind === 'flops' || it.kind === 'stage')) throw new Error(`${this.name}: registerStages works on a combinational module`);
    // the stage of every item, and the stage each signal is defined in
    const defined = new Map<string, number>();
    const unused = new Map<string, string>();
    for (const p of this.ports) if (p.dir === 'input' && p.name !== clk.name) defined.set(p.name, 0);
    const stageOf: number[] = [];
    let stage = 0;
    for (const it of this.items) {
      if (it.kind === 'boundary' && labels.has(it.label)) stage++;
      stageOf.push(stage);
      const d = definedBy(it);
      if (d) {
        defined.set(d.name, stage);
        if (d.unusedReason) unused.set(d.name, d.unusedReason);
      }
    }
    const last = stage;
    // an instance drives its output nets in its own stage
    this.items.forEach((it, i) => {
      if (it.kind !== 'instance' && it.kind !== 'lanes' && it.kind !== 'grid') return;
      for (const [port, c] of Object.entries(it.connections)) {
        if (!it.outputs.includes(port)) continue;
        const text = 'text' in c ? c.text : 'perLane' in c ? c.perLane.name : 'perRow' in c ? c.perRow.name : 'perCol' in c ? c.perCol.name : 'perCell' in c ? c.perCell.name : c.shared.text;
        for (const id of text.match(IDENT) ?? []) {
          if (defined.get(id) !== stageOf[i]) throw new Error(`${this.name}: ${id}, driven by ${it.name}.${port}, is declared in another register stage`);
        }
      }
    });
    // which registers each signal needs: one per registered boundary between its definition and its last reader
    const readAt = new Map<string, number>();
    const rewrite = (text: string, s: number): string =>
      text.replace(IDENT, (id) => {
        const d = defined.get(id);
        if (d === undefined || d >= s) return id;
        readAt.set(id, Math.max(readAt.get(id) ?? 0, s));
        return `${id}_p${s}`;
      });
    const rw = (e: Expr, s: number): Expr => ({ text: rewrite(e.text, s), width: e.width });
    const rs = (g: Signal, s: number): Signal => ({ name: rewrite(g.name, s), width: g.width });
    const items: Item[] = this.items.map((it, i): Item => {
      const s = stageOf[i];
      switch (it.kind) {
        case 'wire':
          return { ...it, expr: rw(it.expr, s) };
        case 'assign':
          if (s !== last && this.ports.some((p) => p.dir === 'output' && p.name === it.target.name)) throw new Error(`${this.name}: output ${it.target.name} is driven before the last register stage`);
          return { ...it, expr: rw(it.expr, s) };
        case 'casez':
          return { ...it, select: rw(it.select, s), arms: it.arms.map((a) => ({ label: a.label, value: rw(a.value, s) })), dflt: rw(it.dflt, s) };
        case 'instance':
          return { ...it, connections: Object.fromEntries(Object.entries(it.connections).map(([k, e]) => [k, it.outputs.includes(k) ? e : rw(e, s)])) };
        case 'lanes':
          return {
            ...it,
            connections: Object.fromEntries(Object.entries(it.connections).map(([k, c]) => [k, it.outputs.includes(k) ? c : 'perLane' in c ? { perLane: rs(c.perLane, s) } : { shared: rw(c.shared, s) }])),
          };
        case 'grid':
          return {
            ...it,
            connections: Object.fromEntries(
              Object.entries(it.connections).map(([k, c]) => [
                k,
                it.outputs.includes(k) ? c : 'perRow' in c ? { perRow: rs(c.perRow, s) } : 'perCol' in c ? { perCol: rs(c.perCol, s) } : 'perCell' in c ? { perCell: rs(c.perCell, s) } : { shared: rw(c.shared, s) },
              ]),
            ),
          };
        default:
          return it;
      }
    });
    // the registers, placed at their boundaries
    const width = (n: string): number => {
      const p = this.ports.find((q) => q.name === n);
      if (p) return p.width;
      for (const it of this.items) {
        const d = definedBy(it);
        if (d && d.name === n) return d.width;
      }
      throw new Error(`${this.name}: no signal ${n}`);
    };
    const out: Item[] = [];
    let b = 0;
    items.forEach((it) => {
      if (it.kind === 'boundary' && labels.has(it.label)) {
        b++;
        const regs: StageReg[] = [];
        for (const [n, upTo] of readAt) {
          const d = defined.get(n) as number;
          if (d < b && upTo >= b) {
            const name = `${n}_p${b}`;
            this.claim(name);
            regs.push({ name, width: width(n), from: d === b - 1 ? n : `${n}_p${b - 1}`, unusedReason: unused.get(n) });
          }
        }
        out.push({ kind: 'stage', index: b, title: it.title, regs });
        return;
      }
      out.push(it);
    });
    this.items.splice(0, this.items.length, ...out);
    this.clock = clk.name;
  }

  /** The register stages of a pipelined module (registerStages): each stage's registers and what each holds. */
  stages(): { index: number; title: string; regs: readonly StageReg[] }[] {
    return this.items.flatMap((it) => (it.kind === 'stage' ? [{ index: it.index, title: it.title, regs: it.regs }] : []));
  }

  /** A comment line that opens a stage of the datapath. */
  section(title: string): void {
    this.items.push({ kind: 'section', title });
  }

  /**
   * A named wire driven by `expr`, which must have exactly `width` bits.
   * `unusedReason` marks a wire some of whose bits are intentionally unread (it is said in the output).
   */
  wire(name: string, expr: Expr, opts: { comment?: string; unusedReason?: string } = {}): Signal {
    this.claim(name);
    const sig: Signal = { name, width: expr.width };
    this.items.push({ kind: 'wire', sig, expr, ...opts });
    return sig;
  }

  /** A wire declared without a driver: an instance output drives it. */
  net(name: string, width: number, comment?: string): Signal {
    this.claim(name);
    const sig: Signal = { name, width };
    this.items.push({ kind: 'net', sig, comment });
    return sig;
  }

  /** Drive an output port. */
  assign(target: Signal, expr: Expr): void {
    if (target.width !== expr.width) throw new Error(`${this.name}: assign ${target.name} (${target.width} bits) = ${expr.text} (${expr.width} bits)`);
    this.items.push({ kind: 'assign', target, expr });
  }

  /** A combinational casez (priority table) into a new reg of `width` bits. */
  casez(name: string, width: number, select: Expr, arms: CaseArm[], dflt: Expr, comment?: string): Signal {
    this.claim(name);
    const target: Signal = { name, width };
    for (const a of [...arms.map((x) => x.value), dflt]) {
      if (a.width !== width) throw new Error(`${this.name}: case arm ${a.text} is not ${width} bits`);
    }
    this.items.push({ kind: 'casez', target, select, arms, dflt, comment });
    return target;
  }

  render(): string {
    const out: string[] = [];
    for (const h of this.header) out.push(h === '' ? '//' : `// ${h}`);
    out.push('');
    if (this.params.length > 0) {
      out.push(`module ${this.name} #(`);
      this.params.forEach((p, i) => out.push(`  parameter ${p.name} = ${p.value}${i === this.params.length - 1 ? '' : ','}  // ${p.comment}`));
      out.push(') (');
    } else {
      out.push(`module ${this.name} (`);
    }
    this.ports.forEach((p, i) => {
      const sep = i === this.ports.length - 1 ? '' : ',';
      out.push(`  ${p.dir.padEnd(6)} wire ${range(p.width).padEnd(9)} ${p.name}${sep}  // ${p.comment}`);
    });
    out.push(');');
    for (const f of this.functions.values()) out.push('', ...f.map((l) => `  ${l}`));
    for (const it of this.items) {
      switch (it.kind) {
        case 'section':
        case 'boundary':
          out.push('', `  // ---- ${it.title}`);
          break;
        case 'stage': {
          out.push('', `  // ==== register stage ${it.index}: the values computed above and read below, one clock later`, `  // ---- ${it.title}`);
          for (const r of it.regs) {
            if (r.unusedReason) out.push(`  // Not every bit is read: ${r.unusedReason}`, '  /* verilator lint_off UNUSEDSIGNAL */');
            out.push(`  reg ${range(r.width)}${r.width > 1 ? ' ' : ''}${r.name};`);
            if (r.unusedReason) out.push('  /* verilator lint_on UNUSEDSIGNAL */');
          }
          if (it.regs.length > 0) {
            out.push(`  always @(posedge ${this.clock ?? 'clk'}) begin`);
            for (const r of it.regs) out.push(`    ${r.name} <= ${r.from};`);
            out.push('  end');
          }
          break;
        }
        case 'wire': {
          if (it.comment) out.push(`  // ${it.comment}`);
          if (it.unusedReason) out.push(`  // Not every bit is read: ${it.unusedReason}`, '  /* verilator lint_off UNUSEDSIGNAL */');
          out.push(`  wire ${range(it.sig.width)}${it.sig.width > 1 ? ' ' : ''}${it.sig.name} = ${it.expr.text};`);
          if (it.unusedReason) out.push('  /* verilator lint_on UNUSEDSIGNAL */');
          break;
        }
        case 'assign':
          out.push(`  assign ${it.target.name} = ${it.expr.text};`);
          break;
        case 'net':
          if (it.comment) out.push(`  // ${it.comment}`);
          out.push(`  wire ${range(it.sig.width)}${it.sig.width > 1 ? ' ' : ''}${it.sig.name};`);
          break;
        case 'instance': {
          const ps = Object.entries(it.params);
          const head = ps.length > 0 ? `${it.module} #(${ps.map(([k, v]) => `.${k}(${v})`).join(', ')}) ${it.name} (` : `${it.module} ${it.name} (`;
          const cs = Object.entries(it.connections);
          out.push(`  ${head}`, ...cs.map(([port, e], i) => `    .${port}(${e.text})${i === cs.length - 1 ? '' : ','}`), '  );');
          break;
        }
        case 'lanes': {
          if (!out.includes('  genvar i;')) out.push('  genvar i;');
          out.push('  generate', `    for (i = 0; i < ${it.count}; i = i + 1) begin : ${it.label}`, `      ${it.module} ${it.name} (`);
          const cs = Object.entries(it.connections);
          cs.forEach(([port, c], j) => {
            const w = it.widths[port];
            const e = 'perLane' in c ? (it.count === 1 ? c.perLane.name : w === 1 ? `${c.perLane.name}[i]` : `${c.perLane.name}[${w}*i +: ${w}]`) : c.shared.text;
            out.push(`        .${port}(${e})${j === cs.length - 1 ? '' : ','}`);
          });
          out.push('      );', '    end', '  endgenerate');
          break;
        }
        case 'grid': {
          if (!out.includes('  genvar r, c;')) out.push('  genvar r, c;');
          out.push(
            '  generate',
            `    for (r = 0; r < ${it.rows}; r = r + 1) begin : ${it.label}`,
            `      for (c = 0; c < ${it.cols}; c = c + 1) begin : col`,
            `        ${it.module} ${it.name} (`,
          );
          const cs = Object.entries(it.connections);
          cs.forEach(([port, g], j) => {
            const w = it.widths[port];
            const at = (sig: Signal, n: number, index: string): string => (n === 1 ? sig.name : w === 1 ? `${sig.name}[${index}]` : `${sig.name}[${w}*(${index}) +: ${w}]`);
            const e = 'perRow' in g ? at(g.perRow, it.rows, 'r') : 'perCol' in g ? at(g.perCol, it.cols, 'c') : 'perCell' in g ? at(g.perCell, it.rows * it.cols, `${it.cols}*r + c`) : g.shared.text;
            out.push(`          .${port}(${e})${j === cs.length - 1 ? '' : ','}`);
          });
          out.push('        );', '      end', '    end', '  endgenerate');
          break;
        }
        case 'reg':
          if (it.comment) out.push(`  // ${it.comment}`);
          out.push(`  reg ${range(it.sig.width)}${it.sig.width > 1 ? ' ' : ''}${it.sig.name};`);
          break;
        case 'flops': {
          if (it.comment) out.push(`  // ${it.comment}`);
          out.push(`  always @(posedge ${it.clk.name}) begin`, `    if (${it.reset.name}) begin`);
          for (const u of it.updates) out.push(`      ${u.reg.name} <= ${u.reset.text};`);
          out.push(it.enable ? `    end else if (${it.enable.text}) begin` : '    end else begin');
          for (const u of it.updates) out.push(`      ${u.reg.name} <= ${u.next.text};`);
          out.push('    end', '  end');
          break;
        }
        case 'casez': {
          if (it.comment) out.push(`  // ${it.comment}`);
          out.push(`  reg ${range(it.target.width)}${it.target.width > 1 ? ' ' : ''}${it.target.name};`);
          out.push('  always @* begin', `    casez (${it.select.text})`);
          for (const a of it.arms) out.push(`      ${a.label}: ${it.target.name} = ${a.value.text};`);
          out.push(`      default: ${it.target.name} = ${it.dflt.text};`, '    endcase', '  end');
          break;
        }
      }
    }
    out.push('', 'endmodule', '');
    return out.join('\n');
  }
}

function outputsOf(m: VerilogModule): string[] {
  return m.portList().flatMap((p) => (p.dir === 'output' ? [p.name] : []));
}

/** The signal an item declares, if any. */
function definedBy(it: Item): { name: string; width: number; unusedReason?: string } | null {
  switch (it.kind) {
    case 'wire':
      return { name: it.sig.name, width: it.sig.width, unusedReason: it.unusedReason };
    case 'net':
    case 'reg':
      return { name: it.sig.name, width: it.sig.width };
    case 'casez':
      return { name: it.target.name, width: it.target.width };
    default:
      return null;
  }
}

function range(width: number): string {
  return width === 1 ? '' : `[${width - 1}:0]`;
}
