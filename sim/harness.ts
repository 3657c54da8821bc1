/**
 * The C++ harness of one unit: sim/harness.cpp.in with the port copies filled in from the
 * manifest's port list. Port types follow Verilator: up to 32 bits an integer, up to 64 a
 * 64-bit integer, wider a VlWide of 32-bit words (least significant first).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PortSlot, RecordLayout } from './layout.js';
import { simDir } from './paths.js';

export const HARNESS_TEMPLATE = join(simDir(), 'harness.cpp.in');

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16) + 'u';
}

function setPort(p: PortSlot): string[] {
  const w = (i: number): string => {
    const last = i === p.words - 1;
    return last && p.topMask !== 0xffffffff ? `(w[${p.offset + i}] & ${hex(p.topMask)})` : `w[${p.offset + i}]`;
  };
  if (p.width <= 32) return [`    m->${p.name} = ${w(0)};`];
  if (p.width <= 64) return [`    m->${p.name} = (static_cast<uint64_t>(${w(1)}) << 32) | w[${p.offset}];`];
  const lines: string[] = [];
  for (let i = 0; i < p.words; i++) lines.push(`    m->${p.name}[${i}] = ${w(i)};`);
  return lines;
}

function getPort(p: PortSlot): string[] {
  const mask = (i: number, e: string): string => (i === p.words - 1 && p.topMask !== 0xffffffff ? `(${e}) & ${hex(p.topMask)}` : e);
  if (p.width <= 32) return [`    w[${p.offset}] = ${mask(0, `static_cast<uint32_t>(m->${p.name})`)};`];
  if (p.width <= 64) {
    return [
      `    w[${p.offset}] = static_cast<uint32_t>(m->${p.name});`,
      `    w[${p.offset + 1}] = ${mask(1, `static_cast<uint32_t>(m->${p.name} >> 32)`)};`,
    ];
  }
  const lines: string[] = [];
  for (let i = 0; i < p.words; i++) lines.push(`    w[${p.offset + i}] = ${mask(i, `m->${p.name}[${i}]`)};`);
  return lines;
}

function layoutComment(layout: RecordLayout): string {
  const row = (p: PortSlot): string => `//     ${p.dir.padEnd(6)} ${p.name.padEnd(10)} ${String(p.width).padStart(5)} bits  words ${p.offset}..${p.offset + p.words - 1}`;
  return ['// This unit:', ...layout.inputs.map(row), ...layout.outputs.map(row), `//   ${layout.inWords} words per input record, ${layout.outWords} per output record`].join('\n');
}

/** The harness source for module `top` with the given record layout. */
export function harnessSource(top: string, layout: RecordLayout): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(top)) throw new Error(`bad module name '${top}'`);
  for (const p of [...layout.inputs, ...layout.outputs]) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.name)) throw new Error(`bad port name '${p.name}'`);
  }
  if (layout.inWords < 1 || layout.outWords < 1) throw new Error(`${top}: a unit needs at least one input and one output port`);
  const fields: Record<string, string> = {
    TOP: top,
    IN_WORDS: String(layout.inWords),
    OUT_WORDS: String(layout.outWords),
    LAYOUT_COMMENT: layoutComment(layout),
    SET_INPUTS: layout.inputs.flatMap(setPort).join('\n'),
    GET_OUTPUTS: layout.outputs.flatMap(getPort).join('\n'),
    STEP_COMMENT: layout.clock ? `one cycle: ${layout.clock} low (the logic settles), then its rising edge; the outputs are read after the edge` : 'the logic evaluated (combinational: one record, one evaluation)',
    DELAY: String(layout.delay),
    STEP: layout.clock ? [`    m->${layout.clock} = 0;`, '    m->eval();', `    m->${layout.clock} = 1;`, '    m->eval();'].join('\n') : '    m->eval();',
  };
  const text = readFileSync(HARNESS_TEMPLATE, 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => {
    const v = fields[key];
    if (v === undefined) throw new Error(`${HARNESS_TEMPLATE}: unknown field ${whole}`);
    return v;
  });
  return text;
}
