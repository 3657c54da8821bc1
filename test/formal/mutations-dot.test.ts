// A broken dot product must fail exactly the obligation of the stage that was broken, and only
// that one (see mutation.ts).
import { describeMutations, type Case } from './mutation.js';

const CASES: Case[] = [
  {
    name: 'dot product: lane 2 product sign is an OR, not an XOR',
    k: 4,
    kind: 'dot_e2m1_e8m0',
    pattern: /wire p_2_sign = a_2_sign \^ b_2_sign;/,
    replace: 'wire p_2_sign = a_2_sign | b_2_sign;',
    fails: 'dot_e2m1_e8m0.products',
  },
  {
    name: 'dot product: adder tree adds prod_2 twice and drops prod_3',
    k: 4,
    kind: 'dot_e2m1_e8m0',
    pattern: /(wire \[\d+:0\] sum_l1_1 = .*?)prod_3\[(\d+)\], prod_3\}/,
    replace: '$1prod_2[$2], prod_2}',
    fails: 'dot_e2m1_e8m0.tree',
  },
  {
    name: 'dot product: rounding increment dropped',
    k: 4,
    kind: 'dot_e2m1_e8m0',
    pattern: /wire rnd_up = [^;]+;/,
    replace: "wire rnd_up = 1'b0;",
    fails: 'dot_e2m1_e8m0.round',
  },
  {
    name: 'dot product, default block size (k = 32): rounding increment dropped',
    k: 32,
    kind: 'dot_e2m1_e8m0',
    pattern: /wire rnd_up = [^;]+;/,
    replace: "wire rnd_up = 1'b0;",
    fails: 'dot_e2m1_e8m0.round',
  },
  {
    name: 'dot product: exponent of the sum one too large',
    k: 4,
    kind: 'dot_e2m1_e8m0',
    pattern: /(wire \[8:0\] sum_exp = .*)9'h100;/,
    replace: "$19'h101;",
    fails: 'dot_e2m1_e8m0.exponent',
  },
  {
    name: 'dot product: a NaN scale_b not recognised',
    k: 4,
    kind: 'dot_e2m1_e8m0',
    pattern: /scale_b == 8'd255/,
    replace: "scale_b == 8'd254",
    fails: 'dot_e2m1_e8m0.exponent',
  },
];

describeMutations('mut-dot', CASES);
