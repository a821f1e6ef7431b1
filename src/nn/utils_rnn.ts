// torch.nn.utils.rnn: PackedSequence and the functions that pack, pad and unpad variable-length
// sequences (torch/nn/utils/rnn.py and aten/src/ATen/native/PackedSequence.cpp, PyTorch 2.x).
//
// Note [Packed layout]: a PackedSequence holds the valid steps of B sequences sorted by decreasing
// length, time-major: all first steps, then all second steps of the sequences that have one, and so
// on. batch_sizes[t] says how many sequences are still running at step t, so the rows of step t are
// data[Σ_{s<t} batch_sizes[s] .. +batch_sizes[t]], and they are the first batch_sizes[t] sequences.
// The recurrent layers (src/nn/rnn.ts) walk this layout directly, on a batch that shrinks as the
// shorter sequences end.
//
// Note [Pack and pad as PyTorch records them]: _pack_padded_sequence has its own derivative
// (PackPaddedSequenceBackward0, whose formula is _pack_padded_sequence_backward: the gradient padded
// back with zeros). _pad_packed_sequence and pad_sequence are composite in ATen: they fill a new
// tensor with the padding value and copy_ the data into slices of it, so their result's grad_fn is
// CopySlices (TransposeBackward0 after batch_first, IndexSelectBackward0 after unsorting). Both are
// written here the same way, so the graph, the names and double backward follow from the ops. The
// backward of packing reuses the padding routine with padding value 0.

import { Tensor } from "../core/tensor.js";
import { type DType, int64, float32, float64, float16, int32, int16, int8, uint8 } from "../core/dtype.js";
import type { Device } from "../core/device.js";
import { record } from "../autograd/record.js";
import { no_grad } from "../autograd/grad_mode.js";
import { tensor, full, arange } from "../ops/creation.js";
import { cat } from "../ops/indexing.js";
import { sort } from "../ops/sorting.js";
import { parsedFunction } from "../core/argparse.js";
import type { ToOptions } from "../ops/convert.js";
import { typename } from "./module.js";
import { broadcastShapes } from "../core/shape.js";
import "./_ops.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** The int64 values of a 1-d index tensor as JS numbers. */
const ints = (t: Tensor): number[] => (t.tolist() as number[]).map(Number);

/** PyTorch's short scalar type name, as c10 prints a ScalarType (Long, Float …). */
const scalarTypeName = (d: DType): string => ({
  float32: "Float", float64: "Double", float16: "Half", bfloat16: "BFloat16", int64: "Long", int32: "Int",
  int16: "Short", int8: "Char", uint8: "Byte", bool: "Bool",
} as Record<string, string>)[d.name]!;

/** PackedSequence.cpp's checkLongTensor (used for batch_sizes too, with the same words). */
function checkLongTensor(t: Tensor): void {
  if (!(t.dim() === 1 && t.device.type === "cpu" && t.dtype === int64))
    throw new Error(`'lengths' argument should be a 1D CPU int64 tensor, but got ${t.dim()}D ${t.device.toString()} ${scalarTypeName(t.dtype)} tensor`);
}

// ---- PackedSequence ----------------------------------------------------------------------------

export interface PackedSequenceFields {
  data: Tensor; batch_sizes?: Tensor | null; sorted_indices?: Tensor | null; unsorted_indices?: Tensor | null;
}

/**
 * The data and batch sizes of a packed batch of sequences (Note [Packed layout]), with the
 * permutation that sorted the batch by length (sorted_indices) and its inverse (unsorted_indices),
 * both null when the batch came sorted. As PyTorch's namedtuple it destructures in field order,
 * `const [data, batch_sizes, sorted_indices, unsorted_indices] = packed`, and `packed[0]` is data.
 *
 * new PackedSequence(data, batch_sizes, sorted_indices?, unsorted_indices?), the tuple form
 * new PackedSequence([data, batch_sizes], sorted_indices?, unsorted_indices?) (Python's
 * PackedSequence((data, batch_sizes), sorted_indices=...)), or one object with the field names.
 * unsorted_indices defaults to the inverse of sorted_indices. Made by pack_padded_sequence and
 * pack_sequence; as PyTorch says, instances should not be created by hand.
 */
export class PackedSequence {
  readonly data: Tensor;
  readonly batch_sizes: Tensor;
  readonly sorted_indices: Tensor | null;
  readonly unsorted_indices: Tensor | null;

  constructor(data: Tensor, batch_sizes: Tensor | null, sorted_indices?: Tensor | null, unsorted_indices?: Tensor | null);
  constructor(data: readonly [Tensor, Tensor], sorted_indices?: Tensor | null, unsorted_indices?: Tensor | null);
  constructor(fields: PackedSequenceFields);
  constructor(data: Tensor | readonly [Tensor, Tensor] | PackedSequenceFields, batch_sizes: Tensor | null = null,
    sorted_indices: Tensor | null = null, unsorted_indices: Tensor | null = null) {
    if (Array.isArray(data)) {
      // the tuple form: Python passes the indices by keyword here, so positionally they follow the tuple
      unsorted_indices = sorted_indices;
      sorted_indices = batch_sizes;
      batch_sizes = null;
    } else if (!(data instanceof Tensor)) {
      const f = data as PackedSequenceFields;
      ({ data, batch_sizes = null, sorted_indices = null, unsorted_indices = null } = f);
    }
    // _packed_sequence_init_args
    if (unsorted_indices === null) unsorted_indices = invert_permutation(sorted_indices);
    if (batch_sizes !== null) {
      if (batch_sizes.device.type !== "cpu")
        throw new Error("batch_sizes should always be on CPU. Instances of PackedSequence should never be created manually. " +
          "They should be instantiated by functions like pack_sequence and pack_padded_sequences in nn.utils.rnn. " +
          "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence");
    } else {
      if (!Array.isArray(data) || data.length !== 2) throw new Error("AssertionError");
      [data, batch_sizes] = data as [Tensor, Tensor];
    }
    this.data = data as Tensor;
    this.batch_sizes = batch_sizes;
    this.sorted_indices = sorted_indices;
    this.unsorted_indices = unsorted_indices;
  }

  // the namedtuple's positional access
  get 0(): Tensor { return this.data; }
  get 1(): Tensor { return this.batch_sizes; }
  get 2(): Tensor | null { return this.sorted_indices; }
  get 3(): Tensor | null { return this.unsorted_indices; }
  get length(): 4 { return 4; }
  *[Symbol.iterator](): IterableIterator<Tensor | null> {
    yield this.data; yield this.batch_sizes; yield this.sorted_indices; yield this.unsorted_indices;
  }
  /** The namedtuple's field names. */
  static readonly _fields = ["data", "batch_sizes", "sorted_indices", "unsorted_indices"] as const;

  /** A copy with data converted as Tensor.to does (batch_sizes stays a CPU int64 tensor), or this
   *  PackedSequence itself when data needs no conversion. */
  to(a?: DType | string | Device | Tensor | ToOptions, b?: DType | ToOptions): PackedSequence {
    const data = this.data.to(a, b);
    if (data === this.data) return this;
    // the index tensors follow data's device (there is only the CPU here)
    return new PackedSequence(data, this.batch_sizes, this.sorted_indices, this.unsorted_indices);
  }
  cpu(): PackedSequence { return this.to("cpu"); }
  cuda(device?: string | number): PackedSequence {
    return this.to(typeof device === "number" ? `cuda:${device}` : device ?? "cuda");
  }
  double(): PackedSequence { return this.to(float64); }
  float(): PackedSequence { return this.to(float32); }
  half(): PackedSequence { return this.to(float16); }
  long(): PackedSequence { return this.to(int64); }
  int(): PackedSequence { return this.to(int32); }
  short(): PackedSequence { return this.to(int16); }
  char(): PackedSequence { return this.to(int8); }
  byte(): PackedSequence { return this.to(uint8); }
  /** Whether data is on a GPU. */
  get is_cuda(): boolean { return this.data.is_cuda; }

  /** The namedtuple's repr: PackedSequence(data=tensor(...), batch_sizes=..., sorted_indices=None, ...). */
  toString(): string {
    const r = (t: Tensor | null) => (t === null ? "None" : t.toString());
    return `PackedSequence(data=${r(this.data)}, batch_sizes=${r(this.batch_sizes)}, ` +
      `sorted_indices=${r(this.sorted_indices)}, unsorted_indices=${r(this.unsorted_indices)})`;
  }
  [INSPECT](): string { return this.toString(); }
  get [Symbol.toStringTag](): string { return "PackedSequence"; }
}

/** The inverse of a permutation (null for null): output[permutation[i]] = i, as PyTorch's
 *  scatter_ of arange into an empty_like of it. */
export const invert_permutation = parsedFunction("utils.rnn.invert_permutation", function invert_permutation(permutation: Tensor | null): Tensor | null {
  if (permutation === null) return null;
  const p = ints(permutation.reshape(-1)), n = p.length;
  const out = new Array<number>(n).fill(0);
  p.forEach((j, i) => {
    if (j < 0 || j >= n) throw new Error(`index ${j} is out of bounds for dimension 0 with size ${n}`);
    out[j] = i;
  });
  return tensor(out, { dtype: permutation.dtype }).reshape(permutation.shape.slice());
});

// ---- packing and padding -------------------------------------------------------------------------

/** _pad_packed_sequence (Note [Pack and pad as PyTorch records them]): the padded [T, B, *] tensor
 *  (total_length > 0 pads T to it) and the lengths, int64, in the packed (sorted) order. */
function padPacked(data: Tensor, batch_sizes_t: Tensor, batch_first: boolean, padding_value: number, total_length: number): [Tensor, Tensor] {
  checkLongTensor(batch_sizes_t);
  if (batch_sizes_t.numel() === 0) throw new Error("batch_sizes can not be empty");
  const batch_sizes = ints(batch_sizes_t);
  const max_batch_size = batch_sizes[0]!, max_real_seq_length = batch_sizes.length;
  let max_seq_length = max_real_seq_length;
  if (total_length > 0) {
    if (total_length < max_seq_length)
      throw new Error("Expected total_length to be at least the length of the longest sequence in input, but got " +
        `total_length=${total_length} and max sequence length being ${max_seq_length}`);
    max_seq_length = total_length;
  }
  const feat = data.shape.slice(1);
  let output = full([max_seq_length, max_batch_size, ...feat], padding_value, { dtype: data.dtype });
  const lengths = new Array<number>(max_batch_size).fill(0);
  let li = max_batch_size - 1, data_offset = 0, prev_batch_size = max_batch_size, prev_i = 0;
  // runs of equal batch size are copied as one block: output[prev_i:i, :prev_batch_size] = data rows
  for (let i = 0; i <= max_real_seq_length; i++) {
    const batch_size = i !== max_real_seq_length ? batch_sizes[i]! : 0;
    if (batch_size !== prev_batch_size) {
      const l = prev_batch_size * (i - prev_i);
      const tmp = data.slice(0, data_offset, data_offset + l);
      output.slice(0, prev_i, i).slice(1, 0, prev_batch_size).copy_(tmp.view([i - prev_i, prev_batch_size, ...feat]));
      data_offset += l;
      prev_i = i;
    }
    for (let dec = prev_batch_size - batch_size; dec > 0 && li >= 0; dec--) lengths[li--] = i;
    prev_batch_size = batch_size;
  }
  if (batch_first) output = output.transpose(0, 1);
  return [output, tensor(lengths, { dtype: int64 })];
}

/** _pack_padded_sequence: data and batch_sizes of a [T, B, *] (or [B, T, *]) input whose lengths
 *  are sorted in decreasing order, recorded as PackPaddedSequenceBackward0. */
function packPadded(input: Tensor, lengths_t: Tensor, batch_first: boolean): [Tensor, Tensor] {
  if (!(input.numel() > 0)) throw new Error("Cannot pack empty tensors.");
  const x = batch_first ? input.transpose(0, 1) : input;
  checkLongTensor(lengths_t);
  const batch_size = x.size(1);
  const lengths = ints(lengths_t);
  if (lengths.length !== batch_size)
    throw new Error(`Expected \`len(lengths)\` to be equal to batch_size, but got ${lengths.length} (batch_size=${batch_size})`);
  if (!(lengths[batch_size - 1]! > 0))
    throw new Error("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
  for (let i = 0; i < batch_size - 1; i++) {
    if (lengths[batch_size - 1 - i]! > lengths[batch_size - 2 - i]!)
      throw new Error("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass " +
        "`enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not " +
        "need ONNX exportability.");
  }
  // Scanning from the shortest sequence, each time the length grows the block of steps
  // [prev_l, l) of the sequences still running is appended, time-major. As in PyTorch, lengths
  // beyond the input's T are not refused here: the slice stops at T (the result is malformed, and
  // pad_packed_sequence or an RNN refuses it later).
  const feat = x.shape.slice(2);
  const batch_sizes: number[] = [];
  const data = no_grad(() => {
    const xd = x.detach();
    const steps: Tensor[] = [];
    let prev_l = 0;
    for (let i = 0; i < batch_size; i++) {
      const l = lengths[batch_size - 1 - i]!;
      if (l > prev_l) {
        const current_batch_size = batch_size - i;
        steps.push(xd.slice(0, prev_l, l).slice(1, 0, current_batch_size).contiguous().view([-1, ...feat]));
        for (let j = prev_l; j < l; j++) batch_sizes.push(current_batch_size);
        prev_l = l;
      }
    }
    return cat(steps, 0);
  });
  const batch_sizes_t = tensor(batch_sizes, { dtype: int64 });
  const T = x.size(0);
  // _pack_padded_sequence_backward: the gradient padded back to the input's shape with zeros
  record("PackPaddedSequenceBackward0", [input], data, ([g]) => [padPacked(g!, batch_sizes_t, batch_first, 0, T)[0]]);
  return [data, batch_sizes_t];
}

/** torch.as_tensor(lengths, dtype=torch.int64) */
function lengthsTensor(lengths: Tensor | readonly (number | bigint)[]): Tensor {
  if (lengths instanceof Tensor) return lengths.to(int64);
  return tensor(lengths.map((v) => (typeof v === "bigint" ? Number(v) : Math.trunc(v))), { dtype: int64 });
}

/**
 * Packs a padded batch of variable-length sequences: input [T, B, *] ([B, T, *] with batch_first),
 * lengths a list or 1-d tensor of B lengths. With enforce_sorted (the default) the lengths must be
 * in decreasing order; otherwise the batch is sorted first (stably, by our torch.sort) and the
 * PackedSequence remembers the permutation. data's grad_fn is PackPaddedSequenceBackward0.
 * pack_padded_sequence(input, lengths, batch_first=false, enforce_sorted=true).
 */
export const pack_padded_sequence = parsedFunction("utils.rnn.pack_padded_sequence", function pack_padded_sequence(input: Tensor,
  lengths: Tensor | readonly (number | bigint)[], batch_first = false, enforce_sorted = true): PackedSequence {
  let lengths_t = lengthsTensor(lengths);
  let sorted_indices: Tensor | null = null;
  if (!enforce_sorted) {
    const s = sort(lengths_t, 0, true);
    lengths_t = s.values;
    sorted_indices = s.indices;
    input = input.index_select(batch_first ? 0 : 1, sorted_indices);
  }
  const [data, batch_sizes] = packPadded(input, lengths_t, batch_first);
  return new PackedSequence(data, batch_sizes, sorted_indices, null);
});

/**
 * The inverse of pack_padded_sequence: [padded, lengths], padded of shape [T, B, *] ([B, T, *] with
 * batch_first) filled with padding_value past each sequence's end, T the longest length or
 * total_length, and the batch back in its original order.
 * pad_packed_sequence(sequence, batch_first=false, padding_value=0.0, total_length=null).
 */
export const pad_packed_sequence = parsedFunction("utils.rnn.pad_packed_sequence", function pad_packed_sequence(sequence: PackedSequence,
  batch_first = false, padding_value = 0.0, total_length: number | null = null): [Tensor, Tensor] {
  let max_seq_length = sequence.batch_sizes.size(0);
  if (total_length !== null) {
    if (total_length < max_seq_length)
      throw new Error("Expected total_length to be at least the length of the longest sequence in input, but got " +
        `total_length=${total_length} and max sequence length being ${max_seq_length}`);
    max_seq_length = total_length;
  }
  const [padded, lengths] = padPacked(sequence.data, sequence.batch_sizes, batch_first, padding_value, max_seq_length);
  const unsorted = sequence.unsorted_indices;
  if (unsorted !== null)
    return [padded.index_select(batch_first ? 0 : 1, unsorted), lengths.index_select(0, unsorted)];
  return [padded, lengths];
});

/**
 * Stacks sequences of shapes [L_i, *] into one [T, B, *] tensor ([B, T, *] with batch_first), T the
 * longest L_i, padding with padding_value after each sequence (padding_side "right") or before it
 * ("left"). The trailing dimensions and dtype are those of the first sequence. A tensor is taken as
 * the sequences along its first dimension, as Python iterates it.
 * pad_sequence(sequences, batch_first=false, padding_value=0.0, padding_side="right").
 */
export const pad_sequence = parsedFunction("utils.rnn.pad_sequence", function pad_sequence(sequences: Iterable<Tensor> | Tensor,
  batch_first = false, padding_value = 0.0, padding_side: "right" | "left" | string = "right"): Tensor {
  let seqs: Tensor[];
  if (sequences instanceof Tensor) seqs = sequences.unbind(0);
  else if (sequences !== null && typeof sequences === "object" && Symbol.iterator in sequences) seqs = [...sequences];
  else throw new Error(`pad_sequence: Expected iterable for input sequences, but got arg of type: <class '${typename(sequences)}'>`);
  // at::pad_sequence
  if (!(seqs.length > 0)) throw new Error("received an empty list of sequences");
  const side = padding_side;
  if (side !== "left" && side !== "right") throw new Error(`Expected padding_side to be one of left or right, but got ${side}.`);
  const trailing = seqs[0]!.shape.slice(1);
  const max_len = Math.max(...seqs.map((s) => s.size(0)));
  const B = seqs.length;
  // copy_'s broadcast checks, in TensorIterator's words, before anything is written
  for (const s of seqs) {
    const dest = [s.size(0), ...trailing];
    const shape = broadcastShapes(dest, s.shape);
    if (shape.length !== dest.length || shape.some((v, i) => v !== dest[i]))
      throw new Error(`output with shape [${dest.join(", ")}] doesn't match the broadcast shape [${shape.join(", ")}]`);
  }
  const out = full(batch_first ? [B, max_len, ...trailing] : [max_len, B, ...trailing], padding_value, { dtype: seqs[0]!.dtype });
  seqs.forEach((s, i) => {
    const len = s.size(0), start = side === "left" ? max_len - len : 0;
    if (batch_first) out.select(0, i).narrow(0, start, len).copy_(s);
    else out.narrow(0, start, len).select(1, i).copy_(s);
  });
  return out;
});

/**
 * The sequences of a padded batch, each cut to its length: a list of [L_i, *] tensors.
 * unpad_sequence(padded_sequences, lengths, batch_first=false).
 * (PyTorch transposes a time-major padded_sequences in place, with transpose_, before reading it;
 * here it is read through a transposed view and left as it was.)
 */
export const unpad_sequence = parsedFunction("utils.rnn.unpad_sequence", function unpad_sequence(padded_sequences: Tensor,
  lengths: Tensor | readonly number[], batch_first = false): Tensor[] {
  const x = batch_first ? padded_sequences : padded_sequences.transpose(0, 1);
  const max_length = x.shape[1]!;
  const idx = arange(max_length, { dtype: int64 });
  const lens = lengths instanceof Tensor ? (lengths.tolist() as number[]).map(Number) : lengths.slice();
  const seqs = x.unbind(0);
  const out: Tensor[] = [];
  for (let i = 0; i < Math.min(seqs.length, lens.length); i++) out.push(seqs[i]!.index(idx.lt(lens[i]!)));
  return out;
});

/**
 * Packs a list of variable-length sequences [L_i, *]: pad_sequence, then pack_padded_sequence.
 * pack_sequence(sequences, enforce_sorted=true).
 */
export const pack_sequence = parsedFunction("utils.rnn.pack_sequence", function pack_sequence(sequences: readonly Tensor[], enforce_sorted = true): PackedSequence {
  const lengths = sequences.map((v) => v.size(0));
  return pack_padded_sequence(pad_sequence(sequences), lengths, false, enforce_sorted);
});

/** The sequences of a PackedSequence, in their original order: a list of [L_i, *] tensors. */
export const unpack_sequence = parsedFunction("utils.rnn.unpack_sequence", function unpack_sequence(packed_sequences: PackedSequence): Tensor[] {
  const [padded, lengths] = pad_packed_sequence(packed_sequences, true);
  return unpad_sequence(padded, lengths, true);
});
