/**
 * dequant: the block dequantizer, checked on every element code x every scale code on every lane,
 * then on random blocks whose lanes hold independent codes.
 *
 * Exhaustive part: vector (c, s) gives lane i the code (c + i) mod 2^w and the scale s, so the
 * 2^w x 2^ws vectors put every (code, scale) pair on each lane; a coverage map read back from the
 * records confirms it. Random part: every lane an independent uniform code, so neighbouring lanes
 * also share codes and a fault that couples lanes shows.
 */
import { dequantElement } from '../../src/dequant.js';
import { floatBits } from '../../src/formats/float.js';
import { decodeScale, elementBits, scaleBits } from '../../src/formats/format.js';
import { DEQUANT_PORTS, dequantFamily, type DequantParams } from '../../generator/units/dequant.js';
import { elementText, floatText, scaleText } from '../../src/text.js';
import { count } from '../format.js';
import { fieldOf, slotOf, type RecordLayout } from '../layout.js';
import { Xoshiro128 } from '../prng.js';
import type { Batch } from '../stream.js';
import { chain, putField, recordInputs, type OpenBench, type UnitBench } from './types.js';

/** Random blocks after the exhaustive part, at least this many (or --vectors / 16 if more). */
export const DEQUANT_RANDOM_MIN = 65_536;

export const dequantBench: UnitBench<DequantParams> = {
  family: 'dequant',
  open(p: DequantParams, layout: RecordLayout): OpenBench {
    const we = elementBits(p.elem);
    const ws = scaleBits(p.scale);
    const wr = floatBits(p.out);
    const k = p.block;
    const ne = 2 ** we;
    const ns = 2 ** ws;
    // the golden lane table: result of (code, scale) at [scale * 2^we + code]
    const table = new Uint32Array(ne * ns);
    for (let s = 0; s < ns; s++) {
      const sv = decodeScale(p.scale, s);
      for (let c = 0; c < ne; c++) table[s * ne + c] = dequantElement(p.elem, c, sv, p.out);
    }
    const el = slotOf(layout.inputs, DEQUANT_PORTS.elems);
    const so = slotOf(layout.inputs, DEQUANT_PORTS.scale).offset;
    const res = slotOf(layout.outputs, DEQUANT_PORTS.result);
    const W = layout.inWords;
    const makeBatch = (input: Uint32Array, n: number, label: (i: number) => string): Batch => {
      const expected = new Uint32Array(n * layout.outWords);
      for (let v = 0; v < n; v++) bench.golden(input, v * W, expected, v * layout.outWords);
      return { count: n, input, expected, label };
    };
    const bench: OpenBench = {
      golden(input, inOff, out, outOff) {
        const s = input[inOff + so];
        for (let i = 0; i < k; i++) putField(out, outOff + res.offset, wr * i, wr, table[s * ne + fieldOf(input, inOff + el.offset, we * i, we)]);
      },
      report(m) {
        const s = m.input[so];
        const lines = dequantFamily.describeInputs(p, recordInputs(layout, m.input, 0));
        const bad: number[] = [];
        for (let i = 0; i < k; i++) if (fieldOf(m.expected, res.offset, wr * i, wr) !== fieldOf(m.actual, res.offset, wr * i, wr)) bad.push(i);
        for (const i of bad.slice(0, 8)) {
          const c = fieldOf(m.input, el.offset, we * i, we);
          lines.push(`lane ${i}: elem ${elementText(p.elem, c)}, scale ${scaleText(p.scale, s)}`);
          lines.push(`    result expected ${floatText(p.out, fieldOf(m.expected, res.offset, wr * i, wr))}`);
          lines.push(`           actual   ${floatText(p.out, fieldOf(m.actual, res.offset, wr * i, wr))}`);
        }
        if (bad.length > 8) lines.push(`... and ${bad.length - 8} more lanes differ (${bad.length} of ${k})`);
        return lines;
      },
      plan(opts) {
        const exhaustive = ne * ns;
        const random = Math.max(DEQUANT_RANDOM_MIN, Math.floor(opts.vectors / 16));
        const seen = new Uint8Array(k * ne * ns);
        const fill = (input: Uint32Array, n: number, make: (v: number, lane: number) => number, scale: (v: number) => number): void => {
          for (let v = 0; v < n; v++) {
            const o = v * W;
            for (let i = 0; i < k; i++) putField(input, o + el.offset, we * i, we, make(v, i));
            input[o + so] = scale(v);
          }
        };
        const batch = Math.max(1, Math.floor(opts.batchSize / Math.max(1, Math.ceil(k / 8))));
        let at = 0;
        const exhaustiveSource = (): Batch | null => {
          if (at >= exhaustive) return null;
          const n = Math.min(batch, exhaustive - at);
          const first = at;
          at += n;
          const input = new Uint32Array(n * W);
          fill(input, n, (v, i) => ((first + v) % ne + i) % ne, (v) => Math.floor((first + v) / ne));
          // coverage from the records themselves, not from the construction
          for (let v = 0; v < n; v++) {
            const s = input[v * W + so];
            for (let i = 0; i < k; i++) seen[(i * ns + s) * ne + fieldOf(input, v * W + el.offset, we * i, we)] = 1;
          }
          return makeBatch(input, n, (i) => `exhaustive: code ${(first + i) % ne} on lane 0, scale 0x${Math.floor((first + i) / ne).toString(16)}`);
        };
        const rng = new Xoshiro128(opts.seed ^ 0x2545f491);
        let made = 0;
        const extremes = [0, 1, ns - 2, ns - 1];
        const randomSource = (): Batch | null => {
          if (made >= random) return null;
          const n = Math.min(batch, random - made);
          const first = made;
          made += n;
          const input = new Uint32Array(n * W);
          fill(
            input,
            n,
            () => rng.next() & (ne - 1),
            () => {
              const r = rng.next();
              return (r & 7) === 0 ? extremes[(r >>> 3) & 3] : (r >>> 8) & (ns - 1);
            },
          );
          return makeBatch(input, n, (i) => `random block #${first + i} (independent lanes)`);
        };
        return {
          total: exhaustive + random,
          what: `${count(exhaustive)} exhaustive vectors (${ne} element codes x ${ns} scales, rotated across ${k} lanes) + ${count(random)} random blocks`,
          next: chain(exhaustiveSource, randomSource),
          details: () => {
            let full = 0;
            for (let i = 0; i < k; i++) {
              let n = 0;
              for (let q = 0; q < ne * ns; q++) n += seen[i * ne * ns + q];
              if (n === ne * ns) full++;
            }
            return [`coverage: ${full} of ${k} lanes saw all ${count(ne * ns)} (element code, scale) pairs`];
          },
        };
      },
    };
    return bench;
  },
};
