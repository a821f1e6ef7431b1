// Every signature by position or by name, and PyTorch's TypeError for a call that fits none
// (core/argparse.ts, the table core/signatures.ts). Expected results and messages come from
// PyTorch 2.x: tools/gen_golden_signatures.py wrote test/golden/signatures.json.

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { nn, type Tensor } from "typetorch";
import { checkResult, readGolden, type GoldenResult } from "./helpers.js";
import { isParsed, signaturesOf } from "../src/core/argparse.js";
// torch.ts's functions: the parsed layer (index.ts adds out= around some of them: ops/out.ts)
import * as parsedTorch from "../src/torch.js";

const golden = readGolden<{ cases: Record<string, GoldenResult> }>("signatures.json").cases;
const F = torch.nn.functional;
const x = torch.arange(6).view(2, 3);
const y = torch.arange(24).view(2, 3, 4);
const ds = new torch.utils.data.TensorDataset(torch.arange(10).view(10, 1), torch.arange(10, { dtype: torch.int64 }));
const { DataLoader } = torch.utils.data;
const p = new nn.Parameter(torch.zeros(2));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
// calls that TypeScript itself would refuse, made as a JavaScript caller can make them
const loose = (f: unknown) => f as (...args: unknown[]) => unknown;

/** A module built right after manual_seed(0): PyTorch's weights. */
const seeded = <M>(make: () => M): M => { torch.manual_seed(0); return make(); };
/** nn.init's f on a fresh [3, 4] tensor right after manual_seed(0), arguments by name. */
const initialised = (f: (t: Tensor, kw: never) => Tensor, kw: object): Tensor => {
  const t = torch.empty(3, 4);
  torch.manual_seed(0);
  return f(t, kw as never);
};
const seq = torch.arange(24).view(2, 3, 4).sin();
const img = torch.arange(32).view(1, 2, 4, 4).cos();
const hx: [torch.Tensor, torch.Tensor] = [torch.arange(12).view(1, 3, 4).div(10), torch.arange(12).view(1, 3, 4).div(-10)];
const logits = torch.arange(12).view(3, 4).sin(), labels = torch.tensor([0n, 3n, 1n]);

/** torch.autograd.grad and backward with their parameters by position and by name (the
 *  generator's autograd_fns: the results in the order of their sorted names). */
function autogradFns(): unknown {
  const w = torch.tensor([1, 2, 3], { requires_grad: true });
  const cube = () => w.pow(3).mul(torch.tensor([1, -1, 0.5]));
  const g = torch.tensor([1, 2, 3]);
  const out: Record<string, unknown> = {
    grad_positional: torch.autograd.grad(cube(), w, g, true)[0],
    grad_named: torch.autograd.grad({ outputs: cube(), inputs: [w], grad_outputs: [g] })[0],
    grad_batched: torch.autograd.grad(cube(), w, { grad_outputs: torch.eye(3), is_grads_batched: true })[0],
    grad_materialize: torch.autograd.grad(w.sum(), [w, torch.ones(2, { requires_grad: true })], { materialize_grads: true })[1],
  };
  torch.autograd.backward(cube(), g, true);
  torch.autograd.backward([cube()], { grad_tensors: [g] });
  out.backward = w.grad;
  return Object.keys(out).sort().map((k) => out[k]);
}

const CASES: Record<string, () => unknown> = {
  autograd_fns: autogradFns,
  err_grad_materialize_unused_false: () => torch.autograd.grad(p.sum(), p, { materialize_grads: true, allow_unused: false }),
  err_backward_both_grads: () => torch.autograd.backward(p.sum(), torch.tensor(1), { grad_variables: torch.tensor(1) }),
  split_dim: () => x.split(1, { dim: 1 }),
  chunk_dim: () => x.chunk(3, { dim: 1 }),
  stack_dim: () => torch.stack([x, x], { dim: 1 }),
  cat_dim: () => torch.cat([x, x], { dim: 1 }),
  transpose_dims: () => x.transpose({ dim0: 0, dim1: 1 }),
  unsqueeze_dim: () => x.unsqueeze({ dim: 0 }),
  squeeze_dim: () => x.unsqueeze(1).squeeze({ dim: 1 }),
  flatten_start_dim: () => y.flatten({ start_dim: 1 }),
  cumsum_dim: () => x.cumsum({ dim: 1 }),
  sum_dim_keepdim: () => x.sum({ dim: 1, keepdim: true }),
  softmax_dim: () => torch.softmax(x, { dim: 0 }),
  add_alpha: () => torch.add(x, x, { alpha: 2 }),
  narrow_named: () => x.narrow({ dim: 1, start: 1, length: 2 }),
  isclose_named: () => torch.isclose(x, x.add(1e-3), { atol: 1e-2 }),
  zeros_varargs: () => torch.zeros(2, 3),
  conv2d_named: () => new nn.Conv2d({ in_channels: 1, out_channels: 16, kernel_size: 3 }),
  conv_transpose2d_named: () => new nn.ConvTranspose2d({ in_channels: 16, out_channels: 1, kernel_size: 3, stride: 2 }),
  maxpool2d_named: () => new nn.MaxPool2d({ kernel_size: 2 }),
  linear_named: () => new nn.Linear({ in_features: 3, out_features: 4 }),
  linear_positional_bias: () => new nn.Linear(3, 4, false),
  embedding_named: () => new nn.Embedding({ num_embeddings: 10, embedding_dim: 3 }),
  embedding_positional_padding: () => new (nn.Embedding as unknown as new (...a: unknown[]) => object)(10, 3, 0),
  dataloader_named: () => new DataLoader({ dataset: ds, batch_size: 4 }).length,
  dataloader_positional: () => new DataLoader(ds, 3).length,
  f_dropout_named: () => F.dropout(x, { p: 0.0 }),
  sgd_positional: () => {
    const g = new (torch.optim.SGD as unknown as new (...a: unknown[]) => torch.optim.SGD)([p], 0.1, 0.9).param_groups[0]!;
    return [g.lr, g.momentum];
  },
  err_sgd_unknown_kw: () => new torch.optim.SGD([p], { foo: 1 }),
  err_slice_nan: () => x.index(torch.slice(0, NaN)),
  err_slice_float: () => x.index(torch.slice(null), torch.slice(0, 1.5)),
  err_stack_unknown_kw: () => torch.stack([x], { dimm: 1 }),
  err_stack_not_list: () => loose(torch.stack)(1),
  err_stack_missing: () => loose(torch.stack)(),
  err_stack_too_many: () => loose(torch.stack)([x], 0, 1),
  err_add_none: () => loose(x.add.bind(x))(null),
  err_torch_add_none: () => loose(torch.add)(x, null),
  err_add_str: () => loose(x.add.bind(x))("a"),
  err_add_missing: () => loose(x.add.bind(x))(),
  err_torch_add_missing: () => loose(torch.add)(x),
  err_mul_none: () => loose(x.mul.bind(x))(null),
  err_select_float: () => x.select(0, 1.5),
  err_narrow_float: () => x.narrow(0, 0.5, 1),
  err_sum_dim_str: () => x.sum({ dim: "a" }),
  err_sum_keepdim_str: () => loose(x.sum.bind(x))(1, "a"),
  err_squeeze_str: () => loose(x.squeeze.bind(x))("a"),
  err_view_none: () => loose(x.view.bind(x))(null),
  err_max_dim_float: () => x.max({ dim: 1.5 }),
  err_max_unknown_kw: () => loose(torch.max)(x, 1, true, { foo: 1 }),
  err_zeros_float_size: () => torch.zeros(2, 1.5),
  err_randn_str: () => loose(torch.randn)("a"),
  err_transpose_missing: () => loose(x.transpose.bind(x))(0),
  err_t_args: () => loose(x.t.bind(x))(1),
  err_linear_weight_none: () => loose(F.linear)(x, null),
  err_conv2d_unknown_kw: () => loose(F.conv2d)(x, { foo: 1 }),
  err_split_unknown_kw: () => x.split(1, { dimm: 1 }),
  err_split_missing: () => loose(x.split.bind(x))(),
  err_relu_unknown_kw: () => F.relu(x, { foo: 1 }),
  err_dropout_too_many: () => loose(F.dropout)(x, 0.5, true, false, 1),
  err_conv_missing: () => new (nn.Conv2d as unknown as new (...a: unknown[]) => object)(1, 2),
  err_conv_unknown_kw: () => new nn.Conv2d(1, 2, 3, { foo: 2 }),
  err_conv_too_many: () => new (nn.Conv2d as unknown as new (...a: unknown[]) => object)(1, 2, 3, 1, 0, 1, 1, true, "zeros", null, null, 5),
  err_embedding_missing: () => new (nn.Embedding as unknown as new (...a: unknown[]) => object)(),
  err_dataloader_missing: () => new (DataLoader as unknown as new (...a: unknown[]) => object)(),
  // names added after the table was first generated
  resize_named: () => x.clone().resize_({ size: [3, 2] }),
  err_resize_str: () => loose(x.clone().resize_.bind(x))("a"),
  post_accumulate_hook_named: () => {
    const q = torch.zeros(2, { requires_grad: true }), seen: number[] = [];
    q.register_post_accumulate_grad_hook({ hook: (t: torch.Tensor) => seen.push(t.grad!.sum().item() as number) });
    q.mul(3).sum().backward();
    return seen;
  },
  err_post_accumulate_hook_missing: () => loose(p.register_post_accumulate_grad_hook.bind(p))(),
  distributed_sampler_positional: () => [...new (torch.utils.data.DistributedSampler as unknown as new (...a: unknown[]) => Iterable<number>)(range(10), 2, 1, false)],
  distributed_sampler_named: () => [...new torch.utils.data.DistributedSampler(range(5), { num_replicas: 2, rank: 0, shuffle: false, drop_last: true })],
  err_distributed_sampler_unknown_kw: () => new torch.utils.data.DistributedSampler(range(5), { num_replicas: 2, rank: 0, foo: 1 } as never),
  vmap_named: () => torch.vmap(torch.sum, { in_dims: 1 })(x),
  func_vmap_positional: () => torch.func.vmap(torch.sum, 1, 0)(x),
  func_grad_named: () => torch.func.grad((a: torch.Tensor, b: torch.Tensor) => a.mul(b).sum(), { argnums: 1 })(x, x.add(1)),
  func_jacfwd_positional_has_aux: () => (loose(torch.func.jacfwd)((a: torch.Tensor) => [a.sin(), a.cos()], 0, true) as (t: torch.Tensor) => unknown)(torch.tensor([0, 1])),
  func_hessian_named: () => torch.func.hessian((a: torch.Tensor) => a.pow(3).sum(), { argnums: 0 })(torch.tensor([1, 2])),
  err_func_grad_missing: () => loose(torch.func.grad)(),
  err_vmap_unknown_kw: () => torch.vmap(torch.sum, { foo: 1 } as never),
  steplr_named: () => {
    const opt = new torch.optim.SGD([new nn.Parameter(torch.zeros(1))], { lr: 1 });
    const sched = new torch.optim.lr_scheduler.StepLR(opt, { step_size: 2, gamma: 0.5 });
    return Array.from({ length: 5 }, () => { opt.step(); sched.step(); return opt.param_groups[0]!.lr; });
  },
  err_steplr_missing: () => new (torch.optim.lr_scheduler.StepLR as unknown as new (...a: unknown[]) => object)(new torch.optim.SGD([p], { lr: 1 })),
  random_sampler_named: () => new torch.utils.data.RandomSampler(range(10), { num_samples: 4 }).length,
  batch_sampler_named: () => [...new torch.utils.data.BatchSampler(range(5), { batch_size: 2, drop_last: false })],
  err_subset_missing: () => new (torch.utils.data.Subset as unknown as new (...a: unknown[]) => object)(ds),
  unique_positional: () => loose(torch.unique)(torch.tensor([3, 1, 3, 2]), true, true),
  unique_consecutive_named: () => torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1]), { return_counts: true }),
  err_frombuffer_no_dtype: () => loose(torch.frombuffer)(new Uint8Array(8)),
  err_tensor_missing: () => loose(torch.tensor)(),
  err_tensor_dtype_str: () => torch.tensor([1], { dtype: "float32" } as never),
  range_named: () => torch.range(1, 4, { step: 2 }),
  nonzero_as_tuple: () => torch.nonzero(torch.tensor([0, 1, 1]), { as_tuple: true }),
  err_float_positional: () => loose(x.float.bind(x))(1),
  err_nonzero_method_kw: () => x.nonzero({ as_tuplee: 1 } as never),
  method_nonzero_as_tuple: () => torch.tensor([0, 1, 1]).nonzero({ as_tuple: true }),
  // nn.init's functions by PyTorch's parameter names (the generator too)
  init_uniform_named: () => initialised(nn.init.uniform_, { a: -2.0, b: 3.0 }),
  init_normal_named: () => initialised(nn.init.normal_, { mean: 1.0, std: 0.5 }),
  init_normal_generator_named: () => nn.init.normal_(torch.empty(4), { std: 2.0, generator: new torch.Generator().manual_seed(3) }),
  init_trunc_normal_named: () => initialised(nn.init.trunc_normal_, { std: 1.0, a: -0.5, b: 0.5 }),
  init_constant_named: () => initialised(nn.init.constant_, { val: 3.0 }),
  init_xavier_uniform_named: () => initialised(nn.init.xavier_uniform_, { gain: 2.0 }),
  init_xavier_normal_named: () => initialised(nn.init.xavier_normal_, { gain: 0.5 }),
  init_kaiming_normal_named: () => initialised(nn.init.kaiming_normal_, { a: 0.2, mode: "fan_out", nonlinearity: "leaky_relu" }),
  init_orthogonal_named: () => initialised(nn.init.orthogonal_, { gain: 1.5 }),
  init_sparse_named: () => initialised(nn.init.sparse_, { sparsity: 0.5, std: 0.1 }),
  init_calculate_gain_named: () => nn.init.calculate_gain({ nonlinearity: "leaky_relu", param: 0.2 }),
  err_init_normal_unknown: () => nn.init.normal_(torch.empty(2), { stdev: 1.0 } as never),
  // x.scatter's legacy reduce
  scatter_reduce_add_named: () => torch.zeros(3).scatter({ dim: 0, index: torch.tensor([0n, 0n]), src: torch.tensor([2, 3]), reduce: "add" }),
  scatter_value_reduce_multiply: () => torch.ones(3).scatter(0, torch.tensor([0n, 0n]), 2, { reduce: "multiply" }),
  err_scatter_reduce_mean: () => torch.zeros(3).scatter(0, torch.tensor([0n]), 2, { reduce: "mean" }),
  // module forwards take PyTorch's keyword names (Note [Module forwards])
  lstm_forward_hx_named: () => seeded(() => new nn.LSTM(4, 4))(seq, { hx }),
  gru_forward_named: () => seeded(() => new nn.GRU(4, 2))({ input: seq }),
  mha_forward_need_weights_named: () => seeded(() => new nn.MultiheadAttention(4, 2))(seq, seq, seq, { need_weights: false }),
  mha_forward_positional: () => seeded(() => new nn.MultiheadAttention(4, 2))(seq, seq, seq, null, true, null, false)[1],
  loss_forward_named: () => new nn.CrossEntropyLoss()({ input: logits, target: labels }),
  encoder_layer_forward_named: () => seeded(() => new nn.TransformerEncoderLayer(4, 2, 8, 0.0))(seq, { is_causal: false }),
  conv_transpose_forward_output_size: () => seeded(() => new nn.ConvTranspose2d(2, 1, 3, { stride: 2 }))(img, { output_size: [9, 9] }).shape.at(-1),
  hooks_with_kwargs: () => {
    // module(input, {hx}) with with_kwargs hooks: they see the keyword arguments apart, and a
    // pre-hook's new kwargs reach forward
    const lstm = seeded(() => new nn.LSTM(4, 4)), seen: [number, string[]][] = [];
    lstm.register_forward_pre_hook((_m, args, kwargs) => {
      seen.push([args.length, Object.keys(kwargs).sort()]);
      const [h, c] = kwargs.hx as [torch.Tensor, torch.Tensor];
      return [args, { hx: [h.mul(2), c] }];
    }, { with_kwargs: true });
    lstm.register_forward_hook((_m, args, kwargs) => { seen.push([args.length, Object.keys(kwargs).sort()]); }, { with_kwargs: true });
    const [out, [h]] = lstm(seq, { hx });
    assert.deepEqual(seen, [[1, ["hx"]], [1, ["hx"]]]);
    return [out, h];
  },
  err_loss_forward_missing: () => loose(new nn.MSELoss())(logits),
  err_lstm_forward_unknown_kw: () => new nn.LSTM(4, 4)(seq, { foo: 1 }),
  err_linear_forward_too_many: () => loose(new nn.Linear(4, 4))(seq, seq),
  err_mha_forward_twice: () => new nn.MultiheadAttention(4, 2)(seq, seq, seq, null, { need_weights: false, key_padding_mask: null }),
  // the RNN modules' constructors bind as RNNBase.__init__(mode, *args, **kwargs)
  lstm_named: () => new nn.LSTM({ input_size: 3, hidden_size: 4, num_layers: 2, batch_first: true }),
  rnn_positional_nonlinearity: () => new nn.RNN(3, 4, 1, "relu", false),
  gru_positional: () => new nn.GRU(3, 4, 2, true, true, 0.0, true),
  err_lstm_missing: () => new (nn.LSTM as unknown as new (...a: unknown[]) => object)(3),
  err_lstm_unknown_kw: () => new nn.LSTM(3, 4, { foo: 1 }),
  err_lstm_too_many: () => new (nn.LSTM as unknown as new (...a: unknown[]) => object)(3, 4, 1, true, false, 0.0, false, 0, null, null, 1),
  err_rnn_too_many: () => new (nn.RNN as unknown as new (...a: unknown[]) => object)(3, 4, 1, "tanh", true, false, 0.0, false, 0, null, null, 1),
  transformer_layer_positional: () => new nn.TransformerEncoderLayer(4, 2, 8, 0.0, "gelu", 1e-6, true),
  transformer_decoder_named: () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(4, 2, 8), { num_layers: 2, norm: new nn.LayerNorm(4) }),
  // nn.functional's forms, by position or by name
  torch_adaptive_max_pool1d: () => torch.adaptive_max_pool1d(seq, 2),
  f_max_pool2d_named: () => F.max_pool2d(img, { kernel_size: 2, stride: 1, return_indices: true }),
  f_max_pool2d_positional: () => F.max_pool2d(img, 3, 1, 1, 1, true),
  f_max_pool1d_named: () => F.max_pool1d(seq, { kernel_size: 2, ceil_mode: true }),
  f_avg_pool2d_named: () => F.avg_pool2d(img, { kernel_size: 3, padding: 1, count_include_pad: false }),
  f_adaptive_max_pool2d_named: () => F.adaptive_max_pool2d(img, { output_size: 2, return_indices: true }),
  // (boolean_dispatch: the function return_indices picks names the error)
  err_f_max_pool2d_missing: () => loose(F.max_pool2d)(img),
  err_f_max_pool2d_indices_missing: () => loose(F.max_pool2d)(img, { return_indices: true }),
  err_f_max_pool1d_too_many: () => loose(F.max_pool1d)(seq, 2, 2, 0, 1, false, true, 7),
  err_f_adaptive_max_pool2d_unknown_kw: () => loose(F.adaptive_max_pool2d)(img, 2, { foo: 1 }),
  f_cross_entropy_named: () => F.cross_entropy({ input: logits, target: labels, label_smoothing: 0.1 }),
  f_cross_entropy_positional: () => loose(F.cross_entropy)(logits, labels, null, null, 1, null, "sum"),
  f_softmax_named: () => F.softmax({ input: logits, dim: 0, dtype: torch.float64 }),
  f_multi_margin_positional: () => loose(F.multi_margin_loss)(logits, labels, 2, 0.5),
  f_triplet_named: () => F.triplet_margin_loss(logits, logits.flip(0), logits.cos(), { margin: 0.5, swap: true }),
  err_f_cross_entropy_unknown_kw: () => F.cross_entropy(logits, labels, { foo: 1 } as never),
  // nn.utils and nn.utils.rnn
  pad_sequence_named: () => nn.utils.rnn.pad_sequence([seq.index(0), seq.index(1, torch.slice(null, 2))], { batch_first: true, padding_value: -1 }),
  pack_padded_positional: () => [...nn.utils.rnn.pack_padded_sequence(seq, [2, 1, 2], false, false)].slice(0, 2),
  pad_packed_named: () => nn.utils.rnn.pad_packed_sequence(
    nn.utils.rnn.pack_sequence([seq.index(0), seq.index(1, torch.slice(null, 2))], { enforce_sorted: true }), { batch_first: true, total_length: 4 })[0],
  clip_grad_norm_named: () => {
    const q = new nn.Parameter(torch.ones(3));
    q.grad = torch.tensor([3, 4, 12]);
    const total = nn.utils.clip_grad_norm_({ parameters: [q], max_norm: 1, norm_type: 1 });
    return [total, q.grad];
  },
  err_pad_sequence_unknown_kw: () => nn.utils.rnn.pad_sequence([seq.index(0)], { batch_firstt: true } as never),
  err_clip_grad_norm_missing: () => loose(nn.utils.clip_grad_norm_)([p]),
  err_f_multi_margin_too_many: () => loose(F.multi_margin_loss)(logits, labels, 1, 1.0, null, null, null, "mean", 1),
};

test("every case of the golden file has its TypeScript call", () => {
  assert.deepEqual(Object.keys(CASES).sort(), Object.keys(golden).sort());
});

for (const [name, call] of Object.entries(CASES))
  test(`signatures: ${name}`, () => checkResult(golden[name]!, call, name));

test("every module forward PyTorch declares is parsed by its signature (Note [Module forwards])", () => {
  const missed: string[] = [];
  // (Sequential, a container, passes its input to its first module as typetorch's callers give it)
  for (const [k, v] of Object.entries(nn))
    if (typeof v === "function" && k !== "Sequential" && signaturesOf(`nn.${k}.forward`) && !isParsed((v.prototype as { forward?: unknown }).forward)) missed.push(k);
  assert.deepEqual(missed, []);
  // the library's own instances are called as users call them: a Transformer's layers
  const layer = new nn.Transformer({ d_model: 4, nhead: 2, num_encoder_layers: 1, num_decoder_layers: 1, dim_feedforward: 8 });
  assert.ok(isParsed((layer.encoder as nn.TransformerEncoder).layers.at(0)!.forward));
});

test("a call that fits no signature changes nothing", () => {
  const t = torch.ones(2);
  assert.throws(() => t.add_(loose(null) as never), TypeError);
  assert.deepEqual(t.tolist(), [1, 1]);
});

test("a non-number where a number is needed is a TypeError, never NaN or garbage", () => {
  assert.throws(() => loose(x.add.bind(x))(undefined), TypeError);
  assert.throws(() => loose(torch.mul)(x, undefined), TypeError);
  assert.throws(() => x.select(0, NaN), /argument 'index' \(position 2\) must be int, not float/);
  assert.throws(() => x.view(2, 1.5), TypeError);
  assert.throws(() => loose(torch.ones)(2, "3"), TypeError);
});

test("a 0-d integer tensor stands for an int, as in PyTorch", () => {
  assert.deepEqual((loose(x.select.bind(x))(0, torch.tensor(1n)) as torch.Tensor).tolist(), [3, 4, 5]);
  assert.deepEqual((loose(x.view.bind(x))(torch.tensor(3n), 2) as torch.Tensor).shape, [3, 2]);
});

test("every public function, method and constructor with a PyTorch signature is parsed by it", () => {
  const missed: string[] = [];
  // the containers take modules (*args, or a dict), which the options object cannot stand for;
  // base classes are constructed by their subclasses, with arguments of their own
  const containers = new Set(["Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict", "Optimizer", "LRScheduler"]);
  const expected = (key: string) => {
    const sigs = signaturesOf(key); // (null for the names typetorch gives its own meaning: x.index)
    return sigs !== null && sigs.some((s) => s.params.length > 0) && !containers.has(key.split(".")[1]!);
  };
  const ns: [string, Record<string, unknown>][] = [
    ["torch", parsedTorch as unknown as Record<string, unknown>], ["F", F as unknown as Record<string, unknown>],
    ["linalg", parsedTorch.linalg as unknown as Record<string, unknown>], ["special", parsedTorch.special as unknown as Record<string, unknown>],
    ["nn", nn as unknown as Record<string, unknown>], ["optim", torch.optim as unknown as Record<string, unknown>],
    ["lr_scheduler", torch.optim.lr_scheduler as unknown as Record<string, unknown>],
    ["data", torch.utils.data as unknown as Record<string, unknown>], ["func", torch.func as unknown as Record<string, unknown>],
    ["utils", nn.utils as unknown as Record<string, unknown>], ["utils.rnn", nn.utils.rnn as unknown as Record<string, unknown>],
    ["nn.init", nn.init as unknown as Record<string, unknown>],
  ];
  for (const [prefix, obj] of ns)
    for (const [k, v] of Object.entries(obj))
      if (typeof v === "function" && expected(`${prefix}.${k}`) && !isParsed(v)) missed.push(`${prefix}.${k}`);
  const proto = torch.Tensor.prototype as unknown as Record<string, unknown>;
  for (const k of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, k)!;
    if (typeof d.value === "function" && expected(`Tensor.${k}`) && !isParsed(d.value)) missed.push(`Tensor.${k}`);
  }
  assert.deepEqual(missed, []);
});
