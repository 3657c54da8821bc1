/**
 * One lane of the quantizer swept over every FP32 bit pattern: lane L of the block takes each of the
 * 2^32 patterns (or those of --from / --count, or of this --shard), the other k - 1 lanes hold one
 * fixed value (--others, default +0: the pattern alone sets the scale), and every output of every
 * block (the scale code and all k element codes) is compared with the golden quantizer through the
 * Verilator harness. A benchmark run on demand, not a test: the whole sweep is 2^32 blocks.
 *
 *   node dist/bench/quant-sweep.js [gen flags: --preset, --elem, --scale, --block, --recipe, --guard, --round, --stages]
 *                                  [--lane L] [--others FP32-BITS-HEX] [--shard i/n] [--from HEX] [--count N] [--batch B]
 *
 * The configuration is the default quantizer (MXFP4: E2M1, E8M0, k = 32, floor) unless the gen flags
 * say otherwise; --shard i/n takes the i-th of n equal contiguous parts of the patterns (for CI
 * matrices or cluster array jobs). Progress on stderr; a summary line on stdout; exit 1 on a mismatch.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, parseFlags, parseIntArg } from '../generator/cli-args.js';
import { configFromFlags } from '../generator/commands/gen.js';
import { generateInto } from '../generator/generate.js';
import { QUANT_PORTS, quantFamily } from '../generator/units/quant.js';
import { outputDelay } from '../generator/units/unit.js';
import { configTag } from '../generator/units/config.js';
import { buildHarness } from '../sim/build.js';
import { count, rate } from '../sim/format.js';
import { recordLayout, slotOf, wordsToBigInt } from '../sim/layout.js';
import { defaultBuildRoot } from '../sim/paths.js';
import { streamCheck, type Batch } from '../sim/stream.js';
import { putField } from '../sim/units/types.js';
import { elementBits } from '../src/formats/format.js';
import { quantize } from '../src/quantize.js';

const GEN = ['--preset', '--elem', '--scale', '--block', '--recipe', '--round', '--stages'];
const ALL = 2 ** 32;

async function main(argv: readonly string[]): Promise<number> {
  const { positional, values } = parseFlags(argv, [...GEN, '--lane', '--others', '--shard', '--from', '--count', '--batch'], ['--guard']);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const genFlags = new Map([...values].filter(([k]) => GEN.includes(k)));
  genFlags.set('--units', 'quant');
  if (values.has('--guard')) genFlags.set('--guard', '');
  const config = configFromFlags(genFlags);
  const k = config.block;
  const lane = values.has('--lane') ? parseIntArg('--lane', values.get('--lane'), 0, k - 1) : 0;
  const othersText = values.get('--others') ?? '0';
  if (!/^(0x)?[0-9a-fA-F]{1,8}$/.test(othersText)) throw new UsageError(`--others needs FP32 bits in hex (e.g. 3f800000 for 1.0), got '${othersText}'`);
  const others = parseInt(othersText.replace(/^0x/, ''), 16) >>> 0;
  let from = 0;
  let total = ALL;
  if (values.has('--shard')) {
    const sh = /^(\d+)\/(\d+)$/.exec(values.get('--shard') ?? '');
    if (!sh || Number(sh[1]) < 1 || Number(sh[1]) > Number(sh[2]) || Number(sh[2]) > 65536) throw new UsageError(`--shard needs i/n with 1 <= i <= n <= 65536, got '${values.get('--shard')}'`);
    const [i, n] = [Number(sh[1]), Number(sh[2])];
    from = Math.floor(((i - 1) * ALL) / n);
    total = Math.floor((i * ALL) / n) - from;
  }
  if (values.has('--from')) {
    const t = values.get('--from') ?? '';
    if (!/^(0x)?[0-9a-fA-F]{1,8}$/.test(t)) throw new UsageError(`--from needs a 32-bit pattern in hex, got '${t}'`);
    from = parseInt(t.replace(/^0x/, ''), 16);
    total = ALL - from;
  }
  if (values.has('--count')) total = Math.min(total, parseIntArg('--count', values.get('--count'), 1, ALL));
  const batch = values.has('--batch') ? parseIntArg('--batch', values.get('--batch'), 1, 1 << 20) : 1 << 16;

  const rtl = await mkdtemp(join(tmpdir(), 'mxrtl-sweep-'));
  try {
    const { manifest } = await generateInto(rtl, config);
    const u = manifest.units[0];
    const p = quantFamily.fromParameters(u.parameters);
    const layout = recordLayout(u.ports, outputDelay(quantFamily, p));
    const sources = await Promise.all(u.files.map(async (name) => ({ name, text: await readFile(join(rtl, name), 'utf8') })));
    const built = await buildHarness({ top: u.top, sources, layout, buildRoot: defaultBuildRoot() });
    const xs = slotOf(layout.inputs, QUANT_PORTS.x);
    const ss = slotOf(layout.outputs, QUANT_PORTS.scale);
    const qs = slotOf(layout.outputs, QUANT_PORTS.q);
    const wi = p.in === 'bf16' ? 16 : 32;
    if (wi !== 32) throw new UsageError('the sweep takes FP32 inputs (--in-format fp32)');
    const wq = elementBits(p.elem);
    const opts = { elem: p.elem, scale: p.scale, blockSize: k, recipe: p.recipe, round: p.round, guard: p.guard };
    const describe = (pattern: number): string => `pattern 0x${pattern.toString(16).padStart(8, '0')} in lane ${lane}`;
    console.log(
      `quant-sweep: ${u.top} (${configTag(config)}, ${p.recipe}), lane ${lane} over ${count(total)} FP32 patterns from 0x${from.toString(16).padStart(8, '0')}, the other ${k - 1} lanes 0x${others.toString(16).padStart(8, '0')}; ${built.cached ? 'harness cached' : `harness built in ${built.seconds.toFixed(1)} s`}`,
    );
    let made = 0;
    const next = (): Batch | null => {
      if (made >= total) return null;
      const n = Math.min(batch, total - made);
      const first = from + made;
      made += n;
      const values32 = new Uint32Array(n * k).fill(others);
      for (let j = 0; j < n; j++) values32[j * k + lane] = (first + j) >>> 0;
      const golden = quantize(values32, opts);
      const input = new Uint32Array(n * layout.inWords);
      const expected = new Uint32Array(n * layout.outWords);
      for (let j = 0; j < n; j++) {
        const io = j * layout.inWords;
        for (let i = 0; i < k; i++) input[io + xs.offset + i] = values32[j * k + i];
        const oo = j * layout.outWords;
        expected[oo + ss.offset] = golden.scales[j];
        for (let i = 0; i < k; i++) putField(expected, oo + qs.offset, wq * i, wq, golden.elems[j * k + i]);
      }
      return { count: n, input, expected, label: (i) => describe((first + i) >>> 0) };
    };
    const t0 = performance.now();
    let last = t0;
    const r = await streamCheck(built.binary, layout, next, {
      onProgress: (checked, mismatches) => {
        const now = performance.now();
        if (now - last < 2000) return;
        last = now;
        const speed = checked / ((now - t0) / 1000);
        process.stderr.write(`quant-sweep: ${count(checked)} / ${count(total)} (${((100 * checked) / total).toFixed(1)}%), ${count(mismatches)} mismatches, ${rate(speed)}, ${Math.round((total - checked) / speed)} s left\n`);
      },
    });
    for (const m of r.reported) {
      const e = wordsToBigInt(m.expected, qs.offset, qs.width);
      const a = wordsToBigInt(m.actual, qs.offset, qs.width);
      console.log(`  MISMATCH ${m.label}: scale expected ${quantFamily.describeOutput(p, 'scale', BigInt(m.expected[ss.offset]))}, got ${quantFamily.describeOutput(p, 'scale', BigInt(m.actual[ss.offset]))}; codes expected ${quantFamily.describeOutput(p, 'q', e)}, got ${quantFamily.describeOutput(p, 'q', a)}`);
    }
    const verdict = r.mismatches === 0 && r.checked === total ? 'PASS' : 'FAIL';
    console.log(`quant-sweep: ${verdict} ${count(r.checked)} of ${count(total)} patterns checked, ${count(r.mismatches)} mismatches, ${r.seconds.toFixed(1)} s (${rate(r.checked / r.seconds)})`);
    return verdict === 'PASS' ? 0 : 1;
  } finally {
    await rm(rtl, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`quant-sweep: error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
