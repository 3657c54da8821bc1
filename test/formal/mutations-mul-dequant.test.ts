// Broken multipliers and dequantizers must fail their exhaustive proofs (see mutation.ts).
import { describeMutations, type Case } from './mutation.js';

const CASES: Case[] = [
  {
    name: 'multiplier: one bit of one product flipped (a = 1.5, b = -3)',
    config: { k: 4 },
    family: 'mul',
    file: 'mx_mul_e2m1.v',
    pattern: /assign prod = p_fixed;/,
    replace: "assign prod = p_fixed ^ {6'b0, (a == 4'd3 && b == 4'd13), 2'b0};",
    fails: 'table',
  },
  {
    name: 'multiplier: product sign an OR, not an XOR',
    config: { k: 4 },
    family: 'mul',
    file: 'mx_mul_e2m1.v',
    pattern: /wire p_sign = a_sign \^ b_sign;/,
    replace: 'wire p_sign = a_sign | b_sign;',
    fails: 'table',
  },
  {
    name: 'FP8 E5M2 multiplier: Inf times zero is not NaN',
    config: { elem: 'e5m2', k: 4 },
    family: 'mul',
    file: 'mx_mul_e5m2.v',
    pattern: /wire p_nan = a_nan \| b_nan \| \(a_inf & p_b_zero\) \| \(b_inf & p_a_zero\);/,
    replace: 'wire p_nan = a_nan | b_nan;',
    fails: 'table',
  },
  {
    name: 'dequantizer lane: -0 turns into +0',
    config: { k: 4 },
    family: 'dequant',
    file: 'mx_dequant_e2m1_e8m0.v',
    pattern: /\(q_zero \? \{e_sign, /,
    replace: "(q_zero ? {1'b0, ",
    fails: 'lanes',
  },
  {
    name: 'dequantizer block: lanes 0 and 1 read each other\'s elements',
    config: { k: 4 },
    family: 'dequant',
    file: 'mx_dequant_e2m1_e8m0_k4.v',
    pattern: /\.elem\(elems\[4\*i \+: 4\]\)/,
    replace: '.elem(elems[4*(i ^ 1) +: 4])',
    fails: 'lanes',
    structural: true,
  },
  {
    name: 'BF16 dequantizer, FP8 E4M3 x E8M0: rounding increment dropped',
    config: { elem: 'e4m3', out: 'bf16', k: 2 },
    family: 'dequant',
    file: 'mx_dequant_e4m3_e8m0_bf16.v',
    pattern: /wire q_up = [^;]+;/,
    replace: "wire q_up = 1'b0;",
    fails: 'lanes',
  },
];

describeMutations('mut-md', CASES);
