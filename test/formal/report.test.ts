/** The Markdown report's counterexample section: the replay command runs the bench on the proven RTL. */
import { describe, expect, it } from 'vitest';
import { renderMarkdown, replayCommand, type Report } from '../../formal/report.js';

function report(rtl: string): Report {
  return {
    format: 'mxrtl-formal-report/1',
    config: 'e2m1_e8m0_k4',
    rtl,
    generator: { version: '0.1.0', command: 'mxrtl gen --block 4' },
    yosys: { release: 'Yosys 0.55', package: '@yowasp/yosys 0.55' },
    node: 'v20.0.0',
    cpus: 2,
    jobs: 1,
    timeoutSeconds: 60,
    started: '2025-01-01T00:00:00.000Z',
    wallSeconds: 1,
    only: 'mul',
    result: 'not proven',
    counts: { proven: 0, failed: 1, unknown: 0, error: 0 },
    units: [
      {
        family: 'mul',
        top: 'mx_mul_e2m1',
        files: [{ path: `${rtl}/mx_mul_e2m1.v`, sha256: '0'.repeat(64) }],
        edited: [],
        coverage: [],
        obligations: [
          {
            id: 'mx_mul_e2m1.table',
            title: 'the product table',
            statement: [],
            method: 'sat',
            status: 'failed',
            seconds: 0.5,
            detail: 'SAT found a difference',
            files: [],
            logs: [],
            rerun: [],
            warnings: [],
            counterexample: { at: ['a = 0x1 (0.5), b = 0x2 (1)'], inputs: [], confirmed: true },
            vectorFile: 'formal/reports/e2m1_e8m0_k4.cex/mx_mul_e2m1.table.json',
          },
        ],
      },
    ],
    sequential: '',
  };
}

describe('formal report: replaying a counterexample', () => {
  it('on rtl-out: the Makefile default, no RTL=', () => {
    const md = renderMarkdown(report('rtl-out'));
    expect(md).toContain('(replay: `make sim SIM_ARGS="--replay formal/reports/e2m1_e8m0_k4.cex/mx_mul_e2m1.table.json"`)');
    expect(md).not.toContain('RTL=');
  });

  it('on another folder: RTL=<folder>, so the bench runs the RTL that was proven', () => {
    const md = renderMarkdown(report('build/k4'));
    expect(md).toContain('(replay: `make sim RTL=build/k4 SIM_ARGS="--replay formal/reports/e2m1_e8m0_k4.cex/mx_mul_e2m1.table.json"`)');
    expect(replayCommand('../elsewhere/rtl', 'x.json')).toBe('make sim RTL=../elsewhere/rtl SIM_ARGS="--replay x.json"');
  });
});
