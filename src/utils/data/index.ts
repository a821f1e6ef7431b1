// torch.utils.data

// The constructors are parsed by PyTorch's signatures (core/argparse.ts, Note [Signatures]); the
// base classes (Dataset, IterableDataset, Sampler), which subclasses construct, are as they are.
import { parsedClass, parsedClasses } from "../../core/argparse.js";
import * as dataset_ from "./dataset.js";
import * as sampler_ from "./sampler.js";
export { Dataset, IterableDataset, TensorDataset, random_split } from "./dataset.js";
export const { Subset, ConcatDataset, ChainDataset } = parsedClasses("data", dataset_);
export type Subset<T = unknown> = dataset_.Subset<T>;
export type ConcatDataset<T = unknown> = dataset_.ConcatDataset<T>;
export type ChainDataset<T = unknown> = dataset_.ChainDataset<T>;
export type { DatasetLike } from "./dataset.js";
export { Sampler } from "./sampler.js";
export const { SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } = parsedClasses("data", sampler_);
export type SequentialSampler = sampler_.SequentialSampler;
export type RandomSampler = sampler_.RandomSampler;
export type SubsetRandomSampler = sampler_.SubsetRandomSampler;
export type WeightedRandomSampler = sampler_.WeightedRandomSampler;
export type BatchSampler = sampler_.BatchSampler;
export type { RandomSamplerOptions, WeightedRandomSamplerOptions } from "./sampler.js";
import * as dataloader from "./dataloader.js";
/** DataLoader, its constructor parsed by PyTorch's signature (Note [Signatures]):
 *  `new DataLoader({dataset, batch_size: 64})`. */
export const DataLoader = parsedClass("data.DataLoader", dataloader.DataLoader);
export type DataLoader<T = unknown, B = any, D extends dataset_.DatasetLike<T> | dataset_.IterableDataset<T> = dataset_.DatasetLike<T> | dataset_.IterableDataset<T>> = dataloader.DataLoader<T, B, D>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type { DataLoaderOptions } from "./dataloader.js";
export { default_collate, default_convert } from "./collate.js";
import * as distributed_ from "./distributed.js";
export const DistributedSampler = parsedClass("data.DistributedSampler", distributed_.DistributedSampler);
export type DistributedSampler = distributed_.DistributedSampler;
export type { DistributedSamplerOptions } from "./distributed.js";
/** torch.utils.data.distributed */
export const distributed = { ...distributed_, DistributedSampler };
