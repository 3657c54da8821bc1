/**
 * dequant: the block is k instances of its lane module, each wired to its own element and the
 * scale (checked on the elaborated block), and the lane module equals the golden dequantization at
 * every (element code, scale code) pair (its netlist evaluated exhaustively).
 */
import { floatBits } from '../../src/formats/float.js';
import { elementBits, scaleBits } from '../../src/formats/format.js';
import { DEQUANT_LANE_PORTS, DEQUANT_PORTS, dequantFamily, dequantLaneName } from '../../generator/units/dequant.js';
import type { UnitRef } from '../spec.js';
import { exhaustiveObligation, requirePorts, type Recipe } from './common.js';

export const dequantRecipe: Recipe = {
  parts: () => ['lanes'],
  plan(u: UnitRef, shape) {
    const p = dequantFamily.fromParameters(u.parameters);
    const k = p.block;
    const we = elementBits(p.elem);
    const ws = scaleBits(p.scale);
    const wr = floatBits(p.out);
    requirePorts(u.top, shape(u.top), [
      { name: DEQUANT_PORTS.elems, dir: 'input', width: we * k },
      { name: DEQUANT_PORTS.scale, dir: 'input', width: ws },
      { name: DEQUANT_PORTS.result, dir: 'output', width: wr * k },
    ]);
    const lane = dequantLaneName(p);
    requirePorts(lane, shape(lane), [
      { name: DEQUANT_LANE_PORTS.elem, dir: 'input', width: we },
      { name: DEQUANT_LANE_PORTS.scale, dir: 'input', width: ws },
      { name: DEQUANT_LANE_PORTS.result, dir: 'output', width: wr },
    ]);
    const pairs = 2 ** (we + ws);
    return [
      exhaustiveObligation(
        u,
        'lanes',
        lane,
        `every lane = dequantElement(element, scale) for all ${pairs} (element, scale) pairs; ${u.top} is ${k} ${lane} lanes`,
        [
          `For every elems (${we * k} bits) and scale (${ws} bits): result[${wr}i+${wr - 1}:${wr}i] = dequantElement(${p.elem.name}, elems[${we}i+${we - 1}:${we}i], scale, ${p.out.name}) (src/dequant.ts), i = 0 .. ${k - 1}.`,
          `Wiring, on ${u.top} as elaborated: it holds exactly ${k} instances of ${lane}; instance i connects elem to elems[${we}i+${we - 1}:${we}i], scale to scale and result to result[${wr}i+${wr - 1}:${wr}i], and nothing else drives those result bits.`,
          `Lane module: ${lane} is evaluated on all ${pairs} (element, scale) pairs, after its netlist is checked to read nothing but elem and scale, and each result compared with the golden value.`,
        ],
        [],
        [],
        (f) => ({
          type: 'lanes',
          ...f,
          lanes: [
            {
              inputs: [{ port: DEQUANT_LANE_PORTS.elem, lo: 0, width: we }],
              outputs: [{ port: DEQUANT_LANE_PORTS.result, lo: 0, width: wr }],
            },
          ],
          shared: [{ port: DEQUANT_LANE_PORTS.scale, lo: 0, width: ws }],
          golden: { kind: 'dequant', elem: p.elem.name, scale: p.scale.name, out: p.out.name },
        }),
        1,
        [],
        [],
        {
          parent: u.top,
          lanes: Array.from({ length: k }, (_, i) => ({
            [DEQUANT_LANE_PORTS.elem]: { port: DEQUANT_PORTS.elems, lo: we * i, width: we },
            [DEQUANT_LANE_PORTS.scale]: { port: DEQUANT_PORTS.scale, lo: 0, width: ws },
            [DEQUANT_LANE_PORTS.result]: { port: DEQUANT_PORTS.result, lo: wr * i, width: wr },
          })),
        },
      ),
    ];
  },
  coverage: (u) => {
    const p = dequantFamily.fromParameters(u.parameters);
    return [
      `One obligation, nothing cut. The wiring check shows that result lane i of the block is the lane module ${dequantLaneName(p)}`,
      'applied to element i and the scale, and to nothing else; the lane module\'s netlist reads only its element and',
      `scale, and it equals the golden dequantization at every one of its ${2 ** (elementBits(p.elem) + scaleBits(p.scale))} arguments. So every lane equals the`,
      `golden model on all 2^${elementBits(p.elem) * p.block + scaleBits(p.scale)} inputs of the block.`,
    ];
  },
};
