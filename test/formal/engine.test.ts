// The parts of the proofs that are mxrtl's own code rather than Yosys: the and-inverter-graph
// evaluator behind the exhaustive obligations (against Yosys's own evaluation of the same cut
// netlist), the reading of constant outputs, the bit transpose, turning values back into blocks, and
// the golden-model facts the dot-product decomposition rests on.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AigEvaluator, parseAagWithPorts, transpose32 } from '../../formal/aig.js';
import { fourValuedConstruct } from '../../formal/cli.js';
import { checkDotDecomposition, scaleGolden } from '../../formal/golden.js';
import { codesForProduct, realizeScales, realizeSum } from '../../formal/realize.js';
import { satModel, yosys } from '../../formal/yosys.js';
import { productTable } from '../../src/dot-kernel.js';
import { BF16, E2M1, E4M3, E5M2, E8M0, FP32, INT8, UE4M3, UE5M3, decodeScale } from '../../src/index.js';
import { generate, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('engine'));
});
afterAll(async () => cleanup());

async function rtlFiles(d: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const f of await readdir(d)) if (f.endsWith('.v')) files[f] = await readFile(join(d, f), 'utf8');
  return files;
}

describe('the and-inverter-graph evaluator', () => {
  it('agrees with Yosys on the cut rounding stage of a dot product at random points', async () => {
    await generate(dir, 4);
    const files = await rtlFiles(dir);
    const top = 'mx_dot_e2m1_e8m0_k4';
    const cut = [...Object.keys(files).map((f) => `read_verilog ${f}`), `hierarchy -top ${top}`, 'proc', `expose -input ${['round_mag', 'round_exp', 'round_sign', 'round_nan'].map((w) => `w:${w}`).join(' ')}`, 'flatten -noscopeinfo', 'memory', 'opt -full'];
    const aigRun = await yosys(['-s', 'a.ys'], { ...files, 'a.ys': [...cut, 'techmap', 'opt -fast', 'aigmap', 'opt_clean', 'write_aiger -ascii -map r.map r.aag', 'delete t:*', 'opt_clean -purge', 'write_json p.json', ''].join('\n') });
    expect(aigRun.code).toBe(0);
    const aig = parseAagWithPorts(aigRun.files['r.aag'], aigRun.files['r.map'], aigRun.files['p.json'], top);
    let seed = 12345;
    const rnd = (m: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % m;
    };
    const points = Array.from({ length: 24 }, (_, i) => ({ mag: rnd(1024), exp: i < 4 ? [0, 100, 255, 508][i] : rnd(512), sign: rnd(2), nan: rnd(8) === 0 ? 1 : 0 }));
    const sats = points.map((p) => `sat -set round_mag 10'd${p.mag} -set round_exp 9'd${p.exp} -set round_sign 1'd${p.sign} -set round_nan 1'd${p.nan} -show result`);
    const evalRun = await yosys(['-s', 'e.ys'], { ...files, 'e.ys': [...cut, ...sats, ''].join('\n') });
    expect(evalRun.code).toBe(0);
    const parts = evalRun.log.split(/Executing SAT pass/).slice(1);
    expect(parts).toHaveLength(points.length);
    const ev = new AigEvaluator(aig, 1);
    const outIdx = Array.from({ length: 32 }, (_, b) => aig.outputNames.findIndex((n) => n.port === 'result' && n.bit === b));
    expect(outIdx.every((i) => i >= 0)).toBe(true);
    points.forEach((p, i) => {
      const set = (port: string, width: number, v: number): void => {
        for (let j = 0; j < width; j++) ev.input(port, j)?.fill((v >> j) & 1 ? -1 : 0);
      };
      set('round_mag', 10, p.mag);
      set('round_exp', 9, p.exp);
      set('round_sign', 1, p.sign);
      set('round_nan', 1, p.nan);
      ev.run();
      let got = 0;
      for (let b = 0; b < 32; b++) got |= (ev.output(outIdx[b], 0) & 1) << b;
      const want = satModel(parts[i]).get('result');
      expect(want, `point ${JSON.stringify(p)}`).toMatch(/^[01]{32}$/);
      expect((got >>> 0).toString(2).padStart(32, '0'), `point ${JSON.stringify(p)}`).toBe(want);
    });
  }, 60_000);

  it('names output bits driven by constants, which the AIGER map leaves out', async () => {
    const files = { 't.v': "module t(input [1:0] a, output [3:0] y, output z); assign y = {a[1], 1'b0, a[0] & a[1], 1'b1}; assign z = 1'b1; endmodule\n" };
    const r = await yosys(['-s', 't.ys'], { ...files, 't.ys': 'read_verilog t.v\nhierarchy -top t\nproc\nopt\ntechmap\naigmap\nopt_clean\nwrite_aiger -ascii -map t.map t.aag\ndelete t:*\nopt_clean -purge\nwrite_json p.json\n' });
    expect(r.code).toBe(0);
    const aig = parseAagWithPorts(r.files['t.aag'], r.files['t.map'], r.files['p.json'], 't');
    const ev = new AigEvaluator(aig, 1);
    for (let a = 0; a < 4; a++) {
      for (let j = 0; j < 2; j++) ev.input('a', j)?.fill((a >> j) & 1 ? -1 : 0);
      ev.run();
      const bit = (port: string, b: number): number => ev.output(aig.outputNames.findIndex((n) => n.port === port && n.bit === b), 0) & 1;
      expect([bit('y', 0), bit('y', 1), bit('y', 2), bit('y', 3), bit('z', 0)]).toEqual([1, a === 3 ? 1 : 0, 0, a >> 1, 1]);
    }
  });

  it('transpose32 swaps bit j of word i with bit i of word j', () => {
    const m = new Int32Array(32);
    for (let i = 0; i < 32; i++) m[i] = (Math.imul(i + 1, 0x9e3779b1) ^ (i << 7)) | 0;
    const before = Int32Array.from(m);
    transpose32(m);
    for (let i = 0; i < 32; i++) for (let j = 0; j < 32; j++) expect((m[i] >>> j) & 1).toBe((before[j] >>> i) & 1);
  });
});

describe('turning values found at cut points back into inputs', () => {
  it('finds k lane products, each a product of two codes, that add up to the sum', () => {
    for (const [a, b] of [[E2M1, E2M1], [E4M3, INT8], [E5M2, E5M2]] as const) {
      const t = productTable(a, b);
      const codes = codesForProduct(t);
      for (const k of [1, 4, 32]) {
        for (const s of [0n, 1n, -1n, 3n, t.max, -t.maxAbs, t.max * BigInt(k), t.max * BigInt(k) - 1n, 12345n]) {
          const lanes = realizeSum(s, k, t);
          if (lanes === null) continue;
          expect(lanes).toHaveLength(k);
          expect(lanes.reduce((x, y) => x + y, 0n)).toBe(s);
          for (const p of lanes) {
            const c = codes.get(p);
            expect(c).toBeDefined();
            const [ca, cb] = c as [number, number];
            expect(t.big[(ca << t.bBits) | cb]).toBe(p);
          }
        }
      }
    }
  });

  it('says when no block gives the sum', () => {
    const t = productTable(E2M1, E2M1);
    // the largest product below 144 is 96, so 144k - 1 needs a lane between 96 and 144
    expect(realizeSum(t.max * 32n - 1n, 32, t)).toBeNull();
    expect(realizeSum(t.max * 32n, 32, t)).toEqual(new Array(32).fill(t.max));
    expect(realizeSum(t.max * 32n + 1n, 32, t)).toBeNull();
  });

  it('finds scale codes for an exponent and a significand that divides the magnitude', () => {
    for (const f of [E8M0, UE4M3, UE5M3]) {
      const g = scaleGolden(f);
      // a magnitude every product of two significands (1 .. 15 each) divides
      const mag = 360360n * 360360n;
      for (const e of [0, 3, g.expMax, 2 * g.expMax]) {
        const pair = realizeScales(g, e, mag);
        expect(pair, `${f.name} exponent ${e}`).not.toBeNull();
        const [sa, sb] = pair as [number, number];
        expect(g.nan[sa] || g.nan[sb]).toBe(false);
        expect(g.exp[sa] + g.exp[sb]).toBe(e);
        expect(mag % (g.sig[sa] * g.sig[sb])).toBe(0n);
      }
      expect(realizeScales(g, 2 * g.expMax + 1, 1n)).toBeNull();
    }
  });
});

describe('golden-model facts the proofs rest on', () => {
  it('every product of two codes is an integer multiple of 2^(lsb_a + lsb_b)', () => {
    expect(productTable(E2M1, E2M1).lsb).toBe(-2);
    expect(productTable(E2M1, E2M1).maxAbs).toBe(144n);
    expect(productTable(E4M3, E4M3).lsb).toBe(-18);
    expect(productTable(INT8, INT8).max).toBe(16384n);
    expect(productTable(INT8, INT8).min).toBe(-16256n);
  });

  it('the scale decode in the hardware\'s terms gives every scale value back', () => {
    for (const f of [E8M0, UE4M3, UE5M3]) {
      const g = scaleGolden(f);
      for (let c = 0; c < g.sig.length; c++) {
        const r = decodeScale(f, c);
        expect(g.nan[c]).toBe(r.nan);
        if (r.nan) continue;
        // value = sig * 2^(exp + offset)
        expect(Number(g.sig[c]) * 2 ** (g.exp[c] + g.offset)).toBe(Number(r.sig) * 2 ** r.exp);
      }
    }
  });

  it('dotBlock is the rounding of the exact sum times the scale significands, with the NaN / Inf rules of the sum', () => {
    for (const [a, b] of [[E2M1, E2M1], [E4M3, E2M1], [E5M2, E5M2], [INT8, E4M3]] as const) {
      for (const s of [E8M0, UE4M3, UE5M3]) {
        for (const out of [FP32, BF16]) for (const k of [1, 5, 32]) expect(checkDotDecomposition(a, b, s, out, k, 300), `${a.name} ${b.name} ${s.name} ${out.name} ${k}`).toBeNull();
      }
    }
  });

  it('refuses RTL with x or z constants, which two-valued proofs cannot model', () => {
    expect(fourValuedConstruct("assign y = 4'b10x1;")).toMatch(/4'b10x1/);
    expect(fourValuedConstruct("casex (a) 2'b1?: y = 1; endcase")).toMatch(/casex/);
    expect(fourValuedConstruct("casez (a) 10'b01????????: y = 4'd1; // 4'bx in a comment\nendcase")).toBeNull();
  });
});
