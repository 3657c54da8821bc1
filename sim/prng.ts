/**
 * xoshiro128** : the bench's seeded, deterministic 32-bit generator. The same seed gives the same
 * vectors on every machine, so a run is reproduced by its printed seed.
 */

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Seeds the four state words from a 32-bit seed through splitmix32 (never all zero). */
  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32-bit word, unsigned. */
  next(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** A whole number in 0 .. n-1 (n up to 2^32), without modulo bias worth noticing for test vectors. */
  below(n: number): number {
    return Math.floor((this.next() / 0x100000000) * n);
  }

  /** Fill out[off .. off+count-1] with the next `count` words; the state stays in locals for speed. */
  fill(out: Uint32Array, off = 0, count = out.length - off): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const end = off + count;
    for (let i = off; i < end; i++) {
      const m = Math.imul(s1, 5);
      out[i] = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Parse a seed given on the command line: decimal or 0x-prefixed hex, 0 .. 2^32-1. */
export function parseSeed(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (!/^(0x[0-9a-f]{1,8}|[0-9]{1,10})$/.test(t)) return null;
  const v = Number(t);
  return v <= 0xffffffff ? v : null;
}

export function seedHex(seed: number): string {
  return '0x' + (seed >>> 0).toString(16).padStart(8, '0');
}
