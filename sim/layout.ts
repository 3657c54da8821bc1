/**
 * The binary record layout the driver and the C++ harness share.
 *
 * A record is a run of little-endian 32-bit words: every port of one direction in manifest order,
 * each in ceil(width/32) words with its least significant word first (Verilator's VlWide order).
 * Bits above a port's width are zero.
 */
import { article, hexDigitCount } from '../src/text.js';
import { CLOCK_PORT } from '../generator/units/unit.js';

export interface PortSpec {
  readonly name: string;
  readonly dir: 'input' | 'output';
  readonly width: number;
}

export interface PortSlot extends PortSpec {
  /** first word of the port within its record */
  readonly offset: number;
  /** words the port occupies */
  readonly words: number;
  /** mask of the valid bits of the port's last word */
  readonly topMask: number;
}

export interface RecordLayout {
  readonly inputs: readonly PortSlot[];
  readonly outputs: readonly PortSlot[];
  /** words per input record */
  readonly inWords: number;
  /** words per output record */
  readonly outWords: number;
  /** the clock input of a clocked unit (not part of a record: each record is one cycle), or null */
  readonly clock: string | null;
  /**
   * Records between an input record and the output record that shows it, in a stream read after
   * each rising edge (a pipeline of S stages: S - 1): the harness and the testbenches align the
   * outputs to their inputs, so the bench always compares record i's outputs with record i's inputs.
   */
  readonly delay: number;
}


export function recordLayout(ports: readonly PortSpec[], delay = 0): RecordLayout {
  if (!Number.isInteger(delay) || delay < 0) throw new Error(`bad output delay ${delay}`);
  const place = (dir: 'input' | 'output'): { slots: PortSlot[]; words: number } => {
    const slots: PortSlot[] = [];
    let offset = 0;
    for (const p of ports) {
      if (p.dir !== dir || isClock(p)) continue;
      if (!Number.isInteger(p.width) || p.width < 1) throw new Error(`port ${p.name}: bad width ${p.width}`);
      const words = Math.ceil(p.width / 32);
      const rest = p.width - 32 * (words - 1);
      slots.push({ name: p.name, dir: p.dir, width: p.width, offset, words, topMask: rest === 32 ? 0xffffffff : (2 ** rest - 1) >>> 0 });
      offset += words;
    }
    return { slots, words: offset };
  };
  const i = place('input');
  const o = place('output');
  const clock = ports.some(isClock) ? CLOCK_PORT : null;
  if (delay > 0 && !clock) throw new Error('a combinational unit has no output delay');
  return { inputs: i.slots, outputs: o.slots, inWords: i.words, outWords: o.words, clock, delay };
}

function isClock(p: PortSpec): boolean {
  return p.dir === 'input' && p.name === CLOCK_PORT && p.width === 1;
}

export function slotOf(slots: readonly PortSlot[], name: string): PortSlot {
  const s = slots.find((p) => p.name === name);
  if (!s) throw new Error(`no port '${name}'`);
  return s;
}

/**
 * Parse a port value written as hex (MSB first, exactly hexDigitCount(width) digits) into its words.
 * Returns an error text instead of throwing.
 */
export function hexToWords(hex: string, width: number, out: Uint32Array, off: number): string | null {
  if (!/^[0-9a-fA-F]+$/.test(hex)) return `'${hex.length > 40 ? hex.slice(0, 40) + '...' : hex}' is not hex digits`;
  const digits = hexDigitCount(width);
  if (hex.length !== digits) return `${hex.length} hex digits for ${article(String(width))} ${width}-bit port (needs ${digits})`;
  const words = Math.ceil(width / 32);
  for (let w = 0; w < words; w++) {
    const end = hex.length - 8 * w;
    const start = Math.max(0, end - 8);
    out[off + w] = parseInt(hex.slice(start, end), 16) >>> 0;
  }
  const rest = width - 32 * (words - 1);
  if (rest < 32 && out[off + words - 1] >>> rest !== 0) return `value '${hex}' does not fit ${width} bits`;
  return null;
}

/** A port value as hex, MSB first, hexDigitCount(width) digits. */
export function wordsToHex(words: ArrayLike<number>, off: number, width: number): string {
  const n = Math.ceil(width / 32);
  let s = '';
  for (let w = n - 1; w >= 0; w--) s += (words[off + w] >>> 0).toString(16).padStart(8, '0');
  return s.slice(s.length - hexDigitCount(width));
}

/** A port value as a bigint (for messages and tests). */
export function wordsToBigInt(words: ArrayLike<number>, off: number, width: number): bigint {
  return BigInt('0x' + wordsToHex(words, off, width));
}

/** Bits [lo, lo+n) of a port (n <= 32) whose words start at off. */
export function fieldOf(words: ArrayLike<number>, off: number, lo: number, n: number): number {
  const w = lo >>> 5;
  const b = lo & 31;
  let v = words[off + w] >>> b;
  if (b + n > 32) v |= words[off + w + 1] << (32 - b);
  return n === 32 ? v >>> 0 : (v & ((2 ** n - 1) >>> 0)) >>> 0;
}
