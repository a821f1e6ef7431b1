// torch.utils.data.DataLoader: batches of a dataset in the order of a sampler, collated, one
// epoch per iteration (`for (const [x, y] of loader)`, again for the next epoch).
//
// Loading runs in this thread. num_workers > 0 is accepted and loads the same batches in the
// same order in-process (JavaScript has no fork; PyTorch's worker processes change only where
// the work happens, and the RNG draws per epoch are the same), so tutorials that set it run.

import type { Generator as TorchGenerator } from "../../core/random.js";
import { Tensor } from "../../core/tensor.js";
import {
  Dataset, IterableDataset, datasetLen, datasetGet, type DatasetLike,
} from "./dataset.js";
import {
  Sampler, SequentialSampler, RandomSampler, BatchSampler, _InfiniteConstantSampler, nextSeed,
} from "./sampler.js";
import { default_collate, default_convert, type Collated } from "./collate.js";

export interface DataLoaderOptions<T = unknown, B = unknown> {
  batch_size?: number | null;
  shuffle?: boolean | null;
  sampler?: Iterable<number> | null;
  batch_sampler?: Iterable<number[]> | null;
  num_workers?: number;
  collate_fn?: ((batch: T[]) => B) | ((sample: T) => B) | null;
  pin_memory?: boolean;
  drop_last?: boolean;
  timeout?: number;
  worker_init_fn?: ((id: number) => void) | null;
  generator?: TorchGenerator | null;
  prefetch_factor?: number | null;
  persistent_workers?: boolean;
}

const LOCKED = new Set(["batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers"]);

/** What a DataLoader loads from: a map-style dataset (a Dataset, an array, anything with
 *  __getitem__) or an iterable one. */
export type AnyDataset<T = unknown> = DatasetLike<T> | IterableDataset<T>;

/** Batches of a dataset. Its type parameters are the samples' type T, the batches' B (what
 *  collate_fn returns; without one, what default_collate makes of T: Collated<T>), and the dataset's own type D, so that `loader.dataset` is the dataset it
 *  was made with (`loader.dataset.length`, a custom dataset's own fields), as PyTorch's
 *  DataLoader[T] keeps its Dataset[T]; all three are inferred from the constructor's arguments. */
export class DataLoader<T = unknown, B = Collated<T>, D extends AnyDataset<T> = AnyDataset<T>> implements Iterable<B> {
  readonly dataset: D;
  readonly batch_size: number | null;
  readonly drop_last: boolean;
  readonly sampler: Iterable<number> | Iterable<null>;
  readonly batch_sampler: Iterable<number[]> | Iterable<null[]> | null;
  readonly num_workers: number;
  readonly collate_fn: (x: never) => B;
  readonly generator: TorchGenerator | null;
  readonly pin_memory: boolean;
  readonly timeout: number;
  readonly prefetch_factor: number | null;
  readonly persistent_workers: boolean;
  readonly worker_init_fn: ((id: number) => void) | null;
  /** @internal */ readonly _dataset_kind: "map" | "iterable";

  // (`D & AnyDataset<T>`: D is inferred as the argument's own type, T from it as a dataset's samples)
  constructor(dataset: D & AnyDataset<T>, batch_size?: number | null | DataLoaderOptions<T, B>, options: DataLoaderOptions<T, B> = {}) {
    const o: DataLoaderOptions<T, B> = batch_size !== null && typeof batch_size === "object" ? batch_size : { ...options, ...(batch_size === undefined ? {} : { batch_size }) };
    const num_workers = o.num_workers ?? 0, timeout = o.timeout ?? 0;
    let bs = o.batch_size === undefined ? 1 : o.batch_size;
    let shuffle = o.shuffle ?? null, sampler = o.sampler ?? null, batch_sampler = o.batch_sampler ?? null;
    let drop_last = o.drop_last ?? false;
    let prefetch_factor = o.prefetch_factor ?? null;
    const generator = o.generator ?? null;
    if (num_workers < 0) throw new Error("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.");
    if (timeout < 0) throw new Error("timeout option should be non-negative");
    if (num_workers === 0 && prefetch_factor !== null) {
      throw new Error("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.");
    } else if (num_workers > 0 && prefetch_factor === null) prefetch_factor = 2;
    else if (prefetch_factor !== null && prefetch_factor < 0) throw new Error("prefetch_factor option should be non-negative");
    if (o.persistent_workers && num_workers === 0) throw new Error("persistent_workers option needs num_workers > 0");

    const iterable = isIterableDataset(dataset);
    if (iterable) {
      if (shuffle !== null && shuffle !== false) throw new Error(`DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=${pyBool(shuffle)}`);
      if (sampler !== null) throw new Error(`DataLoader with IterableDataset: expected unspecified sampler option, but got sampler=${String(sampler)}`);
      if (batch_sampler !== null) throw new Error(`DataLoader with IterableDataset: expected unspecified batch_sampler option, but got batch_sampler=${String(batch_sampler)}`);
    } else {
      shuffle = Boolean(shuffle);
    }
    if (sampler !== null && shuffle) throw new Error("sampler option is mutually exclusive with shuffle");
    if (batch_sampler !== null) {
      if (bs !== 1 || shuffle || sampler !== null || drop_last) {
        throw new Error("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last");
      }
      bs = null;
      drop_last = false;
    } else if (bs === null && drop_last) {
      throw new Error("batch_size=None option disables auto-batching and is mutually exclusive with drop_last");
    }
    let theSampler: Iterable<number> | Iterable<null>;
    if (sampler === null) {
      if (iterable) theSampler = new _InfiniteConstantSampler();
      else if (shuffle) theSampler = new RandomSampler(dataset, { generator });
      else theSampler = new SequentialSampler(dataset);
    } else theSampler = sampler;
    let theBatchSampler: Iterable<number[]> | Iterable<null[]> | null = batch_sampler;
    if (bs !== null && batch_sampler === null) theBatchSampler = new BatchSampler(theSampler as Iterable<number>, bs, drop_last);

    this.dataset = dataset;
    this.num_workers = num_workers;
    this.prefetch_factor = prefetch_factor;
    this.pin_memory = o.pin_memory ?? false;
    this.timeout = timeout;
    this.worker_init_fn = o.worker_init_fn ?? null;
    this._dataset_kind = iterable ? "iterable" : "map";
    this.batch_size = bs;
    this.drop_last = drop_last;
    this.sampler = theSampler;
    this.batch_sampler = theBatchSampler;
    this.generator = generator;
    this.collate_fn = (o.collate_fn ?? (theBatchSampler !== null ? default_collate : default_convert)) as (x: never) => B;
    this.persistent_workers = o.persistent_workers ?? false;
    // PyTorch refuses to change these after construction.
    for (const k of LOCKED) {
      const v = (this as unknown as Record<string, unknown>)[k];
      Object.defineProperty(this, k, {
        get: () => v,
        set: () => { throw new Error(`${k} attribute should not be set after DataLoader is initialized`); },
        enumerable: true,
      });
    }
  }

  /** @internal */ get _auto_collation(): boolean { return this.batch_sampler !== null; }
  /** @internal */ get _index_sampler(): Iterable<unknown> { return this._auto_collation ? this.batch_sampler! : this.sampler; }

  /** One epoch of batches. */
  [Symbol.iterator](): Iterator<B> {
    // _BaseDataLoaderIter.__init__: the sampler's iterator first, then the worker base seed,
    // which PyTorch draws even without workers (it moves the generator, so it matters here).
    const indexIter = this._index_sampler[Symbol.iterator]();
    nextSeed(this.generator);
    const collate = this.collate_fn as (x: unknown) => B;
    const auto = this._auto_collation;
    if (this._dataset_kind === "map") {
      const ds = this.dataset as DatasetLike<T>;
      const getitems = !Array.isArray(ds) && typeof (ds as Dataset<T>).__getitems__ === "function"
        ? (idx: number[]) => (ds as Dataset<T>).__getitems__!(idx) : null;
      return (function* () {
        for (;;) {
          const r = indexIter.next();
          if (r.done) return;
          if (auto) {
            const idx = r.value as number[];
            yield collate(getitems ? getitems(idx) : idx.map((i) => datasetGet(ds, i)));
          } else {
            yield collate(datasetGet(ds, r.value as number));
          }
        }
      })();
    }
    // Iterable-style: the dataset's iterator is made with the fetcher, after the seed.
    const dsIter = (this.dataset as Iterable<T>)[Symbol.iterator]();
    const drop_last = this.drop_last;
    return (function* () {
      let ended = false;
      for (;;) {
        if (ended) return;
        const r = indexIter.next();
        if (r.done) return;
        if (auto) {
          const want = (r.value as unknown[]).length;
          const data: T[] = [];
          for (let k = 0; k < want; k++) {
            const n = dsIter.next();
            if (n.done) { ended = true; break; }
            data.push(n.value);
          }
          if (data.length === 0 || (drop_last && data.length < want)) return;
          yield collate(data);
        } else {
          const n = dsIter.next();
          if (n.done) return;
          yield collate(n.value);
        }
      }
    })();
  }

  /** len(loader): the number of batches per epoch (for an IterableDataset, from its __len__). */
  __len__(): number {
    if (this._dataset_kind === "iterable") {
      const n = datasetLen(this.dataset);
      if (this.batch_size === null) return n;
      return this.drop_last ? Math.floor(n / this.batch_size) : Math.ceil(n / this.batch_size);
    }
    return datasetLen(this._index_sampler);
  }
  get length(): number { return this.__len__(); }
  len(): number { return this.__len__(); }
}

function isIterableDataset(ds: unknown): boolean {
  if (ds instanceof IterableDataset) return true;
  if (ds instanceof Dataset || ds instanceof Tensor || Array.isArray(ds) || ArrayBuffer.isView(ds)) return false;
  // Any other object that can be iterated but not indexed: a generator, a Set …
  return ds !== null && typeof ds === "object" && typeof (ds as { __getitem__?: unknown }).__getitem__ !== "function"
    && typeof (ds as Iterable<unknown>)[Symbol.iterator] === "function";
}

function pyBool(v: unknown): string {
  return v === true ? "True" : v === false ? "False" : String(v);
}

export { Sampler };
