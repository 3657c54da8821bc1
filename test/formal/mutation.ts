// The mutation tests' runner: each case edits one generated file in a temporary copy, runs the
// proofs of that unit, and checks that exactly the obligation covering the edit fails, with a
// counterexample whose input vector makes the edited unit and the golden model differ (the unit
// evaluated again here by Yosys, the golden value computed here from src/).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateUnit } from '../../formal/tasks.js';
import type { UnitRef } from '../../formal/spec.js';
import { parseVectorFile } from '../../sim/vectors.js';
import { dequantBlockE2M1E8M0 } from '../../src/dequant.js';
import { dotE2M1E8M0 } from '../../src/dot.js';
import { mulE2M1 } from '../../src/mul.js';
import { ROOT, formal, generate, mutate, obligation, requireBuild, statuses, tempDir, type FormalRun } from './helpers.js';

export interface Case {
  /** what the edit breaks */
  readonly name: string;
  readonly k: number;
  readonly kind: 'mul_e2m1' | 'dequant_e2m1_e8m0' | 'dot_e2m1_e8m0';
  readonly pattern: RegExp;
  readonly replace: string;
  /** the obligation that must fail; every other obligation of the unit must stay proven */
  readonly fails: string;
}

const FILES: Record<Case['kind'], (k: number) => string> = {
  mul_e2m1: () => 'mx_mul_e2m1.v',
  dequant_e2m1_e8m0: (k) => `mx_dequant_e2m1_e8m0_k${k}.v`,
  dot_e2m1_e8m0: (k) => `mx_dot_e2m1_e8m0_k${k}.v`,
};


function lanes(hex: string, width: number, k: number): number[] {
  const v = BigInt('0x' + hex);
  return Array.from({ length: k }, (_, i) => Number((v >> BigInt(width * i)) & ((1n << BigInt(width)) - 1n)));
}

/** The golden model's outputs on a vector, computed directly from src/. */
function golden(kind: Case['kind'], k: number, v: Record<string, string>): Record<string, bigint> {
  switch (kind) {
    case 'mul_e2m1':
      return { prod: BigInt.asUintN(9, BigInt(mulE2M1(parseInt(v.a, 16), parseInt(v.b, 16)))) };
    case 'dequant_e2m1_e8m0': {
      const words = dequantBlockE2M1E8M0(lanes(v.elems, 4, k), parseInt(v.scale, 16));
      return { result: words.reduceRight((acc, w) => (acc << 32n) | BigInt(w >>> 0), 0n) };
    }
    case 'dot_e2m1_e8m0':
      return { result: BigInt(dotE2M1E8M0(lanes(v.a, 4, k), 0, lanes(v.b, 4, k), 0, k, parseInt(v.scale_a, 16), parseInt(v.scale_b, 16)) >>> 0) };
  }
}

/** One describe block per case; call at the top level of a test file. */
export function describeMutations(tag: string, cases: readonly Case[]): void {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    requireBuild();
    ({ dir, cleanup } = await tempDir(tag));
  });
  afterAll(async () => cleanup());

  describe.each(cases.map((c, i) => ({ ...c, i })))('$name', (c) => {
    let rtl: string;
    let run: FormalRun;
    beforeAll(async () => {
      rtl = join(dir, `case${c.i}`);
      await generate(rtl, c.k);
      await mutate(join(rtl, FILES[c.kind](c.k)), c.pattern, c.replace);
      run = await formal(rtl, join(dir, `out${c.i}`), '--only', c.kind, '--jobs', '1');
    }, 120_000);

    it('fails exactly the obligation that covers the edit, and exits with 1', () => {
      expect(run.code).toBe(1);
      const st = statuses(run.report);
      expect(st[c.fails]).toBe('failed');
      for (const [id, s] of Object.entries(st)) if (id !== c.fails) expect(s, id).toBe('proven');
      expect(run.stdout).toMatch(/formal: NOT PROVEN/);
    });

    it('gives a counterexample that the golden model confirms is a real difference', async () => {
      const o = obligation(run.report, c.fails);
      const cex = o.counterexample;
      expect(cex?.confirmed).toBe(true);
      expect(cex?.at.length).toBeGreaterThan(0);
      expect(o.vectorFile).toBeDefined();
      // the proofs ran on a temporary folder, so the replay command names it
      const md = await readFile(join(dir, `out${c.i}`, 'reports', `e2m1_e8m0_k${c.k}.partial.md`), 'utf8');
      expect(md).toContain(`make sim RTL=${run.report?.rtl} SIM_ARGS="--replay ${o.vectorFile}"`);
      const file = parseVectorFile(await readFile(join(ROOT, o.vectorFile as string), 'utf8'), 'vector file');
      expect(file.unit).toBe(c.kind);
      expect(file.vectors).toHaveLength(1);
      const vec = file.vectors[0];
      const m = JSON.parse(await readFile(join(rtl, 'manifest.json'), 'utf8')) as { units: { kind: string; top: string; file: string; ports: UnitRef['ports'] }[] };
      const u = m.units.find((x) => x.kind === c.kind);
      if (!u) throw new Error(`no ${c.kind} in the manifest`);
      const unit: UnitRef = { kind: u.kind, top: u.top, file: u.file, text: await readFile(join(rtl, u.file), 'utf8'), ports: u.ports, k: c.k };
      const inputs: Record<string, bigint> = {};
      for (const [name, hex] of Object.entries(vec)) inputs[name] = BigInt('0x' + hex);
      const rtlOut = (await evaluateUnit(unit, inputs)).outputs;
      const want = golden(c.kind, c.k, vec);
      const port = Object.keys(want)[0];
      expect(rtlOut[port]).not.toBe(want[port]);
    }, 60_000);
  });
}
