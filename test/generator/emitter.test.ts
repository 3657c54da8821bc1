// The Verilog emitter refuses what would make bad Verilog, and prints one fixed layout.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VerilogModule } from '../../generator/verilog/module.js';
import { binop, concat, lit, litTwos, mux, ref, sext, signedBits, slice, unsignedBits, zext } from '../../generator/verilog/signal.js';
import { GENERATOR_VERSION } from '../../generator/version.js';

describe('signal helpers', () => {
  it('size literals and refuse values that do not fit', () => {
    expect(lit(8, 255).text).toBe("8'd255");
    expect(lit(32, 0x7fc00000).text).toBe("32'h7fc00000");
    expect(() => lit(8, 256)).toThrow(/does not fit/);
    expect(litTwos(10, -256).text).toBe("10'h300");
    expect(() => litTwos(9, 256)).toThrow(/does not fit/);
  });
  it('refuse mixing widths', () => {
    const m = new VerilogModule('t', []);
    const a = m.input('a', 4, '');
    const b = m.input('b', 5, '');
    expect(() => binop(ref(a), '+', ref(b))).toThrow(/widths 4 and 5 differ/);
    expect(() => mux(ref(a), ref(a), ref(a))).toThrow(/condition/);
    expect(binop(zext(ref(a), 5), '+', ref(b)).text).toBe("{1'b0, a} + b");
    expect(sext(a, 6).text).toBe('{{2{a[3]}}, a}');
    expect(sext(a, 5).text).toBe('{a[3], a}');
    expect(concat(slice(a, 3, 2), slice(b, 0)).width).toBe(3);
    expect(() => slice(a, 4, 0)).toThrow(/out of 4 bits/);
  });
  it('count bits of ranges', () => {
    expect([unsignedBits(0), unsignedBits(1), unsignedBits(144), unsignedBits(255), unsignedBits(256)]).toEqual([1, 1, 8, 8, 9]);
    expect([signedBits(-144, 144), signedBits(-256, 255), signedBits(-256, 256), signedBits(0, 0)]).toEqual([9, 9, 10, 1]);
  });
});

describe('VerilogModule', () => {
  it('refuses a name declared twice and an assignment of the wrong width', () => {
    const m = new VerilogModule('t', []);
    const a = m.input('a', 4, '');
    const y = m.output('y', 3, '');
    expect(() => m.wire('a', lit(1, 0))).toThrow(/declared twice/);
    expect(() => m.assign(y, ref(a))).toThrow(/3 bits/);
    expect(() => m.wire('Bad-Name', lit(1, 0))).toThrow(/bad Verilog name/);
  });
  it('renders header, ports, sections, wires and assigns in order', () => {
    const m = new VerilogModule('t', ['t: a test', '', 'second line']);
    const a = m.input('a', 4, 'operand');
    const y = m.output('y', 1, 'result');
    m.section('logic');
    const w = m.wire('w', slice(a, 0), { comment: 'low bit' });
    m.assign(y, ref(w));
    expect(m.render()).toBe(
      [
        '// t: a test',
        '//',
        '// second line',
        '',
        'module t (',
        '  input  wire [3:0]     a,  // operand',
        '  output wire           y  // result',
        ');',
        '',
        '  // ---- logic',
        '  // low bit',
        '  wire w = a[0];',
        '  assign y = w;',
        '',
        'endmodule',
        '',
      ].join('\n'),
    );
  });
});

describe('parameters and instances', () => {
  const leaf = () => {
    const m = new VerilogModule('leaf', []);
    m.parameter('DEPTH', 2, 'pipeline depth');
    m.input('x', 4, 'in');
    m.output('y', 4, 'out');
    return m;
  };
  it('prints a parameter list and a connected instance', () => {
    const l = leaf();
    expect(l.render()).toContain('module leaf #(\n  parameter DEPTH = 2  // pipeline depth\n) (\n');
    const top = new VerilogModule('top', []);
    const a = top.input('a', 4, '');
    const w = top.wire('w', ref(a));
    top.instance('u_leaf', l, { x: ref(w), y: concat(slice(a, 1, 0), slice(a, 3, 2)) }, { DEPTH: 3 });
    expect(top.render()).toContain('  leaf #(.DEPTH(3)) u_leaf (\n    .x(w),\n    .y({a[1:0], a[3:2]})\n  );');
  });
  it('gives Verilog that Icarus elaborates and Verilator lints clean (two modules in one test file)', async () => {
    const l = leaf();
    const y = l.portList()[1];
    l.assign(y, { text: "x + DEPTH[3:0]", width: 4 });
    const top = new VerilogModule('top', []);
    const a = top.input('a', 4, '');
    const b = top.output('b', 4, '');
    const w = top.wire('w', ref(a));
    const yw = top.net('yw', 4, 'driven by u_leaf');
    top.instance('u_leaf', l, { x: ref(w), y: ref(yw) }, { DEPTH: 3 });
    top.assign(b, ref(yw));
    const dir = mkdtempSync(join(tmpdir(), 'mxrtl-emit-'));
    const file = join(dir, 'top.v');
    writeFileSync(file, top.render() + l.render());
    const r = await execa('iverilog', ['-g2005', '-o', '/dev/null', file], { reject: false });
    const lint = await execa('verilator', ['--lint-only', '-Wall', '-Wno-DECLFILENAME', '--top-module', 'top', file], { reject: false });
    rmSync(dir, { recursive: true, force: true });
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect([lint.exitCode, lint.stderr]).toEqual([0, '']);
  });
  it('declares a function once, after the ports, however often it is asked for', () => {
    const m = new VerilogModule('f', []);
    const a = m.input('a', 2, '');
    const y = m.output('y', 2, '');
    let built = 0;
    const body = (): string[] => {
      built++;
      return ['function [1:0] twice;', '  input [1:0] x;', '  twice = {x[0], 1\'b0};', 'endfunction'];
    };
    expect(m.function('twice', body)).toBe('twice');
    m.assign(y, { text: `${m.function('twice', body)}(a)`, width: 2 });
    expect(built).toBe(1);
    expect(m.render()).toContain(');\n\n  function [1:0] twice;\n    input [1:0] x;\n    twice = {x[0], 1\'b0};\n  endfunction\n  assign y = twice(a);');
    expect(() => m.wire('twice', lit(1, 0))).toThrow(/declared twice/);
  });
  it('refuses unconnected, unknown or mis-sized ports and unknown parameters', () => {
    const l = leaf();
    const top = new VerilogModule('top', []);
    const a = top.input('a', 4, '');
    expect(() => top.instance('u1', l, { x: ref(a) })).toThrow(/port y of leaf is not connected/);
    expect(() => top.instance('u2', l, { x: ref(a), y: ref(a), z: ref(a) })).toThrow(/has no port z/);
    expect(() => top.instance('u3', l, { x: slice(a, 2, 0), y: ref(a) })).toThrow(/port x is 4 bits/);
    expect(() => top.instance('u4', l, { x: ref(a), y: ref(a) }, { WIDTH: 1 })).toThrow(/has no parameter WIDTH/);
    expect(() => l.parameter('DEPTH', 1, '')).toThrow(/declared twice/);
    expect(() => l.parameter('depth', 1, '')).toThrow(/upper case/);
  });
});

describe('generator version', () => {
  it('is the package version', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'));
    expect(GENERATOR_VERSION).toBe(pkg.version);
  });
});
