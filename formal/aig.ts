/**
 * And-inverter graphs as Yosys writes them (`write_aiger -ascii -map`): parsing, the structural
 * support of the outputs, and evaluation of 32 input patterns per machine word.
 */

export interface AigBit {
  readonly port: string;
  readonly bit: number;
}

export interface Aig {
  /** largest variable index */
  readonly maxVar: number;
  /** input variable of input i */
  readonly inputVars: readonly number[];
  /** literal of output i */
  readonly outputLits: readonly number[];
  /** AND gates in topological order: lhs variable, two literals */
  readonly ands: Int32Array;
  readonly inputNames: readonly AigBit[];
  readonly outputNames: readonly AigBit[];
}

function parseMap(map: string): { inputs: Map<number, AigBit>; outputs: Map<number, AigBit> } {
  const inputs = new Map<number, AigBit>();
  const outputs = new Map<number, AigBit>();
  for (const line of map.split('\n')) {
    const m = /^(input|output) (\d+) (\d+) (\S+)$/.exec(line.trim());
    if (!m) continue;
    (m[1] === 'input' ? inputs : outputs).set(Number(m[2]), { port: m[4], bit: Number(m[3]) });
  }
  return { inputs, outputs };
}

/** Parse an ASCII AIGER file (combinational: no latches) and its Yosys map. */
export function parseAag(text: string, map: string): Aig {
  const lines = text.split('\n');
  const h = /^aag (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(lines[0] ?? '');
  if (!h) throw new Error('not an ASCII AIGER file');
  const [M, I, L, O, A] = h.slice(1, 6).map(Number);
  if (L !== 0) throw new Error(`the netlist has ${L} latches; a combinational stage has none`);
  let at = 1;
  const inputVars: number[] = [];
  for (let i = 0; i < I; i++) {
    const lit = Number(lines[at++]);
    if (lit % 2 !== 0 || lit === 0) throw new Error(`bad input literal ${lit}`);
    inputVars.push(lit >> 1);
  }
  const outputLits: number[] = [];
  for (let i = 0; i < O; i++) outputLits.push(Number(lines[at++]));
  const gates: [number, number, number][] = [];
  for (let i = 0; i < A; i++) {
    const parts = (lines[at++] ?? '').trim().split(/\s+/).map(Number);
    if (parts.length !== 3 || parts.some((x) => !Number.isInteger(x)) || parts[0] % 2 !== 0) throw new Error(`bad AND gate line ${at}`);
    gates.push([parts[0] >> 1, parts[1], parts[2]]);
  }
  // topological order (the ASCII format does not require one)
  const defined = new Uint8Array(M + 1);
  for (const v of inputVars) defined[v] = 1;
  const byLhs = new Map<number, [number, number, number]>();
  for (const g of gates) byLhs.set(g[0], g);
  const order: [number, number, number][] = [];
  const visit = (v: number): void => {
    if (defined[v] === 1 || v === 0) return;
    const stack: number[] = [v];
    while (stack.length > 0) {
      const x = stack[stack.length - 1];
      if (defined[x] === 1) {
        stack.pop();
        continue;
      }
      const g = byLhs.get(x);
      if (!g) throw new Error(`variable ${x} has no driver`);
      const a = g[1] >> 1;
      const b = g[2] >> 1;
      if (a !== 0 && defined[a] !== 1) {
        stack.push(a);
        continue;
      }
      if (b !== 0 && defined[b] !== 1) {
        stack.push(b);
        continue;
      }
      defined[x] = 1;
      order.push(g);
      stack.pop();
    }
  };
  for (const g of gates) visit(g[0]);
  const ands = new Int32Array(order.length * 3);
  order.forEach((g, i) => ands.set(g, 3 * i));
  const { inputs, outputs } = parseMap(map);
  const inputNames = inputVars.map((_, i) => inputs.get(i) ?? { port: `in${i}`, bit: 0 });
  const outputNames = outputLits.map((_, i) => outputs.get(i) ?? { port: `out${i}`, bit: 0 });
  return { maxVar: M, inputVars, outputLits, ands, inputNames, outputNames };
}

/** Input bits (by index into `inputNames`) that some output structurally depends on. */
export function outputSupport(aig: Aig): Set<number> {
  const inputIndex = new Map<number, number>();
  aig.inputVars.forEach((v, i) => inputIndex.set(v, i));
  const gate = new Map<number, [number, number]>();
  for (let i = 0; i < aig.ands.length; i += 3) gate.set(aig.ands[i], [aig.ands[i + 1] >> 1, aig.ands[i + 2] >> 1]);
  const seen = new Set<number>();
  const support = new Set<number>();
  const stack = aig.outputLits.map((l) => l >> 1);
  while (stack.length > 0) {
    const v = stack.pop() as number;
    if (v === 0 || seen.has(v)) continue;
    seen.add(v);
    const idx = inputIndex.get(v);
    if (idx !== undefined) {
      support.add(idx);
      continue;
    }
    const g = gate.get(v);
    if (g) stack.push(g[0], g[1]);
  }
  return support;
}

/**
 * Evaluates an AIG on `words` machine words of patterns at a time: bit j of word w of an input is
 * that input's value in pattern 32w + j.
 */
export class AigEvaluator {
  private readonly values: Int32Array;
  private readonly inputSlot: Map<string, number>;
  /** [from, to] variable pairs: input `to` takes the values of input `from` before every run */
  private readonly tied: [number, number][] = [];

  constructor(
    private readonly aig: Aig,
    readonly words: number,
  ) {
    this.values = new Int32Array((aig.maxVar + 1) * words);
    this.inputSlot = new Map();
    aig.inputNames.forEach((n, i) => this.inputSlot.set(`${n.port}[${n.bit}]`, aig.inputVars[i]));
  }

  /** The words of input `port` bit `bit` (write the patterns here before `run`); null if the netlist has no such input. */
  input(port: string, bit: number): Int32Array | null {
    const v = this.inputSlot.get(`${port}[${bit}]`);
    if (v === undefined) return null;
    return this.values.subarray(v * this.words, (v + 1) * this.words);
  }

  /**
   * Input `port` bit `bit` is another name of the net `to` bit `toBit` (an alias of a cut wire): it
   * takes that input's values in every run. False when the netlist has no such input.
   */
  tie(port: string, bit: number, to: string, toBit: number): boolean {
    const a = this.inputSlot.get(`${port}[${bit}]`);
    const b = this.inputSlot.get(`${to}[${toBit}]`);
    if (a === undefined) return false;
    if (b === undefined) throw new Error(`cannot tie ${port}[${bit}] to ${to}[${toBit}]: the netlist has no such input`);
    this.tied.push([b, a]);
    return true;
  }

  run(): void {
    const { ands } = this.aig;
    const n = this.words;
    const V = this.values;
    for (const [from, to] of this.tied) V.copyWithin(to * n, from * n, (from + 1) * n);
    for (let i = 0; i < ands.length; i += 3) {
      const o = ands[i] * n;
      const la = ands[i + 1];
      const lb = ands[i + 2];
      const a = (la >> 1) * n;
      const b = (lb >> 1) * n;
      const ma = la & 1 ? -1 : 0;
      const mb = lb & 1 ? -1 : 0;
      // variable 0 is constant false: its words stay 0
      for (let w = 0; w < n; w++) V[o + w] = (V[a + w] ^ ma) & (V[b + w] ^ mb);
    }
  }

  /** Word `w` of output `i` after `run`. */
  output(i: number, w: number): number {
    const lit = this.aig.outputLits[i];
    const x = this.values[(lit >> 1) * this.words + w];
    return lit & 1 ? ~x : x;
  }
}

/**
 * Transpose a 32x32 bit matrix in place: afterwards bit j of m[i] is what bit i of m[j] was.
 */
export function transpose32(m: Int32Array | Uint32Array): void {
  let j = 16;
  let mask = 0x0000ffff;
  while (j !== 0) {
    for (let k = 0; k < 32; k = ((k | j) + 1) & ~j) {
      const t = ((m[k] >>> j) ^ m[k | j]) & mask;
      m[k | j] ^= t;
      m[k] ^= t << j;
    }
    j >>>= 1;
    mask ^= mask << j;
  }
}

interface PortsJson {
  modules?: Record<string, { ports?: Record<string, { direction: string; bits: (number | string)[] }> }>;
}

/**
 * An AIGER netlist with the constant output bits added: Yosys's AIGER map leaves output bits
 * driven by a constant unnamed, so the ports are read again from a JSON dump of the module with its
 * cells deleted, where such bits appear as "0" or "1".
 */
export function parseAagWithPorts(aag: string, map: string, portsJson: string, top: string): Aig {
  const aig = parseAag(aag, map);
  const mod = (JSON.parse(portsJson) as PortsJson).modules?.[top];
  if (!mod) throw new Error(`the port list has no module ${top}`);
  const named = new Set(aig.outputNames.map((n) => `${n.port}[${n.bit}]`));
  const outputLits = [...aig.outputLits];
  const outputNames = [...aig.outputNames];
  for (const [name, p] of Object.entries(mod.ports ?? {})) {
    if (p.direction !== 'output') continue;
    p.bits.forEach((b, i) => {
      if (named.has(`${name}[${i}]`)) return;
      if (b !== '0' && b !== '1') throw new Error(`output ${name}[${i}] is neither in the AIGER map nor a constant`);
      outputLits.push(b === '1' ? 1 : 0);
      outputNames.push({ port: name, bit: i });
    });
  }
  return { ...aig, outputLits, outputNames };
}
