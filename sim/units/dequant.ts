/**
 * dequant_e2m1_e8m0: the block dequantizer, checked on every element code x every scale code on
 * every lane. Vector (c, s) gives lane i the code (c + i) mod 16 and the scale s, so the 16 x 256
 * vectors put all 4096 (code, scale) pairs on each lane; a coverage map confirms it.
 */
import { dequantE2M1E8M0 } from '../../src/dequant.js';
import { e2m1List, e2m1Text, e8m0Text, fp32Text } from '../../src/text.js';
import { count } from '../format.js';
import { fieldOf, slotOf, wordsToHex, type PortSpec, type RecordLayout } from '../layout.js';
import type { Mismatch } from '../stream.js';
import { batchesOf, type UnitBench } from './types.js';

function blockOf(ports: readonly PortSpec[]): number {
  const e = ports.find((p) => p.name === 'elems');
  return e ? Math.max(1, Math.floor(e.width / 4)) : 1;
}

export const dequantBench: UnitBench = {
  kind: 'dequant_e2m1_e8m0',

  expectedPorts(ports: readonly PortSpec[]): PortSpec[] {
    const k = blockOf(ports);
    return [
      { name: 'elems', dir: 'input', width: 4 * k },
      { name: 'scale', dir: 'input', width: 8 },
      { name: 'result', dir: 'output', width: 32 * k },
    ];
  },

  golden(layout: RecordLayout, input: Uint32Array, inOff: number, out: Uint32Array, outOff: number): void {
    const el = slotOf(layout.inputs, 'elems');
    const scale = input[inOff + slotOf(layout.inputs, 'scale').offset];
    const res = slotOf(layout.outputs, 'result');
    const k = el.width / 4;
    for (let i = 0; i < k; i++) out[outOff + res.offset + i] = dequantE2M1E8M0(fieldOf(input, inOff + el.offset, 4 * i, 4), scale);
  },

  report(layout: RecordLayout, m: Mismatch): string[] {
    const el = slotOf(layout.inputs, 'elems');
    const k = el.width / 4;
    const scale = m.input[slotOf(layout.inputs, 'scale').offset];
    const res = slotOf(layout.outputs, 'result').offset;
    const codes: number[] = [];
    for (let i = 0; i < k; i++) codes.push(fieldOf(m.input, el.offset, 4 * i, 4));
    const lines = [`elems  = ${wordsToHex(m.input, el.offset, el.width)} = ${e2m1List(codes)}`, `scale  = ${e8m0Text(scale)}`];
    const bad: number[] = [];
    for (let i = 0; i < k; i++) if (m.expected[res + i] !== m.actual[res + i]) bad.push(i);
    for (const i of bad.slice(0, 8)) {
      lines.push(`lane ${i}: elem ${e2m1Text(codes[i])} (code 0x${codes[i].toString(16)})`);
      lines.push(`    result expected ${fp32Text(m.expected[res + i])}`);
      lines.push(`           actual   ${fp32Text(m.actual[res + i])}`);
    }
    if (bad.length > 8) lines.push(`... and ${bad.length - 8} more lanes differ (${bad.length} of ${k})`);
    return lines;
  },

  plan(layout: RecordLayout, opts) {
    const el = slotOf(layout.inputs, 'elems');
    const so = slotOf(layout.inputs, 'scale').offset;
    const k = el.width / 4;
    const W = layout.inWords;
    const total = 16 * 256;
    const input = new Uint32Array(total * W);
    // seen[lane][code][scale]: filled from the records themselves, not from the construction
    const seen = new Uint8Array(k * 4096);
    for (let v = 0; v < total; v++) {
      const c = v & 15;
      const s = v >>> 4;
      const o = v * W;
      for (let i = 0; i < k; i++) input[o + el.offset + (i >>> 3)] |= ((c + i) & 15) << (4 * (i & 7));
      input[o + so] = s;
    }
    for (let v = 0; v < total; v++) {
      const s = input[v * W + so];
      for (let i = 0; i < k; i++) seen[i * 4096 + fieldOf(input, v * W + el.offset, 4 * i, 4) * 256 + s] = 1;
    }
    let full = 0;
    for (let i = 0; i < k; i++) {
      let n = 0;
      for (let p = 0; p < 4096; p++) n += seen[i * 4096 + p];
      if (n === 4096) full++;
    }
    return {
      total,
      what: `${count(total)} vectors (16 element codes x 256 scales, rotated across ${k} lanes)`,
      next: batchesOf(dequantBench, layout, input, total, Math.max(1, Math.floor(opts.batchSize / Math.max(1, k))), (i) => `code ${i & 15} on lane 0, scale ${i >>> 4}`),
      details: () => [`coverage: ${full} of ${k} lanes saw all 4096 (element code, scale) pairs`],
    };
  },
};
