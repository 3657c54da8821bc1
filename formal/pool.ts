/**
 * A few worker threads that run proof tasks, each under a time limit. A task that passes its limit
 * has its worker terminated (Yosys stops mid-run) and reports a timeout; a worker that dies reports
 * a crash. Neither is ever mistaken for a result.
 */
import { Worker } from 'node:worker_threads';
import { READY_SEQ, type ReplyMessage, type TaskMessage } from './worker.js';
import type { Task } from './tasks.js';

export type TaskOutcome<T> = { readonly kind: 'done'; readonly value: T } | { readonly kind: 'timeout' } | { readonly kind: 'crash'; readonly message: string };

interface Slot {
  worker: Worker | null;
  /** resolves when the worker has started up (compiled Yosys) */
  ready: Promise<string | null> | null;
  busy: boolean;
}

/** How long a new worker may take to start up, apart from any task's limit. */
const STARTUP_MS = 120_000;

interface Pending {
  readonly task: Task;
  readonly timeoutMs: number;
  readonly resolve: (o: TaskOutcome<unknown>) => void;
  readonly onStart?: () => void;
}

export class WorkerPool {
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private seq = 0;

  constructor(
    size: number,
    private readonly workerUrl: URL,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({ worker: null, ready: null, busy: false }));
  }

  /** Run `task` when a worker is free (`onStart` is called then), stopping it after `timeoutMs`. */
  run<T>(task: Task, timeoutMs: number, onStart?: () => void): Promise<TaskOutcome<T>> {
    return new Promise((resolve) => {
      this.queue.push({ task, timeoutMs, resolve: resolve as (o: TaskOutcome<unknown>) => void, onStart });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const next = this.queue.shift();
      if (!next) return;
      this.start(slot, next);
    }
  }

  /** The slot's worker, started if needed; resolves to null when it is ready, or an error text. */
  private worker(slot: Slot): { worker: Worker; ready: Promise<string | null> } {
    if (slot.worker && slot.ready) return { worker: slot.worker, ready: slot.ready };
    const worker = new Worker(this.workerUrl);
    const ready = new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => done(`the proof worker did not start within ${STARTUP_MS / 1000} s`), STARTUP_MS);
      const done = (r: string | null): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(r);
      };
      const onMessage = (m: ReplyMessage): void => {
        if (m.seq === READY_SEQ) done(m.ok ? null : `the proof worker could not start: ${m.error}`);
      };
      const onError = (e: Error): void => done(`${e.name}: ${e.message}`);
      const onExit = (code: number): void => done(`the proof worker exited while starting (status ${code})`);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
    slot.worker = worker;
    slot.ready = ready;
    return { worker, ready };
  }

  private start(slot: Slot, p: Pending): void {
    slot.busy = true;
    p.onStart?.();
    const { worker, ready } = this.worker(slot);
    void ready.then((startError) => {
      if (startError !== null) {
        slot.worker = null;
        slot.ready = null;
        void worker.terminate();
        slot.busy = false;
        p.resolve({ kind: 'crash', message: startError });
        setImmediate(() => this.pump());
        return;
      }
      this.send(slot, worker, p);
    });
  }

  /** Send the task to a started worker; its time limit runs from here. */
  private send(slot: Slot, worker: Worker, p: Pending): void {
    const seq = ++this.seq;
    let settled = false;
    const finish = (o: TaskOutcome<unknown>, kill: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (kill) {
        slot.worker = null;
        slot.ready = null;
        void worker.terminate();
      }
      slot.busy = false;
      p.resolve(o);
      // start the next task after the caller has seen this result
      setImmediate(() => this.pump());
    };
    const onMessage = (m: ReplyMessage): void => {
      if (m.seq !== seq) return;
      finish(m.ok ? { kind: 'done', value: m.value } : { kind: 'crash', message: m.error }, !m.ok);
    };
    const onError = (e: Error): void => finish({ kind: 'crash', message: `${e.name}: ${e.message}` }, true);
    const onExit = (code: number): void => finish({ kind: 'crash', message: `the proof worker exited (status ${code})` }, true);
    const timer = setTimeout(() => finish({ kind: 'timeout' }, true), p.timeoutMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ seq, task: p.task } satisfies TaskMessage);
  }

  /** Stop every worker. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
    for (const s of this.slots) {
      s.worker = null;
      s.ready = null;
    }
  }
}
