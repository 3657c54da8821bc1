// The parts of the proofs that are mxrtl's own code rather than Yosys: the and-inverter-graph
// evaluator behind the exhaustive round-stage check (against Yosys's own evaluation of the same cut
// netlist), the bit transpose, turning a sum back into a block, and the golden-model facts the
// dot-product decomposition rests on.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AigEvaluator, parseAag, transpose32 } from '../../formal/aig.js';
import { checkDotTail, productLsbExp, productValues } from '../../formal/golden.js';
import { fourValuedConstruct } from '../../formal/plan.js';
import { codesForProduct, realizeScales, realizeSum } from '../../formal/realize.js';
import { satModel, yosys } from '../../formal/yosys.js';
import { MUL_E2M1_TABLE } from '../../src/mul.js';
import { generate, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('engine'));
});
afterAll(async () => cleanup());

describe('the and-inverter-graph evaluator', () => {
  it('agrees with Yosys on the cut round stage of a dot product at random points', async () => {
    await generate(dir, 4);
    const file = 'mx_dot_e2m1_e8m0_k4.v';
    const rtl = await readFile(join(dir, file), 'utf8');
    const cut = ['read_verilog ' + file, 'hierarchy -top mx_dot_e2m1_e8m0_k4', 'proc', 'expose -input w:sum w:sum_exp w:any_nan', 'flatten', 'memory', 'opt -full'];
    const aigRun = await yosys(['-s', 'a.ys'], { [file]: rtl, 'a.ys': [...cut, 'techmap', 'opt -fast', 'aigmap', 'opt_clean', 'write_aiger -ascii -map r.map r.aag', ''].join('\n') });
    expect(aigRun.code).toBe(0);
    const aig = parseAag(aigRun.files['r.aag'], aigRun.files['r.map']);
    let seed = 12345;
    const rnd = (m: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % m;
    };
    const points = Array.from({ length: 24 }, (_, i) => ({ sum: rnd(2048), exp: i < 4 ? [0x100, 0x16a, 0x0ff, 0x181][i] : rnd(512), nan: rnd(8) === 0 ? 1 : 0 }));
    // Yosys: one SAT evaluation per point on the same cut module
    const sats = points.map((p) => `sat -set sum 11'd${p.sum} -set sum_exp 9'd${p.exp} -set any_nan 1'd${p.nan} -show result`);
    const evalRun = await yosys(['-s', 'e.ys'], { [file]: rtl, 'e.ys': [...cut, ...sats, ''].join('\n') });
    expect(evalRun.code).toBe(0);
    const parts = evalRun.log.split(/Executing SAT pass/).slice(1);
    expect(parts).toHaveLength(points.length);
    const ev = new AigEvaluator(aig, 1);
    const outIdx = Array.from({ length: 32 }, (_, b) => aig.outputNames.findIndex((n) => n.port === 'result' && n.bit === b));
    points.forEach((p, i) => {
      const set = (port: string, width: number, v: number): void => {
        for (let j = 0; j < width; j++) ev.input(port, j)?.fill((v >> j) & 1 ? -1 : 0);
      };
      set('sum', 11, p.sum);
      set('sum_exp', 9, p.exp);
      set('any_nan', 1, p.nan);
      ev.run();
      let got = 0;
      for (let b = 0; b < 32; b++) got |= (ev.output(outIdx[b], 0) & 1) << b;
      const want = satModel(parts[i]).get('result');
      expect(want, `point ${JSON.stringify(p)}`).toMatch(/^[01]{32}$/);
      expect((got >>> 0).toString(2).padStart(32, '0'), `point ${JSON.stringify(p)}`).toBe(want);
    });
  }, 60_000);

  it('transpose32 swaps bit j of word i with bit i of word j', () => {
    const m = new Int32Array(32);
    for (let i = 0; i < 32; i++) m[i] = (Math.imul(i + 1, 0x9e3779b1) ^ (i << 7)) | 0;
    const before = Int32Array.from(m);
    transpose32(m);
    for (let i = 0; i < 32; i++) for (let j = 0; j < 32; j++) expect((m[i] >>> j) & 1).toBe((before[j] >>> i) & 1);
  });
});

describe('turning a sum of products back into a block', () => {
  const { values, max } = productValues();
  it('finds k lane products, each a table value, that add up to the sum', () => {
    for (const k of [1, 4, 32]) {
      for (let s = -max * k; s <= max * k; s += k === 32 ? 97 : 1) {
        const lanes = realizeSum(s, k, values);
        if (lanes === null) continue;
        expect(lanes).toHaveLength(k);
        expect(lanes.reduce((a, b) => a + b, 0)).toBe(s);
        for (const p of lanes) expect(values).toContain(p);
      }
    }
  });

  it('says when no block gives the sum', () => {
    // the largest product below 144 is 96, so 144k - 1 needs a lane between 96 and 144
    expect(realizeSum(max * 32 - 1, 32, values)).toBeNull();
    expect(realizeSum(max * 32, 32, values)).toEqual(new Array(32).fill(max));
    expect(realizeSum(max * 32 + 1, 32, values)).toBeNull();
  });

  it('maps every product value to codes with that product, and exponents to scale codes', () => {
    for (const [v, [a, b]] of codesForProduct()) expect(MUL_E2M1_TABLE[(a << 4) | b]).toBe(v);
    const lsb = productLsbExp();
    for (const e of [-256, -151, 0, 252]) {
      const s = realizeScales(e, 127, lsb, 255);
      expect(s).not.toBeNull();
      const [sa, sb] = s as [number, number];
      expect(sa).toBeLessThan(255);
      expect(sb).toBeLessThan(255);
      expect(sa + sb - 254 + lsb).toBe(e);
    }
    expect(realizeScales(253, 127, lsb, 255)).toBeNull();
  });
});

describe('golden-model facts the proofs rest on', () => {
  it('products are in units of 2^-2 and at most 144 in magnitude', () => {
    expect(productLsbExp()).toBe(-2);
    expect(productValues().max).toBe(144);
  });

  it('dotE2M1E8M0 is the rounding of the exact sum with the scales\' exponent', () => {
    for (const k of [1, 2, 5, 32]) expect(checkDotTail(k, 3000)).toBeNull();
  });

  it('refuses RTL with x or z constants, which two-valued proofs cannot model', () => {
    expect(fourValuedConstruct("assign y = 4'b10x1;")).toMatch(/4'b10x1/);
    expect(fourValuedConstruct("casex (a) 2'b1?: y = 1; endcase")).toMatch(/casex/);
    expect(fourValuedConstruct("casez (a) 10'b01????????: y = 4'd1; // 4'bx in a comment\nendcase")).toBeNull();
  });
});
