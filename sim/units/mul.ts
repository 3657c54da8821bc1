/** mul_e2m1: the FP4 multiplier, checked on all 256 operand pairs. */
import { MUL_E2M1_WIDTH, mulE2M1 } from '../../src/mul.js';
import { e2m1Text, num } from '../../src/text.js';
import { slotOf, type PortSpec, type RecordLayout } from '../layout.js';
import type { Mismatch } from '../stream.js';
import { batchesOf, type UnitBench } from './types.js';

const PROD_MASK = (1 << MUL_E2M1_WIDTH) - 1;

function codeText(code: number): string {
  return `0x${code.toString(16)} (${e2m1Text(code)})`;
}

/** "0x1e8 (-24 * 2^-2 = -6)" */
function prodText(bits: number): string {
  const v = bits & (1 << (MUL_E2M1_WIDTH - 1)) ? bits - (1 << MUL_E2M1_WIDTH) : bits;
  return `0x${bits.toString(16).padStart(3, '0')} (${v} * 2^-2 = ${num(v / 4)})`;
}

export const mulBench: UnitBench = {
  kind: 'mul_e2m1',

  expectedPorts(): PortSpec[] {
    return [
      { name: 'a', dir: 'input', width: 4 },
      { name: 'b', dir: 'input', width: 4 },
      { name: 'prod', dir: 'output', width: MUL_E2M1_WIDTH },
    ];
  },

  golden(layout: RecordLayout, input: Uint32Array, inOff: number, out: Uint32Array, outOff: number): void {
    const a = input[inOff + slotOf(layout.inputs, 'a').offset];
    const b = input[inOff + slotOf(layout.inputs, 'b').offset];
    out[outOff + slotOf(layout.outputs, 'prod').offset] = mulE2M1(a, b) & PROD_MASK;
  },

  report(layout: RecordLayout, m: Mismatch): string[] {
    const a = m.input[slotOf(layout.inputs, 'a').offset];
    const b = m.input[slotOf(layout.inputs, 'b').offset];
    const p = slotOf(layout.outputs, 'prod').offset;
    return [`a    = ${codeText(a)}`, `b    = ${codeText(b)}`, `prod expected ${prodText(m.expected[p])}`, `     actual   ${prodText(m.actual[p])}`];
  },

  plan(layout: RecordLayout, opts) {
    const input = new Uint32Array(256 * layout.inWords);
    const ao = slotOf(layout.inputs, 'a').offset;
    const bo = slotOf(layout.inputs, 'b').offset;
    for (let v = 0; v < 256; v++) {
      input[v * layout.inWords + ao] = v >>> 4;
      input[v * layout.inWords + bo] = v & 15;
    }
    return {
      total: 256,
      what: '256 vectors (every a x b pair)',
      next: batchesOf(mulBench, layout, input, 256, opts.batchSize, () => 'exhaustive'),
      details: () => [],
    };
  },
};
