/** Where the bench finds its own files, from sim/*.ts (tests) and from dist/sim/*.js alike. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The project root: the nearest folder above this module holding sim/harness.cpp.in. */
export function projectRoot(): string {
  if (root !== undefined) return root;
  let d = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(d, 'sim', 'harness.cpp.in'))) return (root = d);
    const up = dirname(d);
    if (up === d) throw new Error('cannot find sim/harness.cpp.in above ' + fileURLToPath(import.meta.url));
    d = up;
  }
}

export function simDir(): string {
  return join(projectRoot(), 'sim');
}

/** Default cache of built harnesses: sim/build/<content hash>/. */
export function defaultBuildRoot(): string {
  return join(simDir(), 'build');
}

/** Default folder for mismatch vector files. */
export function defaultOutDir(): string {
  return join(simDir(), 'out');
}
