/**
 * A waveform of failing vectors: the unit driven by the testbench of sim/testbench.ts over just
 * those vectors, in Icarus Verilog (installed with Verilator by the project's setup), dumped as a
 * VCD file for a waveform viewer.
 */
import { execa } from 'execa';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ManifestUnit } from '../generator/manifest.js';
import type { RecordLayout } from './layout.js';
import type { Mismatch } from './stream.js';
import { testbenchModule, vectorLines } from './testbench.js';

/** Write `vcdPath` from the mismatches' vectors; the reason when no VCD could be made. */
export async function writeMismatchVcd(u: ManifestUnit, rtl: string, layout: RecordLayout, mismatches: readonly Mismatch[], vcdPath: string): Promise<string | null> {
  const n = mismatches.length;
  const input = new Uint32Array(n * layout.inWords);
  const expected = new Uint32Array(n * layout.outWords);
  mismatches.forEach((m, i) => {
    input.set(m.input, i * layout.inWords);
    expected.set(m.expected, i * layout.outWords);
  });
  const lines = vectorLines(layout, input, expected, n);
  const work = await mkdtemp(join(tmpdir(), 'mxrtl-vcd-'));
  try {
    await writeFile(join(work, `tb_${u.top}.v`), testbenchModule(u, n, { vcd: 'wave.vcd', delay: layout.delay }));
    await writeFile(join(work, `${u.top}.in.hex`), lines.inputs.join('\n') + '\n');
    await writeFile(join(work, `${u.top}.out.hex`), lines.outputs.join('\n') + '\n');
    try {
      await execa('iverilog', ['-g2005', '-o', join(work, 'tb'), ...u.files.map((f) => resolve(rtl, f)), join(work, `tb_${u.top}.v`)]);
      await execa('vvp', ['-n', 'tb'], { cwd: work });
    } catch (e) {
      const code = (e as { code?: string }).code;
      return code === 'ENOENT' ? 'Icarus Verilog (iverilog, vvp) not found' : `Icarus Verilog failed: ${((e as { shortMessage?: string }).shortMessage ?? String(e)).split('\n')[0]}`;
    }
    await copyFile(join(work, 'wave.vcd'), vcdPath);
    return null;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
