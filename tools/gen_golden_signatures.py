"""Golden data for test/signatures.test.ts and test/protocols.test.ts: what PyTorch 2.x returns or
raises for calls that name their parameters, calls that fit no signature, and Python's protocols
(len, iteration, dataset slicing, a custom Function's apply taken off its class).

Each case is a name and a call; the tests make the same call in TypeScript by the same name. A
result is {"shape": [...], "values": [...]} for a tensor, {"repr": ...} for a module, {"value": v}
for a number, a list of results for a tuple, or {"error": type, "message": text} when it raises.

Run: /work/.venv-torch/bin/python tools/gen_golden_signatures.py
"""

import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import BatchSampler, DataLoader, DistributedSampler, RandomSampler, Subset, TensorDataset

x = torch.arange(6.0).view(2, 3)
y = torch.arange(24.0).view(2, 3, 4)
ds = TensorDataset(torch.arange(10.0).view(10, 1), torch.arange(10))
p = torch.nn.Parameter(torch.zeros(2))


def enc(r):
    if isinstance(r, torch.Tensor):
        return {"shape": list(r.shape), "values": r.flatten().tolist()}
    if isinstance(r, nn.Module):
        return {"repr": repr(r)}
    if isinstance(r, (tuple, list)) and not all(isinstance(v, (int, float)) for v in r):
        return [enc(v) for v in r]
    return {"value": r}


def run(f):
    try:
        return enc(f())
    except Exception as e:  # noqa: BLE001 (the error is the golden value)
        return {"error": type(e).__name__, "message": str(e)}


class LegendrePolynomial3(torch.autograd.Function):
    """The custom Function of PyTorch's polynomial-fitting tutorial."""

    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input**3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input**2 - 1)


def detached_apply():
    P3 = LegendrePolynomial3.apply
    t = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    out = P3(t)
    out.sum().backward()
    return [out.detach(), t.grad]


def post_accumulate_hook_named():
    q = torch.zeros(2, requires_grad=True)
    seen = []
    q.register_post_accumulate_grad_hook(hook=lambda t: seen.append(t.grad.sum().item()))
    (q * 3).sum().backward()
    return seen


def steplr_named():
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    lrs = []
    for _ in range(5):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


def autograd_fns():
    """torch.autograd.grad and backward with their parameters by position and by name."""
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    cube = lambda: (w**3).mul(torch.tensor([1.0, -1.0, 0.5]))
    g = torch.tensor([1.0, 2.0, 3.0])
    out = {
        "grad_positional": torch.autograd.grad(cube(), w, g, True)[0],
        "grad_named": torch.autograd.grad(outputs=cube(), inputs=[w], grad_outputs=[g])[0],
        "grad_batched": torch.autograd.grad(cube(), w, torch.eye(3), is_grads_batched=True)[0],
        "grad_materialize": torch.autograd.grad(w.sum(), [w, torch.ones(2, requires_grad=True)], materialize_grads=True)[1],
    }
    torch.autograd.backward(cube(), g, True)
    torch.autograd.backward([cube()], grad_tensors=[g])
    out["backward"] = w.grad
    return [out[k] for k in sorted(out)]


SIGNATURES = {
    "autograd_fns": autograd_fns,
    "err_grad_materialize_unused_false": lambda: torch.autograd.grad(p.sum(), p, materialize_grads=True, allow_unused=False),
    "err_backward_both_grads": lambda: torch.autograd.backward(p.sum(), torch.tensor(1.0), grad_variables=torch.tensor(1.0)),
    # every parameter by name, in the one options object
    "split_dim": lambda: x.split(1, dim=1),
    "chunk_dim": lambda: x.chunk(3, dim=1),
    "stack_dim": lambda: torch.stack([x, x], dim=1),
    "cat_dim": lambda: torch.cat([x, x], dim=1),
    "transpose_dims": lambda: x.transpose(dim0=0, dim1=1),
    "unsqueeze_dim": lambda: x.unsqueeze(dim=0),
    "squeeze_dim": lambda: x.unsqueeze(1).squeeze(dim=1),
    "flatten_start_dim": lambda: y.flatten(start_dim=1),
    "cumsum_dim": lambda: x.cumsum(dim=1),
    "sum_dim_keepdim": lambda: x.sum(dim=1, keepdim=True),
    "softmax_dim": lambda: torch.softmax(x, dim=0),
    "add_alpha": lambda: torch.add(x, x, alpha=2),
    "narrow_named": lambda: x.narrow(dim=1, start=1, length=2),
    "isclose_named": lambda: torch.isclose(x, x + 1e-3, atol=1e-2),
    "zeros_varargs": lambda: torch.zeros(2, 3),
    "conv2d_named": lambda: nn.Conv2d(in_channels=1, out_channels=16, kernel_size=3),
    "conv_transpose2d_named": lambda: nn.ConvTranspose2d(in_channels=16, out_channels=1, kernel_size=3, stride=2),
    "maxpool2d_named": lambda: nn.MaxPool2d(kernel_size=2),
    "linear_named": lambda: nn.Linear(in_features=3, out_features=4),
    "linear_positional_bias": lambda: nn.Linear(3, 4, False),
    "embedding_named": lambda: nn.Embedding(num_embeddings=10, embedding_dim=3),
    "embedding_positional_padding": lambda: nn.Embedding(10, 3, 0),
    "dataloader_named": lambda: len(DataLoader(dataset=ds, batch_size=4)),
    "dataloader_positional": lambda: len(DataLoader(ds, 3)),
    "f_dropout_named": lambda: F.dropout(x, p=0.0),
    "sgd_positional": lambda: [torch.optim.SGD([p], 0.1, 0.9).param_groups[0][k] for k in ("lr", "momentum")],
    "err_sgd_unknown_kw": lambda: torch.optim.SGD([p], foo=1),
    "err_slice_nan": lambda: x[0:float("nan")],
    "err_slice_float": lambda: x[:, 0:1.5],
    # calls that fit no signature: PyTorch's TypeError, word for word
    "err_stack_unknown_kw": lambda: torch.stack([x], dimm=1),
    "err_stack_not_list": lambda: torch.stack(1),
    "err_stack_missing": lambda: torch.stack(),
    "err_stack_too_many": lambda: torch.stack([x], 0, 1),
    "err_add_none": lambda: x.add(None),
    "err_torch_add_none": lambda: torch.add(x, None),
    "err_add_str": lambda: x.add("a"),
    "err_add_missing": lambda: x.add(),
    "err_torch_add_missing": lambda: torch.add(x),
    "err_mul_none": lambda: x.mul(None),
    "err_select_float": lambda: x.select(0, 1.5),
    "err_narrow_float": lambda: x.narrow(0, 0.5, 1),
    "err_sum_dim_str": lambda: x.sum(dim="a"),
    "err_sum_keepdim_str": lambda: x.sum(1, "a"),
    "err_squeeze_str": lambda: x.squeeze("a"),
    "err_view_none": lambda: x.view(None),
    "err_max_dim_float": lambda: x.max(dim=1.5),
    "err_max_unknown_kw": lambda: torch.max(x, 1, True, foo=1),
    "err_zeros_float_size": lambda: torch.zeros(2, 1.5),
    "err_randn_str": lambda: torch.randn("a"),
    "err_transpose_missing": lambda: x.transpose(0),
    "err_t_args": lambda: x.t(1),
    "err_linear_weight_none": lambda: F.linear(x, None),
    "err_conv2d_unknown_kw": lambda: F.conv2d(x, foo=1),
    "err_split_unknown_kw": lambda: x.split(1, dimm=1),
    "err_split_missing": lambda: x.split(),
    "err_relu_unknown_kw": lambda: F.relu(x, foo=1),
    "err_dropout_too_many": lambda: F.dropout(x, 0.5, True, False, 1),
    "err_conv_missing": lambda: nn.Conv2d(1, 2),
    "err_conv_unknown_kw": lambda: nn.Conv2d(1, 2, 3, foo=2),
    "err_conv_too_many": lambda: nn.Conv2d(1, 2, 3, 1, 0, 1, 1, True, "zeros", None, None, 5),
    "err_embedding_missing": lambda: nn.Embedding(),
    "err_dataloader_missing": lambda: DataLoader(),
    # names added after the table was first generated
    "resize_named": lambda: x.clone().resize_(size=(3, 2)),
    "err_resize_str": lambda: x.clone().resize_("a"),
    "post_accumulate_hook_named": post_accumulate_hook_named,
    "err_post_accumulate_hook_missing": lambda: p.register_post_accumulate_grad_hook(),
    "distributed_sampler_positional": lambda: list(DistributedSampler(range(10), 2, 1, False)),
    "distributed_sampler_named": lambda: list(DistributedSampler(range(5), num_replicas=2, rank=0, shuffle=False, drop_last=True)),
    "err_distributed_sampler_unknown_kw": lambda: DistributedSampler(range(5), num_replicas=2, rank=0, foo=1),
    "vmap_named": lambda: torch.vmap(torch.sum, in_dims=1)(x),
    "func_vmap_positional": lambda: torch.func.vmap(torch.sum, 1, 0)(x),
    "func_grad_named": lambda: torch.func.grad(lambda a, b: (a * b).sum(), argnums=1)(x, x + 1),
    "func_jacfwd_positional_has_aux": lambda: torch.func.jacfwd(lambda a: (a.sin(), a.cos()), 0, True)(torch.tensor([0.0, 1.0])),
    "func_hessian_named": lambda: torch.func.hessian(lambda a: (a**3).sum(), argnums=0)(torch.tensor([1.0, 2.0])),
    "err_func_grad_missing": lambda: torch.func.grad(),
    "err_vmap_unknown_kw": lambda: torch.vmap(torch.sum, foo=1),
    "steplr_named": steplr_named,
    "err_steplr_missing": lambda: torch.optim.lr_scheduler.StepLR(torch.optim.SGD([p], lr=1.0)),
    "random_sampler_named": lambda: len(RandomSampler(range(10), num_samples=4)),
    "batch_sampler_named": lambda: list(BatchSampler(range(5), batch_size=2, drop_last=False)),
    "err_subset_missing": lambda: Subset(ds),
    "unique_positional": lambda: torch.unique(torch.tensor([3, 1, 3, 2]), True, True),
    "unique_consecutive_named": lambda: torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1]), return_counts=True),
    # hand-written bindings, whose signatures gen_signatures.py reads off libtorch_python.so
    "err_frombuffer_no_dtype": lambda: torch.frombuffer(bytearray(8)),
    "err_tensor_missing": lambda: torch.tensor(),
    "err_tensor_dtype_str": lambda: torch.tensor([1], dtype="float32"),
    "range_named": lambda: torch.range(1, 4, step=2),
    "nonzero_as_tuple": lambda: torch.nonzero(torch.tensor([0, 1, 1]), as_tuple=True),
    "err_float_positional": lambda: x.float(1),
    "err_nonzero_method_kw": lambda: x.nonzero(as_tuplee=1),
    "method_nonzero_as_tuple": lambda: torch.tensor([0, 1, 1]).nonzero(as_tuple=True),
}


def seeded(make):
    """A module built right after manual_seed(0): the same weights in typetorch."""
    torch.manual_seed(0)
    return make()


seq = torch.arange(24.0).view(2, 3, 4).sin()  # [L=2, N=3, 4]
img = torch.arange(32.0).view(1, 2, 4, 4).cos()
hx = (torch.arange(12.0).view(1, 3, 4) / 10, torch.arange(12.0).view(1, 3, 4) / -10)
logits, labels = torch.arange(12.0).view(3, 4).sin(), torch.tensor([0, 3, 1])


def clip_grad_norm_named():
    q = torch.nn.Parameter(torch.ones(3))
    q.grad = torch.tensor([3.0, 4.0, 12.0])
    total = nn.utils.clip_grad_norm_(parameters=[q], max_norm=1.0, norm_type=1.0)
    return [total, q.grad]


def hooks_with_kwargs():
    """module(input, hx=...) with with_kwargs hooks: they see the keyword arguments apart, and a
    pre-hook's new kwargs reach forward."""
    lstm = seeded(lambda: nn.LSTM(4, 4))
    seen = []

    def pre(m, args, kwargs):
        seen.append((len(args), sorted(kwargs)))
        return args, {"hx": (kwargs["hx"][0] * 2, kwargs["hx"][1])}

    lstm.register_forward_pre_hook(pre, with_kwargs=True)
    lstm.register_forward_hook(lambda m, args, kwargs, out: seen.append((len(args), sorted(kwargs))), with_kwargs=True)
    out, (h, c) = lstm(seq, hx=hx)
    assert seen == [(1, ["hx"]), (1, ["hx"])], seen
    return [out, h]


def initialised(f, **kw):
    """nn.init's f on a fresh [3, 4] tensor right after manual_seed(0), arguments by name."""
    t = torch.empty(3, 4)
    torch.manual_seed(0)
    return f(t, **kw)


def module_forwards():
    return {
        # nn.init's functions by PyTorch's parameter names (the generator too)
        "init_uniform_named": lambda: initialised(nn.init.uniform_, a=-2.0, b=3.0),
        "init_normal_named": lambda: initialised(nn.init.normal_, mean=1.0, std=0.5),
        "init_normal_generator_named": lambda: nn.init.normal_(torch.empty(4), std=2.0, generator=torch.Generator().manual_seed(3)),
        "init_trunc_normal_named": lambda: initialised(nn.init.trunc_normal_, std=1.0, a=-0.5, b=0.5),
        "init_constant_named": lambda: initialised(nn.init.constant_, val=3.0),
        "init_xavier_uniform_named": lambda: initialised(nn.init.xavier_uniform_, gain=2.0),
        "init_xavier_normal_named": lambda: initialised(nn.init.xavier_normal_, gain=0.5),
        "init_kaiming_normal_named": lambda: initialised(nn.init.kaiming_normal_, a=0.2, mode="fan_out", nonlinearity="leaky_relu"),
        "init_orthogonal_named": lambda: initialised(nn.init.orthogonal_, gain=1.5),
        "init_sparse_named": lambda: initialised(nn.init.sparse_, sparsity=0.5, std=0.1),
        "init_calculate_gain_named": lambda: nn.init.calculate_gain(nonlinearity="leaky_relu", param=0.2),
        "err_init_normal_unknown": lambda: nn.init.normal_(torch.empty(2), stdev=1.0),
        # x.scatter's legacy reduce
        "scatter_reduce_add_named": lambda: torch.zeros(3).scatter(dim=0, index=torch.tensor([0, 0]), src=torch.tensor([2.0, 3.0]), reduce="add"),
        "scatter_value_reduce_multiply": lambda: torch.ones(3).scatter(0, torch.tensor([0, 0]), 2.0, reduce="multiply"),
        "err_scatter_reduce_mean": lambda: torch.zeros(3).scatter(0, torch.tensor([0]), 2.0, reduce="mean"),
        # module forwards take PyTorch's keyword names (module(*args, **kwargs) binds to forward)
        "lstm_forward_hx_named": lambda: seeded(lambda: nn.LSTM(4, 4))(seq, hx=hx),
        "gru_forward_named": lambda: seeded(lambda: nn.GRU(4, 2))(input=seq),
        "mha_forward_need_weights_named": lambda: seeded(lambda: nn.MultiheadAttention(4, 2))(seq, seq, seq, need_weights=False),
        "mha_forward_positional": lambda: seeded(lambda: nn.MultiheadAttention(4, 2))(seq, seq, seq, None, True, None, False)[1],
        "loss_forward_named": lambda: nn.CrossEntropyLoss()(input=logits, target=labels),
        "encoder_layer_forward_named": lambda: seeded(lambda: nn.TransformerEncoderLayer(4, 2, 8, 0.0))(seq, is_causal=False),
        "conv_transpose_forward_output_size": lambda: seeded(lambda: nn.ConvTranspose2d(2, 1, 3, stride=2))(img, output_size=[9, 9]).shape[-1],
        "hooks_with_kwargs": hooks_with_kwargs,
        "err_loss_forward_missing": lambda: nn.MSELoss()(logits),
        "err_lstm_forward_unknown_kw": lambda: nn.LSTM(4, 4)(seq, foo=1),
        "err_linear_forward_too_many": lambda: nn.Linear(4, 4)(seq, seq),
        "err_mha_forward_twice": lambda: nn.MultiheadAttention(4, 2)(seq, seq, seq, None, need_weights=False, key_padding_mask=None),
        # the RNN modules' constructors bind as RNNBase.__init__(mode, *args, **kwargs)
        "lstm_named": lambda: nn.LSTM(input_size=3, hidden_size=4, num_layers=2, batch_first=True),
        "rnn_positional_nonlinearity": lambda: nn.RNN(3, 4, 1, "relu", False),
        "gru_positional": lambda: nn.GRU(3, 4, 2, True, True, 0.0, True),
        "err_lstm_missing": lambda: nn.LSTM(3),
        "err_lstm_unknown_kw": lambda: nn.LSTM(3, 4, foo=1),
        "err_lstm_too_many": lambda: nn.LSTM(3, 4, 1, True, False, 0.0, False, 0, None, None, 1),
        "err_rnn_too_many": lambda: nn.RNN(3, 4, 1, "tanh", True, False, 0.0, False, 0, None, None, 1),
        "transformer_layer_positional": lambda: nn.TransformerEncoderLayer(4, 2, 8, 0.0, "gelu", 1e-6, True),
        "transformer_decoder_named": lambda: nn.TransformerDecoder(nn.TransformerDecoderLayer(4, 2, 8), num_layers=2, norm=nn.LayerNorm(4)),
        # nn.functional's forms, by position or by name
        "torch_adaptive_max_pool1d": lambda: torch.adaptive_max_pool1d(seq, 2),
        "f_max_pool2d_named": lambda: F.max_pool2d(img, kernel_size=2, stride=1, return_indices=True),
        "f_max_pool2d_positional": lambda: F.max_pool2d(img, 3, 1, 1, 1, True),
        "f_max_pool1d_named": lambda: F.max_pool1d(seq, kernel_size=2, ceil_mode=True),
        "f_avg_pool2d_named": lambda: F.avg_pool2d(img, kernel_size=3, padding=1, count_include_pad=False),
        "f_adaptive_max_pool2d_named": lambda: F.adaptive_max_pool2d(img, output_size=2, return_indices=True),
        # (boolean_dispatch: the function return_indices picks names the error)
        "err_f_max_pool2d_missing": lambda: F.max_pool2d(img),
        "err_f_max_pool2d_indices_missing": lambda: F.max_pool2d(img, return_indices=True),
        "err_f_max_pool1d_too_many": lambda: F.max_pool1d(seq, 2, 2, 0, 1, False, True, 7),
        "err_f_adaptive_max_pool2d_unknown_kw": lambda: F.adaptive_max_pool2d(img, 2, foo=1),
        "f_cross_entropy_named": lambda: F.cross_entropy(input=logits, target=labels, label_smoothing=0.1),
        "f_cross_entropy_positional": lambda: F.cross_entropy(logits, labels, None, None, 1, None, "sum"),
        "f_softmax_named": lambda: F.softmax(input=logits, dim=0, dtype=torch.float64),
        "f_multi_margin_positional": lambda: F.multi_margin_loss(logits, labels, 2, 0.5),
        "f_triplet_named": lambda: F.triplet_margin_loss(logits, logits.flip(0), logits.cos(), margin=0.5, swap=True),
        "err_f_cross_entropy_unknown_kw": lambda: F.cross_entropy(logits, labels, foo=1),
        # nn.utils and nn.utils.rnn
        "pad_sequence_named": lambda: nn.utils.rnn.pad_sequence([seq[0], seq[1, :2]], batch_first=True, padding_value=-1.0),
        "pack_padded_positional": lambda: list(nn.utils.rnn.pack_padded_sequence(seq, [2, 1, 2], False, False))[:2],
        "pad_packed_named": lambda: nn.utils.rnn.pad_packed_sequence(
            nn.utils.rnn.pack_sequence([seq[0], seq[1, :2]], enforce_sorted=True), batch_first=True, total_length=4)[0],
        "clip_grad_norm_named": clip_grad_norm_named,
        "err_pad_sequence_unknown_kw": lambda: nn.utils.rnn.pad_sequence([seq[0]], batch_firstt=True),
        "err_clip_grad_norm_missing": lambda: nn.utils.clip_grad_norm_([p]),
        "err_f_multi_margin_too_many": lambda: F.multi_margin_loss(logits, labels, 1, 1.0, None, None, None, "mean", 1),
    }


SIGNATURES.update(module_forwards())

PROTOCOLS = {
    "len_2d": lambda: len(x),
    "len_0d": lambda: len(torch.tensor(1.0)),
    "iter_rows": lambda: list(x),
    "iter_0d": lambda: list(torch.tensor(1.0)),
    "unpack": lambda: (lambda a, b: [b, a])(*x),
    "dataset_len": lambda: len(ds),
    "dataset_int": lambda: ds[3],
    "dataset_slice": lambda: ds[2:5],
    "dataset_slice_step": lambda: ds[1:8:3],
    "dataset_index_tensor": lambda: ds[torch.tensor([0, 9, 4])],
    "dataset_index_list": lambda: ds[[1, 2]],
    "function_apply_detached": detached_apply,
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden")
for name, cases in (("signatures", SIGNATURES), ("protocols", PROTOCOLS)):
    with open(os.path.join(out, f"{name}.json"), "w") as f:
        json.dump({"torch": torch.__version__.split("+")[0], "cases": {k: run(v) for k, v in cases.items()}}, f, indent=1)
        f.write("\n")
