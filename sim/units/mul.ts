/** mul: the multiplier, checked on every A code x every B code. */
import { productTable } from '../../src/dot-kernel.js';
import { elementBits } from '../../src/formats/format.js';
import { MUL_PORTS, mulFamily, type MulParams } from '../../generator/units/mul.js';
import { count } from '../format.js';
import { slotOf, type RecordLayout } from '../layout.js';
import { batchesOf, putPort, reportLines, type OpenBench, type UnitBench } from './types.js';

export const mulBench: UnitBench<MulParams> = {
  family: 'mul',
  open(p: MulParams, layout: RecordLayout): OpenBench {
    const t = productTable(p.a, p.b);
    const ao = slotOf(layout.inputs, MUL_PORTS.a).offset;
    const bo = slotOf(layout.inputs, MUL_PORTS.b).offset;
    const outs = layout.outputs.map((s) => ({ slot: s, flag: s.name === MUL_PORTS.nan ? 1 : s.name === MUL_PORTS.pinf ? 2 : s.name === MUL_PORTS.ninf ? 4 : 0 }));
    const bench: OpenBench = {
      golden(input, inOff, out, outOff) {
        const i = (input[inOff + ao] << t.bBits) | input[inOff + bo];
        for (const o of outs) putPort(out, outOff, o.slot, o.flag === 0 ? t.big[i] : t.flags[i] & o.flag ? 1n : 0n);
      },
      report: (m) => reportLines(layout, m, (v) => mulFamily.describeInputs(p, v), (port, v) => mulFamily.describeOutput(p, port, v)),
      plan(opts) {
        const wa = elementBits(p.a);
        const wb = elementBits(p.b);
        const total = 2 ** (wa + wb);
        const input = new Uint32Array(total * layout.inWords);
        for (let v = 0; v < total; v++) {
          input[v * layout.inWords + ao] = v >>> wb;
          input[v * layout.inWords + bo] = v & (2 ** wb - 1);
        }
        return {
          total,
          what: `${count(total)} vectors (every a x b code pair)`,
          next: batchesOf(bench, layout, input, total, opts.batchSize, () => 'exhaustive'),
          details: () => [],
        };
      },
    };
    return bench;
  },
};
