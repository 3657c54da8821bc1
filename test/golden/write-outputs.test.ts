/**
 * writeOutputs when a rename fails half way (a failure the checks before writing cannot foresee,
 * simulated here): the files that were there before are put back and no new file is left.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** The renames to fail: a test of the file names renamed from and to. */
const fail = vi.hoisted(() => ({ when: null as ((from: string, to: string) => boolean) | null }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    rename: async (from: string, to: string) => {
      if (fail.when?.(basename(from), basename(to))) throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' });
      return fs.rename(from, to);
    },
  };
});

const { writeOutputs } = await import('../../generator/numerics-io/files.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mxrtl-write-'));
  fail.when = null;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const p = (name: string) => join(dir, name);
const bytes = (s: string) => new TextEncoder().encode(s);
const contents = () => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'latin1')]));
const both = () => [
  { path: p('a.bin'), bytes: bytes('new a') },
  { path: p('b.bin'), bytes: bytes('new b') },
];

describe('writeOutputs: a rename that fails', () => {
  it('after the first output replaced an existing file: that file is put back', async () => {
    writeFileSync(p('a.bin'), 'old a\n');
    writeFileSync(p('b.bin'), 'old b\n');
    fail.when = (from, to) => from.startsWith('.b.bin.tmp-') && to === 'b.bin';
    await expect(writeOutputs(both())).rejects.toThrow(/^cannot write '.*b\.bin': EIO$/);
    expect(contents()).toEqual({ 'a.bin': 'old a\n', 'b.bin': 'old b\n' });
  });

  it('after a new first output: it is removed, the existing second file is kept', async () => {
    writeFileSync(p('b.bin'), 'old b\n');
    fail.when = (from, to) => from.startsWith('.b.bin.tmp-') && to === 'b.bin';
    await expect(writeOutputs(both())).rejects.toThrow(/^cannot write '.*b\.bin': EIO$/);
    expect(contents()).toEqual({ 'b.bin': 'old b\n' });
  });

  it('when moving an existing file aside fails: everything stays as it was', async () => {
    writeFileSync(p('a.bin'), 'old a\n');
    writeFileSync(p('b.bin'), 'old b\n');
    fail.when = (_from, to) => to.startsWith('.b.bin.old-');
    await expect(writeOutputs(both())).rejects.toThrow(/^cannot write '.*b\.bin': EIO$/);
    expect(contents()).toEqual({ 'a.bin': 'old a\n', 'b.bin': 'old b\n' });
  });

  it('when putting a file back fails too: the error says where it is kept', async () => {
    writeFileSync(p('a.bin'), 'old a\n');
    writeFileSync(p('b.bin'), 'old b\n');
    fail.when = (from, to) => (from.startsWith('.b.bin.tmp-') && to === 'b.bin') || (from.startsWith('.a.bin.old-') && to === 'a.bin');
    await expect(writeOutputs(both())).rejects.toThrow(/^cannot write '.*b\.bin': EIO; could not put back '.*a\.bin', it is kept as '.*\.a\.bin\.old-[^']+'$/);
    const left = contents();
    const kept = Object.keys(left).find((f) => f.startsWith('.a.bin.old-'));
    expect(kept && left[kept]).toBe('old a\n');
    expect(left['b.bin']).toBe('old b\n');
  });

  it('no failure: the outputs replace the existing files and nothing else is left', async () => {
    writeFileSync(p('a.bin'), 'old a\n');
    await writeOutputs(both());
    expect(contents()).toEqual({ 'a.bin': 'new a', 'b.bin': 'new b' });
  });
});
