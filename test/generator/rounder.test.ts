// The one rounder (generator/raw/round.ts) on its own, for both result formats and every option:
// a module holding only the rounder is generated, linted, mapped to an and-inverter graph by Yosys
// and evaluated at every (sign, exponent, magnitude) of its input space against the golden rounding
// (src/round-float.ts) with the same options.
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAagWithPorts } from '../../formal/aig.js';
import { evaluateRound } from '../../formal/exhaustive.js';
import { yosys } from '../../formal/yosys.js';
import { roundToFormat, type RoundInput } from '../../generator/raw/round.js';
import { VerilogModule } from '../../generator/verilog/module.js';
import { ref } from '../../generator/verilog/signal.js';
import { BF16, FP32, floatBits, type FloatFormat } from '../../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mxrtl-rounder-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

type Options = Pick<RoundInput, 'overflow' | 'subnormals'>;

/** A module: result = round((-1)^sign * mag * 2^(exp + offset)); +0 for mag = 0. */
function rounderModule(name: string, out: FloatFormat, magBits: number, expBits: number, expMax: number, offset: number, opts: Options): { text: string; built: string[] } {
  const m = new VerilogModule(name, ['rounder test module']);
  const mag = m.input('mag', magBits, 'magnitude');
  const exp = m.input('exp', expBits, 'exponent above the offset');
  const sign = m.input('sign', 1, 'sign');
  const result = m.output('result', floatBits(out), 'rounded');
  const r = roundToFormat(m, 'rnd', out, { nan: null, inf: null, sign: ref(sign), mag, magMax: (1n << BigInt(magBits)) - 1n, exp: ref(exp), expMax, expOffset: offset, zero: 'positive', ...opts });
  m.assign(result, ref(r.result));
  const text = m.render();
  const built = ['rnd_rshift', 'rnd_up', 'rnd_overflow', 'rnd_past'].filter((w) => text.includes(`wire ${w}`) || new RegExp(`wire \\[\\d+:0\\] ${w} `).test(text));
  return { text, built };
}

const OPTIONS: [string, Options][] = [
  ['Inf on overflow, subnormals kept', {}],
  ['saturation', { overflow: 'saturate' }],
  ['flush to zero', { subnormals: 'flush' }],
  ['saturation and flush', { overflow: 'saturate', subnormals: 'flush' }],
];

describe.each([FP32, BF16])('the rounder to %s', (out) => {
  it.each(OPTIONS)('%s: every (sign, exponent, magnitude) of a 9-bit magnitude over 2^-300 .. 2^130 equals the golden rounding', async (label, opts) => {
    const name = `rnd_${out.name}_${(opts.overflow ?? 'inf')}_${opts.subnormals ?? 'keep'}`;
    const expMax = 420;
    const offset = -300;
    const { text, built } = rounderModule(name, out, 9, 9, expMax, offset, opts);
    // the input range reaches rounding (in FP32 only below the smallest normal: 9 bits are exact
    // above it), subnormals and overflow: the stages for them are built
    expect(built.includes('rnd_up')).toBe(out === BF16 || opts.subnormals !== 'flush');
    expect(built.includes('rnd_rshift')).toBe(opts.subnormals !== 'flush');
    if (opts.overflow === 'saturate') expect(built.includes('rnd_past')).toBe(built.includes('rnd_up'));
    const file = join(dir, `${name}.v`);
    await writeFile(file, text);
    const lint = await execa('verilator', ['--lint-only', '-Wall', file], { reject: false });
    expect(lint.stderr + lint.stdout, label).toBe('');
    const run = await yosys(['-s', 't.ys'], {
      [`${name}.v`]: text,
      't.ys': [`read_verilog ${name}.v`, `hierarchy -top ${name}`, 'proc', 'opt -fast', 'techmap', 'opt -fast', 'aigmap', 'opt_clean', 'write_aiger -ascii -map r.map r.aag', 'delete t:*', 'opt_clean -purge', 'write_json p.json', ''].join('\n'),
    });
    expect(run.code).toBe(0);
    const aig = parseAagWithPorts(run.files['r.aag'], run.files['r.map'], run.files['p.json'], name);
    const o = evaluateRound(aig, { type: 'round', aagFile: '', mapFile: '', portsFile: '', top: name, mag: 'mag', magMax: 511n, exp: 'exp', expMax, expOffset: offset, sign: 'sign', zeros: [], result: 'result', out: out.name, options: opts });
    expect(o.error).toBeUndefined();
    expect(o.points).toBe(2 * (expMax + 1) * 512);
    expect(o.mismatches, JSON.stringify(o.first[0] ?? {}, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v))).toBe(0);
  }, 60_000);
});

describe('what the rounder leaves out when the input range cannot need it', () => {
  it('an exact range builds no rounding, a small one no subnormal or overflow logic', () => {
    // 2-bit magnitudes in 2^-130 .. 2^0: exact in FP32, subnormal, no overflow
    const a = rounderModule('r_a', FP32, 2, 8, 130, -130, {}).text;
    expect(a).not.toMatch(/rnd_up/);
    expect(a).toMatch(/rnd_rshift/);
    expect(a).not.toMatch(/rnd_overflow/);
    // 6-bit magnitudes in 2^-10 .. 2^20: normal and exact
    const b = rounderModule('r_b', FP32, 6, 5, 30, -10, {}).text;
    expect(b).not.toMatch(/rnd_up|rnd_rshift|rnd_overflow|rnd_is_normal/);
    // the same in BF16 (8 significant bits kept) is still exact; 12-bit magnitudes are not
    expect(rounderModule('r_c', BF16, 8, 5, 30, -10, {}).text).not.toMatch(/rnd_up/);
    expect(rounderModule('r_d', BF16, 12, 5, 30, -10, {}).text).toMatch(/rnd_up/);
  });
});
