/**
 * mul: the multiplier against the golden products of every code pair, by exhaustive evaluation of
 * its netlist (at most 2^16 pairs).
 */
import { elementBits } from '../../src/formats/format.js';
import { MUL_PORTS, mulFamily } from '../../generator/units/mul.js';
import type { UnitRef } from '../spec.js';
import { exhaustiveObligation, requirePorts, type Recipe } from './common.js';

const FLAGS = [MUL_PORTS.nan, MUL_PORTS.pinf, MUL_PORTS.ninf] as const;

export const mulRecipe: Recipe = {
  parts: () => ['table'],
  plan(u: UnitRef, shape) {
    const p = mulFamily.fromParameters(u.parameters);
    const s = shape(u.top);
    const prod = s.ports.find((x) => x.name === MUL_PORTS.prod);
    const flags = FLAGS.filter((f) => s.ports.some((x) => x.name === f));
    const wa = elementBits(p.a);
    const wb = elementBits(p.b);
    requirePorts(u.top, s, [
      { name: MUL_PORTS.a, dir: 'input', width: wa },
      { name: MUL_PORTS.b, dir: 'input', width: wb },
      { name: MUL_PORTS.prod, dir: 'output', width: prod?.width ?? 0 },
      ...flags.map((f) => ({ name: f, dir: 'output' as const, width: 1 })),
    ]);
    const prodWidth = prod?.width ?? 0;
    const title = `prod${flags.length > 0 ? ` and ${flags.join(', ')}` : ''} = the golden product of a and b, for all ${2 ** (wa + wb)} code pairs`;
    return [
      exhaustiveObligation(
        u,
        'table',
        u.top,
        title,
        [
          `For every a (${p.a.name}) and b (${p.b.name}): prod = a * b * 2^-lsb as ${prodWidth}-bit two's complement, 0 for a NaN or Inf product${flags.length > 0 ? `; ${flags.join(', ')} as rawMul (src/raw.ts) classifies the product` : ''}.`,
          'The reference is src/dot-kernel.ts productTable, the exact products of the golden model, at every code pair.',
          `Method: exhaustive. Yosys maps the multiplier to an and-inverter graph; all ${2 ** (wa + wb)} pairs are evaluated and compared.`,
        ],
        [],
        [],
        (f) => ({
          type: 'lanes',
          ...f,
          lanes: [
            {
              inputs: [
                { port: MUL_PORTS.a, lo: 0, width: wa },
                { port: MUL_PORTS.b, lo: 0, width: wb },
              ],
              outputs: [{ port: MUL_PORTS.prod, lo: 0, width: prodWidth }, ...flags.map((fl) => ({ port: fl, lo: 0, width: 1 }))],
            },
          ],
          shared: [],
          golden: { kind: 'product', elemA: p.a.name, elemB: p.b.name, prodWidth, flags },
        }),
        1,
      ),
    ];
  },
  coverage: () => [
    'One obligation evaluates the whole multiplier, nothing cut, on every (a, b) code pair and compares every',
    'output with the golden product of the pair. The multiplier reads nothing but a and b (checked on the',
    'netlist), so these are all of its inputs: nothing else is needed.',
  ],
};

