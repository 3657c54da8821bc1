/** The generator version written into every file header and manifest (kept equal to package.json). */
export const GENERATOR_VERSION = '0.1.0';
