// torch.utils.data

export {
  Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset, ChainDataset, random_split,
} from "./dataset.js";
export type { DatasetLike } from "./dataset.js";
export {
  Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler,
} from "./sampler.js";
export type { RandomSamplerOptions, WeightedRandomSamplerOptions } from "./sampler.js";
export { DataLoader } from "./dataloader.js";
export type { DataLoaderOptions } from "./dataloader.js";
export { default_collate, default_convert } from "./collate.js";
export { DistributedSampler } from "./distributed.js";
export type { DistributedSamplerOptions } from "./distributed.js";
export * as distributed from "./distributed.js";
