/**
 * Stream batches of input records through a running harness and compare every output record with
 * the expected one, word for word.
 *
 * The driver keeps several batches in flight: while the harness evaluates batch n, the source
 * generates batch n+1. Writing waits for the pipe to drain (back-pressure) and the number of batches
 * written but not yet answered is bounded, so memory stays small however many vectors run.
 */
import { once } from 'node:events';
import { execa } from 'execa';
import { ToolError } from './build.js';
import type { RecordLayout } from './layout.js';

export interface Batch {
  readonly count: number;
  /** count * inWords words */
  readonly input: Uint32Array;
  /** count * outWords words: the golden model's outputs, bits above each port's width zero */
  readonly expected: Uint32Array;
  /** what vector i of the batch is (e.g. "random" or a corner class), for reports */
  label(i: number): string;
  /** called once the batch is answered and compared: its arrays may be reused from then on */
  recycle?(): void;
}

export interface Mismatch {
  /** position of the vector in the run, from 0 */
  readonly index: number;
  readonly label: string;
  readonly input: Uint32Array;
  readonly expected: Uint32Array;
  readonly actual: Uint32Array;
}

export interface StreamResult {
  readonly checked: number;
  readonly mismatches: number;
  /** the first mismatches, in full */
  readonly reported: readonly Mismatch[];
  /** true when the run stopped generating because of mismatches */
  readonly stopped: boolean;
  readonly seconds: number;
  /** time spent producing batches (the source's next()) */
  readonly sourceSeconds: number;
  /** time the driver waited: for answers (too many batches in flight) or for the pipe to drain */
  readonly waitSeconds: number;
}

export interface StreamOptions {
  /** stop generating after this many mismatches (default 10) */
  readonly stopAfter?: number;
  /** batches written and not yet answered (default 4) */
  readonly maxInFlight?: number;
  /** called after every answered batch with the number of vectors checked so far */
  readonly onProgress?: (checked: number, mismatches: number) => void;
}

export async function streamCheck(binary: string, layout: RecordLayout, next: () => Batch | null, opts: StreamOptions = {}): Promise<StreamResult> {
  const stopAfter = opts.stopAfter ?? 10;
  const maxInFlight = opts.maxInFlight ?? 4;
  const inW = layout.inWords;
  const outW = layout.outWords;
  const t0 = performance.now();

  const child = execa(binary, [], { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', buffer: { stdout: false, stderr: true }, reject: false });
  const stdin = child.stdin;
  const stdout = child.stdout;

  const pending: Batch[] = [];
  let got = new Uint32Array(0);
  let gotBytes = new Uint8Array(0);
  let filled = 0;
  let base = 0; // run index of pending[0]'s first vector
  let checked = 0;
  let mismatches = 0;
  const reported: Mismatch[] = [];
  let failure: Error | null = null;
  let exited = false;

  let waiter: (() => void) | null = null;
  const wake = (): void => {
    const w = waiter;
    waiter = null;
    if (w) w();
  };
  const event = (): Promise<void> => new Promise<void>((r) => (waiter = r));

  const fail = (e: Error): void => {
    if (!failure) failure = e;
    wake();
  };

  const compare = (b: Batch): void => {
    const exp = b.expected;
    const n = exp.length;
    for (let i = 0; i < n; i++) {
      if (exp[i] === got[i]) continue;
      const v = Math.floor(i / outW);
      mismatches++;
      if (reported.length < stopAfter) {
        reported.push({
          index: base + v,
          label: b.label(v),
          input: b.input.slice(v * inW, (v + 1) * inW),
          expected: exp.slice(v * outW, (v + 1) * outW),
          actual: got.slice(v * outW, (v + 1) * outW),
        });
      }
      i = (v + 1) * outW - 1; // one count per vector
    }
  };

  stdout.on('data', (chunk: Buffer) => {
    let p = 0;
    while (p < chunk.length) {
      const b = pending[0];
      if (!b) {
        fail(new ToolError(`harness ${binary} wrote more output than it was given input`));
        return;
      }
      const need = b.count * outW;
      if (filled === 0 && got.length !== need) {
        got = new Uint32Array(need);
        gotBytes = new Uint8Array(got.buffer);
      }
      const take = Math.min(chunk.length - p, gotBytes.length - filled);
      gotBytes.set(chunk.subarray(p, p + take), filled);
      filled += take;
      p += take;
      if (filled === gotBytes.length) {
        // Batches are compared in order; once a batch has brought the mismatches to the limit,
        // the batches already in flight behind it are not counted, so that the counts of a failing
        // run depend on the seed alone, not on how many batches the harness had answered.
        if (mismatches < stopAfter) {
          compare(b);
          checked += b.count;
        }
        pending.shift();
        b.recycle?.();
        base += b.count;
        filled = 0;
        opts.onProgress?.(checked, mismatches);
        wake();
      }
    }
  });
  // A harness that dies makes writes fail with EPIPE; the exit below reports it.
  stdin.on('error', () => wake());
  const done = child.then((r) => {
    exited = true;
    if (r.exitCode !== 0 || r.signal) {
      const why = r.signal ? `signal ${r.signal}` : `exit ${r.exitCode}`;
      const err = String(r.stderr ?? '').trim().split('\n')[0] ?? '';
      fail(new ToolError(`harness ${binary} failed (${why})${err ? ': ' + err : ''}`));
    } else if (pending.length > 0) {
      fail(new ToolError(`harness ${binary} ended before answering every vector`));
    }
    wake();
  });

  let stopped = false;
  let sourceMs = 0;
  let waitMs = 0;
  try {
    for (;;) {
      if (failure) throw failure;
      if (mismatches >= stopAfter) {
        stopped = true;
        break;
      }
      if (pending.length >= maxInFlight) {
        const w0 = performance.now();
        await event();
        waitMs += performance.now() - w0;
        continue;
      }
      const s0 = performance.now();
      const b = next();
      sourceMs += performance.now() - s0;
      if (b === null) break;
      if (b.input.length !== b.count * inW || b.expected.length !== b.count * outW) throw new Error('batch arrays do not match the record layout');
      if (b.count === 0) continue;
      pending.push(b);
      const ok = stdin.write(new Uint8Array(b.input.buffer, b.input.byteOffset, b.input.byteLength));
      if (!ok && !exited) {
        const w0 = performance.now();
        await Promise.race([once(stdin, 'drain').catch(() => undefined), done]);
        waitMs += performance.now() - w0;
      }
    }
    stdin.end();
    const w0 = performance.now();
    while (pending.length > 0 && !failure && !exited) await event();
    waitMs += performance.now() - w0;
    await done;
    if (failure) throw failure;
    if (pending.length > 0) throw new ToolError(`harness ${binary} ended before answering every vector`);
    if (filled !== 0) throw new ToolError(`harness ${binary} wrote a partial output record`);
  } finally {
    if (!exited) {
      stdin.destroy();
      child.kill();
      await done.catch(() => undefined);
    }
  }
  return { checked, mismatches, reported, stopped, seconds: (performance.now() - t0) / 1000, sourceSeconds: sourceMs / 1000, waitSeconds: waitMs / 1000 };
}
