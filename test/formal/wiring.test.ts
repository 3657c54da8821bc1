// The wiring check of lane-module obligations, on hand-written netlists in Yosys's JSON form: a
// parent with two lane instances, correct and broken in each way the check must catch.
import { describe, expect, it } from 'vitest';
import { checkInstances } from '../../formal/wiring.js';
import type { LaneInstances } from '../../formal/spec.js';

type Bit = number | string;

// parent: input x[3:0] (bits 2..5), input s (bit 6), output y[3:0] (bits 10..13)
const PORTS = {
  x: { direction: 'input', bits: [2, 3, 4, 5] },
  s: { direction: 'input', bits: [6] },
  y: { direction: 'output', bits: [10, 11, 12, 13] },
};

function lane(x: Bit[], s: Bit[], y: Bit[], extra: Record<string, Bit[]> = {}): object {
  return {
    type: 'lane_m',
    port_directions: { x: 'input', s: 'input', y: 'output', ...Object.fromEntries(Object.keys(extra).map((k) => [k, 'input'])) },
    connections: { x, s, y, ...extra },
  };
}

function netlist(cells: Record<string, object>, ports: Record<string, { direction: string; bits: Bit[] }> = PORTS): string {
  const netnames = Object.fromEntries(Object.entries(ports).map(([n, p]) => [n, { bits: p.bits }]));
  return JSON.stringify({ modules: { parent: { ports, netnames, cells } } });
}

const INST: LaneInstances = {
  parent: 'parent',
  jsonFile: 'parent.json',
  lanes: [0, 1].map((i) => ({
    x: { port: 'x', lo: 2 * i, width: 2 },
    s: { port: 's', lo: 0, width: 1 },
    y: { port: 'y', lo: 2 * i, width: 2 },
  })),
};

const GOOD = { 'l[0]': lane([2, 3], [6], [10, 11]), 'l[1]': lane([4, 5], [6], [12, 13]) };

describe('lane wiring check', () => {
  it('accepts one instance per lane, each on its own bits, in any cell order', () => {
    expect(checkInstances(netlist(GOOD), 'lane_m', INST)).toBeNull();
    expect(checkInstances(netlist({ 'l[1]': GOOD['l[1]'], 'l[0]': GOOD['l[0]'] }), 'lane_m', INST)).toBeNull();
  });

  it('rejects lanes that read each other\'s inputs', () => {
    const swapped = { 'l[0]': lane([4, 5], [6], [10, 11]), 'l[1]': lane([2, 3], [6], [12, 13]) };
    expect(checkInstances(netlist(swapped), 'lane_m', INST)).toMatch(/^lane 0: no instance of lane_m in parent connects \.s\(s\[0\]\) \.x\(x\[1:0\]\) \.y\(y\[1:0\]\)/);
  });

  it('rejects a reversed bit order within a lane', () => {
    const reversed = { 'l[0]': lane([3, 2], [6], [10, 11]), 'l[1]': GOOD['l[1]'] };
    expect(checkInstances(netlist(reversed), 'lane_m', INST)).toMatch(/^lane 0: no instance/);
  });

  it('rejects a missing or an extra instance', () => {
    expect(checkInstances(netlist({ 'l[0]': GOOD['l[0]'] }), 'lane_m', INST)).toBe('parent holds 1 instances of lane_m, expected one per lane (2)');
    expect(checkInstances(netlist({ ...GOOD, 'l[2]': lane([2, 3], [6], [20, 21]) }), 'lane_m', INST)).toMatch(/holds 3 instances/);
  });

  it('rejects an instance with a port connected beyond the stated ones', () => {
    const extra = { 'l[0]': lane([2, 3], [6], [10, 11], { en: [6] }), 'l[1]': GOOD['l[1]'] };
    expect(checkInstances(netlist(extra), 'lane_m', INST)).toMatch(/^lane 0: no instance .* and nothing else$/);
  });

  it('rejects an output bit that another cell drives too', () => {
    const or = { type: '$or', port_directions: { A: 'input', B: 'input', Y: 'output' }, connections: { A: [2], B: [3], Y: [12] } };
    expect(checkInstances(netlist({ ...GOOD, or }), 'lane_m', INST)).toBe('lane 1: y[3:2], which l[1].y drives, has 2 drivers');
  });

  it('rejects an output that is an input of the parent, or a constant', () => {
    const ports = { ...PORTS, y: { direction: 'output', bits: [10, 11, 2, '0'] as Bit[] } };
    const onInput = { 'l[0]': GOOD['l[0]'], 'l[1]': lane([4, 5], [6], [2, '0']) };
    expect(checkInstances(netlist(onInput, ports), 'lane_m', INST)).toBe('lane 1: y[3:2], which l[1].y drives, has 2 drivers');
    const ports2 = { ...PORTS, y: { direction: 'output', bits: [10, 11, '0', 13] as Bit[] } };
    const onConst = { 'l[0]': GOOD['l[0]'], 'l[1]': lane([4, 5], [6], ['0', 13]) };
    expect(checkInstances(netlist(onConst, ports2), 'lane_m', INST)).toBe('lane 1: l[1].y drives a constant bit of y[3:2]');
  });

  it('throws when the statement names bits the parent does not have (a plan error, not an RTL one)', () => {
    const wide: LaneInstances = { ...INST, lanes: [{ ...INST.lanes[0], y: { port: 'y', lo: 3, width: 2 } }, INST.lanes[1]] };
    expect(() => checkInstances(netlist(GOOD), 'lane_m', wide)).toThrow(/parent has no bits y\[4:3\]/);
    expect(checkInstances(JSON.stringify({ modules: {} }), 'lane_m', INST)).toBe('the netlist has no module parent');
  });
});
