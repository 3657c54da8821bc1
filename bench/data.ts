/** Seeded synthetic data for the benchmarks: uniform integers and heavy-tailed values. */

/** mulberry32: a small seeded generator of uniform 32-bit integers. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n Student-t(3) samples: Z / sqrt(chi2_3 / 3), normals by Box-Muller. */
export function studentT3(n: number, seed: number): Float32Array {
  const u = rng(seed);
  const normal = (): number => {
    const a = 1 - u();
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const z = normal();
    const c = normal() ** 2 + normal() ** 2 + normal() ** 2;
    out[i] = z / Math.sqrt(c / 3);
  }
  return out;
}
