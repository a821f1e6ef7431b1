// torch.utils: a namespace (not an object), so that its classes are types as well as values in
// annotations, as in PyTorch: `let ds: torch.utils.data.TensorDataset`.
export * as data from "./data/index.js";
export * as tensorboard from "./tensorboard/index.js";
