#!/usr/bin/env node
/**
 * Yosys from npm on the command line, for rerunning one proof by hand:
 *
 *   cd formal/work/<config> && node ../../../dist/formal/yosys-cli.js -s <obligation>.ys
 *
 * The files of the current folder are given to Yosys (WebAssembly, in-memory file system); files
 * the run writes are written back. The arguments are Yosys's own; the exit status is Yosys's.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { YosysCrash, yosys } from './yosys.js';

async function main(args: string[]): Promise<number> {
  const files: Record<string, string> = {};
  for (const e of await readdir('.', { withFileTypes: true })) {
    if (e.isFile()) files[e.name] = await readFile(e.name, 'latin1');
  }
  try {
    const run = await yosys(args, files);
    process.stdout.write(run.log);
    for (const [name, text] of Object.entries(run.files)) {
      if (!name.includes('/') && files[name] !== text) await writeFile(name, text, 'latin1');
    }
    return run.code;
  } catch (e) {
    if (!(e instanceof YosysCrash)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 3;
  }
}

process.exitCode = await main(process.argv.slice(2));
