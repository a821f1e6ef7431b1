// torch.utils.data

// The constructors are parsed by PyTorch's signatures (core/argparse.ts, Note [Signatures]); the
// base classes (Dataset, IterableDataset, Sampler), which subclasses construct, are as they are.
import { parsedClass, parsedClasses } from "../../core/argparse.js";
import * as dataset_ from "./dataset.js";
import type { DatasetLike } from "./dataset.js";
import * as sampler_ from "./sampler.js";
export { Dataset, IterableDataset, TensorDataset, random_split } from "./dataset.js";
export const { Subset, ConcatDataset, ChainDataset } = parsedClasses("data", dataset_);
export type Subset<T = unknown, D extends DatasetLike<T> = DatasetLike<T>> = dataset_.Subset<T, D>;
export type ConcatDataset<T = unknown, D extends DatasetLike<T> = DatasetLike<T>> = dataset_.ConcatDataset<T, D>;
export type ChainDataset<T = unknown> = dataset_.ChainDataset<T>;
export type { DatasetLike } from "./dataset.js";
export { Sampler } from "./sampler.js";
export const { SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } = parsedClasses("data", sampler_);
export type SequentialSampler<D = unknown> = sampler_.SequentialSampler<D>;
export type RandomSampler<D = unknown> = sampler_.RandomSampler<D>;
export type SubsetRandomSampler = sampler_.SubsetRandomSampler;
export type WeightedRandomSampler = sampler_.WeightedRandomSampler;
export type BatchSampler = sampler_.BatchSampler;
export type { RandomSamplerOptions, WeightedRandomSamplerOptions } from "./sampler.js";
import * as dataloader from "./dataloader.js";
/** DataLoader, its constructor parsed by PyTorch's signature (Note [Signatures]):
 *  `new DataLoader({dataset, batch_size: 64})`. Its keyword form is typed here as generic as the
 *  positional one (CtorWithKwargs' form erases the type parameters, and a call such as
 *  `new DataLoader(ds, kwargs)` with a variable would pick it and lose the dataset's type). */
export const DataLoader = parsedClass("data.DataLoader", dataloader.DataLoader) as typeof dataloader.DataLoader & {
  new <T = unknown, B = Collated<T>, D extends dataloader.AnyDataset<T> = dataloader.AnyDataset<T>>(
    options: { dataset: D & dataloader.AnyDataset<T> } & dataloader.DataLoaderOptions<T, B>): dataloader.DataLoader<T, B, D>;
} & {
  // (the last signature, which InstanceType<typeof DataLoader> reads: a loader of anything, its
  // batches `any`; no call fits it)
  new (dataset: never, ...rest: never[]): dataloader.DataLoader;
};
export type DataLoader<T = unknown, B = Collated<T>, D extends dataloader.AnyDataset<T> = dataloader.AnyDataset<T>> = dataloader.DataLoader<T, B, D>;
export type { DataLoaderOptions, AnyDataset } from "./dataloader.js";
export { default_collate, default_convert } from "./collate.js";
export type { Collated } from "./collate.js";
import type { Collated } from "./collate.js";
import * as distributed_ from "./distributed.js";
export const DistributedSampler = parsedClass("data.DistributedSampler", distributed_.DistributedSampler);
export type DistributedSampler = distributed_.DistributedSampler;
export type { DistributedSamplerOptions } from "./distributed.js";
/** torch.utils.data.distributed */
export const distributed = { ...distributed_, DistributedSampler };
