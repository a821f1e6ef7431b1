// torch.utils.data datasets: Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset,
// ChainDataset, random_split.
//
// Python's protocol methods keep their names: a map-style dataset implements
// `__getitem__(index)` and `__len__()` (also readable as `length` / `len()`), an iterable one
// `__iter__()` or `[Symbol.iterator]()`. A plain JS array works as a map-style dataset too, as a
// Python list does.

import { Tensor } from "../../core/tensor.js";
import { pyTypeName } from "../../core/printing.js";
import type { Index } from "../../ops/index_ops.js";
import { default_generator, Generator as TorchGenerator, randperm } from "../../core/random.js";

/** Anything a DataLoader or Subset can index: a Dataset, an array, or a tensor (its rows, as
 *  Python indexes one). */
export type DatasetLike<T = unknown> = Dataset<T> | readonly T[] | { __getitem__(i: number): T; __len__?(): number } | Tensor;

/** A map-style dataset: subclasses implement __getitem__ and usually __len__. */
export class Dataset<T = unknown> {
  __getitem__(_index: number): T {
    throw new Error("NotImplementedError: Subclasses of Dataset should implement __getitem__.");
  }
  /** Optional: a batch of samples at once (DataLoader uses it when present). */
  __getitems__?(indices: number[]): T[];
  /** len(dataset); subclasses that have a length define it. */
  __len__(): number {
    throw new TypeError(`object of type '${this.constructor.name}' has no len()`);
  }
  get length(): number { return this.__len__(); }
  len(): number { return this.__len__(); }
  /** dataset + other (Python's `+`): a ConcatDataset. */
  __add__(other: DatasetLike<T>): ConcatDataset<T> { return new ConcatDataset<T>([this, other]); }
}

/** An iterable-style dataset: subclasses implement `__iter__` (or `[Symbol.iterator]`). */
export class IterableDataset<T = unknown> extends Dataset<T> implements Iterable<T> {
  __iter__(): Iterator<T> {
    throw new Error("NotImplementedError: Subclasses of IterableDataset should implement __iter__.");
  }
  [Symbol.iterator](): Iterator<T> { return this.__iter__(); }
  override __add__(other: DatasetLike<T>): ConcatDataset<T> {
    return new ChainDataset([this, other as IterableDataset<T>]) as unknown as ConcatDataset<T>;
  }
}

/** len() of a dataset, an array, or anything with __len__ / length. */
export function datasetLen(ds: unknown): number {
  if (Array.isArray(ds)) return ds.length;
  if (ds !== null && typeof ds === "object") {
    const o = ds as { __len__?: () => number; length?: unknown };
    if (typeof o.__len__ === "function") return o.__len__();
    if (typeof o.length === "number") return o.length;
  }
  throw new TypeError(`object of type '${pyTypeName(ds)}' has no len()`);
}

/** dataset[index]. */
export function datasetGet<T>(ds: DatasetLike<T>, index: number): T {
  if (Array.isArray(ds)) {
    // Python lists index from the end for negative indices and raise past it.
    const n = ds.length, i = index < 0 ? index + n : index;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError("list index out of range");
    return ds[i] as T;
  }
  if (ds instanceof Tensor) return ds.select(0, index) as T;
  return (ds as { __getitem__(i: number): T }).__getitem__(index);
}

/** Samples are the index-th row of each tensor (the tensors share their first dimension). */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: Tensor[];
  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.some((t) => t.size(0) !== tensors[0]!.size(0))) throw new Error("Size mismatch between tensors");
    this.tensors = tensors;
  }
  /** PyTorch's `tuple(tensor[index] for tensor in self.tensors)`: an int selects a sample; a
   *  slice (torch.slice), an index tensor or a list of indices selects several, as x.index does. */
  override __getitem__(index: number | Index): Tensor[] {
    return this.tensors.map((t) => t.index(index)); // (an int past the end: tensor[index]'s IndexError)
  }
  override __len__(): number { return this.tensors[0]!.size(0); }
}

/** The samples of `dataset` at `indices`; `subset.dataset` keeps the dataset's own type D. */
export class Subset<T = unknown, D extends DatasetLike<T> = DatasetLike<T>> extends Dataset<T> {
  readonly dataset: D;
  readonly indices: readonly number[];
  // (`D & DatasetLike<T>`: D is inferred as the argument's own type, T from it, as DataLoader's)
  constructor(dataset: D & DatasetLike<T>, indices: readonly number[]) {
    super();
    this.dataset = dataset;
    this.indices = indices;
  }
  override __getitem__(idx: number): T {
    return datasetGet(this.dataset, pyIndex(this.indices, idx));
  }
  override __getitems__(indices: number[]): T[] {
    const ds = this.dataset as { __getitems__?: (i: number[]) => T[] };
    const mapped = indices.map((i) => pyIndex(this.indices, i));
    if (!Array.isArray(ds) && typeof ds.__getitems__ === "function") return ds.__getitems__(mapped);
    return mapped.map((i) => datasetGet(this.dataset, i));
  }
  override __len__(): number { return this.indices.length; }
}

function pyIndex(list: readonly number[], i: number): number {
  const n = list.length, j = i < 0 ? i + n : i;
  if (!Number.isInteger(j) || j < 0 || j >= n) throw new RangeError("list index out of range");
  return list[j]!;
}

/** Several map-style datasets one after another (`datasets` keeps their own type D). */
export class ConcatDataset<T = unknown, D extends DatasetLike<T> = DatasetLike<T>> extends Dataset<T> {
  readonly datasets: D[];
  readonly cumulative_sizes: number[];
  constructor(datasets: Iterable<D & DatasetLike<T>>) {
    super();
    this.datasets = [...datasets];
    if (this.datasets.length === 0) throw new Error("datasets should not be an empty iterable");
    for (const d of this.datasets) if (d instanceof IterableDataset) throw new Error("ConcatDataset does not support IterableDataset");
    this.cumulative_sizes = ConcatDataset.cumsum(this.datasets);
  }
  static cumsum(sequence: readonly unknown[]): number[] {
    const r: number[] = [];
    let s = 0;
    for (const e of sequence) { s += datasetLen(e); r.push(s); }
    return r;
  }
  override __len__(): number { return this.cumulative_sizes[this.cumulative_sizes.length - 1]!; }
  override __getitem__(idx: number): T {
    if (idx < 0) {
      if (-idx > this.__len__()) throw new Error("absolute value of index should not exceed dataset length");
      idx = this.__len__() + idx;
    }
    const cs = this.cumulative_sizes;
    let lo = 0, hi = cs.length; // bisect_right
    while (lo < hi) { const mid = (lo + hi) >> 1; if (idx < cs[mid]!) hi = mid; else lo = mid + 1; }
    const sample = lo === 0 ? idx : idx - cs[lo - 1]!;
    if (lo >= this.datasets.length) throw new RangeError("list index out of range");
    return datasetGet(this.datasets[lo]!, sample);
  }
}

/** Several iterable datasets one after another. */
export class ChainDataset<T = unknown> extends IterableDataset<T> {
  readonly datasets: Iterable<IterableDataset<T>>;
  constructor(datasets: Iterable<IterableDataset<T>>) {
    super();
    this.datasets = datasets;
  }
  override *__iter__(): Generator<T> {
    for (const d of this.datasets) {
      if (!(d instanceof IterableDataset)) throw new Error("ChainDataset only supports IterableDataset");
      yield* d;
    }
  }
  override __len__(): number {
    let total = 0;
    for (const d of this.datasets) {
      if (!(d instanceof IterableDataset)) throw new Error("ChainDataset only supports IterableDataset");
      total += d.__len__();
    }
    return total;
  }
}

/** math.isclose(a, b) with its default rel_tol=1e-9. */
function isclose(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Splits a dataset into non-overlapping random subsets of the given lengths, or of the given
 * fractions of its length (the remainder going one by one to the first splits), as PyTorch
 * does: one randperm(total, generator) from `generator` (the default generator unless given).
 */
export function random_split<T, D extends DatasetLike<T> = DatasetLike<T>>(dataset: D & DatasetLike<T>, lengths: readonly number[], generator: TorchGenerator | null = default_generator): Subset<T, D>[] {
  const total = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  let sizes = lengths.slice();
  const n = datasetLen(dataset);
  if (isclose(total(sizes), 1) && total(sizes) <= 1) {
    const subset: number[] = [];
    sizes.forEach((frac, i) => {
      if (frac < 0 || frac > 1) throw new Error(`Fraction at index ${i} is not between 0 and 1`);
      subset.push(Math.floor(n * frac));
    });
    const remainder = n - total(subset);
    for (let i = 0; i < remainder; i++) subset[i % subset.length]! += 1;
    sizes = subset;
    sizes.forEach((len, i) => {
      if (len === 0) console.warn(`UserWarning: Length of split at index ${i} is 0. This might result in an empty dataset.`);
    });
  }
  if (total(sizes) !== n) throw new Error("Sum of input lengths does not equal the length of the input dataset!");
  const perm = Array.from(randperm(total(sizes), generator ?? default_generator), Number);
  const out: Subset<T, D>[] = [];
  let offset = 0;
  for (const len of sizes) {
    out.push(new Subset(dataset, perm.slice(offset, offset + len)));
    offset += len;
  }
  return out;
}
