// The round trip in RTL: the generated quantizer's scale and codes fed to the generated dequantizer
// of the same configuration (Icarus Verilog, one wrapper instancing both) give, bit for bit, the
// fake-quantized values of `mxrtl quantize --emit values` with the same recipe and options, on
// blocks from every class of the quantizer's bench (heavy tails, ties, subnormals, NaN / Inf, zero
// blocks). MXFP4, MXFP8 (floor), NVFP4 (nv, with and without the guard).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInto } from '../../generator/generate.js';
import { makeConfig } from '../../generator/units/config.js';
import { DEQUANT_PORTS, dequantModuleName } from '../../generator/units/dequant.js';
import { QUANT_PORTS, quantModuleName, quantParams } from '../../generator/units/quant.js';
import { elementBits, scaleBits } from '../../src/formats/format.js';
import { quantTestBlocks } from '../../sim/units/quant.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('roundtrip'));
});
afterAll(async () => cleanup());

const BLOCKS = 3000;

describe('quant then dequant in RTL equals mxrtl quantize --emit values', () => {
  for (const [name, elem, scale, block, recipe, guard] of [
    ['MXFP4 floor', 'e2m1', 'e8m0', 32, 'floor', false],
    ['MXFP8 floor', 'e4m3', 'e8m0', 32, 'floor', false],
    ['NVFP4 nv', 'e2m1', 'ue4m3', 16, 'nv', false],
    ['NVFP4 nv, guard', 'e2m1', 'ue4m3', 16, 'nv', true],
  ] as const) {
    it(`${name}: ${BLOCKS} blocks`, async () => {
      const c = makeConfig({ elemA: elem, elemB: elem, scale, out: 'fp32', block, units: ['dequant', 'quant'], quant: { recipe, guard } });
      const rtl = join(dir, name.replace(/[^a-z0-9]/gi, '_'));
      await generateInto(rtl, c);
      const p = quantParams(c);
      const k = block;
      const blocks = quantTestBlocks(p, 0x2024 + k, BLOCKS);
      // the golden fake-quantization through the command line
      const bits = Uint32Array.from(blocks.flat());
      await writeFile(join(rtl, 'in.f32'), Buffer.from(bits.buffer));
      const args = ['bin/mxrtl.js', 'quantize', join(rtl, 'in.f32'), '-o', join(rtl, 'golden.f32'), '--emit', 'values', '--elem', elem, '--scale', scale, '--block', String(k), '--recipe', recipe, ...(guard ? ['--guard'] : [])];
      const g = await execa('node', args, { reject: false });
      expect(g.exitCode, g.stderr).toBe(0);
      const golden = new Uint32Array(new Uint8Array(await readFile(join(rtl, 'golden.f32'))).buffer);
      expect(golden.length).toBe(BLOCKS * k);
      // the RTL: quant -> dequant, one block per step
      await writeFile(join(rtl, 'in.hex'), blocks.map((b) => b.map((x) => x.toString(16).padStart(8, '0')).reverse().join('')).join('\n') + '\n');
      const qt = quantModuleName(p);
      const dq = dequantModuleName({ elem: p.elem, scale: p.scale, out: c.out, block: k });
      const ws = scaleBits(p.scale);
      const wq = elementBits(p.elem);
      const tb = [
        '`timescale 1ns/1ps',
        'module rt_tb;',
        `  reg [${32 * k - 1}:0] mem [0:${BLOCKS - 1}];`,
        `  reg [${32 * k - 1}:0] x;`,
        `  wire [${ws - 1}:0] scale;`,
        `  wire [${wq * k - 1}:0] q;`,
        `  wire [${32 * k - 1}:0] y;`,
        `  ${qt} u_q (.${QUANT_PORTS.x}(x), .${QUANT_PORTS.scale}(scale), .${QUANT_PORTS.q}(q));`,
        `  ${dq} u_d (.${DEQUANT_PORTS.elems}(q), .${DEQUANT_PORTS.scale}(scale), .${DEQUANT_PORTS.result}(y));`,
        '  integer i, fo;',
        '  initial begin',
        '    $readmemh("in.hex", mem);',
        '    fo = $fopen("rtl.hex", "w");',
        `    for (i = 0; i < ${BLOCKS}; i = i + 1) begin`,
        '      x = mem[i];',
        '      #1 $fdisplay(fo, "%h", y);',
        '    end',
        '    $fclose(fo);',
        '    $finish;',
        '  end',
        'endmodule',
      ];
      await writeFile(join(rtl, 'rt_tb.v'), tb.join('\n') + '\n');
      const files = async (top: string): Promise<string[]> => (await readFile(join(rtl, `${top}.f`), 'utf8')).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('//'));
      const srcs = [...new Set([...(await files(qt)), ...(await files(dq))])];
      const ivl = await execa('iverilog', ['-g2005', '-o', 'rt.vvp', '-s', 'rt_tb', ...srcs, 'rt_tb.v'], { cwd: rtl, reject: false });
      expect(ivl.exitCode, ivl.stderr).toBe(0);
      const run = await execa('vvp', ['-n', 'rt.vvp'], { cwd: rtl, reject: false });
      expect(run.exitCode, run.stderr).toBe(0);
      const lines = (await readFile(join(rtl, 'rtl.hex'), 'utf8')).trim().split('\n');
      expect(lines.length).toBe(BLOCKS);
      let bad = 0;
      let first = '';
      let nan = 0;
      for (let b = 0; b < BLOCKS; b++) {
        const y = BigInt(`0x${lines[b]}`);
        for (let i = 0; i < k; i++) {
          const got = Number((y >> BigInt(32 * i)) & 0xffffffffn) >>> 0;
          const want = golden[b * k + i];
          if ((want & 0x7fffffff) > 0x7f800000) nan++;
          if (got !== want) {
            if (bad === 0) first = `block ${b} element ${i}: x = 0x${blocks[b][i].toString(16)}, RTL 0x${got.toString(16)}, golden 0x${want.toString(16)}`;
            bad++;
          }
        }
      }
      expect(bad, first).toBe(0);
      // the classes reached NaN blocks (NaN values) as well as finite ones
      expect(nan).toBeGreaterThan(0);
      expect(nan).toBeLessThan(BLOCKS * k);
    }, 180_000);
  }
});
