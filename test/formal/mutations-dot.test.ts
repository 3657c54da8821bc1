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
    name: 'dot product: lanes 0 and 1 multiply each other\'s B elements',
    config: K4,
    family: 'dot',
    file: 'mx_dotsum_e2m1_k4.v',
    pattern: /\.b\(b\[4\*i \+: 4\]\)/,
    replace: '.b(b[4*(i ^ 1) +: 4])',
    fails: 'products',
    structural: true,
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
  // FP8 at the default block size, for E4M3 and E5M2 alike: a product bit, the rounding increment,
  // a NaN / Inf rule and a tree input
  ...(['e4m3', 'e5m2'] as const).flatMap((f): Case[] => {
    const E4 = f === 'e4m3';
    const top = `mx_dot_${f}_e8m0_k32.v`;
    const pw = E4 ? 36 : 64;
    return [
      {
        name: `FP8 ${f.toUpperCase()} dot product (k = 32): the lowest bit of the lane's significand product flipped`,
        config: { elem: f, k: 32 },
        family: 'dot',
        file: `mx_mul_${f}.v`,
        pattern: E4 ? /wire \[7:0\] p_sig = \{4'b0, a_sig\} \* \{4'b0, b_sig\};/ : /wire \[5:0\] p_sig = \{3'b0, a_sig\} \* \{3'b0, b_sig\};/,
        replace: E4 ? "wire [7:0] p_sig = ({4'b0, a_sig} * {4'b0, b_sig}) ^ 8'd1;" : "wire [5:0] p_sig = ({3'b0, a_sig} * {3'b0, b_sig}) ^ 6'd1;",
        fails: 'products',
      },
      {
        name: `FP8 ${f.toUpperCase()} dot product (k = 32): rounding increment dropped`,
        config: { elem: f, k: 32 },
        family: 'dot',
        file: top,
        pattern: /wire rnd_up = [^;]+;/,
        replace: "wire rnd_up = 1'b0;",
        fails: 'round',
      },
      E4
        ? {
            name: 'FP8 E4M3 dot product (k = 32): S.1111.110 (448) taken for NaN',
            config: { elem: f, k: 32 },
            family: 'dot',
            file: 'mx_mul_e4m3.v',
            pattern: /wire b_nan = &b\[6:0\];/,
            replace: 'wire b_nan = &b[6:1];',
            fails: 'products',
          }
        : {
            name: 'FP8 E5M2 dot product (k = 32): zero times Inf in B not NaN',
            config: { elem: f, k: 32 },
            family: 'dot',
            file: 'mx_mul_e5m2.v',
            pattern: / \| \(b_inf & p_a_zero\);/,
            replace: ';',
            fails: 'products',
          },
      {
        name: `FP8 ${f.toUpperCase()} dot product (k = 32): the tree reads prod_2 twice and drops prod_3`,
        config: { elem: f, k: 32 },
        family: 'dot',
        file: `mx_dotsum_${f}_k32.v`,
        pattern: new RegExp(`(wire \\[${pw + 1}:0\\] sum_l1_1 = .*?)prod_3\\[${pw}\\], prod_3\\}`),
        replace: `$1prod_2[${pw}], prod_2}`,
        fails: 'tree',
      },
    ];
  }),
  // FP8 at the default block size: the rounding and the scaling are proven by SAT against
  // references, and a subtle edit of either must still fail with a confirmed counterexample
  {
    name: 'FP8 E4M3 dot product (k = 32): the sticky bit misses the bit below the round bit',
    config: { elem: 'e4m3', k: 32 },
    family: 'dot',
    file: 'mx_dot_e4m3_e8m0_k32.v',
    pattern: /wire rnd_sticky = \|rnd_ext\[40:0\];/,
    replace: 'wire rnd_sticky = |rnd_ext[39:0];',
    fails: 'round',
  },
  {
    name: 'FP8 E4M3 dot product with UE4M3 scales (k = 32): the sticky bit misses its lowest bit',
    config: { elem: 'e4m3', scale: 'ue4m3', k: 32 },
    family: 'dot',
    file: 'mx_dot_e4m3_ue4m3_k32.v',
    pattern: /wire rnd_sticky = \|rnd_ext\[23:0\];/,
    replace: 'wire rnd_sticky = |rnd_ext[23:1];',
    fails: 'round',
  },
  {
    name: 'FP8 E5M2 dot product with UE5M3 scales (k = 32): the top bit of the scale significand dropped',
    config: { elem: 'e5m2', scale: 'ue5m3', k: 32 },
    family: 'dot',
    file: 'mx_dot_e5m2_ue5m3_k32.v',
    pattern: /\{69'b0, scale_sig\}/,
    replace: "{70'b0, scale_sig[6:0]}",
    fails: 'scaling',
  },
];

describeMutations('mut-dot', CASES);
