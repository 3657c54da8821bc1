// Vector files (writer, reader, replay) and the one-line errors of the sim command.
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERILATOR_MISSING } from '../../sim/build.js';
import { hexToWords, recordLayout, wordsToHex } from '../../sim/layout.js';
import { VECTOR_FORMAT, VectorFileError, parseVectorFile, vectorsToRecords, writeVectorFile } from '../../sim/vectors.js';
import { generate, sim, tempDir } from './helpers.js';

let dir: string;
let rtl: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('vectors'));
  rtl = join(dir, 'rtl');
  await generate(rtl, 4);
});
afterAll(async () => cleanup());

const DOT4 = {
  unit: 'mx_dot_e2m1_e8m0_k4',
  ports: [
    { name: 'a', dir: 'input' as const, width: 16 },
    { name: 'b', dir: 'input' as const, width: 16 },
    { name: 'scale_a', dir: 'input' as const, width: 8 },
    { name: 'scale_b', dir: 'input' as const, width: 8 },
    { name: 'result', dir: 'output' as const, width: 32 },
  ],
};

/** Expect a one-line error with exit code 2 whose text matches `re`. */
function expectInputError(r: { code: number; out: string; err: string }, re: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.err.endsWith('\n')).toBe(true);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(/^mxrtl sim: error: /);
  expect(r.err).toMatch(re);
}

describe('hex port values', () => {
  it('round-trip through words, MSB first, exact digit count', () => {
    const w = new Uint32Array(4);
    expect(hexToWords('0123456789abcdef0011223344556677', 128, w, 0)).toBeNull();
    expect([...w]).toEqual([0x44556677, 0x00112233, 0x89abcdef, 0x01234567]);
    expect(wordsToHex(w, 0, 128)).toBe('0123456789abcdef0011223344556677');
    const p = new Uint32Array(1);
    expect(hexToWords('1ff', 9, p, 0)).toBeNull();
    expect(p[0]).toBe(0x1ff);
    expect(hexToWords('3ff', 9, p, 0)).toMatch(/does not fit 9 bits/);
    expect(hexToWords('7f', 9, p, 0)).toMatch(/2 hex digits for a 9-bit port \(needs 3\)/);
    expect(hexToWords('0x7f', 8, p, 0)).toMatch(/not hex digits/);
    expect(hexToWords('7', 8, p, 0)).toBe('1 hex digits for an 8-bit port (needs 2)');
    expect(hexToWords('7', 11, p, 0)).toMatch(/for an 11-bit port/);
  });
});

describe('writeVectorFile', () => {
  it('writes a file the reader accepts, with values padded to the port widths', async () => {
    const path = join(dir, 'w', 'dot.json');
    await writeVectorFile(path, DOT4, [
      { a: 0x1234n, b: 'ABCD', scale_a: 0x7f, scale_b: 'ff' },
      { a: 0, b: 1, scale_a: 0, scale_b: 254 },
    ]);
    const file = parseVectorFile(await readFile(path, 'utf8'), path);
    expect(file).toEqual({
      format: VECTOR_FORMAT,
      unit: 'mx_dot_e2m1_e8m0_k4',
      vectors: [
        { a: '1234', b: 'abcd', scale_a: '7f', scale_b: 'ff' },
        { a: '0000', b: '0001', scale_a: '00', scale_b: 'fe' },
      ],
    });
    const words = vectorsToRecords(file, recordLayout(DOT4.ports), path);
    expect([...words]).toEqual([0x1234, 0xabcd, 0x7f, 0xff, 0, 1, 0, 0xfe]);
  });

  it('refuses missing, unknown, too wide and negative values', async () => {
    const path = join(dir, 'w', 'bad.json');
    const ok = { a: 0, b: 0, scale_a: 0, scale_b: 0 };
    await expect(writeVectorFile(path, DOT4, [{ a: 0, b: 0, scale_a: 0 }])).rejects.toThrow(/port 'scale_b' is missing/);
    await expect(writeVectorFile(path, DOT4, [{ ...ok, c: 1 }])).rejects.toThrow(/no input port 'c'/);
    await expect(writeVectorFile(path, DOT4, [{ ...ok, scale_a: 256 }])).rejects.toThrow(/does not fit 8 bits/);
    await expect(writeVectorFile(path, DOT4, [{ ...ok, a: '12345' }])).rejects.toThrow(/5 hex digits for a 16-bit port/);
    await expect(writeVectorFile(path, DOT4, [{ ...ok, a: -1 }])).rejects.toThrow(VectorFileError);
    await expect(writeVectorFile(path, DOT4, [])).rejects.toThrow(/no vectors/);
  });
});

describe('replay', () => {
  it('runs exactly the vectors of a file and checks them against the golden model', async () => {
    const path = join(dir, 'replay.json');
    await writeVectorFile(path, DOT4, [
      { a: 0x7777, b: 0x7777, scale_a: 0xfe, scale_b: 0xfe },
      { a: 0x0001, b: 0x0001, scale_a: 0x35, scale_b: 0x35 },
      { a: 0x1234, b: 0x4321, scale_a: 0xff, scale_b: 0x7f },
    ]);
    const r = await sim(['--rtl', rtl, '--replay', path]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('mx_dot_e2m1_e8m0_k4: 3 vectors from the file');
    expect(r.out).toContain('PASS 3 checked, 0 mismatches');
  }, 60_000);

  const cases: [string, string, RegExp][] = [
    ['bad JSON', '{"format": "mxrtl-vectors/1", "unit": ', /not valid JSON/],
    ['wrong format tag', JSON.stringify({ format: 'mxrtl-vectors/2', unit: 'mx_dot_e2m1_e8m0_k4', vectors: [{}] }), /"format" must be "mxrtl-vectors\/1"/],
    ['unknown unit', JSON.stringify({ format: VECTOR_FORMAT, unit: 'mx_dot_e4m3_e8m0_k4', vectors: [{ a: '0' }] }), /unknown unit 'mx_dot_e4m3_e8m0_k4'.*has: mx_mul_e2m1, mx_dequant_e2m1_e8m0_k4, mx_dot_e2m1_e8m0_k4/],
    ['missing port', JSON.stringify({ format: VECTOR_FORMAT, unit: 'mx_dot_e2m1_e8m0_k4', vectors: [{ a: '0000', b: '0000', scale_a: '7f' }] }), /vector 0: port 'scale_b' is missing/],
    ['wrong hex width', JSON.stringify({ format: VECTOR_FORMAT, unit: 'mx_mul_e2m1', vectors: [{ a: '1', b: '2' }, { a: '01', b: '2' }] }), /vector 1: port 'a': 2 hex digits for a 4-bit port \(needs 1\)/],
    ['bad hex characters', JSON.stringify({ format: VECTOR_FORMAT, unit: 'mx_mul_e2m1', vectors: [{ a: 'g', b: '2' }] }), /vector 0: port 'a': 'g' is not hex digits/],
    ['0x prefix', JSON.stringify({ format: VECTOR_FORMAT, unit: 'dot', vectors: [{ a: '0x0000', b: '0000', scale_a: '7f', scale_b: '7f' }] }), /'0x0000' is not hex digits/],
    ['unknown port', JSON.stringify({ format: VECTOR_FORMAT, unit: 'mx_mul_e2m1', vectors: [{ a: '1', b: '2', c: '3' }] }), /mx_mul_e2m1 has no port 'c'/],
    ['output port', JSON.stringify({ format: VECTOR_FORMAT, unit: 'mx_mul_e2m1', vectors: [{ a: '1', b: '2', prod: '001' }] }), /'prod' is an output of mx_mul_e2m1/],
    ['empty vector list', JSON.stringify({ format: VECTOR_FORMAT, unit: 'mx_mul_e2m1', vectors: [] }), /"vectors" is empty/],
    ['non-string value', JSON.stringify({ format: VECTOR_FORMAT, unit: 'mx_mul_e2m1', vectors: [{ a: 1, b: '2' }] }), /port 'a' must be a hex string/],
  ];
  for (const [name, text, re] of cases) {
    it(`a vector file with ${name} gives exit code 2 and one line`, async () => {
      const path = join(dir, `case-${name.replace(/\W+/g, '-')}.json`);
      await writeFile(path, text);
      expectInputError(await sim(['--rtl', rtl, '--replay', path]), re);
    });
  }

  it('a missing vector file gives exit code 2 and one line', async () => {
    expectInputError(await sim(['--rtl', rtl, '--replay', join(dir, 'nope.json')]), /cannot read the vector file \(ENOENT\)/);
  });
});

describe('command errors', () => {
  it('a missing manifest gives exit code 2 and one line', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty, { recursive: true });
    expectInputError(await sim(['--rtl', empty]), /manifest\.json not found: generate a configuration first/);
  });

  it('a malformed manifest gives exit code 2 and one line', async () => {
    const broken = join(dir, 'broken-manifest');
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, 'manifest.json'), '{"generator": "mxrtl", ');
    expectInputError(await sim(['--rtl', broken]), /manifest\.json: not valid JSON/);
    await writeFile(join(broken, 'manifest.json'), JSON.stringify({ generator: 'other', config: {}, units: [] }));
    expectInputError(await sim(['--rtl', broken]), /not an mxrtl manifest/);
  });

  it('a manifest whose block size disagrees with its units is refused with one line', async () => {
    const edited = join(dir, 'edited-block');
    await cp(rtl, edited, { recursive: true });
    const m = JSON.parse(await readFile(join(edited, 'manifest.json'), 'utf8'));
    m.config.block = 8;
    await writeFile(join(edited, 'manifest.json'), JSON.stringify(m));
    expectInputError(await sim(['--rtl', edited]), /unit mx_dequant_e2m1_e8m0_k4 does not belong to the configuration in "config" \(e2m1_e8m0_k8: its dequant units are mx_dequant_e2m1_e8m0_k8\)/);
    // the same parameters under a format the units do not have
    m.config.block = 4;
    m.units = m.units.map((u: { family: string; parameters: Record<string, unknown> }) => (u.family === 'mul' ? { ...u, parameters: { ...u.parameters, prod_lsb: -3 } } : u));
    await writeFile(join(edited, 'manifest.json'), JSON.stringify(m));
    expectInputError(await sim(['--rtl', edited]), /unit mx_mul_e2m1 has parameters \(elem_a e2m1, elem_b e2m1, prod_lsb -3\) that disagree with "config" \(elem_a e2m1, elem_b e2m1, prod_lsb -2\)/);
  });

  it('a module whose port width differs from the manifest is named before any build', async () => {
    const wide = join(dir, 'wide-port');
    await cp(rtl, wide, { recursive: true });
    const file = join(wide, 'mx_mul_e2m1.v');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/output wire \[8:0\](\s+)prod/, 'output wire [9:0]$1prod'));
    expectInputError(await sim(['--rtl', wide]), /mx_mul_e2m1\.v: module mx_mul_e2m1 declares output prod of 10 bits; the manifest lists output prod\[9\]/);
  });

  it('bad options give exit code 2 and one line', async () => {
    expectInputError(await sim(['--rtl', rtl, '--vectors', '1e6']), /--vectors needs a whole number/);
    expectInputError(await sim(['--rtl', rtl, '--seed', 'abc']), /--seed needs a number/);
    expectInputError(await sim(['--rtl', rtl, '--frobnicate']), /unknown option '--frobnicate'/);
    expectInputError(await sim(['--rtl', rtl, '--units', 'dot_e5m2']), /--units: .* has no unit 'dot_e5m2' \(has: mul, mx_mul_e2m1, dequant, /);
  });

  it('without Verilator on PATH: the install hint on one line, exit code 3', async () => {
    const r = await sim(['--rtl', rtl], { ...process.env, PATH: dir });
    expect(r.code).toBe(3);
    expect(r.err).toBe(`mxrtl sim: error: ${VERILATOR_MISSING}\n`);
  });
});
