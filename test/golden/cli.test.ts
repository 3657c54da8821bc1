/** The numerics commands: mxrtl quantize | dequantize | dot, their files and their errors. */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../generator/cli.js';
import { E2M1, E4M3, E8M0, INT8, UE4M3, dequantize, dotMx, quantize, type QuantizeOptions } from '../../src/index.js';
import { bitsOf, valueOfBits } from './helpers.js';

let dir: string;
let out: string[];
let err: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mxrtl-cli-'));
  out = [];
  err = [];
  const capture = (sink: string[]) => (chunk: string | Uint8Array, ...rest: unknown[]) => {
    sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1'));
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture(out) as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture(err) as typeof process.stderr.write);
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const p = (name: string) => join(dir, name);

function rawF32(path: string, values: number[]): Uint32Array {
  const bits = Uint32Array.from(values.map(bitsOf));
  writeFileSync(path, new Uint8Array(bits.buffer));
  return bits;
}

/** A .npy file written by hand: version 1.0, header padded to 64 bytes. */
function npy(path: string, descr: string, shape: number[], data: Uint8Array, fortran = false): void {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let h = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  h += ' '.repeat(64 - ((10 + h.length + 1) % 64)) + '\n';
  const head = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0, h.length & 0xff, h.length >> 8]), Buffer.from(h, 'latin1')]);
  writeFileSync(path, Buffer.concat([head, Buffer.from(data)]));
}

/** Read a .npy by hand: header dict text and data bytes. */
function readNpy(path: string): { header: string; data: Uint8Array } {
  const b = readFileSync(path);
  expect([...b.subarray(0, 6)]).toEqual([0x93, ...Buffer.from('NUMPY')]);
  const len = b[8] | (b[9] << 8);
  expect((10 + len) % 64).toBe(0);
  return { header: b.subarray(10, 10 + len).toString('latin1'), data: new Uint8Array(b.subarray(10 + len)) };
}

function words(data: Uint8Array): number[] {
  const r: number[] = [];
  for (let i = 0; i < data.length; i += 4) r.push((data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) >>> 0);
  return r;
}

const VALUES = Array.from({ length: 40 }, (_, i) => ((i * 37) % 23) * (i % 2 ? -0.37 : 1.3) * 2 ** ((i % 7) - 3));

describe('mxrtl quantize', () => {
  it('writes element and scale codes equal to the golden model, padding the last block', async () => {
    const bits = rawF32(p('x.f32'), VALUES);
    const rc = await main(['quantize', p('x.f32'), '-o', p('e.bin'), '--scales-out', p('s.npy'), '--elem', 'e4m3', '--block', '32']);
    expect(err.join('')).toBe('');
    expect(rc).toBe(0);
    const q = quantize(bits, { elem: E4M3, scale: E8M0, blockSize: 32 });
    expect([...readFileSync(p('e.bin'))]).toEqual([...q.elems]);
    expect(q.elems.length).toBe(64);
    const s = readNpy(p('s.npy'));
    expect(s.header).toMatch(/'descr': '\|u1'.*'shape': \(2,\)/);
    expect([...s.data]).toEqual([...q.scales]);
  });

  it('--emit values: the dequantized values, same count and .npy shape as the input', async () => {
    const bits = Uint32Array.from(VALUES.map(bitsOf));
    npy(p('x.npy'), '<f4', [2, 20], new Uint8Array(bits.buffer));
    const opts: QuantizeOptions = { elem: E2M1, scale: UE4M3, blockSize: 16, recipe: '4over6', guard: true };
    const rc = await main(['quantize', p('x.npy'), '-o', p('v.npy'), '--emit', 'values', '--scale', 'ue4m3', '--block', '16', '--recipe', '4over6', '--guard']);
    expect(err.join('')).toBe('');
    expect(rc).toBe(0);
    const q = quantize(bits, opts);
    const want = [...dequantize(E2M1, q.elems, UE4M3, q.scales, 16)].slice(0, 40);
    const v = readNpy(p('v.npy'));
    expect(v.header).toMatch(/'descr': '<f4', 'fortran_order': False, 'shape': \(2, 20\)/);
    expect(words(v.data)).toEqual(want);
  });

  it('big-endian .npy input, INT8, ties away, full range', async () => {
    const bits = Uint32Array.from(VALUES.map(bitsOf));
    const be = new Uint8Array(bits.length * 4);
    bits.forEach((w, i) => be.set([w >>> 24, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff], 4 * i));
    npy(p('x.npy'), '>f4', [40], be);
    const rc = await main(['quantize', p('x.npy'), '-o', p('e.npy'), '--scales-out', p('s.bin'), '--elem', 'int8', '--round', 'away', '--int8-range', 'full', '--recipe', 'ceil']);
    expect(rc).toBe(0);
    const q = quantize(bits, { elem: INT8, scale: E8M0, blockSize: 32, round: 'away', int8Range: 'full', recipe: 'ceil' });
    expect([...readNpy(p('e.npy')).data]).toEqual([...q.elems]);
    expect([...readFileSync(p('s.bin'))]).toEqual([...q.scales]);
  });

  it('--tensor-scale auto reports the scale it chose', async () => {
    rawF32(p('x.f32'), VALUES);
    const rc = await main(['quantize', p('x.f32'), '-o', p('e.bin'), '--scales-out', p('s.bin'), '--scale', 'ue4m3', '--recipe', 'nv', '--tensor-scale', 'auto']);
    expect(rc).toBe(0);
    expect(err.join('')).toMatch(/^mxrtl quantize: tensor scale 0x[0-9a-f]{8} /);
  });

  it('the help says that a trailing partial block is padded with zeros', async () => {
    expect(await main(['quantize', '--help'])).toBe(0);
    expect(out.join('')).toMatch(/partial block is padded with zeros/);
  });
});

describe('mxrtl dequantize', () => {
  it('round trip: the codes of quantize give the values of quantize --emit values', async () => {
    rawF32(p('x.f32'), VALUES);
    expect(await main(['quantize', p('x.f32'), '-o', p('e.bin'), '--scales-out', p('s.bin'), '--elem', 'e2m3', '--block', '8'])).toBe(0);
    expect(await main(['quantize', p('x.f32'), '-o', p('v.f32'), '--emit', 'values', '--elem', 'e2m3', '--block', '8'])).toBe(0);
    expect(await main(['dequantize', p('e.bin'), p('s.bin'), '-o', p('d.f32'), '--elem', 'e2m3', '--block', '8', '--count', '40'])).toBe(0);
    expect([...readFileSync(p('d.f32'))]).toEqual([...readFileSync(p('v.f32'))]);
  });
  it('applies the tensor scale (decimal or bits)', async () => {
    writeFileSync(p('e.bin'), Uint8Array.from([2, 0xa]));
    writeFileSync(p('s.bin'), Uint8Array.from([127]));
    expect(await main(['dequantize', p('e.bin'), p('s.bin'), '-o', p('d.npy'), '--block', '2', '--tensor-scale', '0.5'])).toBe(0);
    expect(words(readNpy(p('d.npy')).data).map(valueOfBits)).toEqual([0.5, -0.5]);
    expect(await main(['dequantize', p('e.bin'), p('s.bin'), '-o', p('d.bin'), '--block', '2', '--tensor-scale', '0x40000000'])).toBe(0);
    expect(words(readFileSync(p('d.bin'))).map(valueOfBits)).toEqual([2, -2]);
  });
});

describe('mxrtl dot', () => {
  it('prints one result per dot product, bits and value; exact and fp32 accumulation', async () => {
    const a = rawF32(p('a.f32'), VALUES);
    const b = rawF32(p('b.f32'), VALUES.map((v, i) => v * (i % 3) - 1));
    expect(await main(['dot', p('a.f32'), p('b.f32'), '--block', '4', '--length', '20', '--elem-b', 'e4m3', '--accum', 'fp32'])).toBe(0);
    const lines = out.join('').trim().split('\n');
    expect(lines.length).toBe(2);
    for (let r = 0; r < 2; r++) {
      const qa = quantize(a.subarray(20 * r, 20 * r + 20), { elem: E2M1, scale: E8M0, blockSize: 4 });
      const qb = quantize(b.subarray(20 * r, 20 * r + 20), { elem: E4M3, scale: E8M0, blockSize: 4 });
      const want = dotMx({ elem: E2M1, scale: E8M0, codes: qa.elems, scales: qa.scales }, { elem: E4M3, scale: E8M0, codes: qb.elems, scales: qb.scales }, 4, 'fp32');
      expect(lines[r]).toBe(`0x${want.toString(16).padStart(8, '0')} ${valueOfBits(want)}`);
    }
  });
  it('--codes with -o writes float32 results', async () => {
    writeFileSync(p('ae'), Uint8Array.from([2, 3, 4, 5]));
    writeFileSync(p('as'), Uint8Array.from([127, 128]));
    writeFileSync(p('be'), Uint8Array.from([2, 2, 2, 0xa]));
    writeFileSync(p('bs'), Uint8Array.from([127, 127]));
    expect(await main(['dot', '--codes', p('ae'), p('as'), p('be'), p('bs'), '--block', '2', '-o', p('r.npy')])).toBe(0);
    // (1 + 1.5) * 1 + (2 - 3) * 2 = 0.5
    expect(words(readNpy(p('r.npy')).data).map(valueOfBits)).toEqual([0.5]);
  });
  it('--accum blackwell / hopper with an addend: C = 1 plus 1.5 * 2^-24 stays 1.0, one rounding gives 1 + 2^-23', async () => {
    rawF32(p('a.f32'), [1.5 * 2 ** -24, ...new Array(31).fill(0)]); // quantized exactly: 1.5 * 2^8 at scale 2^-32
    rawF32(p('b.f32'), new Array(32).fill(1));
    const run = async (...extra: string[]) => {
      out.length = 0;
      expect(await main(['dot', p('a.f32'), p('b.f32'), '--elem', 'e4m3', ...extra])).toBe(0);
      return out.join('').trim();
    };
    expect(await run('--accum', 'blackwell', '--c', '1')).toBe('0x3f800000 1');
    expect(await run('--accum', 'hopper', '--c', '0x3f800000')).toBe('0x3f800000 1');
    expect(await run('--c', '1')).toBe(`0x3f800001 ${1 + 2 ** -23}`);
    rawF32(p('c.f32'), [2]);
    expect(await run('--accum', 'blackwell', '--c-file', p('c.f32'))).toBe('0x40000000 2');
  });
  it('--accum blackwell with a shape the instruction does not have, or addends that do not fit: one line, exit 2', async () => {
    rawF32(p('a.f32'), new Array(32).fill(1));
    rawF32(p('c.f32'), [1, 2]);
    for (const [args, msg] of [
      [['--block', '16', '--accum', 'blackwell'], /--accum blackwell: e8m0 scales need a block size of 32, got 16/],
      [['--elem', 'int8', '--accum', 'blackwell'], /--accum blackwell: A elements must be e4m3, e5m2, e3m2, e2m3, e2m1, got int8/],
      [['--accum', 'blackwell', '--c-file', p('c.f32')], /--c-file: 2 addends for 1 dot products/],
      [['--c', '1', '--c-file', p('c.f32')], /give --c or --c-file, not both/],
      [['--accum', 'hopper', '--elem', 'e4m3', '--recipe', 'mse', '--tensor-scale', '2'], /--accum hopper takes no tensor scale/],
    ] as const) {
      err.length = 0;
      expect(await main(['dot', p('a.f32'), p('a.f32'), ...args])).toBe(2);
      expect(err.join('')).toMatch(msg);
      expect(err.join('').trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('invalid input: one line, exit code 2, no output file', () => {
  const cases: [string, () => string[]][] = [
    ['a byte count that is not a multiple of 4', () => (writeFileSync(p('x.f32'), new Uint8Array(10)), ['quantize', p('x.f32'), '-o', p('o.bin'), '--scales-out', p('s.bin')])],
    ['a file that is not .npy', () => (writeFileSync(p('x.npy'), 'hello world, not numpy'), ['quantize', p('x.npy'), '-o', p('o.bin'), '--scales-out', p('s.bin')])],
    ['a .npy with too little data', () => (npy(p('x.npy'), '<f4', [3], new Uint8Array(8)), ['quantize', p('x.npy'), '-o', p('o.npy'), '--scales-out', p('s.npy')])],
    ['a .npy of float64', () => (npy(p('x.npy'), '<f8', [1], new Uint8Array(8)), ['quantize', p('x.npy'), '-o', p('o.npy'), '--scales-out', p('s.npy')])],
    ['a Fortran-order .npy', () => (npy(p('x.npy'), '<f4', [1, 2], new Uint8Array(8), true), ['quantize', p('x.npy'), '-o', p('o.npy'), '--scales-out', p('s.npy')])],
    ['a missing input', () => ['quantize', p('none.f32'), '-o', p('o.bin'), '--scales-out', p('s.bin')]],
    ['an unknown element format', () => (rawF32(p('x.f32'), [1]), ['quantize', p('x.f32'), '-o', p('o.bin'), '--scales-out', p('s.bin'), '--elem', 'e3m4'])],
    ['an unknown scale format', () => (rawF32(p('x.f32'), [1]), ['quantize', p('x.f32'), '-o', p('o.bin'), '--scales-out', p('s.bin'), '--scale', 'e4m3'])],
    ['an unknown recipe', () => (rawF32(p('x.f32'), [1]), ['quantize', p('x.f32'), '-o', p('o.bin'), '--scales-out', p('s.bin'), '--recipe', 'max'])],
    ['a recipe the scale format cannot take', () => (rawF32(p('x.f32'), [1]), ['quantize', p('x.f32'), '-o', p('o.bin'), '--scales-out', p('s.bin'), '--recipe', 'nv'])],
    ['a bad block size', () => (rawF32(p('x.f32'), [1]), ['quantize', p('x.f32'), '-o', p('o.bin'), '--scales-out', p('s.bin'), '--block', '0'])],
    ['a missing --scales-out', () => (rawF32(p('x.f32'), [1]), ['quantize', p('x.f32'), '-o', p('o.bin')])],
    ['an unknown option', () => (rawF32(p('x.f32'), [1]), ['quantize', p('x.f32'), '-o', p('o.bin'), '--scales-out', p('s.bin'), '--fast'])],
    ['an output folder that does not exist', () => (rawF32(p('x.f32'), [1]), ['quantize', p('x.f32'), '-o', p('o.bin'), '--scales-out', p('no/s.bin')])],
    ['element codes outside the format', () => (writeFileSync(p('e'), Uint8Array.from([0x10])), writeFileSync(p('s'), Uint8Array.from([127])), ['dequantize', p('e'), p('s'), '-o', p('o.bin')])],
    ['ue4m3 scale codes with the top bit set', () => (writeFileSync(p('e'), Uint8Array.from([1])), writeFileSync(p('s'), Uint8Array.from([0x80])), ['dequantize', p('e'), p('s'), '-o', p('o.bin'), '--scale', 'ue4m3'])],
    ['too few scale codes', () => (writeFileSync(p('e'), new Uint8Array(40)), writeFileSync(p('s'), Uint8Array.from([127])), ['dequantize', p('e'), p('s'), '-o', p('o.bin')])],
    ['dot operands of different lengths', () => (rawF32(p('a'), [1, 2]), rawF32(p('b'), [1]), ['dot', p('a'), p('b'), '-o', p('o.bin')])],
    ['an unknown accumulation', () => (rawF32(p('a'), [1]), rawF32(p('b'), [1]), ['dot', p('a'), p('b'), '--accum', 'fp16'])],
  ];
  for (const [what, setup] of cases) {
    it(what, async () => {
      const args = setup();
      const before = readdirSync(dir).sort();
      const rc = await main(args);
      expect(rc).toBe(2);
      const msg = err.join('');
      expect(msg).toMatch(/^mxrtl \w+: error: .+\n$/);
      expect(msg.trim().split('\n').length).toBe(1);
      expect(readdirSync(dir).sort()).toEqual(before);
      expect(out.join('')).toBe('');
    });
  }
});

describe('outputs: a failure keeps every file the user had and leaves nothing new', () => {
  /** Every file under the test folder with its contents (folders as 'dir/', links as '-> target'). */
  function snapshot(): Record<string, string> {
    const s: Record<string, string> = {};
    const walk = (rel: string) => {
      for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
        const r = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isSymbolicLink()) s[r] = `-> ${readlinkSync(join(dir, r))}`;
        else if (e.isDirectory()) {
          s[`${r}/`] = '';
          walk(r);
        } else s[r] = readFileSync(join(dir, r), 'latin1');
      }
    };
    walk('');
    return s;
  }

  async function refused(args: string[], message: RegExp): Promise<void> {
    err.length = 0;
    const before = snapshot();
    expect(await main(args)).toBe(2);
    const msg = err.join('');
    expect(msg).toMatch(/^mxrtl \w+: error: .+\n$/);
    expect(msg).toMatch(message);
    expect(snapshot()).toEqual(before);
    expect(out.join('')).toBe('');
  }

  it('--scales-out naming an existing folder: the existing -o file is kept', async () => {
    rawF32(p('ok.f32'), [1, 2, 3, 4]);
    writeFileSync(p('o.npy'), 'keep\n');
    mkdirSync(p('dir'));
    await refused(['quantize', p('ok.f32'), '-o', p('o.npy'), '--scales-out', p('dir')], /cannot write '.*dir': it is a folder/);
    expect(readFileSync(p('o.npy'), 'latin1')).toBe('keep\n');
  });

  it('-o naming an existing folder, --scales-out an existing file: both kept', async () => {
    rawF32(p('ok.f32'), [1, 2, 3, 4]);
    writeFileSync(p('s.bin'), 'scales\n');
    mkdirSync(p('dir'));
    await refused(['quantize', p('ok.f32'), '-o', p('dir'), '--scales-out', p('s.bin')], /cannot write '.*dir': it is a folder/);
  });

  it('an output in a missing folder, the other output replacing a file: the file is kept', async () => {
    rawF32(p('ok.f32'), [1, 2, 3, 4]);
    writeFileSync(p('o.bin'), 'keep\n');
    await refused(['quantize', p('ok.f32'), '-o', p('o.bin'), '--scales-out', p('no/s.bin')], /cannot write '.*no\/s\.bin': no such folder '.*no'/);
  });

  it('an output whose folder is a file', async () => {
    rawF32(p('ok.f32'), [1, 2, 3, 4]);
    writeFileSync(p('o.bin'), 'keep\n');
    writeFileSync(p('f'), 'a file\n');
    await refused(['quantize', p('ok.f32'), '-o', p('o.bin'), '--scales-out', p('f/s.bin')], /cannot write '.*f\/s\.bin': '.*f' is not a folder/);
  });

  it.skipIf(process.getuid?.() === 0)('an output in a folder without write permission', async () => {
    rawF32(p('ok.f32'), [1, 2, 3, 4]);
    writeFileSync(p('o.bin'), 'keep\n');
    mkdirSync(p('ro'), { mode: 0o555 });
    try {
      await refused(['quantize', p('ok.f32'), '-o', p('o.bin'), '--scales-out', p('ro/s.bin')], /cannot write '.*ro\/s\.bin': no permission to write in '.*ro'/);
    } finally {
      chmodSync(p('ro'), 0o755);
    }
  });

  it('two spellings of the same output file are refused', async () => {
    rawF32(p('ok.f32'), [1, 2, 3, 4]);
    mkdirSync(p('out'));
    await refused(['quantize', p('ok.f32'), '-o', p('out/o.bin'), '--scales-out', `${dir}/out/../out/./o.bin`], /two outputs name the same file/);
    const rel = relative(process.cwd(), p('out/o.bin'));
    await refused(['quantize', p('ok.f32'), '-o', p('out/o.bin'), '--scales-out', `./${rel}`], /two outputs name the same file/);
  });

  it('the same output file through a symbolic link to its folder is refused', async () => {
    rawF32(p('ok.f32'), [1, 2, 3, 4]);
    mkdirSync(p('out'));
    symlinkSync(p('out'), p('link'));
    await refused(['quantize', p('ok.f32'), '-o', p('out/o.bin'), '--scales-out', p('link/o.bin')], /two outputs name the same file/);
  });

  it('an output that is one of the inputs is refused', async () => {
    rawF32(p('x.f32'), [1, 2, 3, 4]);
    await refused(['quantize', p('x.f32'), '-o', `${dir}/./x.f32`, '--emit', 'values'], /output '.*x\.f32' is the input '.*x\.f32'/);
    writeFileSync(p('e.bin'), Uint8Array.from([2, 3]));
    writeFileSync(p('s.bin'), Uint8Array.from([127]));
    await refused(['dequantize', p('e.bin'), p('s.bin'), '-o', p('s.bin'), '--block', '2'], /output '.*s\.bin' is the input/);
    rawF32(p('b.f32'), [1, 2, 3, 4]);
    await refused(['dot', p('x.f32'), p('b.f32'), '--block', '4', '-o', p('b.f32')], /output '.*b\.f32' is the input/);
  });

  it('outputs replace existing files when nothing fails', async () => {
    rawF32(p('ok.f32'), [1, 2, 3, 4]);
    writeFileSync(p('e.bin'), 'old\n');
    writeFileSync(p('s.bin'), 'old\n');
    expect(await main(['quantize', p('ok.f32'), '-o', p('e.bin'), '--scales-out', p('s.bin'), '--block', '4'])).toBe(0);
    const q = quantize(Uint32Array.from([1, 2, 3, 4].map(bitsOf)), { elem: E2M1, scale: E8M0, blockSize: 4 });
    expect([...readFileSync(p('e.bin'))]).toEqual([...q.elems]);
    expect([...readFileSync(p('s.bin'))]).toEqual([...q.scales]);
    expect(readdirSync(dir).sort()).toEqual(['e.bin', 'ok.f32', 's.bin']);
  });
});

describe('code range errors', () => {
  it('say "an e2m1 code", "a ue4m3 code"', async () => {
    writeFileSync(p('e'), Uint8Array.from([1, 0x10]));
    writeFileSync(p('s'), Uint8Array.from([127]));
    expect(await main(['dequantize', p('e'), p('s'), '-o', p('o.bin')])).toBe(2);
    expect(err.join('')).toMatch(/element code 0x10 at index 1 is not an e2m1 code \(0x00\.\.0xf\)/);
    err.length = 0;
    writeFileSync(p('e'), Uint8Array.from([1]));
    writeFileSync(p('s'), Uint8Array.from([0x80]));
    expect(await main(['dequantize', p('e'), p('s'), '-o', p('o.bin'), '--scale', 'ue4m3'])).toBe(2);
    expect(err.join('')).toMatch(/scale code 0x80 at index 0 is not a ue4m3 code/);
    err.length = 0;
    writeFileSync(p('e'), Uint8Array.from([0x80]));
    writeFileSync(p('s'), Uint8Array.from([127]));
    expect(await main(['dequantize', p('e'), p('s'), '-o', p('o.bin'), '--elem', 'e4m3'])).toBe(0);
    writeFileSync(p('e'), Uint8Array.from([0x40]));
    expect(await main(['dequantize', p('e'), p('s'), '-o', p('o.bin'), '--elem', 'e2m3'])).toBe(2);
    expect(err.join('')).toMatch(/is not an e2m3 code/);
  });
});

describe('stdin', () => {
  it('a .npy piped through stdin is read as NumPy (by its magic bytes), a raw one as float32', async () => {
    const { execa } = await import('execa');
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'mxrtl.js');
    const values = [1.5, -3, 0.25, 6, 0.1, -0.75, 2, 4];
    const bits = Uint32Array.from(values.map(bitsOf));
    npy(p('x.npy'), '<f4', [2, 4], new Uint8Array(bits.buffer));
    const run = (input: string | Uint8Array, codes: string, scales: string) =>
      execa('node', [bin, 'quantize', typeof input === 'string' ? input : '-', '-o', p(codes), '--scales-out', p(scales), '--block', '4'], { reject: false, ...(typeof input === 'string' ? {} : { input: Buffer.from(input) }) });
    const byPath = await run(p('x.npy'), 'c1.bin', 's1.bin');
    expect(byPath.exitCode).toBe(0);
    const piped = await run(readFileSync(p('x.npy')), 'c2.bin', 's2.bin');
    expect(piped.stderr).toBe('');
    expect(piped.exitCode).toBe(0);
    const raw = await run(new Uint8Array(bits.buffer), 'c3.bin', 's3.bin');
    expect(raw.exitCode).toBe(0);
    const want = quantize(bits, { elem: E2M1, scale: E8M0, blockSize: 4 });
    for (const [c, s] of [['c1.bin', 's1.bin'], ['c2.bin', 's2.bin'], ['c3.bin', 's3.bin']]) {
      expect([...readFileSync(p(c))]).toEqual([...want.elems]);
      expect([...readFileSync(p(s))]).toEqual([...want.scales]);
    }
  }, 30_000);
});

describe('large inputs', () => {
  it('a raw file above 2 GiB is read whole (values past 2 GiB in place), with progress lines under MXRTL_PROGRESS=1', async () => {
    const { execa } = await import('execa');
    const { closeSync, openSync, truncateSync, writeSync } = await import('node:fs');
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'mxrtl.js');
    const k = 32;
    const n = 2 ** 29 + 16 * k; // 2 GiB + 2 KiB of float32: a sparse file, zeros but for two blocks
    const head = Uint32Array.from({ length: k }, (_, i) => bitsOf((i - 13) * 0.37));
    const tail = Uint32Array.from({ length: k }, (_, i) => bitsOf(1000 / (i + 1)));
    const path = p('big.f32');
    writeFileSync(path, '');
    truncateSync(path, 4 * n);
    const fd = openSync(path, 'r+');
    writeSync(fd, new Uint8Array(head.buffer), 0, 4 * k, 0);
    writeSync(fd, new Uint8Array(tail.buffer), 0, 4 * k, 4 * (n - k));
    closeSync(fd);
    const r = await execa('node', [bin, 'quantize', path, '-o', p('c.bin'), '--scales-out', p('s.bin')], { reject: false, env: { MXRTL_PROGRESS: '1' } });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.exitCode).toBe(0);
    const codes = readFileSync(p('c.bin'));
    const scales = readFileSync(p('s.bin'));
    expect(codes.length).toBe(n);
    expect(scales.length).toBe(n / k);
    const opts = { elem: E2M1, scale: E8M0, blockSize: k };
    const qh = quantize(head, opts);
    const qt = quantize(tail, opts);
    expect([...codes.subarray(0, k)]).toEqual([...qh.elems]);
    expect([...codes.subarray(n - k)]).toEqual([...qt.elems]);
    expect([scales[0], scales[n / k - 1]]).toEqual([qh.scales[0], qt.scales[0]]);
    expect([scales[1], scales[n / k - 2], codes[n - k - 1]]).toEqual([0, 0, 0]);
    // progress: counted in values, rising, every line whole
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    const done = lines.map((l) => {
      const m = /^mxrtl quantize: ([\d,]+) of ([\d,]+) values \((\d+)%\), [\d.]+ s(, about [\d.]+ s left)?$/.exec(l);
      expect(m, l).not.toBeNull();
      expect(Number(m![2].replace(/,/g, ''))).toBe(n);
      return Number(m![1].replace(/,/g, ''));
    });
    expect(done).toEqual([...done].sort((x, y) => x - y));
    rmSync(path);
  }, 120_000);

  it('readBytes reads a file in pieces of any size, the same bytes', async () => {
    const { readBytes } = await import('../../generator/numerics-io/files.js');
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff);
    writeFileSync(p('pieces.bin'), bytes);
    for (const chunk of [1, 7, 999, 1000, 4096]) expect([...readBytes(p('pieces.bin'), chunk)]).toEqual([...bytes]);
    expect(readBytes(p('pieces.bin')).byteOffset).toBe(0);
  });
});
