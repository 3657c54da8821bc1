// The Verilog emitter refuses what would make bad Verilog, and prints one fixed layout.
import { readFileSync } from 'node:fs';
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

describe('generator version', () => {
  it('is the package version', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'));
    expect(GENERATOR_VERSION).toBe(pkg.version);
  });
});
