// PyTorch's default_collate and default_convert (torch.utils.data._utils.collate), with JS values
// in place of Python's:
//   Tensor                      → torch.stack(batch)
//   typed array (numpy array)   → each as a 1-d tensor of its dtype, then stacked
//   number                      → a tensor: int64 when every number of the batch is integral,
//                                 float64 otherwise. Python collates int as int64 and float as
//                                 float64; a JS number has no int type, so an integral value
//                                 counts as Python's int (the rule of shared/API.md §4 for weak
//                                 scalars). Class labels given as numbers thus batch to the int64
//                                 targets that cross_entropy wants.
//   bigint → int64, boolean → bool, string → the list of strings as is
//   plain object (dict)         → the same keys, each collated over the batch
//   array (tuple / list)        → position by position (all samples of one length)

import { Tensor } from "../../core/tensor.js";
import { float64, int64, bool, dtypeOfArray } from "../../core/dtype.js";
import { stack } from "../../ops/indexing.js";
import { tensor, as_tensor } from "../../ops/creation.js";
import { pyTypeName } from "../../core/printing.js";

/** The type of the batch that default_collate makes of samples of type T (the table above), which
 *  a DataLoader's batches have unless a collate_fn says otherwise: `[Tensor, number]` samples
 *  batch to `[Tensor, Tensor]`; `any` where T is not known. */
export type Collated<T> =
  unknown extends T ? any : // eslint-disable-line @typescript-eslint/no-explicit-any
  T extends Tensor | number | bigint | boolean | ArrayBufferView ? Tensor :
  T extends string ? string[] :
  T extends Map<infer K, infer V> ? Map<K, Collated<V>> :
  T extends readonly unknown[] ? { -readonly [I in keyof T]: Collated<T[I]> } :
  T extends object ? { [K in keyof T]: Collated<T[K]> } :
  any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ERR = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found ";

function isTypedArray(x: unknown): x is ArrayBufferView & ArrayLike<number | bigint> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function isMapping(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x) || x instanceof Tensor || isTypedArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Puts each data field of a list of samples into a batch (see the table above). */
export function default_collate(batch: readonly unknown[]): unknown {
  if (!Array.isArray(batch) && !(batch as unknown[] | undefined)?.length) throw new TypeError(ERR + pyTypeName(batch));
  const elem = batch[0];
  if (elem instanceof Tensor) return stack(batch as Tensor[], 0);
  if (isTypedArray(elem)) {
    dtypeOfArray(elem); // throws for an array type with no tensor dtype
    return default_collate(batch.map((b) => as_tensor(b as ArrayBufferView as never)));
  }
  if (typeof elem === "number") {
    const allInt = batch.every((v) => typeof v === "number" && Number.isInteger(v));
    return tensor(batch as number[], { dtype: allInt ? int64 : float64 });
  }
  if (typeof elem === "bigint") return tensor(batch as bigint[], { dtype: int64 });
  if (typeof elem === "boolean") return tensor(batch as boolean[], { dtype: bool });
  if (typeof elem === "string") return batch.slice();
  if (elem instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const key of elem.keys()) out.set(key, default_collate(batch.map((d) => (d as Map<unknown, unknown>).get(key))));
    return out;
  }
  if (isMapping(elem)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(elem)) {
      Object.defineProperty(out, key, { value: default_collate(batch.map((d) => (d as Record<string, unknown>)[key])), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (Array.isArray(elem)) {
    const size = elem.length;
    if (!batch.every((e) => Array.isArray(e) && e.length === size)) throw new Error("each element in list of batch should be of equal size");
    return elem.map((_, i) => default_collate(batch.map((b) => (b as unknown[])[i])));
  }
  throw new TypeError(ERR + pyTypeName(elem));
}

/** What a DataLoader without automatic batching (batch_size=null) applies to each sample:
 *  typed arrays become tensors (sharing memory, as torch.as_tensor does with numpy arrays),
 *  containers are converted field by field, everything else is left as it is. */
export function default_convert(data: unknown): unknown {
  if (data instanceof Tensor) return data;
  if (isTypedArray(data)) return as_tensor(data as never);
  if (data instanceof Map) return new Map([...data].map(([k, v]) => [k, default_convert(v)]));
  if (isMapping(data)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(data)) {
      Object.defineProperty(out, key, { value: default_convert(data[key]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (Array.isArray(data)) return data.map(default_convert);
  return data;
}
