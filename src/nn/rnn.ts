// Recurrent layers: RNN, LSTM (with projections), GRU and their cells (torch/nn/modules/rnn.py and
// aten/src/ATen/native/RNN.cpp, PyTorch 2.x), on padded or packed (PackedSequence) input.
//
// Note [One recurrent step]: PyTorch's CPU path (RNN.cpp) runs every layer as a loop of cell
// steps. A layer first applies its input-hidden map to the whole sequence at once (one GEMM,
// `linear_ih(inputs)`), then each step adds the hidden-hidden map of the previous state and applies
// the gates. The cells do the same for a single step. Both go through `cellStep` below, written in
// differentiable tensor ops, so autograd, double backward and the fast GEMM need nothing of their
// own. The gate formulas follow RNN.cpp term for term (LSTM gates i, f, g, o; GRU gates r, z, n
// with r applied to W_hn·h + b_hn, and h' = (h − n)·z + n), so float32 results round as PyTorch's.
//
// Note [Packed recurrence]: on a PackedSequence (utils_rnn.ts, Note [Packed layout]) a layer runs
// the same cellStep on a batch that shrinks (RNN.cpp's PackedLayer): step t takes the first
// batch_sizes[t] rows of the state; when the batch shrinks, the rows of the sequences that just
// ended are set aside as their final state. The reverse direction (ReversedPackedLayer) starts
// from the last step with the few sequences that reach it and grows the batch with the initial
// states of the others as it walks back. Only the slicing differs from the padded walk.

import { Tensor } from "../core/tensor.js";
import type { DType } from "../core/dtype.js";
import * as K from "../backends/index.js";
import type { LstmCellResult } from "../backends/backend.js";
import { record } from "../autograd/record.js";
import { grad } from "../autograd/api.js";
import { is_grad_enabled, enable_grad, no_grad } from "../autograd/grad_mode.js";
import { PackedSequence } from "./utils_rnn.js";
import { formatPyFloat } from "../core/printing.js";
import { zeros } from "../ops/creation.js";
import { cat, stack } from "../ops/indexing.js";
import { listStr } from "../ops/_nn_args.js";
import { parse, signaturesOf, isKwargs } from "../core/argparse.js";
import { sameShape } from "../core/shape.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { emptyParam, type FactoryOpts } from "./linear.js";
import { F } from "./F.js";
import { warnOnce } from "../ops/util.js";
import * as init from "./init.js";

export type RNNMode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";

const GATES: Record<RNNMode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/** A layer's state: h, or [h, c] for an LSTM. */
type State = Tensor | [Tensor, Tensor];

/** The weights of one layer in one direction (RNN.cpp's CellParams); w_hr only for projections. */
interface CellParams { w_ih: Tensor; w_hh: Tensor; b_ih: Tensor | null; b_hh: Tensor | null; w_hr: Tensor | null }

/** One time step (Note [One recurrent step]). `gi` = x·W_ihᵀ + b_ih, of shape [N, gates·H]. */
function cellStep(mode: RNNMode, gi: Tensor, hx: State, p: CellParams): State {
  switch (mode) {
    case "RNN_TANH": return F.linear(hx as Tensor, p.w_hh, p.b_hh).add(gi).tanh();
    case "RNN_RELU": return F.linear(hx as Tensor, p.w_hh, p.b_hh).add(gi).relu();
    case "LSTM": {
      const [h, c] = hx as [Tensor, Tensor];
      const [hy, cy] = lstmPointwise(F.linear(h, p.w_hh, p.b_hh).add(gi), c);
      return [p.w_hr ? hy.matmul(p.w_hr.t()) : hy, cy];
    }
    case "GRU": return gruPointwise(gi, F.linear(hx as Tensor, p.w_hh, p.b_hh), hx as Tensor);
  }
}

/** The GRU cell from its gate inputs gi, gh [N, 3H] (r, z, n), as RNN.cpp writes it. */
function gruComposite(gi: Tensor, gh: Tensor, h: Tensor): Tensor {
  const [ir, iz, inn] = gi.chunk(3, 1) as [Tensor, Tensor, Tensor];
  const [hr, hz, hn] = gh.chunk(3, 1) as [Tensor, Tensor, Tensor];
  const r = hr.add(ir).sigmoid();
  const z = hz.add(iz).sigmoid();
  const n = inn.add(hn.mul(r)).tanh();
  return h.sub(n).mul(z).add(n);
}

/** The GRU cell's backward in differentiable tensor ops, as ATen's
 *  _thnn_differentiable_gru_cell_backward (the fused cell's backward under create_graph): the
 *  gradients of gi, gh and h from that of hy. (Differentiating gruComposite with autograd.grad
 *  instead would count h's path through gh twice: gh is a function of h in the graph.) */
function gruBackwardComposite(ghy: Tensor, gi: Tensor, gh: Tensor, h: Tensor): [Tensor, Tensor, Tensor] {
  const [ir, iz, inn] = gi.chunk(3, 1) as [Tensor, Tensor, Tensor];
  const [hr, hz, hn] = gh.chunk(3, 1) as [Tensor, Tensor, Tensor];
  const r = ir.add(hr).sigmoid(), z = iz.add(hz).sigmoid();
  const n = inn.add(r.mul(hn)).tanh();
  const gz = ghy.mul(h.sub(n)).mul(z.neg().add(1)).mul(z);   // sigmoid_backward(ghy·(h − n), z)
  const gn = ghy.mul(z.neg().add(1)).mul(n.square().neg().add(1)); // tanh_backward(ghy·(1 − z), n)
  const gr = gn.mul(hn).mul(r.neg().add(1)).mul(r);
  return [cat([gr, gz, gn], 1), cat([gr, gz, gn.mul(r)], 1), ghy.mul(z)];
}

/** The GRU cell fused where the backend has it, as the LSTM's (Note [Fused LSTM cell]); under
 *  create_graph its backward is gruBackwardComposite, so double backward holds. */
function gruPointwise(gi: Tensor, gh: Tensor, h: Tensor): Tensor {
  const r = K.gruCell(gi.detach(), gh.detach(), h.detach());
  if (!r) return gruComposite(gi, gh, h);
  return record("ThnnFusedGruCellBackward0", [gi, gh, h], r.hy, ([ghy], [is, hs, h0]) =>
    (!is_grad_enabled() && K.gruCellBackward(ghy!, h0!.detach(), r)) || gruBackwardComposite(ghy!, is!, hs!, h0!), [gi, gh, h]);
}

/** The LSTM cell from its gate pre-activations [N, 4H] (i, f, g, o), as RNN.cpp writes it. */
function lstmComposite(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const [i, f, g, o] = gates.chunk(4, 1) as [Tensor, Tensor, Tensor, Tensor];
  const cy = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
  return [o.sigmoid().mul(cy.tanh()), cy];
}

/** Note [Fused LSTM cell]: where the backend has the cell as one kernel (as PyTorch's fused
 *  cell), it runs as one node whose backward is one kernel too; under create_graph that backward
 *  is the composite's, differentiated again (recordComposite's way), so double backward holds. */
function lstmPointwise(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  // a cell state of another shape (a packed LSTM's is unchecked in 2.x) broadcasts or fails as
  // forgetgate·c does in RNN.cpp
  if (!sameShape(c.shape, [gates.shape[0]!, gates.shape[1]! / 4])) return lstmComposite(gates, c);
  const r = K.lstmCell(gates.detach(), c.detach());
  if (!r) return lstmComposite(gates, c);
  return record("ThnnFusedLstmCellBackward0", [gates, c], [r.hy, r.cy], ([ghy, gcy], [gs, cs]) => {
    const createGraph = is_grad_enabled(); // (the engine runs backward with grad mode = create_graph)
    const fused = !createGraph && K.lstmCellBackward(ghy!, gcy!, cs!.detach(), r);
    if (fused) return fused;
    const wanted = [gs!, cs!].filter((t) => t.requires_grad);
    const gr = enable_grad(() => grad(lstmComposite(gs!, cs!), wanted, { grad_outputs: [ghy!, gcy!], create_graph: createGraph, allow_unused: true }));
    return [gs!.requires_grad ? gr[0] : null, cs!.requires_grad ? gr[wanted.indexOf(cs!)] : null];
  }, [gates, c]);
}

/** One layer in one direction over a [T, N, I] sequence: the outputs [T, N, H_out] in time order
 *  and the final state. The reverse direction walks from the last step to the first. */
function runDirection(mode: RNNMode, input: Tensor, h0: State, p: CellParams, reverse: boolean): { out: Tensor; h: State } {
  if (mode === "LSTM" && usesMkldnnLayer(input, p)) {
    const [out, hy, cy] = lstmLayer(input, h0 as [Tensor, Tensor], p, reverse);
    return { out, h: [hy, cy] };
  }
  const steps = F.linear(input, p.w_ih, p.b_ih).unbind(0);
  const T = steps.length;
  const outs = new Array<Tensor>(T);
  let h = h0;
  for (let k = 0; k < T; k++) {
    const t = reverse ? T - 1 - k : k;
    h = cellStep(mode, steps[t]!, h, p);
    outs[t] = Array.isArray(h) ? h[0] : h;
  }
  return { out: stack(outs, 0), h };
}

/** Whether PyTorch's CPU LSTM would run on oneDNN (RNN.cpp's use_mkldnn): float32 on the CPU,
 *  something to compute. */
const mkldnnInput = (input: Tensor): boolean => input.dtype.name === "float32" && input.device.type === "cpu" && input.numel() > 0;
/** Whether it runs this layer as oneDNN's mkldnn_rnn_layer: also no projections. */
const usesMkldnnLayer = (input: Tensor, p: CellParams): boolean => mkldnnInput(input) && !p.w_hr;

/** Note [Fused LSTM layer]: where PyTorch's CPU LSTM runs a layer as oneDNN's mkldnn_rnn_layer
 *  (usesMkldnnLayer), the layer is one node as there: MkldnnRnnLayerBackward0 on (input, w_ih,
 *  w_hh, b_ih, b_hh, hx, cx), with outputs [T, N, H], hy and cy, saved for its backward as
 *  PyTorch saves them (an in-place change to one is an error at backward). The input-hidden map
 *  is one GEMM over the whole sequence; the recurrence (each step linear(h, W_hh, b_hh) +
 *  linear(x, W_ih, b_ih), then the cell) runs as one kernel where the backend has it
 *  (Backend.lstmLayer: T steps of GEMM and fused cell with no op between them), else step by step
 *  with the fused cell (Note [Fused LSTM cell]), unrecorded; both compute what the step-by-step
 *  path computes. Backward walks the steps in reverse with the fused cell's backward and the
 *  hidden-hidden GEMM (one kernel likewise where there is one), then takes the weights' gradients
 *  from all steps at once: one [4H, T·N] x [T·N, ·] GEMM and one sum each, where the step-by-step
 *  graph made T small GEMMs and T - 1 additions into .grad. Under create_graph, or without the
 *  fused cell, the backward differentiates the step-by-step composite instead (recordComposite's
 *  way), so double backward holds. */
function lstmLayer(input: Tensor, h0: [Tensor, Tensor], p: CellParams, reverse: boolean): [Tensor, Tensor, Tensor] {
  const T = input.shape[0]!;
  const order = Array.from({ length: T }, (_, k) => (reverse ? T - 1 - k : k));
  const w_ih = p.w_ih.detach(), w_hh = p.w_hh.detach(), b_hh = p.b_hh?.detach() ?? null;
  const gi = no_grad(() => F.linear(input.detach(), w_ih, p.b_ih?.detach() ?? null));
  const x0 = h0[0].detach(), c0 = h0[1].detach();
  const fused = no_grad(() => fusedLayer(gi, w_hh, b_hh, x0, c0, order, reverse));
  const inputs = [input, p.w_ih, p.w_hh, p.b_ih, p.b_hh, h0[0], h0[1]];
  const composite = ([x, w_ih, w_hh, b_ih, b_hh, h, c] = inputs): Tensor[] =>
    lstmLayerComposite(x!, [h!, c!], { w_ih: w_ih!, w_hh: w_hh!, b_ih: b_ih ?? null, b_hh: b_hh ?? null, w_hr: null }, order);
  const outs = fused ? [fused.out, fused.hy, fused.cy] : no_grad(composite);
  return record("MkldnnRnnLayerBackward0", inputs, outs, (grads, _saved, needs) => {
    if (is_grad_enabled() || !fused) { // create_graph, or no fused cell: the composite, differentiated
      // (without create_graph, on detached inputs: the pass then ends at them and runs, and frees,
      // nothing of the graph before this layer, such as the layer below's node)
      const createGraph = is_grad_enabled();
      const xs = createGraph ? inputs : inputs.map((x) => x && x.detach().requires_grad_(x.requires_grad));
      const wanted = xs.filter((x): x is Tensor => x !== null && x.requires_grad);
      const gs = grad(enable_grad(() => composite(xs)), wanted, { grad_outputs: grads, create_graph: createGraph, allow_unused: true });
      return xs.map((x) => (x && x.requires_grad ? gs[wanted.indexOf(x)] ?? null : null));
    }
    // (the engine gives zeros for the outputs no gradient reached)
    const [G, gh, gc] = fused.backward(grads[0]!, grads[1]!, grads[2]!);
    const TN = T * G.shape[1]!;
    const flatG = G.view(TN, G.shape[2]!);
    const gBias = needs[3] || needs[4] ? flatG.sum(0) : null;
    return [
      needs[0] ? G.matmul(w_ih) : null,
      needs[1] ? flatG.t().mm(input.detach().reshape(TN, w_ih.shape[1]!)) : null,
      needs[2] ? flatG.t().mm(fused.prevH().view(TN, w_hh.shape[1]!)) : null,
      needs[3] ? gBias : null, needs[4] ? gBias : null,
      needs[5] ? gh : null, needs[6] ? gc : null,
    ];
  }, outs) as [Tensor, Tensor, Tensor];
}

/** The recurrence of lstmLayer with the fused cell, unrecorded: the outputs [T, N, H], the final
 *  states, the step each state came after (prevH: [T, N, H], h0 first in the walk's order), and
 *  the backward of the recurrence: the gates' gradients [T, N, 4H] and those of h0 and c0 from
 *  the outputs' and the final states'. Null without a fused cell. */
interface FusedLayer { out: Tensor; hy: Tensor; cy: Tensor; prevH(): Tensor; backward(gOut: Tensor, gh: Tensor, gc: Tensor): [Tensor, Tensor, Tensor] }
function fusedLayer(gi: Tensor, w_hh: Tensor, b_hh: Tensor | null, h0: Tensor, c0: Tensor, order: number[], reverse: boolean): FusedLayer | null {
  const T = order.length, last = order[T - 1]!;
  const layer = K.lstmLayer(gi, w_hh, b_hh, h0, c0, reverse);
  if (layer) {
    const { hs } = layer;
    return {
      out: hs, hy: hs.select(0, last).clone(), cy: layer.cs.select(0, last).clone(),
      prevH: () => (T === 1 ? h0.unsqueeze(0) : reverse ? cat([hs.narrow(0, 1, T - 1), h0.unsqueeze(0)], 0) : cat([h0.unsqueeze(0), hs.narrow(0, 0, T - 1)], 0)),
      backward: (gOut, gh, gc) => K.lstmLayerBackward(gOut, gh, gc, c0, w_hh, layer, reverse)!,
    };
  }
  const hs = new Array<Tensor>(T), prevH = new Array<Tensor>(T), prevC = new Array<Tensor>(T), cells = new Array<LstmCellResult>(T);
  let h = h0, c = c0;
  for (const t of order) {
    const r = K.lstmCell(F.linear(h, w_hh, b_hh).add(gi.select(0, t)), c);
    if (!r) return null;
    prevH[t] = h; prevC[t] = c; cells[t] = r;
    h = hs[t] = r.hy; c = r.cy;
  }
  return {
    out: stack(hs, 0), hy: h, cy: c, prevH: () => stack(prevH, 0),
    backward: (gOut, gh, gc) => {
      const gGates = new Array<Tensor>(T);
      for (let k = T - 1; k >= 0; k--) {
        const t = order[k]!;
        const back: [Tensor, Tensor] = K.lstmCellBackward(gOut.select(0, t).add(gh), gc, prevC[t]!, cells[t]!)!;
        gGates[t] = back[0];
        gc = back[1];
        gh = back[0].mm(w_hh);
      }
      return [stack(gGates, 0), gh, gc];
    },
  };
}

/** The layer of lstmLayer step by step in differentiable ops: its outputs in the same order. */
function lstmLayerComposite(input: Tensor, h0: [Tensor, Tensor], p: CellParams, order: number[]): Tensor[] {
  const gi = F.linear(input, p.w_ih, p.b_ih);
  const hs = new Array<Tensor>(order.length);
  let state: State = h0;
  for (const t of order) {
    const [h, c] = state as [Tensor, Tensor];
    state = lstmComposite(F.linear(h, p.w_hh, p.b_hh).add(gi.select(0, t)), c);
    hs[t] = state[0];
  }
  const [hy, cy] = state as [Tensor, Tensor];
  return [stack(hs, 0), hy, cy];
}

/** The rows [start, end) of a state (RNN.cpp's hidden_slice). */
const sliceState = (h: State, start: number, end: number): State =>
  Array.isArray(h) ? [h[0].narrow(0, start, end - start), h[1].narrow(0, start, end - start)] : h.narrow(0, start, end - start);
/** States stacked along the batch (RNN.cpp's hidden_concat). */
const catStates = (hs: State[]): State =>
  Array.isArray(hs[0]) ? [cat(hs.map((h) => (h as [Tensor, Tensor])[0]), 0), cat(hs.map((h) => (h as [Tensor, Tensor])[1]), 0)] : cat(hs as Tensor[], 0);
const outputOf = (h: State): Tensor => (Array.isArray(h) ? h[0] : h);

/** One layer forward over packed data [S, I] (Note [Packed recurrence]): the packed outputs
 *  [S, H_out] and each sequence's final state, in the packed (sorted) batch order. */
function runPackedForward(mode: RNNMode, data: Tensor, batch_sizes: readonly number[], h0: State, p: CellParams): { out: Tensor; h: State } {
  const gi = F.linear(data, p.w_ih, p.b_ih);
  const outs: Tensor[] = [];
  const finals: State[] = [];
  let offset = 0, last = batch_sizes[0]!, h = h0;
  for (const b of batch_sizes) {
    const step = gi.narrow(0, offset, b);
    offset += b;
    if (b < last) {
      finals.push(sliceState(h, b, last));
      h = sliceState(h, 0, b);
    }
    last = b;
    h = cellStep(mode, step, h, p);
    outs.push(outputOf(h));
  }
  finals.push(h);
  finals.reverse();
  return { out: cat(outs, 0), h: finals.length === 1 ? finals[0]! : catStates(finals) };
}

/** One layer backward in time over packed data (RNN.cpp's ReversedPackedLayer). */
function runPackedReverse(mode: RNNMode, data: Tensor, batch_sizes: readonly number[], h0: State, p: CellParams): { out: Tensor; h: State } {
  const gi = F.linear(data, p.w_ih, p.b_ih);
  const T = batch_sizes.length;
  const outs = new Array<Tensor>(T);
  let offset = data.size(0), last = batch_sizes[T - 1]!;
  let h = sliceState(h0, 0, last);
  for (let t = T - 1; t >= 0; t--) {
    const b = batch_sizes[t]!;
    if (b > last) h = catStates([h, sliceState(h0, last, b)]);
    const step = gi.narrow(0, offset - b, b);
    offset -= b;
    last = b;
    h = cellStep(mode, step, h, p);
    outs[t] = outputOf(h);
  }
  return { out: cat(outs, 0), h };
}

/** The layer stack (RNN.cpp's apply_layer_stack): input [T, N, I] with batch_sizes null, or packed
 *  data [S, I] with its batch sizes; hx [L·D, N, H] (two of them for an LSTM), weights per layer
 *  and direction in PyTorch's order. Dropout between layers is F.dropout on each layer's whole
 *  output (the packed data for packed input), drawn as PyTorch draws it. */
function runStack(mode: RNNMode, input: Tensor, hx: State, weights: CellParams[], num_layers: number,
  dropout: number, train: boolean, bidirectional: boolean, batch_sizes: readonly number[] | null = null): { output: Tensor; hidden: State } {
  const D = bidirectional ? 2 : 1;
  const h0s = Array.isArray(hx) ? hx[0].unbind(0) : hx.unbind(0);
  const c0s = Array.isArray(hx) ? hx[1].unbind(0) : null;
  const finals: State[] = [];
  let layerInput = input;
  for (let l = 0; l < num_layers; l++) {
    const outs: Tensor[] = [];
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const h0: State = c0s ? [h0s[k]!, c0s[k]!] : h0s[k]!;
      const r = batch_sizes === null ? runDirection(mode, layerInput, h0, weights[k]!, d === 1)
        : d === 1 ? runPackedReverse(mode, layerInput, batch_sizes, h0, weights[k]!)
        : runPackedForward(mode, layerInput, batch_sizes, h0, weights[k]!);
      outs.push(r.out);
      finals.push(r.h);
    }
    layerInput = D === 2 ? cat(outs, outs[0]!.dim() - 1) : outs[0]!;
    if (dropout !== 0 && train && l < num_layers - 1) layerInput = F.dropout(layerInput, dropout, true);
  }
  const hidden: State = c0s
    ? [stack(finals.map((s) => (s as [Tensor, Tensor])[0]), 0), stack(finals.map((s) => (s as [Tensor, Tensor])[1]), 0)]
    : stack(finals as Tensor[], 0);
  return { output: layerInput, hidden };
}

const pyBool = (b: boolean) => (b ? "True" : "False");
const pyTuple = (s: readonly number[]) => `(${s.join(", ")})`;

// ---- RNN, LSTM, GRU ---------------------------------------------------------------------------------

/** The parameters of RNN, LSTM and GRU after their own (Note [RNN constructors]). */
type BaseRest = [num_layers?: number, bias?: boolean, batch_first?: boolean, dropout?: number, bidirectional?: boolean];
type Factory = [device?: string | null, dtype?: DType | null];
/** new nn.LSTM(input_size, hidden_size, num_layers=1, bias=true, batch_first=false, dropout=0,
 *  bidirectional=false, proj_size=0, device=null, dtype=null) */
export type LSTMArgs = [input_size: number, hidden_size: number, ...BaseRest, proj_size?: number, ...Factory];
/** new nn.GRU(input_size, hidden_size, num_layers=1, bias=true, batch_first=false, dropout=0,
 *  bidirectional=false) (proj_size is refused, but its place is kept, as in PyTorch) */
export type GRUArgs = [input_size: number, hidden_size: number, ...BaseRest, proj_size?: 0, ...Factory];
/** new nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=true, …) */
export type RNNArgs = [input_size: number, hidden_size: number, num_layers?: number, nonlinearity?: "tanh" | "relu" | string,
  bias?: boolean, batch_first?: boolean, dropout?: number, bidirectional?: boolean, proj_size?: 0, ...Factory];
type BaseArgs = [mode: RNNMode | string, input_size: number, hidden_size: number, ...BaseRest, proj_size?: number, ...Factory];

// Note [RNN constructors]: PyTorch's RNN, LSTM and GRU take (*args, **kwargs) and hand them to
// RNNBase.__init__(mode, *args, **kwargs) (RNN first takes its nonlinearity out of them, the 4th
// positional argument or a keyword). So do these: the arguments are parsed by RNNBase's signature
// with the mode first, and a call that fits it gets RNNBase's message, counts included.
function baseArgs(mode: string, args: readonly unknown[]): BaseArgs {
  return parse(signaturesOf("nn.RNNBase")!, [mode, ...args]) as unknown as BaseArgs;
}
/** The keyword arguments of a (*args, **kwargs) call, and its positional ones. */
function splitKwargs(args: readonly unknown[]): [unknown[], Record<string, unknown>] {
  const last = args[args.length - 1];
  return isKwargs(last) ? [args.slice(0, -1), { ...last }] : [args.slice(), {}];
}
function rejectProj(kw: Record<string, unknown>): void {
  if ("proj_size" in kw) throw new Error("proj_size argument is only supported for LSTM, not RNN or GRU");
}

/** PyTorch's RNNBase: parameters, their default initialisation, the input checks and the printed
 *  form shared by RNN, LSTM and GRU. new nn.RNNBase(mode, input_size, hidden_size, num_layers=1,
 *  bias=true, batch_first=false, dropout=0, bidirectional=false, proj_size=0, device=null,
 *  dtype=null). */
export class RNNBase extends Module {
  mode: RNNMode;
  input_size: number;
  hidden_size: number;
  num_layers: number;
  bias: boolean;
  batch_first: boolean;
  dropout: number;
  bidirectional: boolean;
  proj_size: number;
  /** parameter names in PyTorch's order (the order of _VF's weight list) */
  _flat_weights_names: string[] = [];
  /** the same names grouped per layer and direction */
  _all_weights: string[][] = [];
  // the parameters registered under PyTorch's names
  [name: `weight_ih_l${string}`]: Parameter;
  [name: `weight_hh_l${string}`]: Parameter;
  [name: `bias_ih_l${string}`]: Parameter;
  [name: `bias_hh_l${string}`]: Parameter;
  [name: `weight_hr_l${string}`]: Parameter;

  constructor(mode: RNNMode | string, input_size: number, hidden_size: number, num_layers = 1, bias = true, batch_first = false,
    dropout = 0, bidirectional = false, proj_size = 0, device: string | null = null, dtype: DType | null = null) {
    super();
    const o: FactoryOpts = { device, dtype };
    if (typeof (dropout as unknown) !== "number" || !(dropout >= 0 && dropout <= 1))
      throw new Error("dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
    if (dropout > 0 && num_layers === 1)
      warnOnce("dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects " +
        `num_layers greater than 1, but got dropout=${dropout} and num_layers=${num_layers}`);
    if (!Number.isInteger(hidden_size))
      throw new TypeError(`hidden_size should be of type int, got: ${typeof hidden_size === "number" ? "float" : typeof hidden_size}`);
    if (hidden_size <= 0) throw new Error("hidden_size must be greater than zero");
    if (num_layers <= 0) throw new Error("num_layers must be greater than zero");
    if (proj_size < 0) throw new Error("proj_size should be a positive integer or zero to disable projections");
    if (proj_size >= hidden_size) throw new Error("proj_size has to be smaller than hidden_size");
    if (!(mode in GATES)) throw new Error(`Unrecognized RNN mode: ${mode}`);
    this.mode = mode as RNNMode;
    this.input_size = input_size;
    this.hidden_size = hidden_size;
    this.num_layers = num_layers;
    this.bias = bias;
    this.batch_first = batch_first;
    this.dropout = dropout;
    this.bidirectional = bidirectional;
    this.proj_size = proj_size;

    const gate_size = GATES[this.mode] * hidden_size;
    const D = this.bidirectional ? 2 : 1;
    const real_hidden = proj_size > 0 ? proj_size : hidden_size;
    for (let layer = 0; layer < num_layers; layer++) {
      for (let dir = 0; dir < D; dir++) {
        const layer_input = layer === 0 ? input_size : real_hidden * D;
        const sfx = `_l${layer}${dir === 1 ? "_reverse" : ""}`;
        const params: [string, number[]][] = [[`weight_ih${sfx}`, [gate_size, layer_input]], [`weight_hh${sfx}`, [gate_size, real_hidden]]];
        if (this.bias) params.push([`bias_ih${sfx}`, [gate_size]], [`bias_hh${sfx}`, [gate_size]]);
        if (proj_size > 0) params.push([`weight_hr${sfx}`, [proj_size, hidden_size]]);
        for (const [name, shape] of params) this.register_parameter(name, emptyParam(shape, o));
        const names = params.map(([n]) => n);
        this._flat_weights_names.push(...names);
        this._all_weights.push(names);
      }
    }
    this.reset_parameters();
  }

  /** Every parameter from U(−1/√hidden_size, 1/√hidden_size), drawn in registration order. */
  reset_parameters(): void {
    const stdv = this.hidden_size > 0 ? 1 / Math.sqrt(this.hidden_size) : 0;
    for (const w of this.parameters()) init.uniform_(w, -stdv, stdv);
  }

  /** A no-op on CPU, as in PyTorch (it only repacks weights for cuDNN). */
  flatten_parameters(): void {}

  /** The current parameters in PyTorch's order (reassigned ones included). */
  get _flat_weights(): Tensor[] { return this._flat_weights_names.map((n) => this._param(n)); }

  /** The parameters grouped per layer and direction. */
  get all_weights(): Parameter[][] { return this._all_weights.map((names) => names.map((n) => this._param(n))); }

  private _param(name: string): Parameter { return (this as unknown as Record<string, Parameter>)[name]!; }

  /** The weights of layer·direction k, read at call time so reassigned parameters take effect. */
  private _cellParams(): CellParams[] {
    const D = this.bidirectional ? 2 : 1;
    const out: CellParams[] = [];
    for (let k = 0; k < this.num_layers * D; k++) {
      const sfx = `_l${Math.floor(k / D)}${k % D === 1 ? "_reverse" : ""}`;
      out.push({
        w_ih: this._param(`weight_ih${sfx}`), w_hh: this._param(`weight_hh${sfx}`),
        b_ih: this.bias ? this._param(`bias_ih${sfx}`) : null, b_hh: this.bias ? this._param(`bias_hh${sfx}`) : null,
        w_hr: this.proj_size > 0 ? this._param(`weight_hr${sfx}`) : null,
      });
    }
    return out;
  }

  /** The input checks; batch_sizes given (a packed input's), input is the packed data, 2-d. */
  check_input(input: Tensor, batch_sizes: Tensor | null = null): void {
    const dt = this._param(this._flat_weights_names[0]!).dtype;
    if (input.dtype !== dt) {
      throw new Error(`RNN input dtype (torch.${input.dtype.name}) does not match weight dtype (torch.${dt.name}). ` +
        `Convert input: input.to(torch.${dt.name}), or convert model: model.to(torch.${input.dtype.name})`);
    }
    const expected_input_dim = batch_sizes !== null ? 2 : 3;
    if (input.dim() !== expected_input_dim) throw new Error(`input must have ${expected_input_dim} dimensions, got ${input.dim()}`);
    if (this.input_size !== input.size(-1))
      throw new Error(`input.size(-1) must be equal to input_size. Expected ${this.input_size}, got ${input.size(-1)}`);
  }

  get_expected_hidden_size(input: Tensor, batch_sizes: Tensor | null = null): [number, number, number] {
    const mini_batch = batch_sizes !== null ? Number(batch_sizes.index(0).item())
      : this.batch_first ? input.size(0) : input.size(1);
    return [this.num_layers * (this.bidirectional ? 2 : 1), mini_batch, this.proj_size > 0 ? this.proj_size : this.hidden_size];
  }

  check_hidden_size(hx: Tensor, expected: readonly number[], msg = "Expected hidden size {}, got {}"): void {
    if (!sameShape(hx.shape, expected)) throw new Error(msg.replace("{}", pyTuple(expected)).replace("{}", listStr(hx.shape)));
  }

  check_forward_args(input: Tensor, hidden: Tensor, batch_sizes: Tensor | null = null): void {
    this.check_input(input, batch_sizes);
    this.check_hidden_size(hidden, this.get_expected_hidden_size(input, batch_sizes));
  }

  /** hx (both states of an LSTM) with its batch dimension (1) reordered by `permutation` (null:
   *  as it is). A packed input's initial state is given in the caller's batch order and reordered
   *  into the sorted one; the final state goes back through the inverse permutation. */
  permute_hidden<S extends Tensor | [Tensor, Tensor]>(hx: S, permutation: Tensor | null): S {
    if (permutation === null) return hx;
    return (Array.isArray(hx) ? [hx[0].index_select(1, permutation), hx[1].index_select(1, permutation)]
      : (hx as Tensor).index_select(1, permutation)) as S;
  }

  /** The shared forward of RNN, LSTM and GRU after each checked its arguments as PyTorch's does:
   *  input is 3-d, hx has its batch dimension. Returns the output and the final state. */
  protected _run(input: Tensor, hx: State): { output: Tensor; hidden: State } {
    const x = this.batch_first ? input.transpose(0, 1) : input;
    if (x.size(0) === 0) throw new Error("Expected sequence length to be larger than 0 in RNN");
    if (this.mode === "LSTM" && this.proj_size > 0 && mkldnnInput(x))
      warnOnce("LSTM with projections is not supported with oneDNN. Using default implementation.");
    const r = runStack(this.mode, x, hx, this._cellParams(), this.num_layers, this.dropout, this.training, this.bidirectional);
    return { output: this.batch_first ? r.output.transpose(0, 1) : r.output, hidden: r.hidden };
  }

  /** The forward of any of the three on a PackedSequence (RNNBase.forward's packed branch): hx,
   *  when given, is in the caller's batch order and is permuted by sorted_indices; the output is
   *  packed like the input and the final state is permuted back by unsorted_indices. */
  protected _forwardPacked(input: PackedSequence, hx: State | null): [PackedSequence, State] {
    const { data, batch_sizes, sorted_indices, unsorted_indices } = input;
    const bs = (batch_sizes.tolist() as number[]).map(Number);
    const n = this.num_layers * (this.bidirectional ? 2 : 1), max_batch_size = bs[0]!;
    const lstm = this.mode === "LSTM";
    const real_hidden = this.proj_size > 0 ? this.proj_size : this.hidden_size;
    let state: State;
    if (hx === null) {
      const h = zeros(n, max_batch_size, real_hidden, { dtype: data.dtype });
      state = lstm ? [h, zeros(n, max_batch_size, this.hidden_size, { dtype: data.dtype })] : h;
    } else state = this.permute_hidden(hx, sorted_indices);
    // 2.x's LSTM.forward checks nothing on packed input (RNN and GRU do): what is wrong fails
    // where ATen's packed lstm fails
    if (lstm) this._checkPackedLstm(state as [Tensor, Tensor]);
    else (this.check_forward_args as (i: Tensor, h: State, b: Tensor) => void)(data, state, batch_sizes);
    const r = runStack(this.mode, data, state, this._cellParams(), this.num_layers, this.dropout, this.training, this.bidirectional, bs);
    return [new PackedSequence(r.output, batch_sizes, sorted_indices, unsorted_indices), this.permute_hidden(r.hidden, unsorted_indices)];
  }

  /** What ATen's packed lstm checks of the states before the steps: whether it has projections
   *  (h's size 2 differs from c's), the number of weights that implies (gather_params), the
   *  pairs of a bidirectional stack and the number of layers (apply_layer_stack). A state of the
   *  wrong batch or width then fails in the first step's arithmetic, as there. */
  private _checkPackedLstm([h, c]: [Tensor, Tensor]): void {
    const has_projections = h.size(2) !== c.size(2);
    const per = this.bias ? (has_projections ? 5 : 4) : (has_projections ? 3 : 2);
    const nparams = this._flat_weights_names.length;
    if (nparams % per !== 0) throw new Error("got an incorrect number of RNN parameters");
    let hiddens = h.size(0), cells = nparams / per;
    if (this.bidirectional) {
      if (hiddens % 2 !== 0 || cells % 2 !== 0) throw new Error("Odd number of params or hiddens given to a bidirectional RNN");
      hiddens /= 2; cells /= 2;
    }
    if (hiddens !== this.num_layers) throw new Error("Expected more hidden states in stacked_rnn");
    if (cells !== this.num_layers) throw new Error("Expected more weights in stacked_rnn");
  }

  /** RNN's and GRU's forward (LSTM has its own, for the cell state). */
  protected _forwardSimple(what: string, input: Tensor | PackedSequence, hx: Tensor | null): [Tensor | PackedSequence, Tensor] {
    if (input instanceof PackedSequence) return this._forwardPacked(input, hx) as [PackedSequence, Tensor];
    if (input.dim() !== 2 && input.dim() !== 3)
      throw new Error(`${what}: Expected input to be 2D or 3D, got ${input.dim()}D${what === "RNN" ? " tensor" : ""} instead`);
    const is_batched = input.dim() === 3;
    const batch_dim = this.batch_first ? 0 : 1;
    if (!is_batched) {
      input = input.unsqueeze(batch_dim);
      if (hx !== null) {
        if (hx.dim() !== 2) throw new Error(`For unbatched 2-D input, hx should also be 2-D but got ${hx.dim()}-D tensor`);
        hx = hx.unsqueeze(1);
      }
    } else if (hx !== null && hx.dim() !== 3) {
      throw new Error(`For batched 3-D input, hx should also be 3-D but got ${hx.dim()}-D tensor`);
    }
    const max_batch = input.size(batch_dim);
    if (hx === null) hx = zeros(this.num_layers * (this.bidirectional ? 2 : 1), max_batch, this.hidden_size, { dtype: input.dtype });
    this.check_forward_args(input, hx);
    const { output, hidden } = this._run(input, hx);
    return is_batched ? [output, hidden as Tensor] : [output.squeeze(batch_dim), (hidden as Tensor).squeeze(1)];
  }

  override extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`;
    if (this.proj_size !== 0) s += `, proj_size=${this.proj_size}`;
    if (this.num_layers !== 1) s += `, num_layers=${this.num_layers}`;
    if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
    if (this.batch_first !== false) s += `, batch_first=${pyBool(this.batch_first)}`;
    if (this.dropout !== 0) s += `, dropout=${formatPyFloat(this.dropout)}`;
    if (this.bidirectional !== false) s += `, bidirectional=${pyBool(this.bidirectional)}`;
    return s;
  }
}

/** Elman RNN with tanh or ReLU: h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh).
 *  new nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=true,
 *  batch_first=false, dropout=0, bidirectional=false, device=null, dtype=null) (Note [RNN
 *  constructors]). forward(input, hx?) returns [output, h_n]. */
export class RNN extends RNNBase {
  nonlinearity: string;

  constructor(...args: RNNArgs) {
    super(...RNN._toBase(args));
    this.nonlinearity = this.mode === "RNN_RELU" ? "relu" : "tanh";
  }

  /** PyTorch's RNN.__init__ before RNNBase's: the nonlinearity (4th positional or keyword) picks the mode. */
  private static _toBase(args: readonly unknown[]): BaseArgs {
    const [pos, kw] = splitKwargs(args);
    rejectProj(kw);
    let nonlinearity: unknown;
    if (pos.length > 3) nonlinearity = pos.splice(3, 1)[0];
    else { nonlinearity = "nonlinearity" in kw ? kw.nonlinearity : "tanh"; delete kw.nonlinearity; }
    if (nonlinearity !== "tanh" && nonlinearity !== "relu")
      throw new Error(`Unknown nonlinearity '${String(nonlinearity)}'. Select from 'tanh' or 'relu'.`);
    return baseArgs(nonlinearity === "tanh" ? "RNN_TANH" : "RNN_RELU", [...pos, kw]);
  }

  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(input: Tensor | PackedSequence, hx: Tensor | null = null): [Tensor | PackedSequence, Tensor] {
    return this._forwardSimple("RNN", input, hx);
  }
}

/** GRU: r, z, n gates; n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn)); h' = (1 − z) ⊙ n + z ⊙ h.
 *  new nn.GRU(input_size, hidden_size, num_layers=1, bias=true, batch_first=false, dropout=0,
 *  bidirectional=false, device=null, dtype=null) (Note [RNN constructors]). forward(input, hx?)
 *  returns [output, h_n]. */
export class GRU extends RNNBase {
  constructor(...args: GRUArgs) {
    rejectProj(splitKwargs(args)[1]);
    super(...baseArgs("GRU", args));
  }
  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(input: Tensor | PackedSequence, hx: Tensor | null = null): [Tensor | PackedSequence, Tensor] {
    return this._forwardSimple("GRU", input, hx);
  }
}

/** LSTM: i, f, g, o gates; c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c'), projected by W_hr when
 *  proj_size > 0. new nn.LSTM(input_size, hidden_size, num_layers=1, bias=true, batch_first=false,
 *  dropout=0, bidirectional=false, proj_size=0, device=null, dtype=null) (Note [RNN
 *  constructors]). forward(input, [h_0, c_0]?) returns [output, [h_n, c_n]]. */
export class LSTM extends RNNBase {
  constructor(...args: LSTMArgs) { super(...baseArgs("LSTM", args)); }

  get_expected_cell_size(input: Tensor, batch_sizes: Tensor | null = null): [number, number, number] {
    const mini_batch = batch_sizes !== null ? Number(batch_sizes.index(0).item())
      : this.batch_first ? input.size(0) : input.size(1);
    return [this.num_layers * (this.bidirectional ? 2 : 1), mini_batch, this.hidden_size];
  }

  override check_forward_args(input: Tensor, hidden: Tensor | [Tensor, Tensor], batch_sizes: Tensor | null = null): void {
    const [h, c] = hidden as [Tensor, Tensor];
    this.check_input(input, batch_sizes);
    this.check_hidden_size(h, this.get_expected_hidden_size(input, batch_sizes), "Expected hidden[0] size {}, got {}");
    this.check_hidden_size(c, this.get_expected_cell_size(input, batch_sizes), "Expected hidden[1] size {}, got {}");
  }

  override forward(input: PackedSequence, hx?: [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]];
  override forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
  override forward(input: Tensor | PackedSequence, hx: [Tensor, Tensor] | null = null): [Tensor | PackedSequence, [Tensor, Tensor]] {
    if (input instanceof PackedSequence) return this._forwardPacked(input, hx) as [PackedSequence, [Tensor, Tensor]];
    if (input.dim() !== 2 && input.dim() !== 3) throw new Error(`LSTM: Expected input to be 2D or 3D, got ${input.dim()}D instead`);
    const is_batched = input.dim() === 3;
    const batch_dim = this.batch_first ? 0 : 1;
    if (!is_batched) input = input.unsqueeze(batch_dim);
    let state: [Tensor, Tensor];
    if (hx === null) {
      const n = this.num_layers * (this.bidirectional ? 2 : 1), b = input.size(batch_dim);
      state = [zeros(n, b, this.proj_size > 0 ? this.proj_size : this.hidden_size, { dtype: input.dtype }),
        zeros(n, b, this.hidden_size, { dtype: input.dtype })];
    } else {
      const [h, c] = hx;
      const want = is_batched ? 3 : 2;
      if (h.dim() !== want || c.dim() !== want) {
        const b = is_batched ? "batched 3-D" : "unbatched 2-D";
        throw new Error(`For ${b} input, hx and cx should also be ${want}-D but got (${h.dim()}-D, ${c.dim()}-D) tensors`);
      }
      state = is_batched ? [h, c] : [h.unsqueeze(1), c.unsqueeze(1)];
    }
    this.check_forward_args(input, state);
    const { output, hidden } = this._run(input, state);
    const [h_n, c_n] = hidden as [Tensor, Tensor];
    return is_batched ? [output, [h_n, c_n]] : [output.squeeze(batch_dim), [h_n.squeeze(1), c_n.squeeze(1)]];
  }
}

// `model(packed)`: Module's call signature follows forward's last overload (the padded one), so the
// packed form is declared as a call signature of its own.
export interface RNN { (input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor] }
export interface GRU { (input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor] }
export interface LSTM { (input: PackedSequence, hx?: [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]] }

// ---- cells --------------------------------------------------------------------------------------

/** PyTorch's RNNCellBase: weight_ih [chunks·H, I], weight_hh [chunks·H, H], bias_ih, bias_hh, all
 *  from U(−1/√hidden_size, 1/√hidden_size). */
export class RNNCellBase extends Module {
  input_size: number;
  hidden_size: number;
  bias: boolean;
  weight_ih!: Parameter;
  weight_hh!: Parameter;
  bias_ih!: Parameter | null;
  bias_hh!: Parameter | null;

  constructor(input_size: number, hidden_size: number, bias: boolean, num_chunks: number, opts: FactoryOpts = {}) {
    super();
    this.input_size = input_size;
    this.hidden_size = hidden_size;
    this.bias = bias;
    this.weight_ih = emptyParam([num_chunks * hidden_size, input_size], opts);
    this.weight_hh = emptyParam([num_chunks * hidden_size, hidden_size], opts);
    if (bias) {
      this.bias_ih = emptyParam([num_chunks * hidden_size], opts);
      this.bias_hh = emptyParam([num_chunks * hidden_size], opts);
    } else {
      this.register_parameter("bias_ih", null);
      this.register_parameter("bias_hh", null);
    }
    this.reset_parameters();
  }

  reset_parameters(): void {
    const stdv = this.hidden_size > 0 ? 1 / Math.sqrt(this.hidden_size) : 0;
    for (const w of this.parameters()) init.uniform_(w, -stdv, stdv);
  }

  override extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`;
    if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
    const nl = (this as { nonlinearity?: string }).nonlinearity;
    if (nl !== undefined && nl !== "tanh") s += `, nonlinearity=${nl}`;
    return s;
  }

  /** One step of `mode` for a cell, with PyTorch's checks: the Python module's on dimensions,
   *  then RNN.cpp's on sizes (check_rnn_cell_forward_input / _hidden). mode null: RNNCell with an
   *  unknown nonlinearity. */
  protected _step(what: string, mode: RNNMode | null, input: Tensor, hx: State | null): State {
    if (input.dim() !== 1 && input.dim() !== 2) throw new Error(`${what}: Expected input to be 1D or 2D, got ${input.dim()}D instead`);
    const hs = hx === null ? [] : Array.isArray(hx) ? hx : [hx];
    hs.forEach((h, i) => {
      if (h.dim() !== 1 && h.dim() !== 2)
        throw new Error(`${what}: Expected ${Array.isArray(hx) ? `hx[${i}]` : "hidden"} to be 1D or 2D, got ${h.dim()}D instead`);
    });
    const is_batched = input.dim() === 2;
    const x = is_batched ? input : input.unsqueeze(0);
    let state: Tensor[];
    if (hx === null) {
      const z = zeros(x.size(0), this.hidden_size, { dtype: x.dtype });
      state = mode === "LSTM" ? [z, z] : [z];
    } else state = is_batched ? hs : hs.map((h) => h.unsqueeze(0));
    // RNNCell's nonlinearity is only checked here, as in PyTorch's forward
    if (mode === null) throw new Error(`Unknown nonlinearity: ${(this as { nonlinearity?: string }).nonlinearity}`);
    if (x.size(1) !== this.weight_ih.size(1)) throw new Error(`input has inconsistent input_size: got ${x.size(1)} expected ${this.weight_ih.size(1)}`);
    state.forEach((h, label) => {
      if (x.size(0) !== h.size(0)) throw new Error(`Input batch size ${x.size(0)} doesn't match hidden${label} batch size ${h.size(0)}`);
      if (h.size(1) !== this.weight_hh.size(1))
        throw new Error(`hidden${label} has inconsistent hidden_size: got ${h.size(1)}, expected ${this.weight_hh.size(1)}`);
    });
    const p: CellParams = { w_ih: this.weight_ih, w_hh: this.weight_hh, b_ih: this.bias_ih, b_hh: this.bias_hh, w_hr: null };
    const out = cellStep(mode, F.linear(x, p.w_ih, p.b_ih), mode === "LSTM" ? [state[0]!, state[1]!] : state[0]!, p);
    if (is_batched) return out;
    return Array.isArray(out) ? [out[0].squeeze(0), out[1].squeeze(0)] : out.squeeze(0);
  }
}

/** h' = act(W_ih·x + b_ih + W_hh·h + b_hh). new nn.RNNCell(input_size, hidden_size, bias=true,
 *  nonlinearity="tanh", device=null, dtype=null). forward(input, hx?) returns h'. */
export class RNNCell extends RNNCellBase {
  nonlinearity: string;
  constructor(input_size: number, hidden_size: number, bias = true, nonlinearity: "tanh" | "relu" | string = "tanh",
    device: string | null = null, dtype: DType | null = null) {
    super(input_size, hidden_size, bias, 1, { device, dtype });
    // as PyTorch, an unknown nonlinearity is only refused by forward
    this.nonlinearity = nonlinearity;
  }
  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const mode = this.nonlinearity === "tanh" ? "RNN_TANH" : this.nonlinearity === "relu" ? "RNN_RELU" : null;
    return this._step("RNNCell", mode, input, hx) as Tensor;
  }
}

/** One LSTM step. new nn.LSTMCell(input_size, hidden_size, bias=true, device=null, dtype=null).
 *  forward(input, [h, c]?) returns [h', c']. */
export class LSTMCell extends RNNCellBase {
  constructor(input_size: number, hidden_size: number, bias = true, device: string | null = null, dtype: DType | null = null) {
    super(input_size, hidden_size, bias, 4, { device, dtype });
  }
  override forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    return this._step("LSTMCell", "LSTM", input, hx) as [Tensor, Tensor];
  }
}

/** One GRU step. new nn.GRUCell(input_size, hidden_size, bias=true, device=null, dtype=null).
 *  forward(input, hx?) returns h'. */
export class GRUCell extends RNNCellBase {
  constructor(input_size: number, hidden_size: number, bias = true, device: string | null = null, dtype: DType | null = null) {
    super(input_size, hidden_size, bias, 3, { device, dtype });
  }
  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    return this._step("GRUCell", "GRU", input, hx) as Tensor;
  }
}

/** torch.rnn_tanh_cell, rnn_relu_cell, lstm_cell and gru_cell: one step of a cell from its weights
 *  (ATen's functions, which nn's cells call): h', or [h', c'] for an LSTM. */
export function rnnCellStep(mode: RNNMode, input: Tensor, hx: State, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | null = null, b_hh: Tensor | null = null): State {
  return cellStep(mode, F.linear(input, w_ih, b_ih), hx, { w_ih, w_hh, b_ih, b_hh, w_hr: null });
}
