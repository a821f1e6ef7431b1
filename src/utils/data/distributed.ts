// torch.utils.data.distributed.DistributedSampler: each of num_replicas processes gets its own
// slice of the dataset's indices, shuffled the same way on every process (by seed + epoch), in
// PyTorch's order.

import { Sampler } from "./sampler.js";
import { datasetLen } from "./dataset.js";
import { Generator, randperm } from "../../core/random.js";
import { is_available, get_rank, get_world_size } from "../../distributed/c10d.js";

export interface DistributedSamplerOptions {
  num_replicas?: number | null;
  rank?: number | null;
  shuffle?: boolean;
  seed?: number;
  drop_last?: boolean;
}

export class DistributedSampler extends Sampler<number> {
  readonly dataset: unknown;
  readonly num_replicas: number;
  readonly rank: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly drop_last: boolean;
  readonly num_samples: number;
  readonly total_size: number;
  epoch = 0;

  constructor(dataset: unknown, num_replicas: number | null | DistributedSamplerOptions = null, rank: number | null = null,
    shuffle = true, seed = 0, drop_last = false) {
    super();
    if (typeof num_replicas === "object" && num_replicas !== null) {
      ({ num_replicas = null, rank = null, shuffle = true, seed = 0, drop_last = false } = num_replicas);
    }
    if (num_replicas === null || rank === null) {
      if (!is_available()) throw new Error("Requires distributed package to be available");
    }
    num_replicas ??= get_world_size();
    rank ??= get_rank();
    if (rank >= num_replicas || rank < 0) throw new Error(`Invalid rank ${rank}, rank should be in the interval [0, ${num_replicas - 1}]`);
    this.dataset = dataset;
    this.num_replicas = num_replicas;
    this.rank = rank;
    this.shuffle = shuffle;
    this.seed = seed;
    this.drop_last = drop_last;
    const n = datasetLen(dataset);
    // with drop_last, the tail that does not divide evenly is dropped; otherwise indices repeat
    // (max: Python's ceil of a small negative number is 0, JavaScript's is -0)
    this.num_samples = drop_last && n % num_replicas !== 0 ? Math.max(0, Math.ceil((n - num_replicas) / num_replicas)) : Math.ceil(n / num_replicas);
    this.total_size = this.num_samples * num_replicas;
  }

  override __iter__(): Iterator<number> {
    const n = datasetLen(this.dataset);
    let indices: number[];
    if (this.shuffle) indices = Array.from(randperm(n, new Generator().manual_seed(this.seed + this.epoch)), Number);
    else indices = Array.from({ length: n }, (_, i) => i);
    if (!this.drop_last) {
      const padding = this.total_size - indices.length;
      if (padding <= indices.length) indices = indices.concat(indices.slice(0, padding));
      else indices = indices.concat(Array.from({ length: Math.ceil(padding / indices.length) }, () => indices).flat().slice(0, padding));
    } else {
      indices = indices.slice(0, this.total_size);
    }
    const mine: number[] = [];
    for (let i = this.rank; i < this.total_size; i += this.num_replicas) mine.push(indices[i]!);
    return mine[Symbol.iterator]();
  }

  override __len__(): number { return this.num_samples; }

  /** Sets the epoch: with shuffle, each epoch is another order, the same on every replica. */
  set_epoch(epoch: number): void { this.epoch = epoch; }
}
