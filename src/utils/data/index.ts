// torch.utils.data

export {
  Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset, ChainDataset, random_split,
} from "./dataset.js";
export type { DatasetLike } from "./dataset.js";
export {
  Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler,
} from "./sampler.js";
export type { RandomSamplerOptions, WeightedRandomSamplerOptions } from "./sampler.js";
import * as dataloader from "./dataloader.js";
import { parsedClass } from "../../core/argparse.js";
/** DataLoader, its constructor parsed by PyTorch's signature (Note [Signatures]):
 *  `new DataLoader({dataset, batch_size: 64})`. */
export const DataLoader = parsedClass("data.DataLoader", dataloader.DataLoader);
export type DataLoader<T = unknown, B = any> = dataloader.DataLoader<T, B>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type { DataLoaderOptions } from "./dataloader.js";
export { default_collate, default_convert } from "./collate.js";
export { DistributedSampler } from "./distributed.js";
export type { DistributedSamplerOptions } from "./distributed.js";
export * as distributed from "./distributed.js";
