// The package's own entry point, `import { ... } from 'mxrtl'`, as a user's code meets it: run by
// Node from a folder where mxrtl is an installed dependency (a node_modules link to this package),
// and type-checked by TypeScript against the published declarations.
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, requireBuild } from '../formal/helpers.js';

let dir: string;
beforeAll(async () => {
  requireBuild();
  dir = await mkdtemp(join(tmpdir(), 'mxrtl-entry-'));
  await mkdir(join(dir, 'node_modules'), { recursive: true });
  await symlink(ROOT, join(dir, 'node_modules', 'mxrtl'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'user', type: 'module', private: true }));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

// FP4 E2M1 values 0, 0.5, 1, 1.5, 2, 3, 4, 6 and their negatives, four times: block 32, amax 6, so
// the OCP floor recipe picks the scale 2^0 and every element is exact
const USER = `
import { quantize, dequantize, dotMx, generate, E2M1, E8M0 } from 'mxrtl';
const grid = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.5, -1, -1.5, -2, -3, -4, -6, 0];
const x = new Float32Array(32).map((_, i) => grid[i % 16]);
const q = quantize(x, { elem: E2M1, scale: E8M0, blockSize: 32 });
const back = dequantize(E2M1, q.elems, E8M0, q.scales, 32);
const dot = dotMx({ elem: E2M1, scale: E8M0, codes: q.elems, scales: q.scales }, { elem: E2M1, scale: E8M0, codes: q.elems, scales: q.scales }, 32);
const g = await generate({ preset: 'nvfp4', units: ['dot'] });
let error = '';
try { await generate({ block: 0 }); } catch (e) { error = e.name + ': ' + e.message; }
console.log(JSON.stringify({ scales: [...q.scales], back: [...new Float32Array(back.buffer)], dot: dot >>> 0, config: g.config, files: g.files.map((f) => f.name), units: g.manifest.units.map((u) => u.top), error }));
`;

describe("import { ... } from 'mxrtl'", () => {
  it('quantizes, dequantizes, takes a dot product and generates RTL, with known values', async () => {
    await writeFile(join(dir, 'user.mjs'), USER);
    const r = await execa('node', ['user.mjs'], { cwd: dir, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout) as { scales: number[]; back: number[]; dot: number; config: string; files: string[]; units: string[]; error: string };
    const grid = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.5, -1, -1.5, -2, -3, -4, -6, 0];
    expect(o.scales).toEqual([127]); // E8M0 127 = 2^0
    expect(o.back).toEqual(Array.from({ length: 32 }, (_, i) => grid[i % 16]));
    // twice the sum of squares of the grid: 2 * 2 * (0.25 + 1 + 2.25 + 4 + 9 + 16 + 36) = 274
    expect(o.dot).toBe(0x43890000);
    expect(o.config).toBe('e2m1_ue4m3_k16');
    expect(o.units).toEqual(['mx_dot_e2m1_ue4m3_k16']);
    expect(o.files).toEqual(['mx_mul_e2m1.v', 'mx_dotsum_e2m1_k16.v', 'mx_dot_e2m1_ue4m3_k16.v', 'mx_dot_e2m1_ue4m3_k16.f', 'mxrtl_e2m1_ue4m3_k16.core']);
    expect(o.error).toMatch(/^UsageError: --block /);
  }, 60_000);

  it('type-checks against the declarations the package publishes', async () => {
    await writeFile(
      join(dir, 'user.ts'),
      [
        "import { generate, quantize, E4M3, E8M0, type GenerateOptions, type Generated, type Quantized } from 'mxrtl';",
        "const o: GenerateOptions = { elemA: 'e4m3', elemB: 'e2m1', block: 32 };",
        'const g: Promise<Generated> = generate(o);',
        'const q: Quantized = quantize(new Float32Array(32), { elem: E4M3, scale: E8M0, blockSize: 32 });',
        'export { g, q };',
        '',
      ].join('\n'),
    );
    await writeFile(join(dir, 'bad.ts'), "import { generate } from 'mxrtl';\nexport const g = generate({ block: '32' });\n");
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const flags = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types')];
    const ok = await execa('node', [tsc, ...flags, 'user.ts'], { cwd: dir, reject: false });
    expect(ok.exitCode, ok.stdout).toBe(0);
    // and the declarations are real: a wrong option type is refused
    const bad = await execa('node', [tsc, ...flags, 'bad.ts'], { cwd: dir, reject: false });
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stdout).toMatch(/bad\.ts\(2,.*Type 'string' is not assignable to type 'number'/);
  }, 60_000);
});
