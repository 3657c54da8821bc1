import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../formal/pool.js';
import type { Task } from '../../formal/tasks.js';

const SLOW_START = new URL('../fixtures/slow-start-worker.mjs', import.meta.url);

describe('the proof worker pool', () => {
  it('a time limit counts the task, not the start-up of a fresh worker', async () => {
    // the worker takes 1.5 s to start and 0.1 s per task: a 0.3 s limit that also counted the
    // start-up would report a timeout
    const pool = new WorkerPool(1, SLOW_START);
    try {
      const task = { id: 'first' } as unknown as Task;
      const outcome = await pool.run<string>(task, 300);
      expect(outcome).toEqual({ kind: 'done', value: 'first' });
      const again = await pool.run<string>({ id: 'second' } as unknown as Task, 300);
      expect(again).toEqual({ kind: 'done', value: 'second' });
    } finally {
      await pool.close();
    }
  }, 30_000);
});
