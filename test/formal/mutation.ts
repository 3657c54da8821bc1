// The mutation tests' runner: each case edits one generated file in a temporary copy, runs the
// proofs of one unit, and checks that exactly the obligation covering the edit fails, with a
// counterexample whose input vector makes the edited unit and the golden model differ (the unit
// evaluated again here by Yosys, the golden value computed here from src/).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateUnit } from '../../formal/tasks.js';
import type { UnitRef } from '../../formal/spec.js';
import type { Manifest } from '../../generator/manifest.js';
import { parseVectorFile } from '../../sim/vectors.js';
import { dequantElement } from '../../src/dequant.js';
import { dotBlock } from '../../src/dot.js';
import { fp32Add } from '../../src/fp32.js';
import { productTable } from '../../src/dot-kernel.js';
import { decodeScale, elementBits, elementFormatByName, floatBits, floatFormatByName, scaleFormatByName } from '../../src/index.js';
import { ROOT, formal, generate, mutate, obligation, requireBuild, statuses, tempDir, type FormalRun, type GenSpec } from './helpers.js';

export interface Case {
  /** what the edit breaks */
  readonly name: string;
  readonly config: GenSpec;
  /** the unit whose proofs run: its family */
  readonly family: 'mul' | 'dequant' | 'dot' | 'add';
  /** the generated file to edit */
  readonly file: string;
  readonly pattern: RegExp;
  readonly replace: string;
  /** the obligation part that must fail; every other obligation of the unit must stay proven */
  readonly fails: string;
  /** the failure is structural (a lane reads another lane's inputs): no counterexample vector */
  readonly structural?: boolean;
}

function lanes(v: bigint, width: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Number((v >> BigInt(width * i)) & ((1n << BigInt(width)) - 1n)));
}

/** The golden model's outputs on a vector, computed directly from src/. */
function golden(family: Case['family'], p: Readonly<Record<string, string | number>>, v: Record<string, bigint>): Record<string, bigint> {
  const fmt = (n: unknown) => elementFormatByName(String(n)) ?? (() => { throw new Error(`format ${String(n)}`); })();
  switch (family) {
    case 'mul': {
      const t = productTable(fmt(p.elem_a), fmt(p.elem_b));
      const i = (Number(v.a) << t.bBits) | Number(v.b);
      return { prod: t.big[i], nan: BigInt(t.flags[i] & 1), pinf: BigInt((t.flags[i] >> 1) & 1), ninf: BigInt((t.flags[i] >> 2) & 1) };
    }
    case 'dequant': {
      const e = fmt(p.elem);
      const s = scaleFormatByName(String(p.scale));
      const o = floatFormatByName(String(p.out));
      if (!s || !o) throw new Error('formats');
      const k = Number(p.block);
      const words = lanes(v.elems, elementBits(e), k).map((c) => dequantElement(e, c, decodeScale(s, Number(v.scale)), o));
      return { result: words.reduceRight((acc, w) => (acc << BigInt(floatBits(o))) | BigInt(w >>> 0), 0n) };
    }
    case 'add':
      return { sum: BigInt(fp32Add(Number(v.a), Number(v.b)) >>> 0) };
    case 'dot': {
      const a = fmt(p.elem_a);
      const b = fmt(p.elem_b);
      const s = scaleFormatByName(String(p.scale));
      const o = floatFormatByName(String(p.out));
      if (!s || !o) throw new Error('formats');
      const k = Number(p.block);
      return { result: BigInt(dotBlock(a, lanes(v.a, elementBits(a), k), b, lanes(v.b, elementBits(b), k), decodeScale(s, Number(v.scale_a)), decodeScale(s, Number(v.scale_b)), o) >>> 0) };
    }
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

  describe.each(cases.map((c, i) => [c.name, { ...c, i }] as const))('%s', (_name, c) => {
    let rtl: string;
    let run: FormalRun;
    let tagOf: string;
    let manifest: Manifest;
    let top: string;
    beforeAll(async () => {
      rtl = join(dir, `case${c.i}`);
      tagOf = await generate(rtl, c.config);
      manifest = JSON.parse(await readFile(join(rtl, 'manifest.json'), 'utf8')) as Manifest;
      top = manifest.units.find((u) => u.family === c.family)?.top ?? '';
      await mutate(join(rtl, c.file), c.pattern, c.replace);
      run = await formal(rtl, join(dir, `out${c.i}`), '--only', top, '--jobs', '1');
    }, 180_000);

    it('fails exactly the obligation that covers the edit, and exits with 1', () => {
      expect(run.code).toBe(1);
      const st = statuses(run.report);
      expect(st[`${top}.${c.fails}`]).toBe('failed');
      for (const [id, s] of Object.entries(st)) if (id !== `${top}.${c.fails}`) expect(s, id).toBe('proven');
      expect(run.stdout).toMatch(/formal: NOT PROVEN/);
      // the edit is named on the console and in the report, with the real status
      const note = `${c.file} differs from the SHA-256 in manifest.json; the unit as edited is NOT proven`;
      expect(run.stdout).toContain(`formal: note: ${top}: edited after generation: ${note}`);
    });

    it.skipIf(c.structural === true)('gives a counterexample that the golden model confirms is a real difference', async () => {
      const o = obligation(run.report, `${top}.${c.fails}`);
      const cex = o.counterexample;
      expect(cex?.confirmed).toBe(true);
      expect(cex?.at.length).toBeGreaterThan(0);
      expect(o.vectorFile).toBeDefined();
      // the proofs ran on a temporary folder, so the replay command names it
      const md = await readFile(join(dir, `out${c.i}`, 'reports', `${tagOf}.partial.md`), 'utf8');
      expect(md).toContain(`**Edited after generation:** ${c.file} differs from the SHA-256 in manifest.json; the unit as edited is NOT proven`);
      expect(md).toContain(`make sim RTL=${run.report?.rtl} SIM_ARGS="--replay ${o.vectorFile}"`);
      const file = parseVectorFile(await readFile(join(ROOT, o.vectorFile as string), 'utf8'), 'vector file');
      expect(file.unit).toBe(top);
      expect(file.vectors).toHaveLength(1);
      const u = manifest.units.find((x) => x.top === top);
      if (!u) throw new Error(`no ${top} in the manifest`);
      const files = await Promise.all(u.files.map(async (name) => ({ name, text: await readFile(join(rtl, name), 'utf8') })));
      const unit: UnitRef = { family: u.family, top: u.top, files, ports: u.ports, parameters: u.parameters };
      const inputs: Record<string, bigint> = {};
      for (const [name, hex] of Object.entries(file.vectors[0])) inputs[name] = BigInt('0x' + hex);
      const rtlOut = (await evaluateUnit(unit, inputs)).outputs;
      const want = golden(c.family, u.parameters, inputs);
      const differs = u.ports.filter((p) => p.dir === 'output').some((p) => BigInt.asUintN(p.width, want[p.name] ?? 0n) !== rtlOut[p.name]);
      expect(differs).toBe(true);
    }, 60_000);
  });
}
