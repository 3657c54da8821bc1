/**
 * Entry point of a proof worker thread: runs the tasks the main thread sends, one at a time.
 * The main thread terminates the worker when a task passes its time limit.
 */
import { parentPort } from 'node:worker_threads';
import { runTask, type Task } from './tasks.js';

export interface TaskMessage {
  readonly seq: number;
  readonly task: Task;
}

export type ReplyMessage = { readonly seq: number; readonly ok: true; readonly value: unknown } | { readonly seq: number; readonly ok: false; readonly error: string };

/** Sent once, when the worker has compiled Yosys and can take tasks (seq 0). */
export const READY_SEQ = 0;

const port = parentPort;
if (port) {
  // Compile the WebAssembly Yosys before the first task, so that a task's time limit counts the
  // proof alone, not the worker's start-up.
  runTask({ type: 'version' }).then(
    () => port.postMessage({ seq: READY_SEQ, ok: true, value: 'ready' } satisfies ReplyMessage),
    (e: unknown) => port.postMessage({ seq: READY_SEQ, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies ReplyMessage),
  );
  port.on('message', (msg: TaskMessage) => {
    runTask(msg.task).then(
      (value) => port.postMessage({ seq: msg.seq, ok: true, value } satisfies ReplyMessage),
      (e: unknown) => port.postMessage({ seq: msg.seq, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) } satisfies ReplyMessage),
    );
  });
}
