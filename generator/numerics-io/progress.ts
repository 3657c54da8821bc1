/**
 * Progress of the long numerics runs (the `mse` recipe, inputs of 10^8 values): the work is done
 * in pieces of whole blocks and, once a run has taken more than a second, a line on stderr says how
 * far it is. Shown when stderr is a terminal (redrawn in place, cleared at the end); MXRTL_PROGRESS=1
 * shows it anywhere (one line per update), MXRTL_PROGRESS=0 never.
 */
import { quantize, type QuantizeOptions, type Quantized } from '../../src/index.js';
import { count, seconds } from '../../sim/format.js';

/** Blocks quantized between two looks at the clock. */
const PIECE_BLOCKS = 1 << 14;
/** The first line after this many milliseconds; then at most one line per this many. */
const FIRST_MS = 1000;
const EVERY_MS = 500;

export interface Progress {
  /** `done` of `total` units of work are finished */
  update(done: number, total: number): void;
  /** the work is finished: a redrawn line is cleared */
  end(): void;
}

function enabled(): boolean {
  const force = process.env.MXRTL_PROGRESS;
  if (force === '1') return true;
  if (force === '0') return false;
  return process.stderr.isTTY === true;
}

/** A progress line for `what` (e.g. 'mxrtl quantize'), counted in `unit` (e.g. 'values'). */
export function progress(what: string, unit: string): Progress {
  const on = enabled();
  const tty = process.stderr.isTTY === true;
  const start = Date.now();
  let next = start + FIRST_MS;
  let shown = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (!on || now < next || total === 0) return;
      next = now + EVERY_MS;
      const s = (now - start) / 1000;
      const left = done > 0 ? (s * (total - done)) / done : NaN;
      const text = `${what}: ${count(done)} of ${count(total)} ${unit} (${Math.floor((100 * done) / total)}%), ${seconds(s)}${Number.isFinite(left) ? `, about ${seconds(left)} left` : ''}`;
      if (tty) {
        process.stderr.write('\r' + text.padEnd(shown));
        shown = text.length;
      } else process.stderr.write(text + '\n');
    },
    end() {
      if (tty && shown > 0) process.stderr.write('\r' + ' '.repeat(shown) + '\r');
      shown = 0;
    },
  };
}

/**
 * The golden quantize of `bits`, piece by piece (whole blocks each, so the result is the same as
 * one call), reporting progress to `p` when given.
 */
export function quantizeInPieces(bits: Uint32Array, opts: QuantizeOptions, p?: Progress, offset = 0, total = bits.length): Quantized {
  const k = opts.blockSize;
  const nBlocks = Math.ceil(bits.length / k);
  if (nBlocks <= PIECE_BLOCKS) {
    const q = quantize(bits, opts);
    p?.update(offset + bits.length, total);
    return q;
  }
  const scales = new Uint8Array(nBlocks);
  const elems = new Uint8Array(nBlocks * k);
  for (let b = 0; b < nBlocks; b += PIECE_BLOCKS) {
    const q = quantize(bits.subarray(b * k, (b + PIECE_BLOCKS) * k), opts);
    scales.set(q.scales, b);
    elems.set(q.elems, b * k);
    p?.update(offset + Math.min(bits.length, (b + PIECE_BLOCKS) * k), total);
  }
  return { scales, elems };
}
