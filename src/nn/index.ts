// torch.nn: `import { nn } from "typetorch"`; nn.functional, nn.init and nn.utils are namespaces.
// The modules' constructors and nn.functional's functions are parsed by PyTorch's signatures
// (Note [Signatures] in core/argparse.ts): `new nn.Conv2d({in_channels: 1, out_channels: 8, kernel_size: 3})`.
import { parsedClasses, parsedNamespace, markParsed, type ParsedNamespace } from "../core/argparse.js";
import { withOut } from "../ops/out.js";

export { Parameter } from "./parameter.js";
export { Module, RemovableHandle, IncompatibleKeys, type StateDict, type ForwardHook, type ForwardPreHook } from "./module.js";
export { Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict } from "./containers.js";
import * as linear_ from "./linear.js";
export const {
  Identity, Linear, Bilinear, Flatten, Unflatten,
} = parsedClasses("nn", linear_);
export type Identity = linear_.Identity;
export type Linear = linear_.Linear;
export type Bilinear = linear_.Bilinear;
export type Flatten = linear_.Flatten;
export type Unflatten = linear_.Unflatten;
import * as activation_ from "./activation.js";
export const {
  ReLU, ReLU6, LeakyReLU, PReLU, ELU, SELU, CELU, GELU, SiLU, Mish, Sigmoid, Tanh, Hardtanh, Hardswish,
  Hardsigmoid, Softplus, Softsign, Softmax, LogSoftmax, Softmin, Threshold, LogSigmoid, Tanhshrink,
} = parsedClasses("nn", activation_);
export type ReLU = activation_.ReLU;
export type ReLU6 = activation_.ReLU6;
export type LeakyReLU = activation_.LeakyReLU;
export type PReLU = activation_.PReLU;
export type ELU = activation_.ELU;
export type SELU = activation_.SELU;
export type CELU = activation_.CELU;
export type GELU = activation_.GELU;
export type SiLU = activation_.SiLU;
export type Mish = activation_.Mish;
export type Sigmoid = activation_.Sigmoid;
export type Tanh = activation_.Tanh;
export type Hardtanh = activation_.Hardtanh;
export type Hardswish = activation_.Hardswish;
export type Hardsigmoid = activation_.Hardsigmoid;
export type Softplus = activation_.Softplus;
export type Softsign = activation_.Softsign;
export type Softmax = activation_.Softmax;
export type LogSoftmax = activation_.LogSoftmax;
export type Softmin = activation_.Softmin;
export type Threshold = activation_.Threshold;
export type LogSigmoid = activation_.LogSigmoid;
export type Tanhshrink = activation_.Tanhshrink;
import * as dropout_ from "./dropout.js";
export const {
  Dropout, Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout,
} = parsedClasses("nn", dropout_);
export type AlphaDropout = dropout_.AlphaDropout;
export type FeatureAlphaDropout = dropout_.FeatureAlphaDropout;
export type Dropout = dropout_.Dropout;
export type Dropout1d = dropout_.Dropout1d;
export type Dropout2d = dropout_.Dropout2d;
export type Dropout3d = dropout_.Dropout3d;
import * as conv_ from "./conv.js";
export const {
  Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d,
} = parsedClasses("nn", conv_);
export type Conv3d = conv_.Conv3d;
export type ConvTranspose3d = conv_.ConvTranspose3d;
export type Conv1d = conv_.Conv1d;
export type Conv2d = conv_.Conv2d;
export type ConvTranspose1d = conv_.ConvTranspose1d;
export type ConvTranspose2d = conv_.ConvTranspose2d;
import * as upsampling_ from "./upsampling.js";
export const {
  Upsample, UpsamplingNearest2d, UpsamplingBilinear2d,
} = parsedClasses("nn", upsampling_);
export type Upsample = upsampling_.Upsample;
export type UpsamplingNearest2d = upsampling_.UpsamplingNearest2d;
export type UpsamplingBilinear2d = upsampling_.UpsamplingBilinear2d;
import * as pixelshuffle_ from "./pixelshuffle.js";
export const {
  PixelShuffle, PixelUnshuffle,
} = parsedClasses("nn", pixelshuffle_);
export type PixelShuffle = pixelshuffle_.PixelShuffle;
export type PixelUnshuffle = pixelshuffle_.PixelUnshuffle;
import * as pooling_ from "./pooling.js";
export const {
  MaxPool1d, MaxPool2d, MaxPool3d, AvgPool1d, AvgPool2d, AvgPool3d, AdaptiveAvgPool1d, AdaptiveAvgPool2d,
  AdaptiveAvgPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d,
  LPPool1d, LPPool2d, LPPool3d,
} = parsedClasses("nn", pooling_);
export type LPPool1d = pooling_.LPPool1d;
export type LPPool2d = pooling_.LPPool2d;
export type LPPool3d = pooling_.LPPool3d;
export type MaxUnpool1d = pooling_.MaxUnpool1d;
export type MaxUnpool2d = pooling_.MaxUnpool2d;
export type MaxUnpool3d = pooling_.MaxUnpool3d;
export type MaxPool3d = pooling_.MaxPool3d;
export type AvgPool3d = pooling_.AvgPool3d;
export type AdaptiveAvgPool3d = pooling_.AdaptiveAvgPool3d;
export type AdaptiveMaxPool3d = pooling_.AdaptiveMaxPool3d;
export type MaxPool1d = pooling_.MaxPool1d;
export type MaxPool2d = pooling_.MaxPool2d;
export type AvgPool1d = pooling_.AvgPool1d;
export type AvgPool2d = pooling_.AvgPool2d;
export type AdaptiveAvgPool1d = pooling_.AdaptiveAvgPool1d;
export type AdaptiveAvgPool2d = pooling_.AdaptiveAvgPool2d;
export type AdaptiveMaxPool1d = pooling_.AdaptiveMaxPool1d;
export type AdaptiveMaxPool2d = pooling_.AdaptiveMaxPool2d;
import * as normalization_ from "./normalization.js";
export const {
  BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, LayerNorm, GroupNorm, RMSNorm,
  LocalResponseNorm,
} = parsedClasses("nn", normalization_);
export type RMSNorm = normalization_.RMSNorm;
export type BatchNorm1d = normalization_.BatchNorm1d;
export type BatchNorm2d = normalization_.BatchNorm2d;
export type BatchNorm3d = normalization_.BatchNorm3d;
export type InstanceNorm3d = normalization_.InstanceNorm3d;
export type LocalResponseNorm = normalization_.LocalResponseNorm;
export type InstanceNorm1d = normalization_.InstanceNorm1d;
export type InstanceNorm2d = normalization_.InstanceNorm2d;
export type LayerNorm = normalization_.LayerNorm;
export type GroupNorm = normalization_.GroupNorm;
import * as padding_ from "./padding.js";
export const {
  ConstantPad1d, ConstantPad2d, ConstantPad3d, ZeroPad1d, ZeroPad2d, ZeroPad3d, ReflectionPad1d,
  ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, CircularPad1d,
  CircularPad2d, CircularPad3d,
} = parsedClasses("nn", padding_);
export type ConstantPad1d = padding_.ConstantPad1d;
export type ConstantPad2d = padding_.ConstantPad2d;
export type ConstantPad3d = padding_.ConstantPad3d;
export type ZeroPad1d = padding_.ZeroPad1d;
export type ZeroPad2d = padding_.ZeroPad2d;
export type ZeroPad3d = padding_.ZeroPad3d;
export type ReflectionPad1d = padding_.ReflectionPad1d;
export type ReflectionPad2d = padding_.ReflectionPad2d;
export type ReflectionPad3d = padding_.ReflectionPad3d;
export type ReplicationPad1d = padding_.ReplicationPad1d;
export type ReplicationPad2d = padding_.ReplicationPad2d;
export type ReplicationPad3d = padding_.ReplicationPad3d;
export type CircularPad1d = padding_.CircularPad1d;
export type CircularPad2d = padding_.CircularPad2d;
export type CircularPad3d = padding_.CircularPad3d;
import * as embedding_ from "./embedding.js";
export const {
  Embedding,
} = parsedClasses("nn", embedding_);
export type Embedding = embedding_.Embedding;
import * as rnn_ from "./rnn.js";
export const {
  RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell,
} = parsedClasses("nn", rnn_);
export type RNNBase = rnn_.RNNBase;
export type RNN = rnn_.RNN;
export type LSTM = rnn_.LSTM;
export type GRU = rnn_.GRU;
export type RNNCellBase = rnn_.RNNCellBase;
export type RNNCell = rnn_.RNNCell;
export type LSTMCell = rnn_.LSTMCell;
export type GRUCell = rnn_.GRUCell;
import * as loss_ from "./loss.js";
export const {
  L1Loss, MSELoss, SmoothL1Loss, HuberLoss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss,
  CosineEmbeddingLoss, MarginRankingLoss, CTCLoss,
} = parsedClasses("nn", loss_);
export type CTCLoss = loss_.CTCLoss;
export type L1Loss = loss_.L1Loss;
export type MSELoss = loss_.MSELoss;
export type SmoothL1Loss = loss_.SmoothL1Loss;
export type HuberLoss = loss_.HuberLoss;
export type NLLLoss = loss_.NLLLoss;
export type CrossEntropyLoss = loss_.CrossEntropyLoss;
export type BCELoss = loss_.BCELoss;
export type BCEWithLogitsLoss = loss_.BCEWithLogitsLoss;
export type KLDivLoss = loss_.KLDivLoss;
export type CosineEmbeddingLoss = loss_.CosineEmbeddingLoss;
export type MarginRankingLoss = loss_.MarginRankingLoss;
export const {
  GLU, Softshrink, Hardshrink, RReLU, Softmax2d,
} = parsedClasses("nn", activation_);
export type GLU = activation_.GLU;
export type Softshrink = activation_.Softshrink;
export type Hardshrink = activation_.Hardshrink;
export type RReLU = activation_.RReLU;
export type Softmax2d = activation_.Softmax2d;
export const {
  HingeEmbeddingLoss, SoftMarginLoss, MultiLabelMarginLoss, MultiLabelSoftMarginLoss, MultiMarginLoss,
  PoissonNLLLoss, GaussianNLLLoss, TripletMarginLoss, TripletMarginWithDistanceLoss,
} = parsedClasses("nn", loss_);
export type HingeEmbeddingLoss = loss_.HingeEmbeddingLoss;
export type SoftMarginLoss = loss_.SoftMarginLoss;
export type MultiLabelMarginLoss = loss_.MultiLabelMarginLoss;
export type MultiLabelSoftMarginLoss = loss_.MultiLabelSoftMarginLoss;
export type MultiMarginLoss = loss_.MultiMarginLoss;
export type PoissonNLLLoss = loss_.PoissonNLLLoss;
export type GaussianNLLLoss = loss_.GaussianNLLLoss;
export type TripletMarginLoss = loss_.TripletMarginLoss;
export type TripletMarginWithDistanceLoss = loss_.TripletMarginWithDistanceLoss;
import * as distance_ from "./distance.js";
export const {
  PairwiseDistance, CosineSimilarity,
} = parsedClasses("nn", distance_);
export type PairwiseDistance = distance_.PairwiseDistance;
export type CosineSimilarity = distance_.CosineSimilarity;
import * as fold_ from "./fold.js";
export const {
  Fold, Unfold,
} = parsedClasses("nn", fold_);
export type Fold = fold_.Fold;
export type Unfold = fold_.Unfold;
import * as channelshuffle_ from "./channelshuffle.js";
export const {
  ChannelShuffle,
} = parsedClasses("nn", channelshuffle_);
export type ChannelShuffle = channelshuffle_.ChannelShuffle;
export const {
  EmbeddingBag,
} = parsedClasses("nn", embedding_);
export type EmbeddingBag = embedding_.EmbeddingBag;
import * as attention_ from "./attention.js";
export const {
  MultiheadAttention,
} = parsedClasses("nn", attention_);
export type MultiheadAttention = attention_.MultiheadAttention;
import * as transformer_ from "./transformer.js";
export const {
  Transformer, TransformerEncoder, TransformerDecoder, TransformerEncoderLayer, TransformerDecoderLayer,
} = parsedClasses("nn", transformer_);
export type Transformer = transformer_.Transformer;
export type TransformerEncoder = transformer_.TransformerEncoder;
export type TransformerDecoder = transformer_.TransformerDecoder;
export type TransformerEncoderLayer = transformer_.TransformerEncoderLayer;
export type TransformerDecoderLayer = transformer_.TransformerDecoderLayer;
import { F } from "./F.js";
/** nn.functional, each function parsed by its PyTorch signature (Note [Signatures]). */
export const functional: ParsedNamespace<typeof F> = parsedNamespace("F", F);
// F.hardshrink is torch.hardshrink in PyTorch, out= included
functional.hardshrink = markParsed(withOut("hardshrink", functional.hardshrink, "same", "F.hardshrink"));
import * as init_ from "./init.js";
/** torch.nn.init, its functions parsed by PyTorch's Python signatures (`normal_(w, {std: 0.02})`). */
export const init: ParsedNamespace<typeof init_> = parsedNamespace("nn.init", init_);
export * as utils from "./utils.js";
export * as parallel from "./parallel.js";
export { DataParallel } from "./parallel.js";
