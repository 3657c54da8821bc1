// scripts/install-tools.sh (run by npm install): a machine where the system packages cannot be
// installed still gets a working install, with what is missing and how to install it named; the
// --check that make test runs first fails with the same names.
import { execa } from 'execa';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'install-tools.sh');
const ALL = 'verilator make g++ ccache iverilog';
let dir: string;

/** A PATH with none of the tools, and the given fake commands. */
async function fakePath(name: string, commands: Record<string, string>): Promise<string> {
  const bin = join(dir, name);
  await execa('mkdir', ['-p', bin]);
  for (const [cmd, body] of Object.entries(commands)) {
    await writeFile(join(bin, cmd), `#!/bin/sh\n${body}\n`);
    await chmod(join(bin, cmd), 0o755);
  }
  return bin;
}

function run(path: string, args: string[] = [], env: Record<string, string> = {}) {
  return execa('/bin/bash', [SCRIPT, ...args], { env: { PATH: path, ...env }, extendEnv: false, reject: false });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mxrtl-tools-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('install-tools.sh', () => {
  it('as root with a failing apt-get: exit 0, every missing tool named with the install command', async () => {
    const path = await fakePath('apt-fails', { id: 'echo 0', 'apt-get': 'echo "E: Could not open lock file" >&2; exit 100' });
    const r = await run(path);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`apt-get could not install ${ALL}`);
    expect(r.stderr).toContain(`Install with: sudo apt-get install -y ${ALL}`);
  });

  it('without root and without apt-get: exit 0 and the same hint', async () => {
    const path = await fakePath('no-root', { id: 'echo 1000' });
    const r = await run(path);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`${ALL} not found; 'mxrtl gen' works without them`);
    expect(r.stderr).toContain(`Install with: sudo apt-get install -y ${ALL}`);
  });

  it('MXRTL_SKIP_TOOLS=1 skips the install silently; --check still names what is missing and fails', async () => {
    const path = await fakePath('skip', { id: 'echo 0', 'apt-get': 'echo installing >&2; exit 1' });
    const skipped = await run(path, [], { MXRTL_SKIP_TOOLS: '1' });
    expect(skipped.exitCode).toBe(0);
    expect(skipped.stderr).toBe('');
    const check = await run(path, ['--check'], { MXRTL_SKIP_TOOLS: '1' });
    expect(check.exitCode).toBe(1);
    expect(check.stderr.trim()).toBe(`mxrtl: ${ALL} not found; the simulation bench and the tests need them. Install with: sudo apt-get install -y ${ALL} (Debian package names)`);
  });

  it('--check passes on this machine, where the tools are installed', async () => {
    const r = await execa('/bin/bash', [SCRIPT, '--check'], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
  });
});
