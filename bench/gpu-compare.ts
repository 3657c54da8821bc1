/**
 * GPU-compatibility comparison, golden side: reads what bench/gpu/run_gpu.py wrote on a machine with
 * an NVIDIA GPU (the operand codes and the GPU's FP32 results) and computes every result again with
 * the golden model in each accumulation mode, bit for bit.
 *
 *   python3 bench/gpu/run_gpu.py --out gpu-out          (on the GPU machine)
 *   node dist/bench/gpu-compare.js gpu-out [--mismatches N] [--fixture FILE]
 *
 * Per case: the results that equal the golden `hopper` chain (one fused dot-add per 32 elements, D
 * the next C), and for contrast `exact` (one rounding to nearest even) and `fp32` (each 32-element
 * block rounded, then added in FP32); for K > 128 also `hopper+fp32`, where each run of four
 * 32-element instructions is a hopper chain from C = 0 whose result is added to an FP32 total with
 * one rounding to nearest even (CUTLASS's promotion of partial sums to FP32 every 4 instructions,
 * which cuBLAS does when use_fast_accum is off). Exit code 1 when a case's GPU results
 * differ from every mode, 2 on bad input. `--fixture FILE` also writes the first 8 x 8 results of
 * the cases of K = 32 and of the largest K with their operands as JSON (test/fixtures/h200-scaled-mm.json was written so).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { E4M3, E5M2, E8M0, dotMx, fp32Add, hex32, type Accumulation, type ElementFormat, type MxOperand } from '../src/index.js';

interface Case {
  readonly name: string;
  readonly kind: string;
  readonly elemA: string;
  readonly elemB: string;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly fastAccum: boolean;
  readonly call: string;
  readonly offsets: { a: number; b: number; d: number };
}

interface Meta {
  readonly device: string;
  readonly capability: string;
  readonly torch: string;
  readonly cuda: string;
  readonly seed: number;
  readonly cases: readonly Case[];
  readonly skipped: readonly string[];
}

const FORMATS: Record<string, ElementFormat> = { e4m3: E4M3, e5m2: E5M2 };
const BLOCK = 32;

type Mode = Accumulation | 'hopper+fp32';

function fail(msg: string): never {
  process.stderr.write(`gpu-compare: error: ${msg}\n`);
  process.exit(2);
}

/**
 * Instructions of 32 elements chained in the tensor core before their sum is added to the FP32
 * total (CUTLASS's promotion interval), when use_fast_accum is off.
 */
const PROMOTION = 4;

/** The golden result of one output in a mode. */
function golden(mode: Mode, a: MxOperand, b: MxOperand): number {
  if (mode !== 'hopper+fp32') return dotMx(a, b, BLOCK, mode) >>> 0;
  const step = BLOCK * PROMOTION;
  let total = 0x80000000; // -0: the first addition gives the first partial sum exactly
  for (let off = 0, j = 0; off < a.codes.length; off += step, j += PROMOTION) {
    const part = (o: MxOperand): MxOperand => ({ ...o, codes: Array.prototype.slice.call(o.codes, off, off + step), scales: Array.prototype.slice.call(o.scales, j, j + PROMOTION) });
    total = fp32Add(total, dotMx(part(a), part(b), BLOCK, 'hopper'));
  }
  return total >>> 0;
}

function main(argv: string[]): number {
  const dir = argv.find((x, i) => !x.startsWith('--') && !['--mismatches', '--fixture'].includes(argv[i - 1]));
  const shown = argv.includes('--mismatches') ? Number(argv[argv.indexOf('--mismatches') + 1]) : 3;
  const fixture = argv.includes('--fixture') ? argv[argv.indexOf('--fixture') + 1] : undefined;
  const hex = (b: Uint8Array | Uint32Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
  const kept: object[] = [];
  if (!dir) fail('usage: gpu-compare DIR [--mismatches N] (DIR written by bench/gpu/run_gpu.py)');
  let meta: Meta;
  let data: Buffer;
  try {
    meta = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as Meta;
    data = readFileSync(join(dir, 'data.bin'));
  } catch (e) {
    fail(`cannot read ${dir}/cases.json and data.bin: ${(e as Error).message}`);
  }
  if (!Array.isArray(meta.cases) || meta.cases.length === 0) fail(`${dir}/cases.json lists no cases`);
  process.stdout.write(`GPU: ${meta.device} (compute capability ${meta.capability}), PyTorch ${meta.torch}, CUDA ${meta.cuda}, seed ${meta.seed}\n\n`);
  process.stdout.write('| case | results | hopper | hopper+fp32 | exact | fp32 |\n|---|---:|---:|---:|---:|---:|\n');
  let unexplained = 0;
  for (const c of meta.cases) {
    const fa = FORMATS[c.elemA];
    const fb = FORMATS[c.elemB];
    if (!fa || !fb || c.kind !== 'hopper' || c.k % BLOCK !== 0) fail(`case ${c.name}: not a Hopper FP8 case this script knows`);
    const aBytes = data.subarray(c.offsets.a, c.offsets.a + c.m * c.k);
    const bBytes = data.subarray(c.offsets.b, c.offsets.b + c.n * c.k);
    const d = new Uint32Array(data.buffer.slice(data.byteOffset + c.offsets.d, data.byteOffset + c.offsets.d + 4 * c.m * c.n));
    if (aBytes.length !== c.m * c.k || bBytes.length !== c.n * c.k || d.length !== c.m * c.n) fail(`case ${c.name}: data.bin is shorter than cases.json says`);
    const modes: Mode[] = ['hopper', ...(c.k > BLOCK * PROMOTION ? (['hopper+fp32'] as const) : []), 'exact', 'fp32'];
    const agree = new Map<Mode, number>(modes.map((x) => [x, 0]));
    const misses: string[] = [];
    const scales = new Array<number>(c.k / BLOCK).fill(127);
    let explained = 0;
    for (let i = 0; i < c.m; i++) {
      const a: MxOperand = { elem: fa, scale: E8M0, codes: aBytes.subarray(i * c.k, (i + 1) * c.k), scales };
      for (let j = 0; j < c.n; j++) {
        const b: MxOperand = { elem: fb, scale: E8M0, codes: bBytes.subarray(j * c.k, (j + 1) * c.k), scales };
        const gpu = d[i * c.n + j] >>> 0;
        let any = false;
        for (const mode of modes) {
          const g = golden(mode, a, b);
          if (g === gpu) {
            agree.set(mode, (agree.get(mode) ?? 0) + 1);
            any = true;
          } else if (mode === 'hopper' && misses.length < shown) misses.push(`    ${c.name} [${i}, ${j}]: GPU ${hex32(gpu)}, hopper ${hex32(g)}`);
        }
        if (any) explained++;
      }
    }
    const total = c.m * c.n;
    if (explained < total) unexplained++;
    // the fixture keeps K = 32 (one instruction) and the largest K (where the FP32 promotion shows)
    if (fixture && (c.k === BLOCK || c.k === Math.max(...meta.cases.map((x) => x.k)))) {
      const S = 8;
      const d8 = new Uint32Array(S * S);
      for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) d8[i * S + j] = d[i * c.n + j];
      kept.push({ name: c.name, elemA: c.elemA, elemB: c.elemB, k: c.k, fastAccum: c.fastAccum, rows: S, cols: S, a: hex(aBytes.subarray(0, S * c.k)), b: hex(bBytes.subarray(0, S * c.k)), d: hex(d8) });
    }
    const pct = (mode: Mode) => (agree.has(mode) ? `${(((agree.get(mode) ?? 0) / total) * 100).toFixed(2)} %` : '—');
    process.stdout.write(`| ${c.name} | ${total.toLocaleString('en-US')} | ${pct('hopper')} | ${pct('hopper+fp32')} | ${pct('exact')} | ${pct('fp32')} |\n`);
    if (misses.length > 0) process.stderr.write(`  first results where the GPU differs from the hopper chain:\n${misses.join('\n')}\n`);
  }
  if (fixture) {
    const about = 'First 8 x 8 results of the K = 32 and largest-K cases of bench/gpu/run_gpu.py, with their operands (hex: A and B codes row-major, K per row; D FP32 bits little-endian).';
    writeFileSync(fixture, JSON.stringify({ about, device: meta.device, capability: meta.capability, torch: meta.torch, cuda: meta.cuda, seed: meta.seed, call: meta.cases[0].call, cases: kept }, null, 1) + '\n');
  }
  for (const s of meta.skipped ?? []) process.stdout.write(`\nnot run on this GPU: ${s}\n`);
  process.stdout.write(`\n(each case: ${meta.cases[0].call.replace(/use_fast_accum=\w+/, 'use_fast_accum=fast')})\n`);
  return unexplained > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
