// A broken FP32 adder must fail the obligation that covers the broken stage (see mutation.ts).
import { describeMutations, type Case } from './mutation.js';

const CASES: Case[] = [
  {
    name: 'adder: the sticky bit of the alignment dropped',
    config: { k: 1 },
    family: 'add',
    file: 'mx_add_fp32.v',
    pattern: /\(y_wide\[24\] \| sticky\)/,
    replace: 'y_wide[24]',
    fails: 'stage',
  },
  {
    name: 'adder: operands ordered by exponent alone',
    config: { k: 1 },
    family: 'add',
    file: 'mx_add_fp32.v',
    pattern: /wire swap = b\[30:0\] > a\[30:0\];/,
    replace: 'wire swap = b[30:23] > a[30:23];',
    fails: 'stage',
  },
  {
    name: 'adder: (+0) + (-0) gives -0',
    config: { k: 1 },
    family: 'add',
    file: 'mx_add_fp32.v',
    pattern: /mag_zero \? a\[31\] & b\[31\]/,
    replace: 'mag_zero ? a[31] | b[31]',
    fails: 'stage',
  },
  {
    name: 'adder: +Inf + -Inf is not NaN',
    config: { k: 1 },
    family: 'add',
    file: 'mx_add_fp32.v',
    pattern: / \| \(a_inf & b_inf & subtract\)/,
    replace: '',
    fails: 'stage',
  },
  {
    name: 'adder: rounding increment dropped',
    config: { k: 1 },
    family: 'add',
    file: 'mx_add_fp32.v',
    pattern: /wire rnd_up = [^;]+;/,
    replace: "wire rnd_up = 1'b0;",
    fails: 'round',
  },
];

describeMutations('add', CASES);
