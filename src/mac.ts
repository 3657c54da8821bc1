/**
 * The MAC array's numerics, cycle by cycle: an R x C grid of processing elements, PE (i, j) adding
 * the dot product of A-block i and B-block j to its accumulator at every valid beat. Golden model
 * of the `mac_array` unit; over one accumulation of n beats, PE (i, j)'s result equals dotMx of row
 * i and column j over those n blocks (test/golden/mac.test.ts checks that against dotMx).
 *
 * - `fp32`: each block's dot product rounded to FP32 (dotBlock), then added to the FP32
 *   accumulator with one round-to-nearest-even per addition (fp32Add), in beat order; a `first`
 *   beat loads the block's result instead of adding it.
 * - `exact`: the blocks' exact scaled sums added exactly; the result is that sum rounded once to
 *   FP32 (roundRawToFp32).
 *
 * Read-out in `out` (FP32, or BF16): fp32 accumulation rounds the FP32 sum to BF16 (to nearest
 * even; a second rounding), exact accumulation rounds the exact sum once, to BF16 directly.
 *
 * Control, sampled at each clock edge: `reset` (synchronous) clears every accumulator (to +0 / an
 * exact zero), every result (to +0) and the output valid; otherwise a beat with `valid` updates every
 * accumulator, and when it has `last` the results take the completed sums and `outValid` is high for
 * the next cycle. A beat without `first` adds to what the accumulator holds (after reset: zero).
 * With S register stages, each beat takes effect S cycles after it is presented.
 */
import { decodeScale, type ElementFormat, type ScaleFormat } from './formats/format.js';
import { dotBlock, dotBlockExact } from './dot.js';
import { FP32, type FloatFormat } from './formats/float.js';
import { fp32Add, fp32ToRaw, roundRawToFp32 } from './fp32.js';
import { roundRawToFloat } from './round-float.js';
import { rawFinite, type Raw } from './raw.js';
import { sumRaws } from './sum.js';
import { fusedDotAdd } from './fused.js';

/**
 * fp32 and exact as above; `blackwell` and `hopper`: each beat is one GPU fused dot-add
 * (src/fused.ts: kind::mxf8f6f4, or Hopper FP8 wgmma with the E8M0 scales entering the exponents as
 * in kind::mxf8f6f4, so that codes 127 are the instruction itself), D = C + the block with C = +0
 * on a `first` beat, else the accumulator.
 */
export type MacAccumulation = 'fp32' | 'exact' | 'blackwell' | 'hopper';

const FUSED_ACCUMULATIONS: readonly MacAccumulation[] = ['blackwell', 'hopper'];

export interface MacShape {
  readonly elemA: ElementFormat;
  readonly elemB: ElementFormat;
  readonly scale: ScaleFormat;
  readonly block: number;
  readonly rows: number;
  readonly cols: number;
  readonly accum: MacAccumulation;
  /** the results' format (default FP32) */
  readonly out?: FloatFormat;
  /**
   * register stages before the accumulation (default 0): a beat reaches the accumulators this many
   * cycles later; a reset clears the stages too (the beats in them are dropped)
   */
  readonly stages?: number;
}

/** One clock cycle's inputs. */
export interface MacBeat {
  readonly reset: boolean;
  readonly valid: boolean;
  readonly first: boolean;
  readonly last: boolean;
  /** rows x block element codes of A (row i = the A-block PE row i reads) */
  readonly a: readonly (readonly number[])[];
  readonly scaleA: readonly number[];
  /** cols x block element codes of B */
  readonly b: readonly (readonly number[])[];
  readonly scaleB: readonly number[];
}

/** The outputs after a cycle's clock edge. */
export interface MacOutputs {
  /** rows x cols bit patterns in the read-out format, PE (i, j) at index cols * i + j */
  readonly result: readonly number[];
  readonly outValid: boolean;
}

const ZERO: Raw = rawFinite(0, 0, 0);
const IDLE: MacBeat = { reset: false, valid: false, first: false, last: false, a: [], scaleA: [], b: [], scaleB: [] };

export class MacArrayModel {
  private readonly accF: number[];
  private readonly accX: Raw[];
  private readonly result: number[];
  private outValid = false;
  /** the beats inside the register stages, oldest first */
  private readonly staged: MacBeat[] = [];

  /**
   * `blockDot`, if given, computes one block's FP32 dot product from codes (a faster kernel with the
   * same results as dotBlock, e.g. dotKernel); the fp32 mode uses it instead of dotBlock.
   */
  constructor(
    readonly shape: MacShape,
    private readonly blockDot?: (a: readonly number[], b: readonly number[], scaleA: number, scaleB: number) => number,
  ) {
    const n = shape.rows * shape.cols;
    if (!Number.isInteger(shape.rows) || shape.rows < 1 || !Number.isInteger(shape.cols) || shape.cols < 1) throw new RangeError(`bad array ${shape.rows} x ${shape.cols}`);
    if (shape.accum !== 'fp32' && shape.accum !== 'exact' && !FUSED_ACCUMULATIONS.includes(shape.accum)) throw new RangeError(`unknown accumulation '${String(shape.accum)}'`);
    this.accF = new Array<number>(n).fill(0);
    this.accX = new Array<Raw>(n).fill(ZERO);
    this.result = new Array<number>(n).fill(0);
    const S = shape.stages ?? 0;
    if (!Number.isInteger(S) || S < 0) throw new RangeError(`bad stage count ${S}`);
    this.clearStages();
  }

  private clearStages(): void {
    this.staged.length = 0;
    for (let i = 0; i < (this.shape.stages ?? 0); i++) this.staged.push(IDLE);
  }

  /** One clock cycle: the state after the edge, and the outputs it shows. */
  step(input: MacBeat): MacOutputs {
    const { rows, cols, accum } = this.shape;
    if (input.reset) {
      this.clearStages();
      this.accF.fill(0);
      this.accX.fill(ZERO);
      this.result.fill(0);
      this.outValid = false;
      return this.outputs();
    }
    let beat = input;
    if ((this.shape.stages ?? 0) > 0) {
      this.staged.push(input);
      beat = this.staged.shift() ?? IDLE;
    }
    this.outValid = beat.valid && beat.last;
    if (beat.valid) {
      if (beat.a.length !== rows || beat.scaleA.length !== rows || beat.b.length !== cols || beat.scaleB.length !== cols) {
        throw new RangeError(`a beat of a ${rows} x ${cols} array needs ${rows} A-blocks and ${cols} B-blocks with their scales`);
      }
      for (let i = 0; i < rows; i++) {
        const sa = decodeScale(this.shape.scale, beat.scaleA[i]);
        for (let j = 0; j < cols; j++) {
          const sb = decodeScale(this.shape.scale, beat.scaleB[j]);
          const q = cols * i + j;
          if (accum === 'fp32') {
            const p = this.blockDot ? this.blockDot(beat.a[i], beat.b[j], beat.scaleA[i], beat.scaleB[j]) : dotBlock(this.shape.elemA, beat.a[i], this.shape.elemB, beat.b[j], sa, sb);
            this.accF[q] = beat.first ? p : fp32Add(this.accF[q], p);
            if (beat.last) this.result[q] = this.readFp32(this.accF[q]);
          } else if (accum === 'blackwell' || accum === 'hopper') {
            const op = (elem: ElementFormat, codes: readonly number[], sc: number) => ({ elem, codes, scale: this.shape.scale, scales: [sc] });
            this.accF[q] = fusedDotAdd(accum, op(this.shape.elemA, beat.a[i], beat.scaleA[i]), op(this.shape.elemB, beat.b[j], beat.scaleB[j]), beat.first ? 0 : this.accF[q]);
            if (beat.last) this.result[q] = this.accF[q];
          } else {
            const x = dotBlockExact(this.shape.elemA, beat.a[i], this.shape.elemB, beat.b[j], sa, sb);
            this.accX[q] = beat.first ? x : sumRaws([this.accX[q], x]);
            if (beat.last) this.result[q] = (this.shape.out ?? FP32) === FP32 ? roundRawToFp32(this.accX[q]) : roundRawToFloat(this.shape.out ?? FP32, this.accX[q]);
          }
        }
      }
    }
    return this.outputs();
  }

  /** The FP32 accumulator in the read-out format. */
  private readFp32(x: number): number {
    const out = this.shape.out ?? FP32;
    return out === FP32 ? x : roundRawToFloat(out, fp32ToRaw(x));
  }

  private outputs(): MacOutputs {
    return { result: this.result.map((r) => r >>> 0), outValid: this.outValid };
  }
}
