/**
 * dequant: every lane of the block against the golden dequantization of every (element code, scale
 * code) pair, by exhaustive evaluation of the whole block's netlist: all lanes receive the same
 * pair at once, and each lane's result is checked to read nothing but its element and the scale.
 */
import { floatBits } from '../../src/formats/float.js';
import { elementBits, scaleBits } from '../../src/formats/format.js';
import { DEQUANT_PORTS, dequantFamily } from '../../generator/units/dequant.js';
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
    const pairs = 2 ** (we + ws);
    return [
      exhaustiveObligation(
        u,
        'lanes',
        u.top,
        `every lane = dequantElement(element, scale) for all ${pairs} (element, scale) pairs, k = ${k} lanes`,
        [
          `For every elems (${we * k} bits) and scale (${ws} bits): result[${wr}i+${wr - 1}:${wr}i] = dequantElement(${p.elem.name}, elems[${we}i+${we - 1}:${we}i], scale, ${p.out.name}) (src/dequant.ts), i = 0 .. ${k - 1}.`,
          'First the netlist is checked: each lane\'s result reads nothing but its own element and the scale.',
          `Then all ${pairs} (element, scale) pairs are evaluated with every lane holding the same pair, and each lane's result compared with the golden value.`,
        ],
        [],
        [],
        (f) => ({
          type: 'lanes',
          ...f,
          lanes: Array.from({ length: k }, (_, i) => ({
            inputs: [{ port: DEQUANT_PORTS.elems, lo: we * i, width: we }],
            outputs: [{ port: DEQUANT_PORTS.result, lo: wr * i, width: wr }],
          })),
          shared: [{ port: DEQUANT_PORTS.scale, lo: 0, width: ws }],
          golden: { kind: 'dequant', elem: p.elem.name, scale: p.scale.name, out: p.out.name },
        }),
        1 + k / 8,
      ),
    ];
  },
  coverage: (u) => {
    const p = dequantFamily.fromParameters(u.parameters);
    return [
      'One obligation evaluates the whole block, nothing cut. The netlist check shows that lane i\'s result is a',
      'function of its element code and the scale code alone; the evaluation then compares that function with the',
      `golden dequantization at every one of its ${2 ** (elementBits(p.elem) + scaleBits(p.scale))} arguments, for every lane. So every lane equals the golden`,
      `model on all 2^${elementBits(p.elem) * p.block + scaleBits(p.scale)} inputs of the block.`,
    ];
  },
};
