/**
 * Throughput of the k = 32 dot-product bench: checked vectors per second end to end (random
 * vectors and golden results generated in TypeScript, evaluated by the Verilator harness, every
 * output compared) next to the raw evaluation rate of the same Verilator model (the harness's
 * --raw loop: no I/O, no checking), and their ratio.
 *
 *   node dist/bench/sim-throughput.js [--vectors N] [--raw N] [--rounds R] [--seed S] [--batch B] [--rtl DIR]
 *
 * Without --rtl the k = 32 configuration is generated into a temporary folder.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { buildManifest, renderUnits } from '../generator/manifest.js';
import { makeConfig } from '../generator/units/config.js';
import { generateUnits } from '../generator/units/index.js';
import { writeOutput } from '../generator/write-out.js';
import { buildHarness } from '../sim/build.js';
import { count, rate } from '../sim/format.js';
import { recordLayout } from '../sim/layout.js';
import { defaultBuildRoot } from '../sim/paths.js';
import { parseSeed } from '../sim/prng.js';
import { DEFAULT_BATCH, loadManifest } from '../sim/runner.js';
import { streamCheck } from '../sim/stream.js';
import { dotRandomSource } from '../sim/units/dot.js';

const { values } = parseArgs({
  options: {
    vectors: { type: 'string', default: '4000000' },
    raw: { type: 'string', default: '4000000' },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: String(DEFAULT_BATCH) },
    rtl: { type: 'string' },
  },
});
const vectors = Number(values.vectors);
const rawN = Number(values.raw);
const rounds = Math.max(1, Number(values.rounds));
const seed = parseSeed(values.seed ?? '1') ?? 1;
const batch = Number(values.batch);

let rtl = values.rtl;
let tmp: string | undefined;
if (rtl === undefined) {
  tmp = await mkdtemp(join(tmpdir(), 'mxrtl-bench-'));
  rtl = tmp;
  const config = makeConfig('e2m1', 'e8m0', 32);
  const command = 'mxrtl gen --block 32 --elem e2m1 --scale e8m0';
  const rendered = renderUnits(generateUnits(config, command));
  await writeOutput(rtl, rendered.map((r) => ({ name: r.file, text: r.text })), JSON.stringify(buildManifest(config, command, rendered), null, 2) + '\n');
}

try {
  const { manifest } = await loadManifest(rtl);
  const u = manifest.units.find((x) => x.kind === 'dot_e2m1_e8m0');
  if (!u) throw new Error(`${rtl}: no dot_e2m1_e8m0 unit`);
  const layout = recordLayout(u.ports);
  const built = await buildHarness({ top: u.top, verilog: await readFile(join(rtl, u.file), 'utf8'), layout, buildRoot: defaultBuildRoot() });
  console.log(`sim-throughput: ${u.top}, ${count(vectors)} checked vectors and ${count(rawN)} raw evaluations per round, ${rounds} rounds, batch ${count(batch)}`);

  const raws: number[] = [];
  const e2es: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // raw and end-to-end alternate so that both see the same machine load
    const out = await execa(built.binary, ['--raw', String(rawN)]);
    const m = /rate=([0-9.]+)/.exec(String(out.stdout));
    if (!m) throw new Error(`unexpected --raw output: ${String(out.stdout)}`);
    raws.push(Number(m[1]));

    const classes = new Float64Array(5);
    const res = await streamCheck(built.binary, layout, dotRandomSource(layout, vectors, seed + r, batch, classes));
    if (res.mismatches !== 0 || res.checked !== vectors) throw new Error(`end-to-end run: ${res.mismatches} mismatches, ${res.checked} of ${vectors} checked`);
    e2es.push(res.checked / res.seconds);
    console.log(`  round ${r + 1}: raw ${rate(raws[r])}, end to end ${rate(e2es[r])} (${count(res.checked)} checked in ${res.seconds.toFixed(2)} s: generating ${res.sourceSeconds.toFixed(2)} s, waiting ${res.waitSeconds.toFixed(2)} s), ratio ${(e2es[r] / raws[r]).toFixed(2)}`);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const raw = median(raws);
  const e2e = median(e2es);
  console.log(`median: end to end ${rate(e2e)} checked k=32 dot products, raw Verilator ${rate(raw)}, ratio ${(e2e / raw).toFixed(2)} (target >= 0.50)`);
} finally {
  if (tmp) await rm(tmp, { recursive: true, force: true });
}
