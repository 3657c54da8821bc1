// mxrtl explore as a user meets it: the seeded finer-is-better preset and its statements, the
// charts read back from the SVG against the CSV, determinism across --jobs, shards and merge,
// the hardware cost and its cache, and the refusals.
import { execa } from 'execa';
import { XMLParser } from 'fast-xml-parser';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNpy } from '../../generator/numerics-io/npy.js';

const BIN = join(import.meta.dirname, '../../bin/mxrtl.js');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mxrtl-explore-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const explore = (...args: string[]) => execa('node', [BIN, 'explore', ...args], { reject: false });
const read = (d: string, f: string) => readFile(join(d, f), 'utf8');

/** The CSV as objects, numbers as numbers. */
function csvRows(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

/** Every element of a parsed XML tree whose attributes satisfy `pred`. */
function findAll(node: unknown, pred: (attrs: Record<string, string>) => boolean, out: Record<string, string>[] = []): Record<string, string>[] {
  if (Array.isArray(node)) for (const n of node) findAll(n, pred, out);
  else if (node && typeof node === 'object') {
    const attrs = Object.fromEntries(Object.entries(node).filter(([k]) => k.startsWith('@_')).map(([k, v]) => [k.slice(2), String(v)]));
    if (pred(attrs)) out.push(attrs);
    for (const [k, v] of Object.entries(node)) if (!k.startsWith('@_')) findAll(v, pred, out);
  }
  return out;
}

/** The SVG of one figure of report.html, parsed. */
function figure(html: string, id: string): unknown {
  const m = new RegExp(`<figure id="${id}">(<svg[\\s\\S]*?</svg>)</figure>`).exec(html);
  expect(m, `figure ${id}`).not.toBeNull();
  return new XMLParser({ ignoreAttributes: false }).parse((m as RegExpExecArray)[1]);
}

describe('mxrtl explore --preset finer-is-better (seeded, 2^16 values)', () => {
  let out: string;
  beforeAll(async () => {
    out = join(dir, 'preset');
    const r = await explore('--preset', 'finer-is-better', '--values', '65536', '--jobs', '2', '--out', out);
    expect(r.stderr).toMatch(/8 of 8 statements hold/);
    expect(r.exitCode).toBe(0);
  }, 120_000);

  it('finds every statement of the study holding', async () => {
    const md = await read(out, 'report.md');
    const holds = md.split('\n').filter((l) => l.startsWith('- HOLDS: '));
    expect(holds.length).toBe(8);
    expect(md).not.toMatch(/FAILS/);
    // and the orderings themselves, read from the CSV: nv without the guard is worse at k = 8 than at 128, with it better
    const rows = csvRows(await read(out, 'results.csv'));
    const rel = (scale: string, recipe: string, guard: string, k: number) => Number(rows.find((r) => r.scale === scale && r.recipe === recipe && r.guard === guard && Number(r.k) === k)?.rel_mse);
    expect(rel('ue4m3', 'nv', 'false', 8)).toBeGreaterThan(rel('ue4m3', 'nv', 'false', 128));
    expect(rel('ue4m3', 'nv', 'true', 8)).toBeLessThan(rel('ue4m3', 'nv', 'true', 128));
    for (const k of [8, 16, 32, 64, 128]) expect(rel('ue4m3', '4over6', 'false', k)).toBeLessThan(rel('ue4m3', 'nv', 'false', k));
  });

  it('draws every point of the CSV in the error-vs-block chart, at its value', async () => {
    const rows = csvRows(await read(out, 'results.csv'));
    expect(rows.length).toBe(60);
    const svg = figure(await read(out, 'report.html'), 'error-vs-block');
    const points = findAll(svg, (a) => a['aria-roledescription'] === 'point');
    expect(points.length).toBe(rows.length);
    const seen = points.map((p) => {
      const m = /block size k: (\d+); relative MSE: ([0-9.e-]+); elements, recipe: E2M1 (\S+)/.exec(p['aria-label']);
      expect(m, p['aria-label']).not.toBeNull();
      const [, k, v, recipe] = m as RegExpExecArray;
      return { k: Number(k), v: Number(v), recipe, y: Number(/translate\([^,]+,([^)]+)\)/.exec(p.transform)?.[1]) };
    });
    for (const r of rows) {
      const label = `${r.recipe}${r.guard === 'true' ? '+guard' : ''}`;
      const hit = seen.filter((s) => s.k === Number(r.k) && s.recipe === label && Math.abs(s.v / Number(r.rel_mse) - 1) < 1e-9);
      expect(hit.length, `${r.scale} ${label} k=${r.k}`).toBeGreaterThanOrEqual(1);
    }
    // a log axis: within one series, a larger error sits higher (smaller y)
    const nv = seen.filter((s) => s.recipe === 'nv').slice(0, 5);
    for (let i = 1; i < nv.length; i++) expect(Math.sign(nv[i].y - nv[i - 1].y)).toBe(-Math.sign(nv[i].v - nv[i - 1].v));
    // the axes are titled
    const texts = JSON.stringify(svg);
    expect(texts).toMatch(/block size k/);
    expect(texts).toMatch(/relative MSE/);
  });

  it('marks the Pareto front of the bits chart as the CSV says', async () => {
    const rows = csvRows(await read(out, 'results.csv'));
    const pts = rows.map((r) => ({ cost: Number(r.bits_per_element), error: Number(r.rel_mse) }));
    const onFront = pts.filter((p) => !pts.some((q) => q !== p && q.cost <= p.cost && q.error <= p.error && (q.cost < p.cost || q.error < p.error)));
    const svg = figure(await read(out, 'report.html'), 'error-vs-bits');
    const diamonds = findAll(svg, (a) => a['aria-roledescription'] === 'point' && /on the Pareto front: true/.test(a['aria-label'] ?? ''));
    expect(diamonds.length).toBe(onFront.length);
  });

  it('is byte-identical with one job, and as shards merged', async () => {
    const one = join(dir, 'preset-1');
    expect((await explore('--preset', 'finer-is-better', '--values', '65536', '--jobs', '1', '--out', one)).exitCode).toBe(0);
    const s1 = join(dir, 'shard-1');
    const s2 = join(dir, 'shard-2');
    expect((await explore('--preset', 'finer-is-better', '--values', '65536', '--shard', '1/2', '--out', s1)).exitCode).toBe(0);
    expect((await explore('--preset', 'finer-is-better', '--values', '65536', '--shard', '2/2', '--out', s2)).exitCode).toBe(0);
    const merged = join(dir, 'merged');
    const m = await execa('node', [BIN, 'explore', 'merge', join(s2, 'results.json'), join(s1, 'results.json'), '--out', merged], { reject: false });
    expect(m.stderr).toMatch(/8 of 8 statements hold/);
    for (const f of ['report.md', 'report.html', 'results.csv', 'results.json', 'error-vs-block.svg', 'error-vs-bits.svg', 'explore-manifest.json']) {
      expect(await read(one, f), f).toBe(await read(out, f));
      expect(await read(merged, f), f).toBe(await read(out, f));
    }
    const half = JSON.parse(await read(s1, 'results.json')) as { results: unknown[]; total: number };
    expect(half.total).toBe(60);
    expect(half.results.length).toBe(30);
    const missing = await execa('node', [BIN, 'explore', 'merge', join(s1, 'results.json'), '--out', join(dir, 'm2')], { reject: false });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/shard 2\/2 missing/);
  }, 120_000);
});

describe('the README chart', () => {
  it('is the error-vs-block chart the full preset draws today', async () => {
    const out = join(dir, 'readme');
    expect((await explore('--preset', 'finer-is-better', '--out', out)).exitCode).toBe(0);
    const committed = await readFile(join(import.meta.dirname, '../../docs/img/finer-is-better.svg'), 'utf8');
    expect(await read(out, 'error-vs-block.svg')).toBe(committed);
  }, 120_000);
});

describe('mxrtl explore --area', () => {
  it('synthesizes the dot product and the quantizer once, then takes them from its cache', async () => {
    const cache = join(dir, 'cache');
    const args = ['--elem', 'e2m1', '--scale', 'e8m0', '--recipe', 'floor,mse', '--block', '2', '--values', '64', '--area', 'generic', '--area-cache', cache, '--jobs', '1'];
    const a = await explore(...args, '--out', join(dir, 'area-1'));
    expect(a.exitCode).toBe(0);
    expect(a.stderr).toMatch(/0 hits, 2 runs/);
    const rows = csvRows(await read(join(dir, 'area-1'), 'results.csv'));
    const floor = rows.find((r) => r.recipe === 'floor') as Record<string, string>;
    const mse = rows.find((r) => r.recipe === 'mse') as Record<string, string>;
    expect(Number(floor.dot_cells)).toBeGreaterThan(50);
    expect(Number(floor.dot_depth)).toBeGreaterThan(5);
    expect(Number(floor.quant_cells)).toBeGreaterThan(50);
    // mse has no quantizer in RTL: the dot product only
    expect(mse.dot_cells).toBe(floor.dot_cells);
    expect(mse.quant_cells).toBe('');
    expect((await readdir(cache)).filter((f) => f.endsWith('.json')).length).toBe(2);
    // the error-vs-area chart draws the one point with both units, at their summed cells
    const svg = figure(await read(join(dir, 'area-1'), 'report.html'), 'error-vs-area');
    const pts = findAll(svg, (x) => x['aria-roledescription'] === 'point');
    expect(pts.length).toBe(1);
    expect(pts[0]['aria-label']).toContain(`cost: ${Number(floor.dot_cells) + Number(floor.quant_cells)};`);
    expect(pts[0]['aria-label']).toMatch(/on the Pareto front: true/);
    const b = await explore(...args, '--out', join(dir, 'area-2'));
    expect(b.stderr).toMatch(/2 hits, 0 runs/);
    expect(await read(join(dir, 'area-2'), 'results.csv')).toBe(await read(join(dir, 'area-1'), 'results.csv'));
  }, 120_000);
});

describe('mxrtl explore on the user\'s own tensor', () => {
  it('quantizes every value of a .npy file and reports the error the golden model gives', async () => {
    // 1000 values: the E2M1 grid times 2^-3 (exact under floor with E8M0) and a last block holding 7 x 2^-3 (clips to 6 x 2^-3)
    const grid = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.5, -1, -1.5, -2, -3, -4, -6, 0];
    const x = new Float32Array(1000);
    for (let i = 0; i < 992; i++) x[i] = grid[i % 16] / 8;
    x[992] = 7 / 8;
    const f = join(dir, 'w.npy');
    await writeFile(f, formatNpy('<f4', [10, 100], new Uint8Array(x.buffer)));
    const out = join(dir, 'npy');
    const r = await explore('--data', `npy:${f}`, '--elem', 'e2m1', '--scale', 'e8m0', '--recipe', 'floor', '--block', '16', '--out', out);
    expect(r.exitCode).toBe(0);
    const [row] = csvRows(await read(out, 'results.csv'));
    expect(Number(row.values)).toBe(1000);
    expect(Number(row.blocks)).toBe(63);
    const sumSq = x.reduce((a, v) => a + v * v, 0);
    expect(Number(row.rel_mse)).toBeCloseTo((1 / 8) ** 2 / sumSq, 14);
    expect(Number(row.saturated)).toBe(1 / 1000);
    expect(Number(row.max_abs_error)).toBe(1 / 8);
    const bad = await explore('--data', `npy:${join(dir, 'missing.npy')}`, '--block', '16', '--out', join(dir, 'never'));
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.trim().split('\n').length).toBe(1);
  });
});

describe('mxrtl explore refuses', () => {
  it.each([
    [['--elem', 'fp5'], /elem: unknown element format 'fp5'/],
    [['--data', 'cauchy'], /unknown kind 'cauchy'/],
    [['--preset', 'coarse'], /unknown preset 'coarse'/],
    [['--shard', '3/2'], /--shard needs i\/n/],
    [['--jobs', '0'], /--jobs must be from 1 to 256, got 0/],
    [['--scale', 'e8m0', '--recipe', 'nv'], /no valid point/],
    [['--sweep', '/nonexistent/sweep.json'], /cannot read the sweep file/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('%s with one line and exit 2', async (args, msg) => {
    const r = await explore(...(args as string[]), '--out', join(dir, 'never'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n').length).toBe(1);
    expect(r.stderr).toMatch(msg as RegExp);
  });

  it('a folder holding files it did not write, or a report edited since, and writes nothing', async () => {
    const mine = join(dir, 'mine');
    await execa('mkdir', ['-p', mine]);
    await writeFile(join(mine, 'notes.txt'), 'keep');
    const r = await explore('--values', '256', '--block', '8', '--out', mine);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/holds files mxrtl explore did not write \(notes\.txt\)/);
    expect(await readdir(mine)).toEqual(['notes.txt']);
    const ok = join(dir, 'ok');
    expect((await explore('--values', '256', '--block', '8', '--out', ok)).exitCode).toBe(0);
    await writeFile(join(ok, 'report.md'), 'my edits');
    const again = await explore('--values', '256', '--block', '8', '--out', ok);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/edited since: report\.md/);
    expect(await read(ok, 'report.md')).toBe('my edits');
  });

  it('a sweep file with unknown keys or bad JSON', async () => {
    const f = join(dir, 'sweep.json');
    await writeFile(f, JSON.stringify({ elem: ['e2m1'], blocks: [8] }));
    const r = await explore('--sweep', f, '--out', join(dir, 'never'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown sweep key 'blocks'/);
    await writeFile(f, '{"elem": [');
    expect((await explore('--sweep', f, '--out', join(dir, 'never'))).stderr).toMatch(/is not JSON/);
  });
});
