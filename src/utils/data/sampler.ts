// torch.utils.data samplers: the index orders a DataLoader visits. The random ones draw from
// PyTorch's generators exactly as PyTorch 2.x does, so a seeded DataLoader shuffles like
// PyTorch (see RandomSampler).

import { Tensor } from "../../core/tensor.js";
import { float64, int64 } from "../../core/dtype.js";
import * as K from "../../backends/index.js";
import { tensor, type NestedData } from "../../ops/creation.js";
import { default_generator, Generator as TorchGenerator, randperm, randint_, multinomial } from "../../core/random.js";
import { datasetLen } from "./dataset.js";

/** Base class of the samplers: an iterable of indices (or of lists of indices). */
export class Sampler<T = number> implements Iterable<T> {
  // PyTorch's Sampler.__init__ takes an unused data_source (deprecated).
  constructor(_data_source?: unknown) {}
  __iter__(): Iterator<T> {
    throw new Error("NotImplementedError");
  }
  [Symbol.iterator](): Iterator<T> { return this.__iter__(); }
  __len__(): number {
    throw new TypeError(`object of type '${this.constructor.name}' has no len()`);
  }
  get length(): number { return this.__len__(); }
  len(): number { return this.__len__(); }
}

/** 0, 1, …, len(data_source) - 1 (`data_source` keeps the dataset's own type D). */
export class SequentialSampler<D = unknown> extends Sampler<number> {
  readonly data_source: D;
  constructor(data_source: D) {
    super();
    this.data_source = data_source;
  }
  override *__iter__(): Generator<number> {
    const n = datasetLen(this.data_source);
    for (let i = 0; i < n; i++) yield i;
  }
  override __len__(): number { return datasetLen(this.data_source); }
}

export interface RandomSamplerOptions { replacement?: boolean; num_samples?: number | null; generator?: TorchGenerator | null }

/** The seed PyTorch draws for a sampler that has no generator of its own:
 *  `int(torch.empty((), dtype=torch.int64).random_().item())` on the default generator, i.e.
 *  random_() on an int64 tensor: one random64() reduced modulo 2^63 (uniform_int's full range). */
function drawSeed(gen: TorchGenerator): bigint {
  return gen.random64() % (1n << 63n);
}

/** A fresh generator seeded from the default one, as RandomSampler.__iter__ makes when it has
 *  none (exported for DataLoader, which draws its _base_seed the same way). */
export function seededGenerator(): TorchGenerator {
  return new TorchGenerator().manual_seed(drawSeed(default_generator));
}

/** Draws `gen`'s next int64 seed (DataLoader's _base_seed). */
export function nextSeed(gen: TorchGenerator | null | undefined): bigint {
  return drawSeed(gen ?? default_generator);
}

/**
 * Random indices of a dataset: a permutation (per num_samples / len chunk), or with replacement
 * num_samples draws in chunks of 32, exactly as PyTorch 2.x's RandomSampler.__iter__: without a
 * generator of its own, each iteration first draws a seed from the default generator and
 * shuffles with a new TorchGenerator seeded with it.
 */
export class RandomSampler<D = unknown> extends Sampler<number> {
  readonly data_source: D;
  readonly replacement: boolean;
  readonly _num_samples: number | null;
  generator: TorchGenerator | null;
  constructor(data_source: D, replacement: boolean | RandomSamplerOptions = false, num_samples: number | null = null, generator: TorchGenerator | null = null) {
    super();
    const o: RandomSamplerOptions = typeof replacement === "object" && replacement !== null ? replacement : { replacement, num_samples, generator };
    this.data_source = data_source;
    this.replacement = o.replacement ?? false;
    this._num_samples = o.num_samples ?? null;
    this.generator = o.generator ?? null;
    if (typeof this.replacement !== "boolean") {
      throw new TypeError(`replacement should be a boolean value, but got replacement=${String(this.replacement)}`);
    }
    const ns = this.num_samples;
    if (!Number.isInteger(ns) || ns <= 0) throw new Error(`num_samples should be a positive integer value, but got num_samples=${ns}`);
  }
  get num_samples(): number { return this._num_samples ?? datasetLen(this.data_source); }
  override *__iter__(): Generator<number> {
    const n = datasetLen(this.data_source);
    const gen = this.generator ?? seededGenerator();
    const ns = this.num_samples;
    if (this.replacement) {
      const chunk = new BigInt64Array(32);
      for (let k = 0; k < Math.floor(ns / 32); k++) {
        randint_(chunk, int64, 0, n, gen);
        for (const v of chunk) yield Number(v);
      }
      const rest = new BigInt64Array(ns % 32);
      randint_(rest, int64, 0, n, gen);
      for (const v of rest) yield Number(v);
    } else {
      for (let k = 0; k < Math.floor(ns / n); k++) for (const v of randperm(n, gen)) yield Number(v);
      const last = randperm(n, gen);
      for (let i = 0; i < ns % n; i++) yield Number(last[i]!);
    }
  }
  override __len__(): number { return this.num_samples; }
}

/** The given indices in a random order (randperm of their count from `generator`, or from the
 *  default generator). */
export class SubsetRandomSampler extends Sampler<number> {
  readonly indices: readonly number[];
  generator: TorchGenerator | null;
  constructor(indices: readonly number[], generator: TorchGenerator | null | { generator?: TorchGenerator | null } = null) {
    super();
    this.indices = indices;
    this.generator = generator instanceof TorchGenerator || generator === null ? generator : generator.generator ?? null;
  }
  override *__iter__(): Generator<number> {
    for (const i of randperm(this.indices.length, this.generator ?? default_generator)) yield this.indices[Number(i)]!;
  }
  override __len__(): number { return this.indices.length; }
}

export interface WeightedRandomSamplerOptions { replacement?: boolean; generator?: TorchGenerator | null }

/** Indices 0..len(weights)-1 drawn with probabilities proportional to the weights
 *  (torch.multinomial on the weights as float64). */
export class WeightedRandomSampler extends Sampler<number> {
  readonly weights: Tensor;
  readonly num_samples: number;
  readonly replacement: boolean;
  generator: TorchGenerator | null;
  constructor(weights: readonly number[] | readonly number[][] | Tensor, num_samples: number, replacement: boolean | WeightedRandomSamplerOptions = true, generator: TorchGenerator | null = null) {
    super();
    const o: WeightedRandomSamplerOptions = typeof replacement === "object" && replacement !== null ? replacement : { replacement, generator };
    const rep = o.replacement ?? true;
    if (!Number.isInteger(num_samples) || typeof num_samples === "boolean" || num_samples <= 0) {
      throw new Error(`num_samples should be a positive integer value, but got num_samples=${String(num_samples)}`);
    }
    if (typeof rep !== "boolean") throw new Error(`replacement should be a boolean value, but got replacement=${String(rep)}`);
    // torch.as_tensor(weights, dtype=torch.double)
    const w = weights instanceof Tensor ? K.contiguousCopy(weights.detach(), float64) : tensor(weights as NestedData, { dtype: float64 });
    if (w.ndim !== 1) {
      const shape = w.shape.length === 1 ? `(${w.shape[0]},)` : `(${w.shape.join(", ")})`;
      throw new Error(`weights should be a 1d sequence but given weights have shape ${shape}`);
    }
    this.weights = w;
    this.num_samples = num_samples;
    this.replacement = rep;
    this.generator = o.generator ?? null;
  }
  override *__iter__(): Generator<number> {
    const w = K.values(this.weights);
    const r = multinomial(w, 1, w.length, this.num_samples, this.replacement, this.generator ?? default_generator, float64);
    for (const v of r) yield Number(v);
  }
  override __len__(): number { return this.num_samples; }
}

/** Groups the indices of `sampler` into lists of batch_size (the last one shorter unless
 *  drop_last). */
export class BatchSampler extends Sampler<number[]> {
  readonly sampler: Iterable<number>;
  readonly batch_size: number;
  readonly drop_last: boolean;
  constructor(sampler: Iterable<number>, batch_size: number, drop_last: boolean) {
    super();
    if (!Number.isInteger(batch_size) || typeof batch_size === "boolean" || batch_size <= 0) {
      throw new Error(`batch_size should be a positive integer value, but got batch_size=${String(batch_size)}`);
    }
    if (typeof drop_last !== "boolean") throw new Error(`drop_last should be a boolean value, but got drop_last=${String(drop_last)}`);
    this.sampler = sampler;
    this.batch_size = batch_size;
    this.drop_last = drop_last;
  }
  override *__iter__(): Generator<number[]> {
    let batch: number[] = [];
    for (const idx of this.sampler) {
      batch.push(idx);
      if (batch.length === this.batch_size) { yield batch; batch = []; }
    }
    if (batch.length > 0 && !this.drop_last) yield batch;
  }
  override __len__(): number {
    const n = datasetLen(this.sampler);
    return this.drop_last ? Math.floor(n / this.batch_size) : Math.ceil(n / this.batch_size);
  }
}

/** DataLoader's sampler for iterable datasets: yields null forever. */
export class _InfiniteConstantSampler extends Sampler<null> {
  override *__iter__(): Generator<null> {
    for (;;) yield null;
  }
}

