// Convolution by im2col + GEMM: F.unfold / F.fold (im2col / col2im, each the other's adjoint) and
// F.conv1d / F.conv2d as one ConvolutionBackward0 node, as PyTorch 2.x records them.
//
// Note [Convolution as one GEMM]: the forward unfolds the whole batch into columns
// cols [N, C·kh·kw, oh·ow] and hands the product W [O, C·kh·kw] · cols to bmm as one batched GEMM
// over N (G·N for groups), whose result is already the NCHW output: no per-image products and no
// output transpose. The backward is written in Tensor ops so it can be differentiated again:
//   grad_input  = fold(Wᵀ · gO)                (one bmm, then col2im)
//   grad_weight = Σₙ gO[n] · cols[n]ᵀ           (computed as cols · gOᵀ, so the operand read
//                                                transposed is gO, 9× smaller than cols for 3×3)
//   grad_bias   = Σ gO over batch and positions
// The columns are recomputed from the saved input for grad_weight (as PyTorch 2.x does) rather
// than kept alive between forward and backward.
//
// Note [Transposed convolution]: F.conv_transpose1d / conv_transpose2d with weight w [Cin, Cout/G, kh, kw]
// is the adjoint, with respect to its input, of the convolution by w seen as a [Cin, Cout/G, kh, kw]
// filter bank that maps Cout channels to Cin (the forward of one is the other's grad_input). So its
// forward is the grad_input computation above, fold(Wᵀ · x) over the windows of the (larger)
// output, and its backward is convolution again:
//   grad_input  = conv(gO, w)                  (the recorded convolution below, so it nests)
//   grad_weight = Σₙ unfold(gO)[n] · x[n]ᵀ      (conv's grad_weight with gO as its input)
//   grad_bias   = Σ gO over batch and positions
// The window geometry is the convolution's over the output image, with the input's spatial size as
// its number of window positions (stated, not derived: an output_padding ≥ stride, allowed when the
// dilation is larger, leaves more positions than the input has).
//
// Note [Fused convolution]: float32 convolutions with one group run on the WebAssembly engine's
// conv kernels instead (backends/wasm/assembly/conv.ts), which unfold and multiply one image at a
// time in cache-sized scratch; the backward takes them when it is not itself being recorded
// (create_graph off), and otherwise the differentiable ops above. Transposed convolutions take the
// same kernels, the other way round.
//
// Note [Volumetric im2col]: the backends' im2col, col2im and fused kernels are 2-d. A 3-d
// convolution (F.conv3d, conv_transpose3d) is the same GEMM over columns unfolded by vol2col, built
// on the 2-d im2col: the 2-d columns [C·kh·kw, oh·ow] of every depth slice, then for each depth tap
// the slices its output depths read (a strided view over depth) copied into that tap's rows of
// [C, kd, kh·kw, od, oh·ow]; rows whose window reads the depth padding stay zero. Its adjoint,
// col2vol, adds each tap's rows back into the slices' 2-d columns and runs the 2-d col2im. The
// copies move runs of oh·ow contiguous elements, one image at a time: views of at most four dims
// once merged, which the native engine's strided copy takes (a copy of all taps through one
// strided view of the padded input was 8× slower, on the generic path). A fused 3-d kernel would
// be the backends' to add.

import { Tensor } from "../core/tensor.js";
import { scalarTypeName, cppTypeName, float32 } from "../core/dtype.js";
import { contiguousStrides } from "../core/shape.js";
import { type memory_format, channels_last, channels_last_3d, contiguous_format, suggestMemoryFormat } from "../core/memory_format.js";
import * as CK from "../backends/index.js";
import { record, savedFor } from "../autograd/record.js";
import { is_grad_enabled } from "../autograd/grad_mode.js";
import { bmm } from "./linalg.js";
import { pad } from "./padding.js";
import { zeros } from "./creation.js";
import { expandParam, listStr, checkFloatKernel, type IntOrTuple } from "./_nn_args.js";
import { asFormat } from "./views.js";
import "./reduce.js";

// ---- unfold / fold --------------------------------------------------------------------------

/** kernel_size, dilation, padding and stride of F.unfold / F.fold, each expanded to a pair. */
interface UnfoldParams { k: number[]; d: number[]; p: number[]; s: number[] }

const pairStr = (v: readonly number[]) => `(${v.join(", ")})`;

function unfoldParams(kernel_size: IntOrTuple, dilation: IntOrTuple, padding: IntOrTuple, stride: IntOrTuple): UnfoldParams {
  const pair = (v: IntOrTuple, name: string) => {
    const e = expandParam(v, 2);
    if (e === null || (typeof v !== "number" && v.length !== 2)) throw new Error(`${name} must be a tuple of 2 ints`);
    return e;
  };
  const q: UnfoldParams = { k: pair(kernel_size, "kernel_size"), d: pair(dilation, "dilation"), p: pair(padding, "padding"), s: pair(stride, "stride") };
  if (!(q.k[0]! > 0 && q.k[1]! > 0)) throw new Error(`kernel size should be greater than zero, but got kernel_height: ${q.k[0]} kernel_width: ${q.k[1]}`);
  if (!(q.d[0]! > 0 && q.d[1]! > 0)) throw new Error(`dilation should be greater than zero, but got dilation_height: ${q.d[0]} dilation_width: ${q.d[1]}`);
  if (!(q.p[0]! >= 0 && q.p[1]! >= 0)) throw new Error(`padding should be non-negative, but got pad_height: ${q.p[0]} pad_width: ${q.p[1]}`);
  if (!(q.s[0]! > 0 && q.s[1]! > 0)) throw new Error(`stride should be greater than zero, but got stride_height: ${q.s[0]} stride_width: ${q.s[1]}`);
  return q;
}

/** Number of window positions along one dim (PyTorch's conv output size). */
const blocks = (size: number, k: number, d: number, p: number, s: number) => Math.floor((size + 2 * p - (d * (k - 1) + 1)) / s) + 1;

const prod = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

/** The windows of a convolution or of im2col on one image, per spatial dim (2 or 3 of them): the
 *  image's size, kernel, stride, padding, dilation, and the number of window positions. */
interface Windows { size: number[]; k: number[]; s: number[]; p: number[]; d: number[]; out: number[] }

function windowsOf(size: number[], q: UnfoldParams): Windows {
  return { size, k: q.k, s: q.s, p: q.p, d: q.d, out: size.map((n, i) => blocks(n, q.k[i]!, q.d[i]!, q.p[i]!, q.s[i]!)) };
}

/** Two-dim windows as the backends' kernels take them. */
function window2d(g: Windows): CK.Window2d {
  return {
    H: g.size[0]!, W: g.size[1]!, kh: g.k[0]!, kw: g.k[1]!, sh: g.s[0]!, sw: g.s[1]!, ph: g.p[0]!, pw: g.p[1]!,
    dh: g.d[0]!, dw: g.d[1]!, oh: g.out[0]!, ow: g.out[1]!,
  };
}

/** The columns [N, C·K, L] of x [N, C, …size] (K taps, L window positions): the backend's im2col
 *  for 2-d windows, vol2col for 3-d ones (Note [Volumetric im2col]). */
function im2colOf(x: Tensor, N: number, C: number, g: Windows): Tensor {
  if (g.size.length === 2) return CK.im2col(x, N, C, window2d(g));
  const { g2, D, kd, od, KK, L2 } = depthSplit(g);
  // the 2-d columns of every depth slice: [N·D, C·kh·kw, oh·ow]
  const slices = x.transpose(1, 2).reshape(N * D, C, g2.size[0]!, g2.size[1]!);
  const c2 = CK.im2col(slices, N * D, C, window2d(g2)).view(N, D, C, KK, L2);
  const cols = zeros([N, C, kd, KK, od, L2], { dtype: x.dtype, device: x.device });
  for (let n = 0; n < N; n++) {
    const dst = cols.narrow(0, n, 1), src = c2.narrow(0, n, 1);
    for (const { tap, lo, count, depths } of depthTaps(g)) dst.select(2, tap).narrow(3, lo, count).copy_(depths(src).permute(0, 2, 3, 1, 4));
  }
  return cols.view(N, C * kd * KK, od * L2);
}

/** The adjoint of im2colOf: columns [N, C·K, L] summed into an image [N, C, …size] (col2vol for 3-d
 *  windows: each depth tap's rows added into the 2-d columns of the depth slices they read, then the
 *  backend's col2im of every slice). */
function col2imOf(cols: Tensor, N: number, C: number, g: Windows): Tensor {
  if (g.size.length === 2) return CK.col2im(cols, N, C, window2d(g));
  const { g2, D, kd, od, KK, L2 } = depthSplit(g);
  const c6 = cols.view(N, C, kd, KK, od, L2);
  const c2 = zeros([N, D, C, KK, L2], { dtype: cols.dtype, device: cols.device });
  for (let n = 0; n < N; n++) {
    const dst = c2.narrow(0, n, 1), src = c6.narrow(0, n, 1);
    for (const { tap, lo, count, depths } of depthTaps(g)) depths(dst).add_(src.select(2, tap).narrow(3, lo, count).permute(0, 3, 1, 2, 4));
  }
  const img = CK.col2im(c2.view(N * D, C * KK, L2), N * D, C, window2d(g2));
  return img.view(N, D, C, g2.size[0]!, g2.size[1]!).transpose(1, 2).contiguous();
}

/** 3-d windows as 2-d ones over (H, W) and the depth axis's sizes. */
function depthSplit(g: Windows) {
  const g2: Windows = { size: g.size.slice(1), k: g.k.slice(1), s: g.s.slice(1), p: g.p.slice(1), d: g.d.slice(1), out: g.out.slice(1) };
  return { g2, D: g.size[0]!, kd: g.k[0]!, od: g.out[0]!, KK: prod(g2.k), L2: prod(g2.out) };
}

/** Per depth tap, the output depths lo … lo+count−1 whose window reads an input slice (the rest
 *  read the zero padding), and `depths(t)`: the slices they read, as the view [N, count, …] of a
 *  tensor t [N, D, …] (Note [Volumetric im2col]). */
function depthTaps(g: Windows) {
  const D = g.size[0]!, od = g.out[0]!, s = g.s[0]!, p = g.p[0]!, dil = g.d[0]!, out = [];
  for (let tap = 0; tap < g.k[0]!; tap++) {
    // output depth o reads slice o·s − p + tap·dil
    const at = (o: number) => o * s - p + tap * dil;
    const lo = Math.max(0, Math.ceil((p - tap * dil) / s)), hi = Math.min(od, Math.floor((D - 1 + p - tap * dil) / s) + 1);
    if (hi <= lo) continue;
    const depths = (t: Tensor) => {
      const st = t.stride();
      return t.as_strided([t.shape[0]!, hi - lo, ...t.shape.slice(2)], [st[0]!, s * st[1]!, ...st.slice(2)], t.storage_offset() + at(lo) * st[1]!);
    };
    out.push({ tap, lo, count: hi - lo, depths });
  }
  return out;
}

/** im2col of a checked [C, …size] or [N, C, …size] input (Im2ColBackward0). */
function im2colOp(x: Tensor, g: Windows): Tensor {
  const batched = x.ndim === g.size.length + 2, N = batched ? x.shape[0]! : 1, C = x.shape[x.ndim - g.size.length - 1]!;
  const cols = im2colOf(x.detach(), N, C, g);
  const y = batched ? cols : reshaped(cols, cols.shape.slice(1));
  return record("Im2ColBackward0", [x], y, ([gr]) => [col2imOp(gr!, g)]);
}

/** col2im of checked [C·K, L] or [N, C·K, L] columns (Col2ImBackward0). */
function col2imOp(cols: Tensor, g: Windows): Tensor {
  const batched = cols.ndim === 3, N = batched ? cols.shape[0]! : 1;
  const C = cols.shape[cols.ndim - 2]! / prod(g.k);
  const img = col2imOf(cols.detach(), N, C, g);
  const y = batched ? img : reshaped(img, img.shape.slice(1));
  return record("Col2ImBackward0", [cols], y, ([gr]) => [im2colOp(gr!, g)]);
}

/** A fresh contiguous result seen with another shape (no node: it has no history yet). */
function reshaped(t: Tensor, shape: number[]): Tensor {
  return new Tensor(t._storage, shape, contiguousStrides(shape), t._offset, t.dtype, t.device);
}

/** Extracts sliding local blocks (im2col): [N, C, H, W] → [N, C·kh·kw, L], or the same without N.
 *  F.unfold(x, kernel_size, dilation=1, padding=0, stride=1). */
export function unfold(input: Tensor, kernel_size: IntOrTuple, dilation: IntOrTuple = 1, padding: IntOrTuple = 0, stride: IntOrTuple = 1): Tensor {
  const q = unfoldParams(kernel_size, dilation, padding, stride);
  const nd = input.ndim;
  // (PyTorch 2.x's F.unfold reads dim nd of a 1-d or 2-d input before im2col checks it)
  if (nd === 1 || nd === 2) throw new Error(`Dimension out of range (expected to be in range of [${-nd}, ${nd - 1}], but got ${nd})`);
  const valid = (nd === 3 || nd === 4) && input.shape.slice(nd - 3).every((s) => s !== 0);
  if (!valid) throw new Error(`Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${listStr(input.shape)}`);
  checkFloatKernel(input, "im2col_out_cpu");
  const H = input.shape[nd - 2]!, W = input.shape[nd - 1]!;
  const g = windowsOf([H, W], q), [oh, ow] = g.out as [number, number];
  if (oh < 1 || ow < 1)
    throw new Error(`Given input with spatial size (${H}, ${W}), kernel_size=${pairStr(q.k)}, dilation=${pairStr(q.d)}, padding=${pairStr(q.p)}, calculated shape of the array of sliding blocks as (${oh}, ${ow}), but its components must be at least one.`);
  return im2colOp(input, g);
}

/** Combines sliding local blocks into a tensor (col2im), summing overlaps: [N, C·kh·kw, L] →
 *  [N, C, *output_size], or the same without N. F.fold(x, output_size, kernel_size, dilation=1,
 *  padding=0, stride=1). */
export function fold(input: Tensor, output_size: IntOrTuple, kernel_size: IntOrTuple, dilation: IntOrTuple = 1, padding: IntOrTuple = 0, stride: IntOrTuple = 1): Tensor {
  const out = expandParam(output_size, 2);
  if (out === null || (typeof output_size !== "number" && output_size.length !== 2)) throw new Error("output_size must be a tuple of 2 ints");
  const q = unfoldParams(kernel_size, dilation, padding, stride);
  const nd = input.ndim;
  const valid = (nd === 2 || nd === 3) && input.shape.slice(nd - 2).every((s) => s !== 0);
  if (!valid) throw new Error(`Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: ${listStr(input.shape)}`);
  checkFloatKernel(input, "col2im_out_cpu");
  if (!(out[0]! > 0 && out[1]! > 0)) throw new Error(`Expected output spatial size to be positive, but got: output_size=${pairStr(out)}.`);
  const rows = input.shape[nd - 2]!, L = input.shape[nd - 1]!, kk = q.k[0]! * q.k[1]!;
  if (rows % kk !== 0)
    throw new Error(`Expected size of input's dimension ${nd - 2} to be divisible by the product of kernel_size, but got input.size(${nd - 2})=${rows} and kernel_size=${pairStr(q.k)}.`);
  const g = windowsOf(out, q), [oh, ow] = g.out as [number, number];
  // (2.13 compares the blocks' count first: a non-empty input never reaches the second check)
  if (L !== oh * ow)
    throw new Error(`Given output_size=${pairStr(out)}, kernel_size=${pairStr(q.k)}, dilation=${pairStr(q.d)}, padding=${pairStr(q.p)}, stride=${pairStr(q.s)}, expected size of input's dimension ${nd - 1} to match the calculated number of sliding blocks ${oh} * ${ow} = ${oh * ow}, but got input.size(${nd - 1})=${L}.`);
  if (oh < 1 || ow < 1)
    throw new Error(`Given output_size=${pairStr(out)}, kernel_size=${pairStr(q.k)}, dilation=${pairStr(q.d)}, padding=${pairStr(q.p)}, stride=${pairStr(q.s)}, calculated shape of the array of sliding blocks as (${oh}, ${ow}), which is too small (non-positive)`);
  return col2imOp(input, g);
}

// ---- convolution ----------------------------------------------------------------------------

/** stride, padding, dilation per spatial dim (1, 2 or 3), and groups (and output_padding, for the
 *  transposed convolution). */
interface ConvParams { stride: number[]; padding: number[]; dilation: number[]; groups: number; output_padding?: number[] }

/** The [N, C, H, W] view of a 1-d ([N, C, L]) tensor, others as they are, and the parameters of a
 *  1-d convolution as 2-d ones (PyTorch's view1d_as_2d: a unit height). */
const as4d = (t: Tensor) => (t.ndim === 3 ? t.unsqueeze(2) : t);
function params2d(p: ConvParams): ConvParams {
  if (p.stride.length !== 1) return p;
  return {
    stride: [1, p.stride[0]!], padding: [0, p.padding[0]!], dilation: [1, p.dilation[0]!], groups: p.groups,
    output_padding: p.output_padding && [0, p.output_padding[0]!],
  };
}

/** The dims a bias gradient sums over: batch and spatial ones. */
const nonChannel = (t: Tensor) => [0, ...t.shape.slice(2).map((_, i) => i + 2)];

/** W [O, C/G, k…] as the batched left operand [N·G, O/G, C/G·K] of Note [Convolution as one
 *  GEMM]; `transposed` gives Wᵀ per group, [N·G, C/G·K, O/G]. */
function weightBatch(w4: Tensor, N: number, G: number, transposed: boolean): Tensor {
  const O = w4.shape[0]!, Og = O / G, Kg = w4.numel() / O;
  let wg = w4.reshape(G, Og, Kg);
  if (transposed) wg = wg.transpose(1, 2);
  const [r, c] = transposed ? [Kg, Og] : [Og, Kg];
  return G === 1 ? wg.expand(N, r, c) : wg.unsqueeze(0).expand(N, G, r, c).reshape(N * G, r, c);
}

/** The product of Note [Convolution as one GEMM]: [N, O, L] from x4 [N, C, …size] and w4. */
function unfoldedConv(x4: Tensor, w4: Tensor, b: Tensor | null, g: Windows, G: number): Tensor {
  const [N, C] = x4.shape as [number, number], O = w4.shape[0]!, L = prod(g.out);
  const cols = im2colOf(x4, N, C, g);
  const y = bmm(weightBatch(w4, N, G, false), cols.view(N * G, (C / G) * prod(g.k), L));
  if (b) CK.addChannelBias(y, b, N, O, L);
  return y;
}

/** The memory format of a convolution's output and gradients: channels-last where the input or
 *  the weight is (PyTorch's CPU convolutions, mkldnn_conv_use_channels_last; in 3-d only its MKLDNN
 *  path, float32, keeps channels_last_3d), else contiguous (Note [Memory formats]). The kernels
 *  here compute row-major results, which are then laid out. */
function convFormat(x: Tensor, w: Tensor): memory_format {
  const fmt = x.ndim === 4 ? channels_last : x.ndim === 5 && x.dtype === float32 ? channels_last_3d : null;
  const is = (t: Tensor) => suggestMemoryFormat(t._shape, t._strides) === fmt;
  return fmt !== null && (is(x) || is(w)) ? fmt : contiguous_format;
}

/** The checked convolution of [N, C, …] by [O, C/G, k…] (1, 2 or 3 spatial dims): one
 *  ConvolutionBackward0 node. */
function convolution(x: Tensor, w: Tensor, b: Tensor | null, p: ConvParams): Tensor {
  const q = params2d(p), G = q.groups;
  const xd = as4d(x.detach()), wd = as4d(w.detach());
  const [N, C] = xd.shape as [number, number], O = wd.shape[0]!;
  const g = windowsOf(xd.shape.slice(2), { k: wd.shape.slice(2), d: q.dilation, p: q.padding, s: q.stride }), L = prod(g.out);
  const Kg = (C / G) * prod(g.k); // rows of one group's columns (explicit: N may be 0)
  const outShape = x.ndim === 3 ? [N, O, g.out[1]!] : [N, O, ...g.out];
  const fmt = convFormat(x, w);
  // Note [Fused convolution] (2-d kernels only: Note [Volumetric im2col])
  const fusable = G === 1 && g.size.length === 2;
  const out = asFormat(reshaped((fusable && CK.conv2d(xd, wd, b, window2d(g))) || unfoldedConv(xd, wd, b, g, G), outShape), fmt);

  return record("ConvolutionBackward0", [x, w, b], out, ([gO], [xs, ws], needs) => {
    const g4 = as4d(gO!), g3 = g4.reshape(N * G, O / G, L);
    let gx: Tensor | null = null, gw: Tensor | null = null, gb: Tensor | null = null;
    const fused = fusable && !is_grad_enabled();
    if (needs[0] && fused) gx = CK.conv2dInputGrad(as4d(ws!), g4, C, window2d(g))?.view(x.shape.slice()) ?? null;
    if (needs[0] && !gx) {
      const gcols = weightBatch(as4d(ws!), N, G, true).bmm(g3).view(N, G * Kg, L);
      gx = col2imOp(gcols, g).view(x.shape.slice());
    }
    if (needs[1] && fused) {
      const grads = CK.conv2dWeightGrad(as4d(xs!), g4, O, window2d(g), needs[2]);
      if (grads) { gw = grads[0].view(w.shape.slice()); gb = grads[1]; }
    }
    if (needs[1] && !gw) gw = unfoldedWeightGrad(as4d(xs!), g3, g, G, w.shape);
    if (needs[2] && !gb) gb = g4.sum(nonChannel(g4));
    return [gx && asFormat(gx, fmt), gw && asFormat(gw, fmt), gb];
  }, [savedFor(w, x), savedFor(x, w)]);
}

/** The weight gradient of Note [Convolution as one GEMM] in differentiable ops: Σₙ unfold(x4)[n] ·
 *  gy[n]ᵀ per group, for x4 [N, C, …size] unfolded over the windows g and gy [N·G, O/G, L]. */
function unfoldedWeightGrad(x4: Tensor, gy: Tensor, g: Windows, G: number, wshape: readonly number[]): Tensor {
  const N = x4.shape[0]!, Kg = (x4.shape[1]! / G) * prod(g.k), Og = gy.shape[1]!;
  const c = im2colOp(x4, g).view(N * G, Kg, prod(g.out));
  // [N·G, C/G·K, O/G] summed over N, then per group transposed to [O/G, C/G·K]
  const s = c.bmm(gy.transpose(1, 2)).view(N, G, Kg, Og).sum(0);
  return s.transpose(1, 2).reshape(wshape.slice());
}

/** PyTorch's check_shape_forward, in its order, before anything is computed. */
function checkConv(x: Tensor, w: Tensor, b: Tensor | null, p: ConvParams): void {
  if (p.padding.some((v) => v < 0)) throw new Error("negative padding is not supported");
  if (p.stride.some((v) => v <= 0)) throw new Error("non-positive stride is not supported");
  // (PyTorch 2.x: a negative dilation and a zero one get different words)
  if (p.dilation.some((v) => v < 0)) throw new Error("dilation should be greater than zero");
  if (p.dilation.some((v) => v === 0)) throw new Error("non-positive dilation is not supported");
  const G = p.groups, ws = w.shape, k = x.ndim;
  if (ws.length !== k)
    throw new Error(`Expected ${ws.length}-dimensional input for ${ws.length}-dimensional weight ${listStr(ws)}, but got ${k}-dimensional input of size ${listStr(x.shape)} instead`);
  if (ws[0]! < G) throw new Error(`Given groups=${G}, expected weight to be at least ${G} at dimension 0, but got weight of size ${listStr(ws)} instead`);
  // 2.x prints the sizes inside a second pair of brackets here
  if (ws[0]! % G !== 0) throw new Error(`Given groups=${G}, expected weight to be divisible by ${G} at dimension 0, but got weight of size [${listStr(ws)}] instead`);
  if (x.shape[1] !== ws[1]! * G)
    throw new Error(`Given groups=${G}, weight of size ${listStr(ws)}, expected input${listStr(x.shape)} to have ${ws[1]! * G} channels, but got ${x.shape[1]} channels instead`);
  if (b && !(b.ndim === 1 && b.shape[0] === ws[0]))
    throw new Error(`Given weight of size ${listStr(ws)}, expected bias to be 1-dimensional with ${ws[0]} elements, but got bias of size ${listStr(b.shape)} instead`);
  const padded = x.shape.slice(2).map((s, i) => s + 2 * p.padding[i]!);
  const kernel = ws.slice(2).map((s, i) => p.dilation[i]! * (s - 1) + 1);
  if (padded.some((s, i) => s < kernel[i]!))
    throw new Error(`Calculated padded input size per channel: (${padded.join(" x ")}). Kernel size: (${kernel.join(" x ")}). Kernel size can't be greater than actual input size`);
  // (float32 and float64 only: PyTorch's 3-d kernels take integers too, typetorch's GEMM route not)
  checkFloatKernel(x, x.ndim === 5 ? "compute_columns3d" : "slow_conv2d_cpu");
  // a float32 input goes to PyTorch's MKLDNN backend, whose check words this; others to the
  // slow kernel, whose dtype check does
  if (w.dtype !== x.dtype) {
    throw new Error(x.dtype.name === "float32"
      ? `Input type (${x.type()}) and weight type (${w.type()}) should be the same or input should be a MKLDNN tensor and weight is a dense tensor`
      : `expected scalar type ${scalarTypeName(x.dtype)} but found ${scalarTypeName(w.dtype)}`);
  }
}

export type ConvPadding = IntOrTuple | "same" | "valid";
interface ConvOpts { bias?: Tensor | null; stride?: IntOrTuple; padding?: ConvPadding; dilation?: IntOrTuple; groups?: number }

let warnedSame = false;

/** F.conv1d / F.conv2d: batchify, padding modes, parameter expansion and checks, then one
 *  ConvolutionBackward0 node (unbatched input: unsqueeze(0) … squeeze(0), as PyTorch). */
/** What conv and conv_transpose check and expand alike: an input of `spatial` dims, batched or not
 *  (`withBatch`: the input, or an unbatched one as a batch of 1 by PyTorch's unsqueeze(0)), a weight with spatial dims,
 *  positive groups, and `param` expanding an int or a list (Python's argument parser turns an int
 *  into `spatial` ints, then ATen expands them to the weight's `dim` spatial dims). */
function convFrame(name: string, spatial: number, input: Tensor, weight: Tensor, groups: number) {
  if (input.ndim !== spatial + 1 && input.ndim !== spatial + 2)
    throw new Error(`Expected ${spatial + 1}D (unbatched) or ${spatial + 2}D (batched) input to ${name}, but got input of size: ${listStr(input.shape)}`);
  const batched = input.ndim === spatial + 2;
  const withBatch = batched ? input : input.unsqueeze(0);
  const dim = weight.ndim - 2;
  if (dim <= 0) throw new Error("weight should have at least three dimensions");
  if (groups <= 0) throw new Error("non-positive groups is not supported");
  const param = (v: IntOrTuple, what: string): number[] => {
    const given = typeof v === "number" ? new Array<number>(spatial).fill(v) : v.slice();
    const e = expandParam(given, dim);
    if (e === null) throw new Error(`expected ${what} to be a single integer value or a list of ${dim} values to match the convolution dimensions, but got ${what}=${listStr(given)}`);
    return e;
  };
  return { batched, withBatch, dim, param };
}

function convNd(name: string, spatial: number, input: Tensor, weight: Tensor, o: Required<ConvOpts>): Tensor {
  const bias = o.bias ?? null;
  if (typeof o.padding !== "string" && bias && bias.dtype !== input.dtype)
    throw new Error(`Input type (${dtypeWord(input)}) and bias type (${dtypeWord(bias)}) should be the same`);
  const { batched, withBatch, dim, param } = convFrame(name, spatial, input, weight, o.groups);
  let x = withBatch;
  const stride = param(o.stride, "stride"), dilation = param(o.dilation, "dilation");
  let padding: number[];
  if (typeof o.padding === "string") {
    if (o.padding === "valid") padding = new Array<number>(dim).fill(0);
    else if (o.padding === "same") {
      if (x.ndim !== weight.ndim)
        throw new Error(`Expected ${weight.ndim}-dimensional input for ${weight.ndim}-dimensional weight${listStr(weight.shape)}, but got ${x.ndim}-dimensional input of size ${listStr(x.shape)} instead`);
      if (stride.some((s) => s !== 1)) throw new Error("padding='same' is not supported for strided convolutions");
      // total padding d·(k−1); an odd total puts the extra element on the right (PyTorch's
      // pooling_same_mode_padding_lr), by padding the input with zeros first
      const total = weight.shape.slice(2).map((k, i) => dilation[i]! * (k - 1));
      padding = total.map((t) => Math.floor(t / 2));
      if (total.some((t) => t % 2 !== 0)) {
        if (!warnedSame) {
          warnedSame = true;
          console.warn("UserWarning: Using padding='same' with even kernel lengths and odd dilation may require a zero-padded copy of the input be created");
        }
        const extra: number[] = [];
        for (let i = dim - 1; i >= 0; i--) extra.push(0, total[i]! % 2);
        x = pad(x, extra);
      }
    } else throw new Error(`Invalid padding string: '${o.padding}'`);
  } else padding = param(o.padding, "padding");
  const p: ConvParams = { stride, padding, dilation, groups: o.groups };
  checkConv(x, weight, bias, p);
  const out = convolution(x, weight, bias, p);
  return batched ? out : out.squeeze(0);
}
const dtypeWord = (t: Tensor) => cppTypeName(t.dtype);

/** 2-d convolution of [N, C, H, W] (or [C, H, W]) by weight [O, C/groups, kh, kw]:
 *  F.conv2d(input, weight, bias=null, stride=1, padding=0, dilation=1, groups=1), padding an int,
 *  a pair, "same" or "valid". */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, stride: IntOrTuple = 1, padding: ConvPadding = 0, dilation: IntOrTuple = 1, groups = 1): Tensor {
  return convNd("conv2d", 2, input, weight, { bias, stride, padding, dilation, groups });
}

/** 3-d convolution of [N, C, D, H, W] (or [C, D, H, W]) by weight [O, C/groups, kd, kh, kw]:
 *  F.conv3d(input, weight, bias=null, stride=1, padding=0, dilation=1, groups=1), padding an int,
 *  a triple, "same" or "valid" (Note [Volumetric im2col]). */
export function conv3d(input: Tensor, weight: Tensor, bias: Tensor | null = null, stride: IntOrTuple = 1, padding: ConvPadding = 0, dilation: IntOrTuple = 1, groups = 1): Tensor {
  return convNd("conv3d", 3, input, weight, { bias, stride, padding, dilation, groups });
}

/** 1-d convolution of [N, C, L] (or [C, L]) by weight [O, C/groups, k], computed as a 2-d
 *  convolution of unit height. */
export function conv1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, stride: IntOrTuple = 1, padding: ConvPadding = 0, dilation: IntOrTuple = 1, groups = 1): Tensor {
  return convNd("conv1d", 1, input, weight, { bias, stride, padding, dilation, groups });
}

// ---- transposed convolution -----------------------------------------------------------------

/** The transposed convolution of checked [N, Cin, …] by [Cin, Cout/G, k…] (1, 2 or 3 spatial
 *  dims): one ConvolutionBackward0 node (Note [Transposed convolution]). */
function convolutionTranspose(x: Tensor, w: Tensor, b: Tensor | null, p: ConvParams): Tensor {
  const q = params2d(p), G = q.groups, op = q.output_padding!;
  const x4 = as4d(x.detach()), w4 = as4d(w.detach());
  const [N, Cin] = x4.shape as [number, number], sizes = x4.shape.slice(2);
  const Cout = w4.shape[1]! * G, k = w4.shape.slice(2);
  const g: Windows = {
    size: sizes.map((n, i) => transposedSize(n, k[i]!, q, i, op)), k, s: q.stride, p: q.padding, d: q.dilation, out: sizes,
  };
  const L = prod(sizes), Kg = (Cout / G) * prod(k);
  const outShape = x.ndim === 3 ? [N, Cout, g.size[1]!] : [N, Cout, ...g.size];
  // Note [Fused convolution] (2-d kernels only: Note [Volumetric im2col])
  const fusable = G === 1 && sizes.length === 2;
  let y = fusable ? CK.conv2dInputGrad(w4, x4, Cout, window2d(g)) : null;
  if (!y) {
    const cols = weightBatch(w4, N, G, true).bmm(x4.reshape(N * G, Cin / G, L)).view(N, G * Kg, L);
    y = col2imOf(cols, N, Cout, g);
  }
  if (b) CK.addChannelBias(y, b, N, Cout, prod(g.size));
  const fmt = convFormat(x, w);
  const out = asFormat(reshaped(y, outShape), fmt);

  return record("ConvolutionBackward0", [x, w, b], out, ([gO], [xs, ws], needs) => {
    const g4 = as4d(gO!);
    let gx: Tensor | null = null, gw: Tensor | null = null;
    if (needs[0]) {
      gx = convolution(gO!, ws!, null, { stride: p.stride, padding: p.padding, dilation: p.dilation, groups: G });
      // an output_padding ≥ stride leaves window positions past the input's end: not part of it
      for (let d = 2; d < x.ndim; d++) if (gx.shape[d] !== x.shape[d]) gx = gx.narrow(d, 0, x.shape[d]!);
    }
    if (needs[1] && fusable && !is_grad_enabled()) gw = CK.conv2dWeightGrad(g4, as4d(xs!), Cin, window2d(g), false)?.[0].view(w.shape.slice()) ?? null;
    if (needs[1] && !gw) gw = unfoldedWeightGrad(g4, as4d(xs!).reshape(N * G, Cin / G, L), g, G, w.shape);
    return [gx && asFormat(gx, fmt), gw && asFormat(gw, fmt), needs[2] ? g4.sum(nonChannel(g4)) : null];
  }, [savedFor(w, x), savedFor(x, w)]);
}

/** One spatial size of a transposed convolution's output: (n − 1)·s − 2p + d·(k − 1) + 1 + op. */
function transposedSize(n: number, k: number, q: ConvParams, i: number, op: readonly number[]): number {
  return (n - 1) * q.stride[i]! - 2 * q.padding[i]! + q.dilation[i]! * (k - 1) + 1 + op[i]!;
}

/** PyTorch's check_shape_forward for transposed=True, then the checks of the CPU kernel
 *  (slow_conv_transpose2d_shape_check, on the 2-d view of a 1-d convolution), in their order. */
function checkConvTranspose(x: Tensor, w: Tensor, b: Tensor | null, p: ConvParams): void {
  const op = p.output_padding!;
  if (p.padding.some((v) => v < 0)) throw new Error("negative padding is not supported");
  if (op.some((v) => v < 0)) throw new Error("negative output_padding is not supported");
  if (p.stride.some((v) => v <= 0)) throw new Error("non-positive stride is not supported");
  if (p.dilation.some((v) => v < 0)) throw new Error("dilation should be greater than zero");
  const G = p.groups, ws = w.shape, k = x.ndim;
  if (ws.length !== k)
    throw new Error(`Expected ${ws.length}-dimensional input for ${ws.length}-dimensional weight ${listStr(ws)}, but got ${k}-dimensional input of size ${listStr(x.shape)} instead`);
  if (ws[0]! < G) throw new Error(`Given groups=${G}, expected weight to be at least ${G} at dimension 0, but got weight of size ${listStr(ws)} instead`);
  if (ws[0]! % G !== 0) throw new Error(`Given groups=${G}, expected weight to be divisible by ${G} at dimension 0, but got weight of size [${listStr(ws)}] instead`);
  if (x.shape[1] !== ws[0])
    throw new Error(`Given transposed=1, weight of size ${listStr(ws)}, expected input${listStr(x.shape)} to have ${ws[0]} channels, but got ${x.shape[1]} channels instead`);
  if (b && !(b.ndim === 1 && b.shape[0] === ws[1]! * G))
    throw new Error(`Given transposed=1, weight of size ${listStr(ws)}, expected bias to be 1-dimensional with ${ws[1]! * G} elements, but got bias of size ${listStr(b.shape)} instead`);
  // (slow_conv_transpose2d_shape_check on a 1-d convolution's 2-d view, or the 3-d one: each names
  // the dims it checks)
  const q = params2d(p), qop = q.output_padding!, r = q.stride.length;
  const names = ["depth", "height", "width"].slice(3 - r);
  const each = (what: string, v: number[], sep: string) => names.map((n, i) => `${what}_${n}: ${v[i]}`).join(sep);
  if (!q.dilation.every((d) => d > 0)) throw new Error(`dilation should be greater than zero, but got ${each("dilation", q.dilation, ", ")}`);
  if (!qop.every((v, i) => v < q.stride[i]! || v < q.dilation[i]!))
    throw new Error(`output padding must be smaller than either stride or dilation, but got ${each("output_padding", qop, " ")} ${each("stride", q.stride, " ")} ${each("dilation", q.dilation, " ")}`);
  const x4 = k === 3 ? [...x.shape.slice(0, 2), 1, x.shape[2]!] : x.shape, w4 = k === 3 ? [...ws.slice(0, 2), 1, ws[2]!] : ws;
  const outSizes = x4.slice(2).map((n, i) => transposedSize(n, w4[2 + i]!, q, i, qop));
  if (outSizes.some((n) => n < 1))
    throw new Error(`Given input size per channel: (${x4.slice(2).join(" x ")}). Calculated output size per channel: (${outSizes.join(" x ")}). Output size is too small`);
  checkFloatKernel(x, r === 3 ? "slow_conv_transpose3d_out_cpu" : "slow_conv_transpose2d_out_cpu");
  // PyTorch 2.x sends a float32 input to its MKLDNN backend under these conditions (ConvParams::
  // use_mkldnn, transposed), whose check words a dtype mismatch; others reach the slow kernel's
  const mkldnn = x.dtype.name === "float32" && !qop.some((v, i) => v >= q.stride[i]!) &&
    (G > 1 || (w4[3]! > 3 && w4[2]! > 3) || x4[0]! > 1 || x4[0]! * x4[1]! * x4[2]! * x4[3]! > 20480);
  for (const [t, what] of [[w, "weight"], [b, "bias"]] as const) {
    if (!t || t.dtype === x.dtype) continue;
    throw new Error(mkldnn
      ? `Input type (${x.type()}) and ${what} type (${t.type()}) should be the same or input should be a MKLDNN tensor and ${what} is a dense tensor`
      : `expected scalar type ${scalarTypeName(x.dtype)} but found ${scalarTypeName(t.dtype)}`);
  }
}

interface ConvTransposeOpts { bias?: Tensor | null; stride?: IntOrTuple; padding?: IntOrTuple; output_padding?: IntOrTuple; groups?: number; dilation?: IntOrTuple }

/** F.conv_transpose1d / conv_transpose2d: batchify, parameter expansion and checks, then one
 *  ConvolutionBackward0 node (unbatched input: unsqueeze(0) … squeeze(0), as PyTorch). */
function convTransposeNd(name: string, spatial: number, input: Tensor, weight: Tensor, o: Required<ConvTransposeOpts>): Tensor {
  const { batched, withBatch: x, param } = convFrame(name, spatial, input, weight, o.groups);
  const p: ConvParams = {
    stride: param(o.stride, "stride"), padding: param(o.padding, "padding"), dilation: param(o.dilation, "dilation"),
    groups: o.groups, output_padding: param(o.output_padding, "output_padding"),
  };
  const bias = o.bias ?? null;
  checkConvTranspose(x, weight, bias, p);
  const out = convolutionTranspose(x, weight, bias, p);
  return batched ? out : out.squeeze(0);
}

/** 2-d transposed convolution ("deconvolution") of [N, Cin, H, W] (or [Cin, H, W]) by weight
 *  [Cin, Cout/groups, kh, kw]: F.conv_transpose2d(input, weight, bias=null, stride=1, padding=0,
 *  output_padding=0, groups=1, dilation=1). Output size (H − 1)·stride − 2·padding +
 *  dilation·(kh − 1) + 1 + output_padding per dim. */
export function conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, stride: IntOrTuple = 1, padding: IntOrTuple = 0,
  output_padding: IntOrTuple = 0, groups = 1, dilation: IntOrTuple = 1): Tensor {
  return convTransposeNd("conv_transpose2d", 2, input, weight, { bias, stride, padding, output_padding, groups, dilation });
}

/** 3-d transposed convolution of [N, Cin, D, H, W] (or [Cin, D, H, W]) by weight
 *  [Cin, Cout/groups, kd, kh, kw]: F.conv_transpose3d(input, weight, bias=null, stride=1, padding=0,
 *  output_padding=0, groups=1, dilation=1) (Note [Volumetric im2col]). */
export function conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | null = null, stride: IntOrTuple = 1, padding: IntOrTuple = 0,
  output_padding: IntOrTuple = 0, groups = 1, dilation: IntOrTuple = 1): Tensor {
  return convTransposeNd("conv_transpose3d", 3, input, weight, { bias, stride, padding, output_padding, groups, dilation });
}

/** 1-d transposed convolution of [N, Cin, L] (or [Cin, L]) by weight [Cin, Cout/groups, k]:
 *  F.conv_transpose1d(input, weight, bias=null, stride=1, padding=0, output_padding=0, groups=1,
 *  dilation=1), computed as a 2-d one of unit height. */
export function conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, stride: IntOrTuple = 1, padding: IntOrTuple = 0,
  output_padding: IntOrTuple = 0, groups = 1, dilation: IntOrTuple = 1): Tensor {
  return convTransposeNd("conv_transpose1d", 1, input, weight, { bias, stride, padding, output_padding, groups, dilation });
}
