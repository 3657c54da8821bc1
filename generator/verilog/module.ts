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

type Item =
  | { kind: 'section'; title: string }
  | { kind: 'lanes'; label: string; count: number; module: string; name: string; connections: Record<string, LaneConnection>; widths: Record<string, number> }
  | { kind: 'instance'; module: string; name: string; params: Record<string, number>; connections: Record<string, Expr> }
  | { kind: 'wire'; sig: Signal; expr: Expr; comment?: string; unusedReason?: string }
  | { kind: 'assign'; target: Signal; expr: Expr }
  | { kind: 'net'; sig: Signal; comment?: string }
  | { kind: 'casez'; target: Signal; select: Expr; arms: CaseArm[]; dflt: Expr; comment?: string }
  | { kind: 'grid'; label: string; rows: number; cols: number; module: string; name: string; connections: Record<string, GridConnection>; widths: Record<string, number> }
  | { kind: 'reg'; sig: Signal; comment?: string }
  | { kind: 'flops'; clk: Signal; reset: Signal; enable: Expr | null; updates: RegUpdate[]; comment?: string };

export class VerilogModule {
  private readonly params: Parameter[] = [];
  private readonly ports: Port[] = [];
  private readonly items: Item[] = [];
  private readonly names = new Set<string>();

  constructor(
    readonly name: string,
    private readonly header: string[],
  ) {}

  private claim(name: string): void {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad Verilog name '${name}'`);
    if (this.names.has(name)) throw new Error(`${this.name}: '${name}' declared twice`);
    this.names.add(name);
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
    this.items.push({ kind: 'instance', module: of.name, name, params, connections });
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
    this.items.push({ kind: 'lanes', label, count, module: of.name, name, connections, widths });
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
    this.items.push({ kind: 'grid', label, rows, cols, module: of.name, name, connections, widths });
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
    for (const it of this.items) {
      switch (it.kind) {
        case 'section':
          out.push('', `  // ---- ${it.title}`);
          break;
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

function range(width: number): string {
  return width === 1 ? '' : `[${width - 1}:0]`;
}
