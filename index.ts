/**
 * `import { ... } from 'mxrtl'`: the golden model (formats, quantize, dequantize, dot products,
 * the one rounding; src/) and the generator (`generate`).
 */
export * from './src/index.js';
export { generate, type GenerateOptions, type Generated } from './generator/api.js';
export { UsageError } from './generator/cli-args.js';
export type { Manifest, ManifestFile, ManifestPort, ManifestUnit } from './generator/manifest.js';
