/**
 * The bench through a second simulator: a unit's planned vectors, with the golden model's outputs,
 * run in Icarus Verilog by the self-checking testbench of sim/testbench.ts; its mismatch lines are
 * read back into the same mismatch records the Verilator path reports. Slower than the streamed
 * Verilator harness (whole vector files, an event-driven simulator), so runs are shorter.
 */
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ManifestUnit } from '../generator/manifest.js';
import { ToolError } from './build.js';
import type { RecordLayout } from './layout.js';
import type { Batch, Mismatch, StreamResult } from './stream.js';
import { TB_REPORTED, testbenchModule, vectorLines } from './testbench.js';

/** Random dot-product vectors of an Icarus run when none are asked for. */
export const ICARUS_DEFAULT_VECTORS = 20_000;

export const ICARUS_MISSING = 'Icarus Verilog (iverilog, vvp) not found; install it with: sudo apt-get install -y iverilog';

export async function icarusVersion(): Promise<string> {
  try {
    const r = await execa('iverilog', ['-V'], { reject: false });
    return (r.stdout.split('\n')[0] ?? 'Icarus Verilog').replace(/\s*\(\)\s*$/, '').trim();
  } catch {
    throw new ToolError(ICARUS_MISSING);
  }
}

/** Split a port-concatenated value (first port in the top bits) back into record words. */
function toWords(value: bigint, layout: RecordLayout, out: Uint32Array): void {
  let v = value;
  for (const s of [...layout.outputs].reverse()) {
    let p = BigInt.asUintN(s.width, v);
    v >>= BigInt(s.width);
    for (let w = 0; w < s.words; w++) {
      out[s.offset + w] = Number(p & 0xffffffffn);
      p >>= 32n;
    }
  }
}

export async function icarusCheck(u: ManifestUnit, rtl: string, layout: RecordLayout, source: () => Batch | null): Promise<{ stream: StreamResult; buildSeconds: number }> {
  const t0 = performance.now();
  const inputs: Uint32Array[] = [];
  const expected: Uint32Array[] = [];
  const labels: string[] = [];
  const inLines: string[] = [];
  const outLines: string[] = [];
  for (let b = source(); b !== null; b = source()) {
    const lines = vectorLines(layout, b.input, b.expected, b.count);
    inLines.push(...lines.inputs);
    outLines.push(...lines.outputs);
    for (let v = 0; v < b.count; v++) {
      inputs.push(b.input.slice(v * layout.inWords, (v + 1) * layout.inWords));
      expected.push(b.expected.slice(v * layout.outWords, (v + 1) * layout.outWords));
      labels.push(b.label(v));
    }
    b.recycle?.();
  }
  const n = inLines.length;
  const work = await mkdtemp(join(tmpdir(), 'mxrtl-icarus-'));
  try {
    await writeFile(join(work, `tb_${u.top}.v`), testbenchModule(u, n, { delay: layout.delay }));
    await writeFile(join(work, `${u.top}.in.hex`), inLines.join('\n') + '\n');
    await writeFile(join(work, `${u.top}.out.hex`), outLines.join('\n') + '\n');
    const tb = performance.now();
    try {
      await execa('iverilog', ['-g2005', '-o', join(work, 'tb'), ...u.files.map((f) => resolve(rtl, f)), join(work, `tb_${u.top}.v`)]);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') throw new ToolError(ICARUS_MISSING);
      throw new ToolError(`iverilog could not compile ${u.top}: ${((e as { stderr?: string }).stderr ?? String(e)).split('\n')[0]}`);
    }
    const buildSeconds = (performance.now() - tb) / 1000;
    const run = await execa('vvp', ['-n', 'tb'], { cwd: work, reject: false });
    const out = run.stdout;
    const total = /FAIL (\d+) of (\d+) vectors differ/.exec(out);
    const pass = new RegExp(`tb_${u.top}: PASS (\\d+) vectors`).exec(out);
    if (!pass && !total) throw new ToolError(`vvp gave no verdict for ${u.top} (exit ${run.exitCode}): ${(run.stderr || out).split('\n')[0]}`);
    const checked = Number((pass ?? total)?.[pass ? 1 : 2]);
    if (checked !== n) throw new ToolError(`vvp checked ${checked} of the ${n} vectors of ${u.top}`);
    const reported: Mismatch[] = [];
    for (const m of out.matchAll(/MISMATCH vector (\d+): inputs [0-9a-fA-Fxz]+, expected [0-9a-fA-F]+, got ([0-9a-fA-Fxz]+)/g)) {
      const i = Number(m[1]);
      const actual = new Uint32Array(layout.outWords);
      // x or z bits read as 0 here; the mismatch itself stands (the testbench compares with !==)
      toWords(BigInt('0x' + m[2].replace(/[xz]/gi, '0')), layout, actual);
      reported.push({ index: i, label: labels[i], input: inputs[i], expected: expected[i], actual });
      if (reported.length >= TB_REPORTED) break;
    }
    const mismatches = total ? Number(total[1]) : 0;
    return { stream: { checked: n, mismatches, reported, stopped: false, seconds: (performance.now() - t0) / 1000, sourceSeconds: 0, waitSeconds: 0 }, buildSeconds };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
