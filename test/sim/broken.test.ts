// Deliberately broken RTL must be caught: the generated Verilog is edited in a temporary copy,
// and the bench must fail with a readable report whose values agree with an independent
// computation from the golden model.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dotE2M1E8M0Generic } from '../../src/dot.js';
import { e2m1HalfUnits } from '../../src/formats/e2m1.js';
import { generate, sim, tempDir } from './helpers.js';

async function breakFile(path: string, good: string, bad: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  // the edit must hit exactly one line, or the test would check nothing
  expect(text.split(good).length - 1).toBe(1);
  await writeFile(path, text.replace(good, bad));
}

/** Codes of a block from the port's hex (MSB first): lane i is nibble i from the right. */
function codesFromHex(hex: string): number[] {
  return [...hex].reverse().map((d) => parseInt(d, 16));
}

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('broken'));
});
afterAll(async () => cleanup());

describe('a dot product without the rounding increment (k = 32)', () => {
  let good: string;
  let bad: string;
  let run: Awaited<ReturnType<typeof sim>>;
  beforeAll(async () => {
    good = join(dir, 'dot-good');
    bad = join(dir, 'dot-bad');
    await generate(good, 32);
    await generate(bad, 32);
    await breakFile(join(bad, 'mx_dot_e2m1_e8m0_k32.v'), 'wire rnd_up = rnd_round & (rnd_sticky | rnd_frac[0]);', "wire rnd_up = 1'b0;");
    run = await sim(['--rtl', bad, '--units', 'dot', '--vectors', '20000', '--seed', '7', '--out-dir', join(dir, 'out')]);
  }, 120_000);

  it('fails with exit code 1 and stops after 10 reported mismatches', () => {
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/MISMATCH 1 of [0-9,]+: mx_dot_e2m1_e8m0_k32 vector \d+/);
    expect(run.out).toMatch(/MISMATCH 10 of /);
    expect(run.out).not.toMatch(/MISMATCH 11 of /);
    expect(run.out).toMatch(/ {4}FAIL [0-9,]+ mismatches in [0-9,]+ checked/);
    expect(run.out.trim().split('\n').at(-1)).toMatch(/^mxrtl sim: FAIL, 1 unit, /);
  });

  it('writes a waveform (VCD) of the reported vectors and names it', async () => {
    const vcd = /waveform of those vectors \(Icarus Verilog\): (\S+\.vcd)/.exec(run.out)?.[1];
    expect(vcd).toBeDefined();
    const text = await readFile(vcd as string, 'utf8');
    expect(text).toContain('$enddefinitions');
    // the unit's ports and an inner wire of its rounder, and one time step per reported vector
    for (const name of ['scale_a', 'result', 'rnd_up']) expect(text).toMatch(new RegExp(`\\$var wire +\\d+ \\S+ ${name} `));
    expect(text).toMatch(/^#9$/m);
  });

  it('reports decoded values that agree with the golden model, and the RTL result one ulp low', () => {
    const first = run.out.split('MISMATCH 1 of')[1].split('MISMATCH 2 of')[0];
    expect(first).toMatch(/a {7}= \[(-?[0-9.]+, ){31}-?[0-9.]+\]/);
    expect(first).toMatch(/scale_a = 0x[0-9a-f]{2} \(2\^-?\d+\)/);
    const hexA = /a {7}= .*\n\s+\(hex ([0-9a-f]{32})\)/.exec(first)?.[1];
    const hexB = /b {7}= .*\n\s+\(hex ([0-9a-f]{32})\)/.exec(first)?.[1];
    const sa = /scale_a = 0x([0-9a-f]{2})/.exec(first)?.[1];
    const sb = /scale_b = 0x([0-9a-f]{2})/.exec(first)?.[1];
    const exp = /result expected 0x([0-9a-f]{8}) \(/.exec(first)?.[1];
    const act = /actual {3}0x([0-9a-f]{8}) \(/.exec(first)?.[1];
    expect([hexA, hexB, sa, sb, exp, act].every((x) => x !== undefined)).toBe(true);
    const a = codesFromHex(hexA ?? '');
    const b = codesFromHex(hexB ?? '');
    // the decoded element list is the hex read lane by lane
    const listed = /a {7}= \[([^\]]*)\]/.exec(first)?.[1].split(', ').map(Number);
    expect(listed).toEqual(a.map((c) => ((c & 8 ? -1 : 1) * e2m1HalfUnits(c)) / 2));
    const golden = dotE2M1E8M0Generic(a, b, parseInt(sa ?? '', 16), parseInt(sb ?? '', 16));
    const expected = parseInt(exp ?? '', 16);
    const actual = parseInt(act ?? '', 16);
    expect(expected).toBe(golden);
    expect(actual >>> 31).toBe(expected >>> 31);
    expect((expected & 0x7fffffff) - (actual & 0x7fffffff)).toBe(1);
  });

  it('saves the reported vectors, which fail again on replay and pass on the good RTL', async () => {
    const saved = /saved in (\S+\.json)/.exec(run.out)?.[1] ?? '';
    expect(existsSync(saved)).toBe(true);
    const again = await sim(['--rtl', bad, '--replay', saved]);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/FAIL 10 mismatches in 10 checked/);
    const fixed = await sim(['--rtl', good, '--replay', saved]);
    expect(fixed.code).toBe(0);
    expect(fixed.out).toMatch(/PASS 10 checked, 0 mismatches/);
  }, 60_000);
});

describe('other broken units (k = 4)', () => {
  let rtl: string;
  beforeAll(async () => {
    rtl = join(dir, 'k4');
    await generate(rtl, 4);
  });

  it('a multiplier that ignores the sign of b fails on exactly the pairs it gets wrong', async () => {
    await breakFile(join(rtl, 'mx_mul_e2m1.v'), 'wire p_sign = a_sign ^ b_sign;', 'wire p_sign = a_sign;');
    const r = await sim(['--rtl', rtl, '--units', 'mul', '--seed', '1', '--out-dir', join(dir, 'out')]);
    // wrong exactly when b is negative and the product is not zero: 14 non-zero a codes x 7 negative non-zero b codes
    let wrong = 0;
    for (let a = 0; a < 16; a++) for (let b = 0; b < 16; b++) if (b & 8 && e2m1HalfUnits(a) !== 0 && e2m1HalfUnits(b) !== 0) wrong++;
    expect(wrong).toBe(98);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAIL ${wrong} mismatches in 256 checked`);
    expect(r.out).toMatch(/a = 0x[0-9a-f] \(-?[0-9.]+\)\n\s+b = 0x[89a-f] \(-[0-9.]+\)\n\s+prod expected 0x[0-9a-f]{3} \(-?\d+ \* 2\^-2 = -?[0-9.]+\)/);
  }, 60_000);

  it('a dequantizer whose neighbouring lanes read each other\'s elements fails, and names the lanes', async () => {
    await breakFile(join(rtl, 'mx_dequant_e2m1_e8m0_k4.v'), '.elem(elems[4*i +: 4]),', '.elem(elems[4*(i ^ 1) +: 4]),');
    const r = await sim(['--rtl', rtl, '--units', 'dequant', '--seed', '1', '--out-dir', join(dir, 'out')]);
    expect(r.code).toBe(1);
    const lanes = new Set([...r.out.matchAll(/lane (\d+): elem/g)].map((m) => m[1]));
    expect([...lanes].sort()).toEqual(['0', '1', '2', '3']);
    expect(r.out).toMatch(/lane 0: elem 0x[0-9a-f] \(-?[0-9.]+\), scale 0x[0-9a-f]{2} \(2\^-?\d+\)\n\s+result expected 0x[0-9a-f]{8}/);
  }, 60_000);
});
