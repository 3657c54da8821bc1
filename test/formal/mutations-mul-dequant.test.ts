// Broken multipliers and dequantizers must fail their truth-table proofs (see mutation.ts).
import { describeMutations, type Case } from './mutation.js';

const CASES: Case[] = [
  {
    name: 'multiplier: one bit of one product-table entry flipped (a = 1.5, b = -3)',
    k: 4,
    kind: 'mul_e2m1',
    pattern: /assign prod = (\w+);/,
    replace: "assign prod = $1 ^ {6'b0, (a == 4'd3 && b == 4'd13), 2'b0};",
    fails: 'mul_e2m1.table',
  },
  {
    name: 'multiplier: the negation of the product off by one',
    k: 4,
    kind: 'mul_e2m1',
    pattern: /p_sign \? 9'd0 - /,
    replace: "p_sign ? 9'd1 - ",
    fails: 'mul_e2m1.table',
  },
  {
    name: 'dequantizer: lane 2 wrong for one (element, scale) pair only',
    k: 4,
    kind: 'dequant_e2m1_e8m0',
    pattern: /assign result = \{q3, q2, q1, q0\};/,
    replace: "assign result = {q3, q2 ^ {31'b0, scale == 8'd200 && elems[11:8] == 4'd5}, q1, q0};",
    fails: 'dequant_e2m1_e8m0.lanes',
  },
  {
    name: 'dequantizer: lane 1 turns -0 into +0',
    k: 4,
    kind: 'dequant_e2m1_e8m0',
    pattern: /\(q1_zero \? \{e1_sign, /,
    replace: "(q1_zero ? {1'b0, ",
    fails: 'dequant_e2m1_e8m0.lanes',
  },
  {
    name: 'dequantizer with two lane groups (k = 40): lane 35 wrong for one (element, scale) pair only',
    k: 40,
    kind: 'dequant_e2m1_e8m0',
    pattern: /(assign result = \{.*?)\bq35\b/,
    replace: "$1(q35 ^ {31'b0, scale == 8'd3 && elems[143:140] == 4'd9})",
    fails: 'dequant_e2m1_e8m0.lanes_32_39',
  },
];

describeMutations('mut-md', CASES);
