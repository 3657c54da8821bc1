// The Verilator bench on generated k = 4 and k = 32 configurations: every unit passes, and the
// vector counts are exactly what was asked (exhaustive mul and dequant, N random + all directed
// dot-product vectors, every directed class present).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSim, type SimResult } from '../../sim/runner.js';
import { defaultBuildRoot } from '../../sim/paths.js';
import { DOT_CLASSES } from '../../sim/units/dot-corners.js';
import { generate, tempDir } from './helpers.js';

const RANDOM = 20_000;

for (const k of [4, 32]) {
  describe(`sim, k = ${k}`, () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    let result: SimResult;
    const lines: string[] = [];

    beforeAll(async () => {
      ({ dir, cleanup } = await tempDir(`k${k}`));
      await generate(dir, k);
      result = await runSim({
        rtl: dir,
        vectors: RANDOM,
        seed: 0x5eed0000 + k,
        buildRoot: defaultBuildRoot(),
        outDir: dir,
        log: (l) => lines.push(l),
      });
    }, 120_000);
    afterAll(async () => cleanup());

    it('runs all three units with zero mismatches', () => {
      expect(result.units.map((u) => u.kind)).toEqual(['mul_e2m1', 'dequant_e2m1_e8m0', 'dot_e2m1_e8m0']);
      expect(result.skipped).toEqual([]);
      for (const u of result.units) {
        expect(u.stream.mismatches, u.kind).toBe(0);
        expect(u.stream.stopped).toBe(false);
        expect(u.stream.checked, u.kind).toBe(u.planned);
      }
      expect(result.mismatches).toBe(0);
      expect(lines.at(-1)).toMatch(/^mxrtl sim: PASS, 3 units, [0-9,]+ vectors, 0 mismatches in [0-9.]+ s \(seed 0x5eed00/);
    });

    it('checks the multiplier on all 256 pairs and the dequantizer on 16 x 256 vectors covering every lane', () => {
      expect(result.units[0].stream.checked).toBe(256);
      expect(result.units[1].stream.checked).toBe(16 * 256);
      expect(lines).toContain(`    coverage: ${k} of ${k} lanes saw all 4096 (element code, scale) pairs`);
    });

    it('checks the asked number of random dot products plus every directed class', () => {
      const dot = result.units[2];
      const directedLine = lines.find((l) => l.trim().startsWith('directed:'));
      expect(directedLine).toBeDefined();
      const perClass = new Map<string, number>();
      for (const m of (directedLine ?? '').matchAll(/([a-z0-9-]+) ([0-9,]+)/g)) perClass.set(m[1], Number(m[2].replace(/,/g, '')));
      for (const c of DOT_CLASSES) expect(perClass.get(c), c).toBeGreaterThan(0);
      expect(perClass.get('lane-pairs')).toBe(256 * k);
      expect(perClass.get('tie-even')).toBe(200);
      expect(perClass.get('tie-odd')).toBe(200);
      const directed = DOT_CLASSES.reduce((s, c) => s + (perClass.get(c) ?? 0), 0);
      expect(dot.stream.checked).toBe(RANDOM + directed);

      const randomLine = lines.find((l) => l.trim().startsWith('random results:')) ?? '';
      const counts = [...randomLine.matchAll(/(normal|subnormal|zero|inf|nan) ([0-9,]+)/g)].map((m) => [m[1], Number(m[2].replace(/,/g, ''))] as const);
      expect(counts.map((c) => c[0])).toEqual(['normal', 'subnormal', 'zero', 'inf', 'nan']);
      expect(counts.reduce((s, c) => s + c[1], 0)).toBe(RANDOM);
      // the scale mix reaches every result class, not only normal numbers
      for (const [name, n] of counts) expect(n, name).toBeGreaterThan(RANDOM / 100);
    });
  });
}
