/** mxrtl golden model: integer-exact MX numerics. */
export * from './raw.js';
export * from './fp32.js';
export * from './sum.js';
export * from './formats/minifloat.js';
export * from './formats/e2m1.js';
export * from './formats/e8m0.js';
export * from './mul.js';
export * from './dequant.js';
export * from './dot.js';
