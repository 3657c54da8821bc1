// A broken dot product must fail exactly the obligation of the stage that was broken, and only
// that one (see mutation.ts).
import { describeMutations, type Case } from './mutation.js';

const K4 = { k: 4 };

const CASES: Case[] = [
  {
    name: 'dot product: the lanes\' product sign an OR, not an XOR',
    config: K4,
    family: 'dot',
    file: 'mx_mul_e2m1.v',
    pattern: /wire p_sign = a_sign \^ b_sign;/,
    replace: 'wire p_sign = a_sign | b_sign;',
    fails: 'products',
  },
  {
    name: 'dot product: adder tree adds prod_2 twice and drops prod_3',
    config: K4,
    family: 'dot',
    file: 'mx_dotsum_e2m1_k4.v',
    pattern: /(wire \[\d+:0\] sum_l1_1 = .*?)prod_3\[(\d+)\], prod_3\}/,
    replace: '$1prod_2[$2], prod_2}',
    fails: 'tree',
  },
  {
    name: 'dot product: rounding increment dropped',
    config: K4,
    family: 'dot',
    file: 'mx_dot_e2m1_e8m0_k4.v',
    pattern: /wire rnd_up = [^;]+;/,
    replace: "wire rnd_up = 1'b0;",
    fails: 'round',
  },
  {
    name: 'dot product, default block size (k = 32): rounding increment dropped',
    config: { k: 32 },
    family: 'dot',
    file: 'mx_dot_e2m1_e8m0_k32.v',
    pattern: /wire rnd_up = [^;]+;/,
    replace: "wire rnd_up = 1'b0;",
    fails: 'round',
  },
  {
    name: 'dot product: a NaN scale_b not recognised',
    config: K4,
    family: 'dot',
    file: 'mx_dot_e2m1_e8m0_k4.v',
    pattern: /scale_b == 8'd255/,
    replace: "scale_b == 8'd254",
    fails: 'scales',
  },
  {
    name: 'dot product: scale exponent one too large',
    config: K4,
    family: 'dot',
    file: 'mx_dot_e2m1_e8m0_k4.v',
    pattern: /(wire \[8:0\] scale_exp = \{1'b0, scale_a\} \+ \{1'b0, scale_b\});/,
    replace: "$1 + 9'd1;",
    fails: 'scales',
  },
  {
    name: 'dot product: a negative sum not negated',
    config: K4,
    family: 'dot',
    file: 'mx_dot_e2m1_e8m0_k4.v',
    pattern: /wire \[9:0\] sum_abs = sum_sign \? 10'd0 - sum\[9:0\] : sum\[9:0\];/,
    replace: 'wire [9:0] sum_abs = sum[9:0];',
    fails: 'magnitude',
  },
  {
    name: 'dot product: a wrong quiet NaN',
    config: K4,
    family: 'dot',
    file: 'mx_dot_e2m1_e8m0_k4.v',
    pattern: /round_nan \? 32'h7fc00000/,
    replace: "round_nan ? 32'h7fc00001",
    fails: 'specials',
  },
  {
    name: 'FP8 E5M2 dot product: +Inf and -Inf products do not make NaN',
    config: { elem: 'e5m2', k: 4 },
    family: 'dot',
    file: 'mx_dotsum_e5m2_k4.v',
    pattern: /assign nan = \(\|nans\) \| \(any_pinf & any_ninf\);/,
    replace: 'assign nan = |nans;',
    fails: 'flags',
  },
  {
    name: 'NVFP4 dot product: the scale significands added, not multiplied',
    config: { scale: 'ue4m3', k: 4 },
    family: 'dot',
    file: 'mx_dot_e2m1_ue4m3_k4.v',
    pattern: /(wire \[16:0\] round_mag = \{7'b0, sum_abs\}) \* (\{9'b0, scale_sig\});/,
    replace: '$1 + $2;',
    fails: 'scaling',
  },
];

describeMutations('mut-dot', CASES);
