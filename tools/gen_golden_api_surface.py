#!/usr/bin/env python3
"""Golden data for test/api_surface.test.ts: the Tensor methods and torch.* functions of PyTorch's
public API that typetorch added beside its ops' main forms (src/ops/extra_ops.ts,
src/ops/extra_torch.ts): in-place forms (addmm_, cumsum_ …), fill_diagonal_, put_, log_normal_ and
geometric_ (PyTorch's random streams), set_/as_strided_, the unsafe splits, nonzero_static,
histogram/histogramdd, apply_/map_, the introspection (itemsize, dim_order …), the window
functions, gradient, pdist, rms_norm, the ATen forms of nn.functional's ops and the *_copy views,
with PyTorch's errors. Run under PyTorch 2.x:

    /work/.venv-torch/bin/python tools/gen_golden_api_surface.py

Each case is a short program that the test repeats under the same name; it returns a tensor, a
list of results, or a plain JSON value (a grad_fn's name, a flag), or raises PyTorch's error.
"""
import os
import sys
import warnings

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_tensor, named_case_registry, node_name, write_cases  # noqa: E402

warnings.filterwarnings("ignore")
CASES, case = named_case_registry()


def data(shape, k, dtype=torch.float32):
    """Distinct values of a shape, the k-th such set (the test builds the same)."""
    n = 1
    for s in shape:
        n *= s
    return ((torch.arange(n, dtype=torch.float64) * 0.37 + k).sin().reshape(shape) + 1.5).to(dtype)


def name(t):
    return node_name(t.grad_fn)


def with_grad(f, *inputs):
    """f's result, its grad_fn's name and the gradients of sum(result * weights) for the inputs."""
    leaves = [x.detach().clone().requires_grad_() for x in inputs]
    y = f(*leaves)
    (y * data(y.shape, 9, y.dtype)).sum().backward()
    return [y, name(y)] + [x.grad for x in leaves]


# ---- in-place forms ---------------------------------------------------------------------------
M23, M34, V3, V4 = (lambda: data([2, 3], 1)), (lambda: data([3, 4], 2)), (lambda: data([3], 3)), (lambda: data([4], 4))
case("addmm_")(lambda: with_grad(lambda x, a, b: x.clone().addmm_(a, b, beta=0.5, alpha=2), data([2, 4], 0), M23(), M34()))
case("addmv_")(lambda: with_grad(lambda x, a, v: x.clone().addmv_(a, v, alpha=-1), data([2], 0), M23(), V3()))
case("addr_")(lambda: with_grad(lambda x, a, b: x.clone().addr_(a, b, beta=2), data([3, 4], 0), V3(), V4()))
case("addbmm_")(lambda: data([2, 4], 0).addbmm_(data([2, 2, 3], 1), data([2, 3, 4], 2)))
case("baddbmm_")(lambda: data([2, 2, 4], 0).baddbmm_(data([2, 2, 3], 1), data([2, 3, 4], 2), beta=0, alpha=0.5))
case("cumsum_")(lambda: with_grad(lambda x: x.clone().cumsum_(1), data([2, 3], 0)))
case("cumprod_")(lambda: data([2, 3], 0).cumprod_(0))
case("cumsum_ with a dtype")(lambda: data([4], 0, torch.float64).cumsum_(0, dtype=torch.float32))
case("igamma_")(lambda: data([4], 0).igamma_(data([4], 1)))
case("igammac_")(lambda: data([4], 0).igammac_(data([4], 1)))
case("addmm_ of a mismatched self")(lambda: data([3], 0).addmm_(M23(), M34()))
case("cumsum_ of an int into a float dtype")(lambda: torch.arange(3).cumsum_(0, dtype=torch.float32))


# ---- fill_diagonal_, put_ ---------------------------------------------------------------------
case("fill_diagonal_")(lambda: torch.zeros(3, 4).fill_diagonal_(5))
case("fill_diagonal_ tall")(lambda: torch.zeros(7, 3).fill_diagonal_(5))
case("fill_diagonal_ wrap")(lambda: torch.zeros(7, 3).fill_diagonal_(5, wrap=True))
case("fill_diagonal_ wrap 8x2")(lambda: torch.zeros(8, 2).fill_diagonal_(-1, True))
case("fill_diagonal_ 3-d")(lambda: torch.zeros(3, 3, 3).fill_diagonal_(2))
case("fill_diagonal_ of an int tensor")(lambda: torch.zeros(2, 2, dtype=torch.int64).fill_diagonal_(7))
case("fill_diagonal_ grad")(lambda: with_grad(lambda x: x.clone().fill_diagonal_(0.5), data([3, 3], 0)))
case("fill_diagonal_ of an expanded tensor")(lambda: torch.zeros(3).expand(2, 3).fill_diagonal_(1))
case("fill_diagonal_ of 1-d")(lambda: torch.zeros(3).fill_diagonal_(1))
case("fill_diagonal_ of unequal dims")(lambda: torch.zeros(2, 3, 3).fill_diagonal_(1))
IDX = lambda: torch.tensor([1, -1, 0])
case("put_")(lambda: data([2, 3], 0).put_(IDX(), torch.tensor([9., 8., 7.])))
case("put_ accumulate")(lambda: data([2, 3], 0).put_(torch.tensor([1, 1, 4]), torch.tensor([9., 8., 7.]), accumulate=True))
case("put")(lambda: with_grad(lambda x, s: x.put(IDX(), s), data([2, 3], 0), data([3], 1)))
case("put_ grad")(lambda: with_grad(lambda x, s: (x * 1).put_(IDX(), s, accumulate=True) * 2, data([2, 3], 0), data([3], 1)))
case("addmv_ grad twice")(lambda: with_grad(lambda x, a, v: (x * 1).addmv_(a, v).addmv_(a, v, beta=2), data([2], 0), M23(), V3()))
case("torch.put")(lambda: torch.put(data([4], 0), torch.tensor([[0, 3]]), torch.tensor([[1., 2.]])))
case("put_ index not long")(lambda: torch.zeros(3).put_(torch.tensor([0, 1], dtype=torch.int32), torch.tensor([1., 2])))
case("put_ sizes differ")(lambda: torch.zeros(3).put_(torch.tensor([0, 1]), torch.tensor([1., 2, 3])))
case("put_ out of range")(lambda: torch.zeros(3).put_(torch.tensor([0, 5]), torch.tensor([1., 2])))
case("put_ dtypes differ")(lambda: torch.zeros(3).put_(torch.tensor([0, 1]), torch.tensor([1., 2], dtype=torch.float64)))


# ---- random -----------------------------------------------------------------------------------
def seeded(f):
    torch.manual_seed(5)
    return f()


case("log_normal_")(lambda: seeded(lambda: [torch.empty(20).log_normal_(), torch.empty(3, 3, dtype=torch.float64).log_normal_(0.5, 0.25),
                                            torch.empty(5).log_normal_(std=0.5)]))
case("log_normal_ after normal_ (the cached spare)")(lambda: seeded(lambda: [torch.empty(1, dtype=torch.float64).normal_(),
                                                                              torch.empty(3).log_normal_()]))
case("log_normal_ of a transposed tensor")(lambda: seeded(lambda: torch.empty(3, 2).t().log_normal_()))
case("geometric_")(lambda: seeded(lambda: [torch.empty(20).geometric_(0.3), torch.empty(5, dtype=torch.int64).geometric_(0.5),
                                           torch.empty(4, dtype=torch.float64).geometric_(0.01), torch.empty(6, dtype=torch.int32).geometric_(0.9)]))
case("geometric_ with a generator")(lambda: torch.empty(6).geometric_(0.2, generator=torch.Generator().manual_seed(3)))
case("log_normal_ std 0")(lambda: torch.zeros(3).log_normal_(1, 0))
case("log_normal_ of long")(lambda: torch.zeros(3, dtype=torch.long).log_normal_())
case("geometric_ p 1")(lambda: torch.zeros(3).geometric_(1))
case("geometric_ of bool")(lambda: torch.zeros(3, dtype=torch.bool).geometric_(0.5))


# ---- geometry and storage -----------------------------------------------------------------------
def set_to():
    a, b = torch.zeros(3), data([2, 3], 0)
    a.set_(b)
    a[0, 0] = 42.
    return [a, b, a.is_set_to(b), b.is_set_to(b), a.is_set_to(b.clone()), list(a.stride())]


def set_empty():
    a = data([3], 0)
    a.set_()
    return [a, list(a.shape)]


def as_strided_inplace():
    x = torch.arange(6.)
    y = x.as_strided_([2, 2], [1, 2], 1)
    return [x, y is x, list(x.stride()), x.storage_offset()]


case("set_")(set_to)
case("set_()")(set_empty)
case("set_ of another dtype")(lambda: torch.zeros(3).set_(torch.zeros(2, dtype=torch.float64)))
case("as_strided_")(as_strided_inplace)
case("as_strided_ of a leaf that requires grad")(lambda: torch.zeros(3, requires_grad=True).as_strided_([2], [1]))
case("histogram of 2-d edges")(lambda: torch.histogram(torch.tensor([1., 2]), torch.tensor([[0., 1]])))
case("empty_strided of mismatched lengths")(lambda: torch.empty_strided((2, 3), (1,)))
case("asarray copy=False of another dtype")(lambda: torch.asarray(torch.ones(2), copy=False, dtype=torch.float64))
case("rms_norm of a bad 2-d shape")(lambda: F.rms_norm(torch.zeros(2, 3), [2, 4]))
case("rms_norm of a bad weight")(lambda: F.rms_norm(torch.zeros(2, 3), [3], torch.ones(2)))
case("alpha_dropout p 1.5")(lambda: torch.alpha_dropout(torch.ones(3), 1.5, True))
case("feature_alpha_dropout of 1-d")(lambda: torch.feature_alpha_dropout(torch.ones(3), 0.5, True))
# (src's gradient only: PyTorch's formula for input's, as_strided_scatter_backward, gives the gradient
# on the scattered slice and zeros elsewhere, the reverse of the derivative; typetorch's is the derivative)
case("as_strided_scatter")(lambda: with_grad(lambda s: torch.as_strided_scatter(data([6], 0), s, [2, 2], [1, 2], 1), data([2, 2], 1)))
case("as_strided_scatter of a view with an offset")(lambda: torch.as_strided_scatter(data([8], 0)[2:], torch.ones(2), [2], [2], 1))
case("as_strided_scatter of a transposed tensor")(lambda: torch.as_strided_scatter(torch.arange(6.).reshape(2, 3).t(), torch.full((2,), -1.), [2], [1]))
case("as_strided_scatter method")(lambda: data([2, 3], 0).as_strided_scatter(torch.ones(3), [3], [2]))
case("resize_as_")(lambda: [list(data([6], 0).resize_as_(torch.zeros(2, 3)).shape)])
case("split_with_sizes")(lambda: data([5, 2], 0).split_with_sizes([2, 3]))
case("torch.split_with_sizes dim 1")(lambda: torch.split_with_sizes(data([2, 5], 0), [1, 4], 1))
case("split_with_sizes wrong sum")(lambda: torch.zeros(5).split_with_sizes([2, 2]))


def unsafe(f):
    x = data([5, 2], 0).requires_grad_()
    parts = f(x)
    (parts[0] * 2).sum().backward()
    return [len(parts)] + list(parts) + [name(parts[0]), parts[0]._base is None, x.grad]


case("unsafe_split")(lambda: unsafe(lambda x: x.unsafe_split(2)))
case("unsafe_chunk")(lambda: unsafe(lambda x: x.unsafe_chunk(2, 0)))
case("unsafe_split_with_sizes")(lambda: unsafe(lambda x: torch.unsafe_split_with_sizes(x, [1, 4])))
case("hardshrink method")(lambda: torch.tensor([-1., -0.2, 0.3, 2.]).hardshrink(0.25))
case("prelu method")(lambda: torch.tensor([[-1., 2.], [-3., 4.]]).prelu(torch.tensor([0.25, 0.5])))


def new_empty_strided():
    t = torch.zeros(2, dtype=torch.float64).new_empty_strided((2, 3), (1, 2))
    return [list(t.shape), list(t.stride()), str(t.dtype)]


case("new_empty_strided")(new_empty_strided)
case("empty_strided")(lambda: [list(torch.empty_strided((2, 3), (1, 2)).stride()), list(torch.empty_strided((0, 3), (3, 1)).shape)])
case("empty_permuted")(lambda: [list(torch.empty_permuted((2, 3, 4), (0, 2, 1)).stride()), list(torch.empty_permuted((2, 3, 4, 5), (0, 2, 3, 1)).stride())])
case("empty_permuted bad length")(lambda: torch.empty_permuted((2, 3), (0, 2, 1)))
NZ = lambda: torch.tensor([[0., 1., 1.], [0., 0., 2.]])
case("nonzero_static")(lambda: [NZ().nonzero_static(size=2), NZ().nonzero_static(size=5), torch.nonzero_static(NZ(), size=4, fill_value=-7)])
case("nonzero_static negative size")(lambda: torch.zeros(3).nonzero_static(size=-1))


# ---- histogram ----------------------------------------------------------------------------------
H = lambda: torch.tensor([1., 2., 1., 2.5, 4., 0.1, 3.3, 2.0])
case("histogram")(lambda: list(H().histogram(4)))
case("histogram default bins")(lambda: list(torch.histogram(data([50], 0))))
case("histogram range weight density")(lambda: list(torch.histogram(H(), 3, range=(0., 3.), weight=data([8], 1), density=True)))
case("histogram of edges")(lambda: list(H().histogram(torch.tensor([0., 1., 2.5, 4.]))))
case("histogram of one value")(lambda: list(torch.histogram(torch.tensor([2., 2.]), 2)))
case("histogram float64")(lambda: list(torch.histogram(data([30], 2, torch.float64), 7)))
case("histogram of long")(lambda: torch.zeros(3, dtype=torch.long).histogram(3))
case("histogram range reversed")(lambda: torch.zeros(3).histogram(3, range=(1., 0.)))
case("histogram 0 bins")(lambda: torch.zeros(3).histogram(0))
case("histogram of a bad weight")(lambda: torch.zeros(3).histogram(3, weight=torch.zeros(2)))
case("histogram print")(lambda: str(H().histogram(2)))
case("histogramdd")(lambda: (lambda r: [r.hist] + list(r.bin_edges))(torch.histogramdd(data([10, 2], 0), bins=[3, 2])))
case("histogramdd of edges and weights")(lambda: (lambda r: [r.hist] + list(r.bin_edges))(
    torch.histogramdd(data([10, 2], 0), bins=[torch.tensor([0., 1.5, 3.]), torch.tensor([0.5, 1., 2.5])], weight=data([10], 1), density=True)))


# ---- callbacks -----------------------------------------------------------------------------------
case("apply_")(lambda: torch.arange(4.).apply_(lambda v: v * v + 1))
case("apply_ of long truncates")(lambda: torch.arange(3).apply_(lambda v: v + 0.7))
case("map_")(lambda: torch.arange(6.).reshape(2, 3).map_(torch.tensor([10., 20., 30.]), lambda a, b: a * b))
case("map2_")(lambda: torch.ones(3).map2_(torch.arange(3.), torch.full((3,), 2.), lambda a, b, c: a + b * c))
case("apply_ requires grad")(lambda: torch.zeros(3, requires_grad=True).apply_(lambda v: v))
case("map_ of another dtype")(lambda: torch.zeros(3).map_(torch.zeros(3, dtype=torch.long), lambda a, b: a))
case("map2_ of another dtype")(lambda: torch.zeros(3).map2_(torch.zeros(3), torch.zeros(3, dtype=torch.long), lambda a, b, c: a))
case("map_ of a bad shape")(lambda: torch.zeros(3).map_(torch.zeros(4), lambda a, b: a))


# ---- introspection --------------------------------------------------------------------------------
def intro():
    x = torch.zeros(2, 3)
    return [x.itemsize, x.nbytes, torch.zeros(3, dtype=torch.float16).itemsize, torch.zeros(3).expand(4, 3).nbytes,
            x.is_signed(), torch.zeros(1, dtype=torch.uint8).is_signed(), torch.zeros(1, dtype=torch.bool).is_signed(),
            torch.is_signed(x), x.is_same_size(torch.ones(2, 3)), torch.is_same_size(x, torch.ones(3, 2)), x.get_device(),
            torch.get_device(x), x.output_nr, str(x.layout), x.is_sparse, x.is_quantized, x.is_nested, x.is_mkldnn,
            x.is_neg(), x.is_conj(), x.resolve_neg() is x, x.resolve_conj() is x, x.is_pinned(), torch.is_inference(x),
            torch.typename(x), torch.typename(torch.zeros(1, dtype=torch.long)), torch.typename(3), torch.is_storage(x)]


def output_nr():
    x = data([4], 0).requires_grad_()
    a, b = x.unsafe_split(2)
    return [a.output_nr, b.output_nr, x.output_nr]


def dim_orders():
    x = torch.zeros(2, 3, 4, 5)
    return [list(x.dim_order()), list(x.permute(0, 2, 3, 1).dim_order()), list(x.to(memory_format=torch.channels_last).dim_order()),
            list(torch.zeros(2, 3).t().dim_order()), list(torch.zeros(1, 3).expand(4, 3).dim_order()), list(torch.zeros(2, 1, 3).dim_order())]


case("introspection")(intro)
case("output_nr")(output_nr)
case("dim_order")(dim_orders)
case("pin_memory without an accelerator")(lambda: torch.zeros(2).pin_memory())


# ---- torch.* functions ----------------------------------------------------------------------------
case("asarray")(lambda: [torch.asarray([1., 2.]), torch.asarray(torch.ones(2), dtype=torch.float64)])
case("row_stack")(lambda: torch.row_stack([data([3], 0), data([2, 3], 1)]))
case("windows")(lambda: [torch.hann_window(8), torch.hann_window(7, periodic=False), torch.hamming_window(6),
                         torch.hamming_window(5, False, alpha=0.5, beta=0.4), torch.blackman_window(9), torch.blackman_window(6, False),
                         torch.bartlett_window(7), torch.bartlett_window(6, False), torch.kaiser_window(8),
                         torch.kaiser_window(7, False, 5.0), torch.hann_window(1), torch.hann_window(0),
                         torch.hann_window(5, dtype=torch.float64), torch.kaiser_window(6, True, 3., dtype=torch.float64)])
case("hann_window of long")(lambda: torch.hann_window(4, dtype=torch.long))
case("hann_window negative")(lambda: torch.hann_window(-1))
case("gradient")(lambda: list(torch.gradient(data([5], 0))) + list(torch.gradient(data([3, 4], 1), spacing=2.)) +
                 list(torch.gradient(data([3, 4], 2), dim=1, edge_order=2)) + list(torch.gradient(data([4, 3], 3), spacing=[torch.tensor([0., 1., 3., 4.5])], dim=0)) +
                 list(torch.gradient(data([5], 4), spacing=[torch.tensor([0., 0.5, 1.5, 2., 4.])], edge_order=2)))
case("gradient of a short dim")(lambda: torch.gradient(torch.ones(2), edge_order=2))
case("gradient edge_order 3")(lambda: torch.gradient(torch.ones(5), edge_order=3))
case("pdist")(lambda: with_grad(lambda x: torch.pdist(x), data([4, 3], 0)) + [torch.pdist(data([3, 2], 1), p=1), torch.pdist(data([3, 2], 2), p=float("inf"))])
case("pdist of 3-d")(lambda: torch.pdist(torch.zeros(2, 2, 2)))
case("frobenius_norm, nuclear_norm")(lambda: [torch.frobenius_norm(data([2, 3], 0), [0, 1]), torch.frobenius_norm(data([2, 3], 0), [1], True),
                                              torch.nuclear_norm(data([3, 3], 1)), torch.nuclear_norm(data([2, 3, 3], 2), [1, 2])])
case("rms_norm")(lambda: [F.rms_norm(data([2, 4], 0), [4]), torch.rms_norm(data([2, 3, 4], 1), [3, 4], data([3, 4], 2), 1e-3),
                          F.rms_norm(data([2, 4], 0, torch.float64), (4,))] + with_grad(lambda x, w: F.rms_norm(x, [3], w), data([2, 3], 3), data([3], 4))[2:])
case("rms_norm of a bad shape")(lambda: F.rms_norm(torch.zeros(2, 3), [4]))
case("constant_pad_nd")(lambda: torch.constant_pad_nd(data([2, 2], 0), [1, 0, 0, 2], 9.))
case("ATen losses")(lambda: [
    torch.binary_cross_entropy_with_logits(data([4], 0), data([4], 1) / 3, None, None, 2),
    torch.kl_div(data([4], 0).log(), data([4], 1), 0, log_target=False),
    torch.cosine_embedding_loss(data([2, 3], 0), data([2, 3], 1), torch.tensor([1., -1.]), 0.1, 1),
    torch.hinge_embedding_loss(data([4], 0), torch.tensor([1., -1., 1., -1.]), 2.0, 2),
    torch.margin_ranking_loss(data([3], 0), data([3], 1), torch.tensor([1., -1., 1.]), 0.5, 0),
    torch.poisson_nll_loss(data([4], 0), data([4], 1), True, False, 1e-8, 1),
    torch.triplet_margin_loss(data([2, 3], 0), data([2, 3], 1), data([2, 3], 2), 1.0, 2., 1e-6, False, 1)])
case("ATen nn forms")(lambda: [
    torch.batch_norm(data([2, 3], 0), data([3], 1), data([3], 2), None, None, True, 0.1, 1e-5, False),
    torch.instance_norm(data([2, 3, 4], 0), None, None, None, None, True, 0.1, 1e-5, False),
    torch.bilinear(data([2, 3], 0), data([2, 2], 1), data([4, 3, 2], 2), data([4], 3)),
    torch.embedding(data([5, 2], 0), torch.tensor([[0, 4], [2, 2]])),
    torch.constant_pad_nd(torch.ones(2), [1, 1])])
case("torch.dropout family")(lambda: seeded(lambda: [torch.dropout(torch.ones(8), 0.5, True), torch.dropout(torch.ones(3), 0.5, False),
                                                     torch.feature_dropout(torch.ones(2, 3, 2), 0.5, True),
                                                     torch.alpha_dropout(data([10], 0), 0.3, True),
                                                     torch.feature_alpha_dropout(data([2, 3, 2], 1), 0.4, True),
                                                     torch.alpha_dropout_(data([4], 2), 0.5, True), torch.alpha_dropout(data([3], 3), 1.0, True)]))
case("embedding_renorm_")(lambda: (lambda w: [torch.embedding_renorm_(w, torch.tensor([1, 3, 1]), 2.0, 2.0), w])(torch.arange(12.).reshape(4, 3)))
case("in-place torch.* activations")(lambda: [torch.celu_(data([3], 0) - 2, 0.5), torch.selu_(data([3], 1) - 2), torch.threshold_(data([3], 2), 1.5, -1.),
                                             torch.rrelu_(data([3], 3) - 2), torch.zero_(data([2], 4))])


def cells():
    x, h, c = data([2, 3], 0), data([2, 4], 1), data([2, 4], 2)
    w3, w4 = lambda k: data([12, 3], k) - 1.5, lambda k: data([12, 4], k) - 1.5
    hy, cy = torch.lstm_cell(x, [h, c], data([16, 3], 3) - 1.5, data([16, 4], 4) - 1.5, data([16], 5) - 1.5, data([16], 6) - 1.5)
    return [hy, cy, torch.gru_cell(x, h, w3(7), w4(8), data([12], 9) - 1.5, data([12], 10) - 1.5),
            torch.rnn_tanh_cell(x, h, data([4, 3], 11) - 1.5, data([4, 4], 12) - 1.5),
            torch.rnn_relu_cell(x, h, data([4, 3], 13) - 1.5, data([4, 4], 14) - 1.5, data([4], 15) - 1.5)]


case("recurrent cells")(cells)
X = lambda: data([2, 3], 0)
case("copies of views")(lambda: [torch.view_copy(X(), [3, 2]), torch.permute_copy(X(), [1, 0]), torch.transpose_copy(X(), 0, 1),
                                 torch.t_copy(X()), torch.expand_copy(data([1, 3], 1), [2, 3]), torch.squeeze_copy(data([1, 3], 1)),
                                 torch.unsqueeze_copy(X(), 1), torch.diagonal_copy(X()), torch.select_copy(X(), 1, 2),
                                 torch.slice_copy(X(), 1, 1, 3), torch.detach_copy(X()), torch.alias_copy(X()),
                                 torch.as_strided_copy(X(), [2, 2], [1, 2]), torch.unfold_copy(X(), 1, 2, 1)] +
                                list(torch.split_copy(X(), 1, 1)) + list(torch.split_with_sizes_copy(X(), [1, 1])) + list(torch.unbind_copy(X(), 1)))


def copy_names():
    x = X().requires_grad_()
    v = torch.view_copy(x, [6])
    (v * torch.arange(6.)).sum().backward()
    return [name(v), name(torch.permute_copy(x, [1, 0])), name(torch.t_copy(x)), v._base is None, x.grad,
            name(torch.squeeze_copy(x.view(2, 1, 3))), name(torch.squeeze_copy(x.view(2, 1, 3), 1)), name(torch.split_copy(x, 1, 1)[1]),
            name(torch.unbind_copy(x)[0]), name(torch.split_with_sizes_copy(x, [1, 2], 1)[0]), name(torch.select_copy(x, 0, 1))]


case("copies of views: autograd")(copy_names)


def settings():
    out = [torch.are_deterministic_algorithms_enabled(), torch.get_float32_matmul_precision(), torch.is_warn_always_enabled()]
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.set_float32_matmul_precision("high")
    torch.set_warn_always(True)
    out += [torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled(),
            torch.get_float32_matmul_precision(), torch.is_warn_always_enabled(), str(torch.get_default_device())]
    torch.use_deterministic_algorithms(False)
    torch.set_float32_matmul_precision("highest")
    torch.set_warn_always(False)
    return out


case("settings")(settings)
def debug_modes():
    out = []
    for m in ["default", "warn", "error", 1, 0]:
        torch.set_deterministic_debug_mode(m)
        out.append([torch.get_deterministic_debug_mode(), torch.are_deterministic_algorithms_enabled(),
                    torch.is_deterministic_algorithms_warn_only_enabled()])
    return out


case("deterministic debug modes")(debug_modes)
case("deterministic debug mode of a bad name")(lambda: torch.set_deterministic_debug_mode("x"))
case("deterministic debug mode of a bad number")(lambda: torch.set_deterministic_debug_mode(3))
case("set_flush_denormal(False)")(lambda: torch.set_flush_denormal(False))
case("torch.* forms of methods")(lambda: [torch.fill(data([2], 0), 3.), torch.is_neg(data([1], 0)), torch.resolve_neg(data([2], 1)),
                                          torch.addmv_(data([2], 0), M23(), V3()), torch.unsafe_chunk(data([4], 2), 2)[1],
                                          torch.unsafe_split(data([5], 3), 3)[1], torch.unsafe_split_with_sizes(data([5], 4), [4, 1])[0],
                                          torch.as_strided_(data([4], 5), [2], [2]), list(torch.resize_as_(data([4], 6), torch.zeros(2, 2)).shape)])
case("alpha dropout in nn.functional and nn")(lambda: seeded(lambda: [F.alpha_dropout(data([6], 0), 0.3, True), F.alpha_dropout(data([3], 1)),
                                                                      F.feature_alpha_dropout(data([2, 2, 3], 2), 0.5, training=True),
                                                                      torch.nn.AlphaDropout(0.4)(data([5], 3)), torch.nn.FeatureAlphaDropout(0.2)(data([2, 3, 1], 4)),
                                                                      repr(torch.nn.AlphaDropout(0.25)), repr(torch.nn.FeatureAlphaDropout(inplace=True))]))
case("F.alpha_dropout p 1.5")(lambda: F.alpha_dropout(torch.ones(2), 1.5))
# ---- CTC loss -------------------------------------------------------------------------------------
LP = lambda: (data([6, 2, 5], 0) * 2).log_softmax(2)
TG = lambda: torch.tensor([[1, 2, 2], [3, 4, 0]])


def ctc(f, lp=None):
    x = (LP() if lp is None else lp).detach().requires_grad_()
    loss = f(x)
    (loss * data(loss.shape, 9)).sum().backward()
    return [loss, name(loss), x.grad]


case("ctc_loss mean")(lambda: ctc(lambda x: F.ctc_loss(x, TG(), [6, 5], [3, 2])))
case("ctc_loss sum, blank 4")(lambda: ctc(lambda x: F.ctc_loss(x, TG(), [6, 6], [3, 1], blank=4, reduction="sum")))
case("ctc_loss none, concatenated targets")(lambda: ctc(lambda x: F.ctc_loss(x, torch.tensor([1, 2, 2, 3, 4]), torch.tensor([6, 4]), torch.tensor([3, 2]), reduction="none")))
case("ctc_loss infinite, zero_infinity")(lambda: ctc(lambda x: F.ctc_loss(x, torch.tensor([[1, 1, 1], [2, 3, 4]]), [3, 6], [3, 3], reduction="none", zero_infinity=True)))
case("ctc_loss infinite")(lambda: [F.ctc_loss(LP(), torch.tensor([[1, 1, 1], [2, 3, 4]]), [3, 6], [3, 3], reduction="none")])
case("ctc_loss unbatched, float64")(lambda: ctc(lambda x: F.ctc_loss(x, torch.tensor([2, 3]), torch.tensor(6), torch.tensor(2), reduction="none"),
                                               (data([6, 4], 1, torch.float64) * 3).log_softmax(1)))
case("torch.ctc_loss, nn.CTCLoss")(lambda: [torch.ctc_loss(LP(), TG(), [6, 5], [3, 2], 0, 2, False),
                                           torch.nn.CTCLoss(blank=0, reduction="sum")(LP(), TG(), [6, 5], [3, 2]), repr(torch.nn.CTCLoss())])
case("ctc_loss blank out of range")(lambda: F.ctc_loss(LP(), TG(), [6, 5], [3, 2], blank=5))
case("ctc_loss input_lengths too long")(lambda: F.ctc_loss(LP(), TG(), [7, 5], [3, 2]))
case("ctc_loss target_lengths too long")(lambda: F.ctc_loss(LP(), TG(), [6, 5], [4, 2]))
case("ctc_loss negative length")(lambda: F.ctc_loss(LP(), TG(), [6, -1], [3, 2]))
case("ctc_loss wrong batch of lengths")(lambda: F.ctc_loss(LP(), TG(), [6, 5, 5], [3, 2]))
case("ctc_loss wrong batch of targets")(lambda: F.ctc_loss(LP(), torch.zeros(3, 3, dtype=torch.long), [6, 5], [3, 2]))
case("ctc_loss concatenated targets of the wrong size")(lambda: F.ctc_loss(LP(), torch.tensor([1, 2, 3]), [6, 5], [3, 2]))
case("ctc_loss bad reduction")(lambda: F.ctc_loss(LP(), TG(), [6, 5], [3, 2], reduction="bad"))
# ---- legacy and removed spellings ---------------------------------------------------------------
X64 = lambda: data([2, 3], 0, torch.float64)
case("Tensor.new")(lambda: [X64().new(2, 2).shape, str(X64().new(2, 2).dtype), X64().new([1, 2]), X64().new().shape,
                            torch.ones(2).new(torch.ones(2)), list(torch.zeros(2, dtype=torch.long).new((2, 3)).shape)])
case("Tensor.new of another dtype's tensor")(lambda: X64().new(torch.ones(2)))
case("Tensor.resize, resize_as")(lambda: with_grad(lambda x: x.resize(3, 2), X64()) + [X64().resize_as(torch.ones(6))])
case("Tensor.resize to another numel")(lambda: X64().resize(4, 2))


def default_tensor_type():
    torch.set_default_tensor_type(torch.DoubleTensor)
    out = [str(torch.get_default_dtype()), str(torch.zeros(1).dtype)]
    torch.set_default_tensor_type("torch.FloatTensor")
    return out + [str(torch.get_default_dtype())]


case("set_default_tensor_type")(default_tensor_type)
case("set_default_tensor_type of an integer type")(lambda: torch.set_default_tensor_type("torch.LongTensor"))
case("torch.solve (removed)")(lambda: torch.solve(torch.eye(2), torch.eye(2)))
case("torch.eig (removed)")(lambda: torch.eig(torch.eye(2)))
case("torch.lstsq (removed)")(lambda: torch.lstsq(torch.eye(2), torch.eye(2)))
case("torch.symeig (removed)")(lambda: torch.symeig(torch.eye(2)))
case("torch.matrix_rank (removed)")(lambda: torch.matrix_rank(torch.eye(2)))
GS_IN, GS_GRID = (lambda: data([1, 1, 3, 3], 0)), (lambda: data([1, 2, 2, 2], 1) - 1.5)
case("grid_sampler, affine_grid_generator")(lambda: [torch.grid_sampler(GS_IN(), GS_GRID(), 0, 0, False), torch.grid_sampler(GS_IN(), GS_GRID(), 1, 1, True),
                                                    torch.grid_sampler_2d(GS_IN(), GS_GRID(), 2, 2, False),
                                                    torch.affine_grid_generator(data([1, 2, 3], 2), [1, 1, 2, 3], False)])
# ---- anomaly detection ---------------------------------------------------------------------------
def anomaly_flags():
    out = [torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()]
    with torch.autograd.set_detect_anomaly(True, check_nan=False):
        out += [torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()]
    out += [torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()]
    torch.set_anomaly_enabled(True)
    out += [torch.is_anomaly_enabled()]
    torch.set_anomaly_enabled(False)
    x = torch.tensor([0., 1.], requires_grad=True)
    with torch.autograd.detect_anomaly():
        x.mul(2).sum().backward()  # (no NaN: runs)
    return out + [x.grad]


def anomaly_nan(f):
    x = torch.tensor([-1., 0., 1.], requires_grad=True)
    with torch.autograd.detect_anomaly():
        f(x).sum().backward()


def no_check_nan():
    x = torch.tensor([-1., 1.], requires_grad=True)
    with torch.autograd.detect_anomaly(check_nan=False):
        x.sqrt().sum().backward()
    return x.grad


case("anomaly detection flags")(anomaly_flags)
case("anomaly: a NaN from DivBackward0")(lambda: anomaly_nan(lambda x: x.div(0).mul(0)))
case("anomaly: a NaN from SqrtBackward0")(lambda: anomaly_nan(lambda x: x.sqrt()))
case("anomaly: check_nan off")(no_check_nan)
case("set_float32_matmul_precision of a bad name")(lambda: torch.set_float32_matmul_precision("low"))


def enc(v):
    if isinstance(v, torch.Tensor):
        return enc_tensor(v.detach())
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if v is None or isinstance(v, (bool, int, float, str)):
        return {"value": v}
    raise TypeError(type(v))


def main():
    golden = {}
    for case_name, f in CASES.items():
        try:
            golden[case_name] = {"result": enc(f())}
        except Exception as e:  # noqa: BLE001: the error is the golden value
            golden[case_name] = {"error": type(e).__name__, "message": str(e)}
    write_cases(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "api_surface.json"),
                "tools/gen_golden_api_surface.py", golden)


if __name__ == "__main__":
    main()
