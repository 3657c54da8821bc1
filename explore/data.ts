/**
 * The data sets a sweep quantizes: seeded synthetic tensors, or float32 values from a file.
 *
 * A data set is named by a spec, `KIND[:key=value,...]`:
 *   gaussian[:sigma=S]            normal, standard deviation S (default 1)
 *   laplace[:b=B]                 Laplace, scale B (default 1)
 *   student-t[:nu=N]              Student-t with N degrees of freedom (default 3)
 *   sparse[:rate=R,outlier=M]     normal values, a fraction R of them (default 0.001) times M (default 100)
 *   npy:PATH                      the float32 values of a .npy file (or raw little-endian float32)
 * and every synthetic kind takes `scale=X` (default 1), a factor applied last (the magnitude).
 * The same spec, count and seed give the same values on every machine (mulberry32 and Math
 * functions of doubles; the values are rounded once to FP32).
 */
import { basename } from 'node:path';
import { UsageError } from '../generator/cli-args.js';
import { readFloat32 } from '../generator/numerics-io/files.js';

/** mulberry32: a small seeded generator of uniform 32-bit integers, as doubles in [0, 1). */
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

/** Standard normal samples by Box-Muller (the cosine half). */
function normals(u: () => number): () => number {
  return () => {
    const a = 1 - u();
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
  };
}

/** Gamma(shape, 1) samples (Marsaglia and Tsang; shape < 1 by the boost U^(1/shape)). */
function gammas(shape: number, u: () => number, normal: () => number): () => number {
  const a = shape < 1 ? shape + 1 : shape;
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  return () => {
    let g: number;
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const w = 1 - u();
      if (Math.log(w) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        g = d * v;
        break;
      }
    }
    return shape < 1 ? g * (1 - u()) ** (1 / shape) : g;
  };
}

/**
 * Student-t samples with nu degrees of freedom: Z / sqrt(chi2_nu / nu), chi2_nu as the sum of nu
 * squared normals for a whole nu up to 32, else 2 * Gamma(nu / 2).
 */
function studentTs(nu: number, u: () => number): () => number {
  const normal = normals(u);
  const g = Number.isInteger(nu) && nu <= 32 ? null : gammas(nu / 2, u, normal);
  const chi2 = g
    ? () => 2 * g()
    : () => {
        let c = 0;
        for (let i = 0; i < nu; i++) c += normal() ** 2;
        return c;
      };
  return () => {
    const z = normal();
    return z / Math.sqrt(chi2() / nu);
  };
}

/** n Student-t(nu) samples, each rounded once to FP32. */
export function studentT(n: number, nu: number, seed: number): Float32Array {
  const draw = studentTs(nu, rng(seed));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = draw();
  return out;
}

/** n Student-t(3) samples (the benchmarks' heavy-tailed data). */
export function studentT3(n: number, seed: number): Float32Array {
  return studentT(n, 3, seed);
}

const KINDS = ['gaussian', 'laplace', 'student-t', 'sparse', 'npy'] as const;
type Kind = (typeof KINDS)[number];

/** The parameters each synthetic kind takes, with their defaults and lower bounds (exclusive unless noted). */
const PARAMS: Record<Exclude<Kind, 'npy'>, Record<string, { dflt: number; check: (v: number) => boolean; what: string }>> = {
  gaussian: { sigma: { dflt: 1, check: (v) => v > 0, what: 'a positive number' } },
  laplace: { b: { dflt: 1, check: (v) => v > 0, what: 'a positive number' } },
  'student-t': { nu: { dflt: 3, check: (v) => v > 0 && v <= 1e6, what: 'a positive number up to 1e6' } },
  sparse: {
    rate: { dflt: 0.001, check: (v) => v >= 0 && v <= 1, what: 'a number from 0 to 1' },
    outlier: { dflt: 100, check: (v) => v > 0, what: 'a positive number' },
  },
};

export interface DataSpec {
  /** the canonical spec text: the data set's name in reports */
  readonly name: string;
  readonly kind: Kind;
  /** the kind's parameters with defaults filled in, and `scale` */
  readonly params: Readonly<Record<string, number>>;
  /** npy: the file */
  readonly path?: string;
}

/** Parse a data-set spec (UsageError on a bad one). */
export function parseDataSpec(text: string): DataSpec {
  const t = text.trim();
  const colon = t.indexOf(':');
  const kind = (colon < 0 ? t : t.slice(0, colon)).toLowerCase();
  const rest = colon < 0 ? '' : t.slice(colon + 1);
  if (!(KINDS as readonly string[]).includes(kind)) throw new UsageError(`data set '${text}': unknown kind '${kind}' (one of: ${KINDS.join(', ')})`);
  if (kind === 'npy') {
    if (rest === '') throw new UsageError(`data set '${text}': npy needs a file, as npy:PATH`);
    return { name: `npy:${rest}`, kind: 'npy', params: {}, path: rest };
  }
  const known = { ...PARAMS[kind as Exclude<Kind, 'npy'>], scale: { dflt: 1, check: (v: number) => v > 0 && v < 3e38, what: 'a positive number below 3e38' } };
  const params: Record<string, number> = {};
  for (const [k, p] of Object.entries(known)) params[k] = p.dflt;
  for (const part of rest === '' ? [] : rest.split(',')) {
    const m = /^\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(part);
    if (!m) throw new UsageError(`data set '${text}': expected key=value, got '${part}'`);
    const key = m[1].toLowerCase();
    const p = known[key as keyof typeof known];
    if (!p) throw new UsageError(`data set '${text}': ${kind} takes ${Object.keys(known).join(', ')}, not '${m[1]}'`);
    const v = Number(m[2]);
    if (!Number.isFinite(v) || !p.check(v)) throw new UsageError(`data set '${text}': ${key} must be ${p.what}, got '${m[2]}'`);
    params[key] = v;
  }
  const shown = Object.entries(params)
    .filter(([k, v]) => v !== known[k as keyof typeof known].dflt)
    .map(([k, v]) => `${k}=${v}`);
  return { name: shown.length > 0 ? `${kind}:${shown.join(',')}` : kind, kind: kind as Kind, params };
}

/** A short label for charts: the spec, with an npy file by its base name. */
export function dataLabel(d: DataSpec): string {
  return d.kind === 'npy' && d.path ? `npy:${basename(d.path)}` : d.name;
}

/** A 32-bit seed from the sweep's seed and the data set's name (FNV-1a), so each set's values do not depend on the others. */
export function dataSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A sampler of one synthetic kind (doubles, before the scale). */
function sampler(kind: Exclude<Kind, 'npy'>, p: Readonly<Record<string, number>>, u: () => number): () => number {
  const normal = normals(u);
  switch (kind) {
    case 'gaussian':
      return () => p.sigma * normal();
    case 'laplace':
      return () => {
        let v = 0;
        while (v === 0) v = 1 - u(); // (0, 1]
        const w = u() < 0.5 ? 1 : -1;
        return -w * p.b * Math.log(v);
      };
    case 'student-t':
      return studentTs(p.nu, u);
    case 'sparse':
      return () => {
        const x = normal();
        return u() < p.rate ? x * p.outlier : x;
      };
  }
}

/** The values of a data set as FP32 bits: n synthetic values (each rounded once to FP32), or the whole file. */
export function loadData(d: DataSpec, n: number, seed: number): Uint32Array {
  if (d.kind === 'npy') return readFloat32(d.path as string).bits;
  const draw = sampler(d.kind, d.params, rng(dataSeed(seed, d.name)));
  const scale = d.params.scale;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = draw() * scale;
  return new Uint32Array(out.buffer);
}
