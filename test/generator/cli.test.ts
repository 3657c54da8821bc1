// The gen command as a user meets it: files, manifest, determinism, and refusals.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/mxrtl.js');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mxrtl-gen-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const gen = (...args: string[]) => execa('node', [BIN, 'gen', ...args], { reject: false });

describe('mxrtl gen', () => {
  it('writes the five unit families, one module per file, and a manifest describing them', async () => {
    const out = join(dir, 'k32');
    const r = await gen('--block', '32', '--out', out);
    expect(r.exitCode).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'manifest.json',
      'mx_add_fp32.f',
      'mx_add_fp32.v',
      'mx_dequant_e2m1_e8m0.v',
      'mx_dequant_e2m1_e8m0_k32.f',
      'mx_dequant_e2m1_e8m0_k32.v',
      'mx_dot_e2m1_e8m0_k32.f',
      'mx_dot_e2m1_e8m0_k32.v',
      'mx_dotsum_e2m1_k32.v',
      'mx_mac_e2m1_e8m0_k32_2x2_fp32.f',
      'mx_mac_e2m1_e8m0_k32_2x2_fp32.v',
      'mx_mul_e2m1.f',
      'mx_mul_e2m1.v',
      'mx_pe_e2m1_e8m0_k32_fp32.v',
      'mxrtl_e2m1_e8m0_k32.core',
    ]);
    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(m.config).toEqual({
      elemA: 'e2m1',
      elemB: 'e2m1',
      scale: 'e8m0',
      out: 'fp32',
      block: 32,
      units: ['mul', 'dequant', 'dot', 'add', 'mac_array'],
      mac: { rows: 2, cols: 2, accum: 'fp32', maxBlocks: 8, stages: 0 },
    });
    const mac = m.units.find((u: { family: string }) => u.family === 'mac_array');
    expect(mac.top).toBe('mx_mac_e2m1_e8m0_k32_2x2_fp32');
    expect(mac.files).toEqual(['mx_mul_e2m1.v', 'mx_dotsum_e2m1_k32.v', 'mx_dot_e2m1_e8m0_k32.v', 'mx_add_fp32.v', 'mx_pe_e2m1_e8m0_k32_fp32.v', 'mx_mac_e2m1_e8m0_k32_2x2_fp32.v']);
    expect(mac.parameters).toMatchObject({ rows: 2, cols: 2, accum: 'fp32', stages: 0, latency: 1 });
    const dot = m.units.find((u: { family: string }) => u.family === 'dot');
    expect(dot.top).toBe('mx_dot_e2m1_e8m0_k32');
    expect(dot.files).toEqual(['mx_mul_e2m1.v', 'mx_dotsum_e2m1_k32.v', 'mx_dot_e2m1_e8m0_k32.v']);
    expect(dot.ports.map((p: { name: string; width: number; dir: string }) => [p.name, p.dir, p.width])).toEqual([
      ['a', 'input', 128],
      ['b', 'input', 128],
      ['scale_a', 'input', 8],
      ['scale_b', 'input', 8],
      ['result', 'output', 32],
    ]);
    expect(dot.parameters).toMatchObject({ elem_a: 'e2m1', elem_b: 'e2m1', scale: 'e8m0', out: 'fp32', block: 32, prod_bits: 9, prod_lsb: -2, sum_bits: 14 });
    const deq = m.units.find((u: { family: string }) => u.family === 'dequant');
    expect(deq.ports.map((p: { width: number }) => p.width)).toEqual([128, 8, 1024]);
    for (const f of m.files.filter((x: { kind: string }) => x.kind === 'verilog')) {
      const text = await readFile(join(out, f.name), 'utf8');
      expect(text.startsWith(`// ${f.module}: `)).toBe(true);
      expect(text).toContain(`module ${f.module} (`);
      expect(text.match(/^module /gm)).toHaveLength(1);
      expect(f.name).toBe(`${f.module}.v`);
    }
  });

  it('names the formats, mixed A and B, the scale format and the result format in modules and headers', async () => {
    const out = join(dir, 'mixed');
    const r = await gen('--elem-a', 'fp8_e4m3', '--elem-b', 'float8_e5m2', '--scale', 'UE5M3', '--out-format', 'bfloat16', '--block', '16', '--out', out);
    expect(r.exitCode).toBe(0);
    const names = (await readdir(out)).sort();
    expect(names).toEqual([
      'manifest.json',
      'mx_add_fp32.f',
      'mx_add_fp32.v',
      'mx_dequant_e4m3_ue5m3_bf16.v',
      'mx_dequant_e4m3_ue5m3_k16_bf16.f',
      'mx_dequant_e4m3_ue5m3_k16_bf16.v',
      'mx_dequant_e5m2_ue5m3_bf16.v',
      'mx_dequant_e5m2_ue5m3_k16_bf16.f',
      'mx_dequant_e5m2_ue5m3_k16_bf16.v',
      'mx_dot_e4m3xe5m2_ue5m3_k16.v',
      'mx_dot_e4m3xe5m2_ue5m3_k16_bf16.f',
      'mx_dot_e4m3xe5m2_ue5m3_k16_bf16.v',
      'mx_dotsum_e4m3xe5m2_k16.v',
      'mx_mac_e4m3xe5m2_ue5m3_k16_2x2_fp32_bf16.f',
      'mx_mac_e4m3xe5m2_ue5m3_k16_2x2_fp32_bf16.v',
      'mx_mul_e4m3xe5m2.f',
      'mx_mul_e4m3xe5m2.v',
      'mx_pe_e4m3xe5m2_ue5m3_k16_fp32_bf16.v',
      'mxrtl_e4m3xe5m2_ue5m3_k16_bf16.core',
    ]);
    const dot = await readFile(join(out, 'mx_dot_e4m3xe5m2_ue5m3_k16_bf16.v'), 'utf8');
    expect(dot).toContain('A element format: FP8 E4M3: sign, 4-bit exponent with bias 7, 3-bit mantissa; max +-448');
    expect(dot).toContain('B element format: FP8 E5M2: sign, 5-bit exponent with bias 15, 2-bit mantissa; max +-57344');
    expect(dot).toContain('scale format: UE5M3: unsigned, 5-bit exponent with bias 15, 3-bit mantissa; max 114688');
    expect(dot).toContain('result format: BF16: sign, 8-bit exponent with bias 127, 7-bit mantissa');
    expect(dot).toContain('Rounded once to BF16, to nearest, ties to even.');
    expect(dot).toMatch(/gives the quiet NaN 0x7fc0\./);
    const mul = await readFile(join(out, 'mx_mul_e4m3xe5m2.v'), 'utf8');
    expect(mul).toMatch(/output wire +nan,/);
    expect(mul).toMatch(/output wire +ninf /);
  });

  it('writes ripple-carry adder trees with --adders ripple: named so, stated in the header and the manifest', async () => {
    const out = join(dir, 'ripple');
    expect((await gen('--preset', 'mxfp8', '--units', 'dot', '--adders', 'RIPPLE', '--out', out)).exitCode).toBe(0);
    expect((await readdir(out)).filter((f) => f.endsWith('.v')).sort()).toEqual(['mx_dot_e4m3_e8m0_k32_ripple.v', 'mx_dotsum_e4m3_k32_ripple.v', 'mx_mul_e4m3.v']);
    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(m.config.adders).toBe('ripple');
    expect(m.units[0].parameters.adders).toBe('ripple');
    expect(m.command).toMatch(/ --adders ripple$/);
    const sum = await readFile(join(out, 'mx_dotsum_e4m3_k32_ripple.v'), 'utf8');
    expect(sum).toContain('Each node of the tree adds by ripple carry');
    // one function per node width (the sums widen by a bit per level: 38 .. 42 bits), no + in the tree
    expect([...sum.matchAll(/^ {2}function \[(\d+):0\] ripple_add_(\d+);$/gm)].map((x) => [Number(x[1]) + 1, Number(x[2])])).toEqual([38, 39, 40, 41, 42].map((w) => [w, w]));
    expect(sum).not.toMatch(/wire .*sum_l\d+_\d+ = .* \+ /);
    // the default writes a + b, and no adders entry
    const def = join(dir, 'operator');
    expect((await gen('--preset', 'mxfp8', '--units', 'dot', '--out', def)).exitCode).toBe(0);
    const md = JSON.parse(await readFile(join(def, 'manifest.json'), 'utf8'));
    expect(md.config.adders).toBeUndefined();
    expect(await readFile(join(def, 'mx_dotsum_e4m3_k32.v'), 'utf8')).toMatch(/wire \[37:0\] sum_l1_0 = \{prod_0\[36\], prod_0\} \+ \{prod_1\[36\], prod_1\};/);
  });

  it('takes presets, and flags after a preset override it', async () => {
    const out = join(dir, 'nvfp4');
    expect((await gen('--preset', 'nvfp4', '--out', out)).exitCode).toBe(0);
    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(m.config).toMatchObject({ elemA: 'e2m1', elemB: 'e2m1', scale: 'ue4m3', block: 16 });
    const out2 = join(dir, 'mxfp8-k8');
    expect((await gen('--preset', 'mxfp8', '--block', '8', '--units', 'dot', '--out', out2)).exitCode).toBe(0);
    const m2 = JSON.parse(await readFile(join(out2, 'manifest.json'), 'utf8'));
    expect(m2.config).toMatchObject({ elemA: 'e4m3', scale: 'e8m0', block: 8, units: ['dot'] });
    expect(m2.units.map((u: { top: string }) => u.top)).toEqual(['mx_dot_e4m3_e8m0_k8']);
  });

  it('is byte-identical for identical arguments', async () => {
    const a = join(dir, 'det-a');
    const b = join(dir, 'det-b');
    expect((await gen('--block', '7', '--out', a)).exitCode).toBe(0);
    expect((await gen('--out', b, '--block', '7')).exitCode).toBe(0);
    for (const f of await readdir(a)) expect(await readFile(join(b, f), 'utf8')).toBe(await readFile(join(a, f), 'utf8'));
  });

  it('replaces the files of an earlier configuration in the same folder', async () => {
    const out = join(dir, 'switch');
    await gen('--block', '4', '--out', out);
    await gen('--block', '8', '--out', out);
    expect((await readdir(out)).sort()).toEqual([
      'manifest.json',
      'mx_add_fp32.f',
      'mx_add_fp32.v',
      'mx_dequant_e2m1_e8m0.v',
      'mx_dequant_e2m1_e8m0_k8.f',
      'mx_dequant_e2m1_e8m0_k8.v',
      'mx_dot_e2m1_e8m0_k8.f',
      'mx_dot_e2m1_e8m0_k8.v',
      'mx_dotsum_e2m1_k8.v',
      'mx_mac_e2m1_e8m0_k8_2x2_fp32.f',
      'mx_mac_e2m1_e8m0_k8_2x2_fp32.v',
      'mx_mul_e2m1.f',
      'mx_mul_e2m1.v',
      'mx_pe_e2m1_e8m0_k8_fp32.v',
      'mxrtl_e2m1_e8m0_k8.core',
    ]);
  });

  for (const [what, args, msg] of [
    ['block 0', ['--block', '0'], /--block must be from 1 to 4096/],
    ['a fractional block', ['--block', '3.5'], /--block needs a whole number/],
    ['a block that is too large', ['--block', '4097'], /--block must be from 1 to 4096/],
    ['an unknown flag', ['--blok', '32'], /unknown option '--blok'/],
    ['an unknown element format', ['--elem', 'e9m9'], /unknown element format 'e9m9'/],
    ['a missing value', ['--block'], /--block needs a value$/m],
    ['a negative block', ['--block', '-3'], /--block needs a value, got '-3'/],
    ['an option where a value belongs', ['--block', '--elem', 'e2m1'], /--block needs a value \(found the option '--elem' after it\)/],
    ['a stray argument', ['32'], /unexpected argument '32'/],
    ['an unknown scale format', ['--scale', 'e4m3'], /unknown scale format 'e4m3'/],
    ['an unknown result format', ['--out-format', 'fp16'], /unknown result format 'fp16'/],
    ['an unknown preset', ['--preset', 'mxfp5'], /unknown preset 'mxfp5' \(one of: mxfp4, mxfp6, mxfp8, mxint8, nvfp4\)/],
    ['an unknown unit family', ['--units', 'dot,quantize'], /unknown unit family 'quantize' \(one of: mul, dequant, dot, add, mac_array, fused, quant\)/],
    ['a recipe without the quantizer', ['--recipe', 'ceil'], /--recipe shapes the quantizer: add quant to --units/],
    ['a quantizer recipe not generated yet', ['--units', 'quant', '--recipe', '4over6', '--scale', 'ue4m3'], /--recipe 4over6: the quantizer is generated for floor, ceil, nv so far/],
    ['the nv recipe with E8M0 scales', ['--units', 'quant', '--recipe', 'nv'], /--units quant: recipe nv needs a ue4m3 or ue5m3 scale, not e8m0/],
    ['the guard without the quantizer', ['--guard'], /--guard shapes the quantizer: add quant to --units/],
    ['a quantizer with two element formats', ['--units', 'quant', '--elem-a', 'e4m3'], /--units quant quantizes to one element format/],
    ['an unknown element rounding', ['--units', 'quant', '--round', 'up'], /unknown element rounding 'up' \(one of: rne, away\)/],
    ['an unknown quantizer input format', ['--units', 'quant', '--in-format', 'fp16'], /unknown input format 'fp16' \(one of: fp32, bf16\)/],
    ['an input format without the quantizer', ['--in-format', 'bf16'], /--in-format shapes the quantizer: add quant to --units/],
    ['an array shape without the array', ['--units', 'mul,dot', '--array', '4x4'], /^mxrtl gen: error: --array shapes the MAC array, which --units leaves out: add mac_array to --units$/m],
    ['a malformed array shape', ['--units', 'mac_array', '--array', '4by4'], /--array must be ROWSxCOLS, e.g. 4x4, got '4by4'/],
    ['an array side of 0', ['--units', 'mac_array', '--array', '0x4'], /array rows must be a whole number from 1 to 32, got 0/],
    ['an array of too many PEs', ['--units', 'mac_array', '--array', '32x32'], /an array of 32 x 32 has 1024 processing elements, more than 256/],
    ['an unknown accumulation', ['--units', 'mac_array', '--accum', 'fp16'], /unknown accumulation 'fp16' \(one of: fp32, exact, blackwell, hopper\)/],
    ['hopper accumulation with FP4 elements', ['--units', 'mac_array', '--accum', 'hopper'], /--accum hopper: A elements must be e4m3, e5m2, got e2m1/],
    ['hopper accumulation with UE4M3 scales', ['--units', 'mac_array', '--accum', 'hopper', '--elem', 'e4m3', '--scale', 'ue4m3'], /--accum hopper: the array's scales enter the exponents as E8M0 codes \(127 for a Hopper instruction itself\): --scale e8m0, got ue4m3/],
    ['blackwell accumulation at k = 16', ['--units', 'mac_array', '--accum', 'blackwell', '--block', '16'], /--accum blackwell: the instruction takes 32 elements per operand: --block 32, got 16/],
    ['blackwell accumulation with a stage', ['--units', 'mac_array', '--accum', 'blackwell', '--stages', '1'], /--accum blackwell: the fused dot-add is the accumulation loop itself/],
    ['max-blocks 0', ['--units', 'mac_array', '--max-blocks', '0'], /--max-blocks must be from 1 to 1048576/],
    ['two register stages of the array, not generated yet', ['--units', 'mac_array', '--stages', '2'], /--stages 2: at most 1 register stage is generated yet/],
    ['three register stages of the quantizer', ['--units', 'quant', '--stages', '3'], /--stages must be from 0 to 2/],
    ['register stages without a clocked unit', ['--units', 'dot', '--stages', '1'], /--stages pipelines the MAC array and the quantizer, which --units leaves out/],
    ['an unknown adder style', ['--adders', 'csa'], /unknown adder style 'csa' \(one of: operator, ripple\)/],
    ['an adder style without an adder tree', ['--units', 'mul,dequant', '--adders', 'ripple'], /--adders shapes the adder trees of the dot product, the fused dot-add and the MAC array's PEs \(fp32, exact\), which --units leaves out: add dot to --units$/m],
    ['an adder style for an array of fused dot-adds', ['--units', 'mac_array', '--accum', 'blackwell', '--elem', 'e4m3', '--adders', 'ripple'], /which --accum blackwell and --units leave out: add dot to --units$/m],
    ['a GPU kind without the fused unit', ['--gpu', 'hopper'], /--gpu chooses the fused unit's instruction: add fused to --units/],
    ['an unknown GPU kind', ['--units', 'fused', '--gpu', 'ampere'], /unknown GPU kind 'ampere' \(one of: blackwell, blackwell-f4, hopper\)/],
    ['kind::mxf4nvf4 with FP8 elements', ['--units', 'fused', '--gpu', 'blackwell-f4', '--elem', 'e4m3', '--block', '64'], /--gpu blackwell-f4: A elements must be e2m1, got e4m3/],
    ['kind::mxf4nvf4 at k = 32', ['--units', 'fused', '--gpu', 'blackwell-f4'], /--gpu blackwell-f4: the instruction takes 64 elements per operand: --block 64, got 32/],
    ['kind::mxf4nvf4 with UE5M3 scales', ['--units', 'fused', '--gpu', 'blackwell-f4', '--block', '64', '--scale', 'ue5m3'], /--gpu blackwell-f4: kind::mxf4nvf4 takes e8m0 scales \(one per 32 elements\) or ue4m3 scales \(one per 16 elements\), got ue5m3/],
    ['Hopper FP8 with FP4 elements', ['--units', 'fused', '--gpu', 'hopper'], /--gpu hopper: A elements must be e4m3, e5m2, got e2m1/],
    ['kind::mxf8f6f4 with INT8', ['--units', 'fused', '--elem', 'int8'], /--gpu blackwell: A elements must be e4m3, e5m2, e3m2, e2m3, e2m1, got int8/],
    ['kind::mxf8f6f4 at k = 16', ['--units', 'fused', '--block', '16'], /--gpu blackwell: the instruction takes 32 elements per operand: --block 32, got 16/],
    ['kind::mxf8f6f4 with UE4M3 scales', ['--units', 'fused', '--scale', 'ue4m3'], /--gpu blackwell: kind::mxf8f6f4 takes e8m0 scales \(one per 32 elements\), got ue4m3/],
  ] as const) {
    it(`refuses ${what} with one line, exit code 2, and writes nothing`, async () => {
      const out = join(dir, `bad-${what.replace(/ /g, '-')}`);
      const r = await gen('--out', out, ...args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
      await expect(readdir(out)).rejects.toThrow();
    });
  }

  it('refuses an output folder that is a file, with one line and exit code 2', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'keep');
    const r = await gen('--out', join(file, 'sub'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toMatch(/^mxrtl gen: error: cannot create the output folder '.*a-file\/sub': a file is in the way of that folder$/);
    expect(await readFile(file, 'utf8')).toBe('keep');
  });

  it('prints usage with every command on stderr and exits 2 when no command is given', async () => {
    const r = await execa('node', [BIN], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    for (const c of ['gen', 'quantize', 'dequantize', 'dot']) expect(r.stderr).toMatch(new RegExp(`^  ${c} +\\S`, 'm'));
    const h = await execa('node', [BIN, '--help'], { reject: false });
    expect([h.exitCode, h.stdout]).toEqual([0, r.stderr.trimEnd()]);
  });

  it('refuses an unknown command', async () => {
    const r = await execa('node', [BIN, 'frobnicate'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});

describe('mxrtl gen never loses a file it did not write', () => {
  const list = async (d: string): Promise<string[]> => (await readdir(d)).sort();

  it('refuses a folder with Verilog but no manifest, and leaves it as it was', async () => {
    const out = join(dir, 'foreign');
    await execa('mkdir', ['-p', out]);
    await writeFile(join(out, 'mine.v'), 'module mine; endmodule\n');
    const r = await gen('--out', out);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/holds files mxrtl did not write \(mine\.v\) and no manifest\.json; generate into an empty or new folder/);
    expect(await list(out)).toEqual(['mine.v']);
    expect(await readFile(join(out, 'mine.v'), 'utf8')).toBe('module mine; endmodule\n');
  });

  it('refuses a generated folder holding a file it did not write, or an edited one, and changes nothing', async () => {
    const out = join(dir, 'mixed-in');
    expect((await gen('--block', '4', '--out', out)).exitCode).toBe(0);
    const before = await list(out);
    await writeFile(join(out, 'notes.txt'), 'keep me');
    let r = await gen('--block', '8', '--out', out);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/holds files mxrtl did not write: notes\.txt; nothing was written/);
    expect(await list(out)).toEqual([...before, 'notes.txt'].sort());
    await rm(join(out, 'notes.txt'));
    const mul = join(out, 'mx_mul_e2m1.v');
    await writeFile(mul, (await readFile(mul, 'utf8')) + '// my fix\n');
    r = await gen('--block', '8', '--out', out);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/generated files edited since: mx_mul_e2m1\.v/);
    expect(await readFile(mul, 'utf8')).toMatch(/\/\/ my fix\n$/);
    expect(JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')).config.block).toBe(4);
  });

  it('a manifest that lists foreign names (notes.txt, ..) does not cost the user a file', async () => {
    const out = join(dir, 'hostile');
    expect((await gen('--block', '4', '--out', out)).exitCode).toBe(0);
    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    m.files.push({ name: 'notes.txt', module: 'x', sha256: '0'.repeat(64) });
    await writeFile(join(out, 'manifest.json'), JSON.stringify(m));
    await writeFile(join(dir, 'notes.txt'), 'outside');
    // gen never deletes by the names a manifest lists: the folder is replaced as a whole
    expect((await gen('--block', '8', '--out', out)).exitCode).toBe(0);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('outside');
    const m2 = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    m2.files.push({ name: '..', module: 'x', sha256: '0'.repeat(64) });
    await writeFile(join(out, 'manifest.json'), JSON.stringify(m2));
    const r = await gen('--block', '4', '--out', out);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/holds a manifest\.json mxrtl cannot read \(.*malformed file entry/);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
    expect(JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')).config.block).toBe(8);
  });

  it('cleans up after a run that was killed: stale temporaries go, a folder moved aside comes back', async () => {
    const out = join(dir, 'killed');
    expect((await gen('--block', '4', '--out', out)).exitCode).toBe(0);
    const dead = 2 ** 22 + 12345; // no such process
    // a kill between the two renames of the swap: the old folder aside, the new one not yet in place
    await rename(out, join(dir, `.killed.mxrtl-old-${dead}`));
    await execa('mkdir', ['-p', join(dir, `.killed.mxrtl-tmp-${dead}`)]);
    await writeFile(join(dir, `.killed.mxrtl-tmp-${dead}`, 'half.v'), 'half');
    const r = await gen('--block', '8', '--out', out);
    expect(r.exitCode).toBe(0);
    expect((await readdir(dir)).filter((n) => n.startsWith('.killed.'))).toEqual([]);
    expect(JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')).config.block).toBe(8);
  });

  it('a second run while one holds the folder stops with one line', async () => {
    const out = join(dir, 'locked');
    const lockDir = join(dir, '.locked.mxrtl-lock');
    await execa('mkdir', ['-p', lockDir]);
    await writeFile(join(lockDir, 'pid'), String(process.pid)); // a live process holds it
    const r = await gen('--out', out);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toMatch(new RegExp(`another mxrtl gen \\(process ${process.pid}\\) is writing '.*locked'; try again when it has finished$`));
    expect(existsSync(out)).toBe(false);
    await rm(lockDir, { recursive: true });
    expect((await gen('--out', out)).exitCode).toBe(0);
  });

  it('a folder that cannot be written gets one line and exit code 2', async () => {
    const r = await gen('--out', '/sys/mxrtl-cannot-write-here');
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^mxrtl gen: error: cannot (write beside|create) the output folder '\/sys\/mxrtl-cannot-write-here': (permission denied|read-only file system|ENOENT)/);
  });
});
