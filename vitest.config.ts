import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The Verilator and Yosys tests each keep a core busy; two workers match the 2-core CI machine.
    maxWorkers: 2,
  },
});
