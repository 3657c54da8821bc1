// The mutation operators on a small module written here, each mutant checked by hand, and the
// mutation runner on the MXFP4 multiplier: every mutant it runs is killed by both the bench and the
// proofs, and a bad argument is one line with exit code 2.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInto } from '../../generator/generate.js';
import { makeConfig } from '../../generator/units/config.js';
import { applyMutant, mutantsOf } from '../../generator/mutants/operators.js';

const MODULE = [
  '// a header comment: a + b ? c : d is not code',
  'module t (',
  '  input  wire [3:0] a,',
  '  input  wire [3:0] b,',
  '  output wire [4:0] y',
  ');',
  '  wire s = a[3];',
  "  wire [3:0] m = s ? a - 4'd1 : b;",
  '  wire [4:0] w = {a[0], b};',
  "  assign y = {1'b0, a} + {b[3], ~b[2:0], 1'b0};",
  'endmodule',
  '',
].join('\n');

describe('mutation operators', () => {
  const ms = mutantsOf(MODULE);
  const at = (line: number): string[] => ms.filter((m) => m.line === line).map((m) => `${m.kind}: ${m.after.trim()}`);
  it('edits only right-hand sides: no mutant in comments, ports or the header', () => {
    expect(new Set(ms.map((m) => m.line))).toEqual(new Set([7, 8, 9, 10]));
  });
  it('a bit select moves by one inside the declared width', () => {
    expect(at(7)).toEqual(['select: wire s = a[2];']);
  });
  it('operator, constant, condition', () => {
    expect(at(8)).toEqual([
      "operator: wire [3:0] m = s ? a + 4'd1 : b;",
      "constant: wire [3:0] m = s ? a - 4'd0 : b;",
      "condition: wire [3:0] m = s ? b : a - 4'd1;",
    ]);
  });
  it('no concatenation swap between parts of different widths', () => {
    expect(at(9)).toEqual(['select: wire [4:0] w = {a[1], b};']);
  });
  it('operators (binary and ~), constants, selects in one line, each mutant one edit that keeps the widths', () => {
    expect(at(10)).toEqual([
      "operator: assign y = {1'b0, a} - {b[3], ~b[2:0], 1'b0};",
      "operator: assign y = {1'b0, a} + {b[3], b[2:0], 1'b0};",
      "constant: assign y = {1'b1, a} + {b[3], ~b[2:0], 1'b0};",
      "constant: assign y = {1'b0, a} + {b[3], ~b[2:0], 1'b1};",
      "select: assign y = {1'b0, a} + {b[2], ~b[2:0], 1'b0};",
      "select: assign y = {1'b0, a} + {b[3], ~b[3:1], 1'b0};",
    ]);
    // no concatenation swap: 1'b0 and a differ in width, ~b[2:0] is not a plain part
  });
  it('applies a mutant to its line only, and refuses a text it was not made from', () => {
    const m = ms[0];
    const edited = applyMutant(MODULE, m);
    expect(edited.split('\n').filter((l, i) => l !== MODULE.split('\n')[i])).toEqual([m.after]);
    expect(() => applyMutant(edited, m)).toThrow(/line 7/);
  });
  it('is deterministic', () => expect(mutantsOf(MODULE)).toEqual(ms));
});

describe('mxrtl mutants', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mxrtl-mutants-'));
    await generateInto(join(dir, 'rtl'), makeConfig({ elemA: 'e2m1', elemB: 'e2m1', scale: 'e8m0', out: 'fp32', block: 4, units: ['mul'] }));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('runs the bench and the proofs on each mutant of the MXFP4 multiplier; both kill all of them', async () => {
    const r = await execa('node', ['bin/mxrtl.js', 'mutants', '--rtl', join(dir, 'rtl'), '--limit', '3', '--out', join(dir, 'out')], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr.match(/^mutants: \[\d\/3\] mx_mul_e2m1\.v:\d+ \w+: killed \(sim killed, formal killed\)/gm)).toHaveLength(3);
    expect(r.stdout).toMatch(/\| mx_mul_e2m1\.v \| 3 \| 0 \| 3 \| 3 \| 3 \| 0 \| 0 \| 100\.0 % \|/);
    const summary = JSON.parse(await readFile(join(dir, 'out', 'summary.json'), 'utf8')) as { results: { verdict: string }[] };
    expect(summary.results.map((x) => x.verdict)).toEqual(['killed', 'killed', 'killed']);
  }, 300_000);

  it('a file that is not in the folder: one line, exit code 2', async () => {
    const r = await execa('node', ['bin/mxrtl.js', 'mutants', '--rtl', join(dir, 'rtl'), '--files', 'nope.v'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/'nope\.v' is not a Verilog file/);
  });
});
