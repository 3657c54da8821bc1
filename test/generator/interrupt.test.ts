/**
 * Interrupts while files are written: `gen` (a generated folder) and `quantize` (its output files).
 * In process, a SIGTERM / SIGINT is delivered to the tool's own handlers in the middle of the
 * writes (the writes are wrapped so that the signal comes at a chosen file; process.exit is stubbed
 * to throw, so the run's own error handling also runs after the handler); as a process, a real
 * SIGINT and a real SIGKILL arrive while a large output is being written. Either way the files the
 * user had are as they were, and nothing of the run is left behind once the next run has started.
 */
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Deliver `signal` to the handlers registered since the test began, before the `at`-th write. */
const plan = vi.hoisted(() => ({ at: -1, signal: 'SIGTERM' as NodeJS.Signals, writes: 0, before: [] as unknown[] }));

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    writeFile: async (...args: Parameters<typeof fs.writeFile>) => {
      if (plan.writes++ === plan.at) {
        for (const l of process.listeners(plan.signal)) if (!plan.before.includes(l)) (l as (s: NodeJS.Signals) => void)(plan.signal);
      }
      return fs.writeFile(...args);
    },
  };
});

const { writeOutput } = await import('../../generator/write-out.js');
const { writeOutputs } = await import('../../generator/numerics-io/files.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mxrtl-interrupt-'));
  Object.assign(plan, { at: -1, signal: 'SIGTERM', writes: 0, before: [...process.listeners('SIGINT'), ...process.listeners('SIGTERM')] });
  vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Exit(Number(code));
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Every entry of the test folder, recursively, with file contents. */
function tree(at = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(at, { withFileTypes: true })) {
    const p = join(at, e.name);
    if (e.isDirectory()) for (const [k, v] of Object.entries(tree(p))) out[`${e.name}/${k}`] = v;
    else out[e.name] = readFileSync(p, 'latin1');
  }
  return out;
}

const files = (tag: string) => ['a.v', 'b.v', 'c.v'].map((name) => ({ name, text: `// ${tag} ${name}\n` }));
/** A manifest listing the files of `files(tag)` (no units: the folder writer reads only the files). */
const manifest = (tag: string, names: string[]) =>
  JSON.stringify({
    generator: 'mxrtl',
    config: { elemA: 'e2m1', elemB: 'e2m1', scale: 'e8m0', out: 'fp32', block: 32, units: [] },
    units: [],
    files: names.map((name) => ({ name, module: name.replace('.v', ''), sha256: createHash('sha256').update(`// ${tag} ${name}\n`).digest('hex') })),
  });

describe('gen: a signal while the folder is written', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${signal} during the writes of a replacement: the earlier folder as it was, exit ${code}, nothing left beside it`, async () => {
      const out = join(dir, 'rtl');
      await writeOutput(out, files('one'), manifest('one', ['a.v', 'b.v', 'c.v']));
      const before = tree();
      plan.writes = 0;
      plan.at = 2; // after a.v and b.v of the new folder
      plan.signal = signal;
      await expect(writeOutput(out, files('two'), manifest('two', ['a.v', 'b.v', 'c.v']))).rejects.toThrow();
      expect(process.exit).toHaveBeenCalledWith(code);
      expect(tree()).toEqual(before);
      plan.at = -1;
      await writeOutput(out, files('two'), manifest('two', ['a.v', 'b.v', 'c.v']));
      expect(tree(out)['a.v']).toBe('// two a.v\n');
      expect(readdirSync(dir)).toEqual(['rtl']);
    });
  }

  it('SIGTERM while writing a new folder: no folder, no temporaries, no lock', async () => {
    plan.at = 1;
    await expect(writeOutput(join(dir, 'fresh'), files('one'), manifest('one', ['a.v', 'b.v', 'c.v']))).rejects.toThrow();
      expect(process.exit).toHaveBeenCalledWith(143);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('quantize outputs: a signal while they are written', () => {
  it('SIGINT between the two outputs: both existing files kept, no temporaries, exit 130', async () => {
    writeFileSync(join(dir, 'codes.bin'), 'old codes');
    writeFileSync(join(dir, 'scales.bin'), 'old scales');
    plan.at = 1;
    plan.signal = 'SIGINT';
    const outs = [
      { path: join(dir, 'codes.bin'), bytes: new Uint8Array([1, 2, 3]) },
      { path: join(dir, 'scales.bin'), bytes: new Uint8Array([4]) },
    ];
    await expect(writeOutputs(outs)).rejects.toThrow();
      expect(process.exit).toHaveBeenCalledWith(130);
    expect(tree()).toEqual({ 'codes.bin': 'old codes', 'scales.bin': 'old scales' });
  });
});

describe('quantize as a process, interrupted while it writes a large output', () => {
  const BIN = join(import.meta.dirname, '../../bin/mxrtl.js');
  const N = 1 << 24; // 64 MiB of values in, 64 MiB out

  /** Start quantize --emit values and deliver `signal` as soon as its temporary output file appears. */
  async function interrupted(signal: NodeJS.Signals) {
    const input = join(dir, 'x.f32');
    const words = new Uint32Array(N);
    for (let i = 0; i < N; i++) words[i] = (0x3c000000 + ((i * 2654435761) >>> 8)) >>> 0; // finite, varied
    writeFileSync(input, new Uint8Array(words.buffer));
    writeFileSync(join(dir, 'y.f32'), 'the user file');
    const seen = new Promise<void>((done) => {
      const w = watch(dir, (_e, name) => {
        if (name && name.startsWith('.y.f32.tmp-')) {
          w.close();
          done();
        }
      });
    });
    const child = execa('node', [BIN, 'quantize', input, '-o', join(dir, 'y.f32'), '--emit', 'values'], { reject: false });
    await seen;
    child.kill(signal);
    return child;
  }

  it('SIGINT: exit 130, the existing output kept, no temporary left', async () => {
    const r = await interrupted('SIGINT');
    expect(r.exitCode).toBe(130);
    expect(readFileSync(join(dir, 'y.f32'), 'utf8')).toBe('the user file');
    expect(readdirSync(dir).sort()).toEqual(['x.f32', 'y.f32']);
  }, 60_000);

  it('SIGKILL leaves a temporary; the next run that writes that output removes it', async () => {
    const r = await interrupted('SIGKILL');
    expect(r.signal).toBe('SIGKILL');
    expect(readFileSync(join(dir, 'y.f32'), 'utf8')).toBe('the user file');
    expect(readdirSync(dir).filter((n) => n.startsWith('.y.f32.tmp-'))).toHaveLength(1);
    writeFileSync(join(dir, 'small.f32'), new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer));
    const again = await execa('node', [BIN, 'quantize', join(dir, 'small.f32'), '-o', join(dir, 'y.f32'), '--emit', 'values', '--block', '4'], { reject: false });
    expect(again.exitCode).toBe(0);
    expect([...new Float32Array(new Uint8Array(readFileSync(join(dir, "y.f32"))).buffer)]).toEqual([1, 2, 3, 4]);
    expect(readdirSync(dir).sort()).toEqual(['small.f32', 'x.f32', 'y.f32']);
  }, 60_000);

  it('a file moved aside by a run killed between its renames is put back by the next run writing in that folder', async () => {
    const dead = 2 ** 22 + 4321; // no such process
    writeFileSync(join(dir, `.y.f32.old-${dead}-abc-0`), 'the user file');
    writeFileSync(join(dir, `.y.f32.tmp-${dead}-abc-0`), 'half written');
    writeFileSync(join(dir, 'small.f32'), new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer));
    const r = await execa('node', [BIN, 'quantize', join(dir, 'small.f32'), '-o', join(dir, 'z.f32'), '--emit', 'values', '--block', '4'], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['small.f32', 'y.f32', 'z.f32']);
    expect(readFileSync(join(dir, 'y.f32'), 'utf8')).toBe('the user file');
  }, 60_000);
});
