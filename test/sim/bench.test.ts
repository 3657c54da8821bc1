// The Verilator bench on generated configurations: every unit passes, and the vector counts are
// exactly what was asked (exhaustive mul and dequant plus random dequant blocks, N random + all
// directed dot-product vectors, every class the configuration can reach present, the others named;
// every corner pair of the FP32 adder plus N random pairs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSim, type SimResult } from '../../sim/runner.js';
import { defaultBuildRoot } from '../../sim/paths.js';
import { addCorners } from '../../sim/units/add.js';
import { DEQUANT_RANDOM_MIN } from '../../sim/units/dequant.js';
import { DOT_CLASSES } from '../../sim/units/dot-corners.js';
import { generate, tempDir } from './helpers.js';

const RANDOM = 20_000;

interface BenchCase {
  readonly name: string;
  readonly k: number;
  readonly formats: { elem?: string; elemB?: string; scale?: string; out?: string };
  /** code pairs of the multiplier, and (element, scale) pairs of a dequantizer lane */
  readonly pairs: number;
  readonly lanePairs: number;
  readonly units: number;
  /** classes the configuration cannot reach */
  readonly unreachable: readonly string[];
}

const INF_CLASSES = ['nan-element', 'inf-element', 'inf-minus-inf', 'inf-times-zero', 'inf-zero-scale'];

const CASES: BenchCase[] = [
  { name: 'MXFP4, k = 4', k: 4, formats: {}, pairs: 256, lanePairs: 16 * 256, units: 4, unreachable: INF_CLASSES },
  { name: 'MXFP4, k = 32', k: 32, formats: {}, pairs: 256, lanePairs: 16 * 256, units: 4, unreachable: INF_CLASSES },
  {
    name: 'FP8 E5M2 x INT8, UE4M3 scales, BF16 results, k = 8',
    k: 8,
    formats: { elem: 'e5m2', elemB: 'int8', scale: 'ue4m3', out: 'bf16' },
    pairs: 65536,
    lanePairs: 256 * 128,
    units: 5,
    unreachable: ['subnormal', 'underflow-to-zero', 'overflow-inf', 'max-exponent-finite'],
  },
];

describe.each(CASES)('sim, $name', (c) => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let result: SimResult;
  const lines: string[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir(`k${c.k}`));
    await generate(dir, c.k, c.formats);
    result = await runSim({ rtl: dir, vectors: RANDOM, seed: 0x5eed0000 + c.k, buildRoot: defaultBuildRoot(), outDir: dir, log: (l) => lines.push(l) });
  }, 180_000);
  afterAll(async () => cleanup());

  it('runs every unit with zero mismatches', () => {
    expect(result.units).toHaveLength(c.units);
    expect(result.units.map((u) => u.family)).toEqual(['mul', ...new Array(c.units - 3).fill('dequant'), 'dot', 'add']);
    expect(result.skipped).toEqual([]);
    for (const u of result.units) {
      expect(u.stream.mismatches, u.top).toBe(0);
      expect(u.stream.stopped).toBe(false);
      expect(u.stream.checked, u.top).toBe(u.planned);
    }
    expect(result.passed).toBe(true);
    expect(lines.at(-1)).toMatch(new RegExp(`^mxrtl sim: PASS, ${c.units} units, [0-9,]+ vectors, 0 mismatches in [0-9.]+ s \\(seed 0x5eed00`));
  });

  it('checks the multiplier on every code pair, and each dequantizer on every (element, scale) pair on every lane plus random blocks', () => {
    expect(result.units[0].stream.checked).toBe(c.pairs);
    expect(result.units[1].stream.checked).toBe(c.lanePairs + DEQUANT_RANDOM_MIN);
    expect(lines.some((l) => l.includes(`coverage: ${c.k} of ${c.k} lanes saw all ${c.lanePairs.toLocaleString('en-US')} (element code, scale) pairs`))).toBe(true);
  });

  it('checks the FP32 adder on every pair of its corner values plus the asked number of random pairs, every result class reached', () => {
    const add = result.units.find((u) => u.family === 'add');
    const corners = addCorners().length;
    expect(add?.stream.checked).toBe(corners * corners + RANDOM);
    const classes = lines.find((l) => l.trim().startsWith('random results: nan'));
    for (const cls of ['nan', 'inf', 'zero', 'subnormal', 'normal']) expect(classes ?? '', cls).toMatch(new RegExp(`\\b${cls} [1-9]`));
  });

  it('checks the asked number of random dot products plus every directed class the formats can reach', () => {
    const dot = result.units.find((u) => u.family === 'dot');
    const directedLine = lines.find((l) => l.trim().startsWith('directed:'));
    expect(directedLine).toBeDefined();
    const perClass = new Map<string, number>();
    for (const m of (directedLine ?? '').matchAll(/([a-z0-9-]+) ([0-9,]+)/g)) perClass.set(m[1], Number(m[2].replace(/,/g, '')));
    for (const cls of DOT_CLASSES) {
      if (c.unreachable.includes(cls)) expect(perClass.has(cls), cls).toBe(false);
      else expect(perClass.get(cls), cls).toBeGreaterThan(0);
    }
    const missing = lines.find((l) => l.trim().startsWith('not reachable in this configuration:')) ?? '';
    for (const cls of c.unreachable) expect(missing).toContain(`${cls} (`);
    const directed = [...perClass.values()].reduce((s, n) => s + n, 0);
    expect(dot?.stream.checked).toBe(RANDOM + directed);
    if (c.pairs === 256) expect(perClass.get('lane-pairs')).toBe(256 * c.k);

    const randomLine = lines.find((l) => l.trim().startsWith('random results:')) ?? '';
    const counts = [...randomLine.matchAll(/(normal|subnormal|zero|inf|nan) ([0-9,]+)/g)].map((m) => [m[1], Number(m[2].replace(/,/g, ''))] as const);
    expect(counts.map((x) => x[0])).toEqual(['normal', 'subnormal', 'zero', 'inf', 'nan']);
    expect(counts.reduce((s, x) => s + x[1], 0)).toBe(RANDOM);
    // the scale mix reaches every result class the configuration has, not only normal numbers
    for (const [name, n] of counts) {
      if (name === 'subnormal' && c.unreachable.includes('subnormal')) continue;
      if (name === 'inf' && c.unreachable.includes('overflow-inf') && c.unreachable.includes('inf-element')) continue;
      expect(n, name).toBeGreaterThan(RANDOM / 200);
    }
  });
});
