// torch.nn: `import { nn } from "typetorch"`; nn.functional, nn.init and nn.utils are namespaces.

export { Parameter } from "./parameter.js";
export { Module, RemovableHandle, IncompatibleKeys, type StateDict, type ForwardHook, type ForwardPreHook } from "./module.js";
export { Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict } from "./containers.js";
export { Identity, Linear, Bilinear, Flatten, Unflatten } from "./linear.js";
export {
  ReLU, ReLU6, LeakyReLU, PReLU, ELU, SELU, CELU, GELU, SiLU, Mish, Sigmoid, Tanh, Hardtanh, Hardswish, Hardsigmoid,
  Softplus, Softsign, Softmax, LogSoftmax, Softmin, Threshold, LogSigmoid, Tanhshrink,
} from "./activation.js";
export { Dropout, Dropout1d, Dropout2d } from "./dropout.js";
export { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d } from "./conv.js";
export { Upsample, UpsamplingNearest2d, UpsamplingBilinear2d } from "./upsampling.js";
export { PixelShuffle, PixelUnshuffle } from "./pixelshuffle.js";
export {
  MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d,
} from "./pooling.js";
export { BatchNorm1d, BatchNorm2d, InstanceNorm1d, InstanceNorm2d, LayerNorm, GroupNorm } from "./normalization.js";
export {
  ConstantPad1d, ConstantPad2d, ConstantPad3d, ZeroPad1d, ZeroPad2d, ZeroPad3d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d,
  ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, CircularPad1d, CircularPad2d, CircularPad3d,
} from "./padding.js";
export { Embedding } from "./embedding.js";
export { RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell } from "./rnn.js";
export {
  L1Loss, MSELoss, SmoothL1Loss, HuberLoss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss,
  CosineEmbeddingLoss, MarginRankingLoss,
} from "./loss.js";
export { GLU, Softshrink, Hardshrink, RReLU, Softmax2d } from "./activation.js";
export {
  HingeEmbeddingLoss, SoftMarginLoss, MultiLabelMarginLoss, MultiLabelSoftMarginLoss, MultiMarginLoss, PoissonNLLLoss,
  GaussianNLLLoss, TripletMarginLoss, TripletMarginWithDistanceLoss,
} from "./loss.js";
export { PairwiseDistance, CosineSimilarity } from "./distance.js";
export { Fold, Unfold } from "./fold.js";
export { ChannelShuffle } from "./channelshuffle.js";
export { EmbeddingBag } from "./embedding.js";
export { MultiheadAttention } from "./attention.js";
export { Transformer, TransformerEncoder, TransformerDecoder, TransformerEncoderLayer, TransformerDecoderLayer } from "./transformer.js";
export { F as functional } from "./F.js";
export * as init from "./init.js";
export * as utils from "./utils.js";
export * as parallel from "./parallel.js";
