/**
 * A worker thread of `mxrtl explore --jobs N`: it is given the sweep once, then tasks one at a
 * time (a point's error metrics, or one unit under one synthesis flow), and answers each.
 * Data sets are loaded on first use and kept.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runTask, DataCache, type Task } from './evaluate.js';
import type { Sweep } from './sweep.js';

const sweep = (workerData as { sweep: Sweep }).sweep;
const data = new DataCache(sweep);
parentPort?.on('message', (m: { id: number; task: Task }) => {
  runTask(m.task, sweep, data).then(
    (value) => parentPort?.postMessage({ id: m.id, ok: true, value }),
    (e: unknown) => parentPort?.postMessage({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
