// Python's copy.deepcopy for modules and what they hold, as PyTorch defines it for its types
// (Module: a fresh object of the same class with every attribute deep-copied; Parameter.__deepcopy__;
// Tensor.__deepcopy__). nn.TransformerEncoder / nn.TransformerDecoder build their layers with it
// (_get_clones), as PyTorch does.
//
// Note [Module deepcopy]: a module is rebuilt without running its class's constructor (which would
// draw new random parameters): Reflect.construct(Module, [], Class) runs only Module's constructor,
// with the class's prototype, so the copy is the same kind of callable proxy as any module
// (Note [Registration on assignment]) and has empty registries. The registries are then filled with
// copies of the parameters, buffers and submodules (through _setMember, which keeps the own-property
// mirrors in step), hooks are kept (the same functions, in new maps, as deepcopy of a dict of
// functions does) and every other attribute is deep-copied. A memo maps each object already copied
// to its copy, so a parameter shared by two submodules (tied weights) stays shared in the copy, and
// buffers that share storage keep sharing their new storage. (A module class that kept state in
// JavaScript #private fields could not be copied this way, as its constructor does not run; no nn
// module does.)
//
// What is copied: tensors and parameters (new storage), modules, arrays, plain objects, Maps and
// Sets. What is shared, as deepcopy shares it: primitives, functions (Python copies functions by
// reference), and other class instances (dtypes, devices and the like, which PyTorch also treats
// as atomic).

import { Tensor, TensorStorage } from "../core/tensor.js";
import { no_grad } from "../autograd/grad_mode.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import "./_ops.js";

type Memo = Map<unknown, unknown>;

/** Tensor.__deepcopy__: a leaf with copied storage (storages shared among the copied tensors stay
 *  shared), the same geometry, requires_grad and a deep-copied grad. */
function copyTensor(t: Tensor, memo: Memo): Tensor {
  if (!t.is_leaf)
    throw new Error("Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment.  If you were attempting to deepcopy a module, this may be because of a torch.nn.utils.weight_norm usage, see https://github.com/pytorch/pytorch/pull/103001");
  let storage = memo.get(t._storage) as TensorStorage | undefined;
  if (storage === undefined) {
    storage = new TensorStorage((t._storage.data as unknown as { slice(): typeof t._storage.data }).slice());
    memo.set(t._storage, storage);
  }
  const out = new Tensor(storage, t._shape.slice(), t._strides.slice(), t._offset, t.dtype, t.device);
  if (t.requires_grad) out.requires_grad_(true);
  if (t.grad !== null) out.grad = deepcopy(t.grad, memo);
  return out;
}

function copyModule(m: Module, memo: Memo): Module {
  const Class = m.constructor as new (...a: unknown[]) => Module;
  const copy = Reflect.construct(Module, [], Class) as Module;
  memo.set(m, copy);
  for (const [name, p] of m._parameters) copy._setMember("param", name, p === null ? null : deepcopy(p, memo));
  for (const [name, b] of m._buffers) copy._setMember("buffer", name, b === null ? null : deepcopy(b, memo));
  for (const name of m._non_persistent_buffers_set) copy._non_persistent_buffers_set.add(name);
  for (const [name, c] of m._modules) copy._setMember("module", name, c === null ? null : deepcopy(c, memo));
  copy._forward_pre_hooks = new Map(m._forward_pre_hooks);
  copy._forward_pre_hooks_with_kwargs = new Set(m._forward_pre_hooks_with_kwargs);
  copy._forward_hooks = new Map(m._forward_hooks);
  copy._forward_hooks_with_kwargs = new Set(m._forward_hooks_with_kwargs);
  copy._forward_hooks_always_called = new Set(m._forward_hooks_always_called);
  const own = new Set<PropertyKey>(["_parameters", "_buffers", "_non_persistent_buffers_set", "_modules", "_forward_pre_hooks",
    "_forward_pre_hooks_with_kwargs", "_forward_hooks", "_forward_hooks_with_kwargs", "_forward_hooks_always_called"]);
  for (const key of Reflect.ownKeys(m)) {
    if (own.has(key) || (typeof key === "string" && m._kindOf(key) !== null)) continue;
    const desc = Reflect.getOwnPropertyDescriptor(m, key)!;
    if ("value" in desc) desc.value = deepcopy(desc.value, memo);
    Reflect.defineProperty(copy, key, desc);
  }
  return copy;
}

/** copy.deepcopy(x): modules, tensors and the containers holding them are copied, sharing
 *  preserved among them (Note [Module deepcopy]). */
export function deepcopy<T>(x: T, memo: Memo = new Map()): T {
  if (x === null || (typeof x !== "object" && !(x instanceof Module))) return x;
  if (memo.has(x)) return memo.get(x) as T;
  let out: unknown;
  if (x instanceof Module) return copyModule(x, memo) as T;
  if (x instanceof Parameter) {
    // Parameter.__deepcopy__: a clone of the data, the same requires_grad (not the grad)
    out = new Parameter(no_grad(() => x.detach().clone()), x.requires_grad);
  } else if (x instanceof Tensor) {
    out = copyTensor(x, memo);
  } else if (Array.isArray(x)) {
    const a: unknown[] = [];
    memo.set(x, a);
    for (const v of x) a.push(deepcopy(v, memo));
    return a as T;
  } else if (x instanceof Map) {
    const m = new Map();
    memo.set(x, m);
    for (const [k, v] of x) m.set(deepcopy(k, memo), deepcopy(v, memo));
    return m as T;
  } else if (x instanceof Set) {
    const s = new Set();
    memo.set(x, s);
    for (const v of x) s.add(deepcopy(v, memo));
    return s as T;
  } else {
    const proto = Object.getPrototypeOf(x);
    if (proto !== Object.prototype && proto !== null) return x; // atomic, as deepcopy treats dtypes and devices
    const o = Object.create(proto) as Record<PropertyKey, unknown>;
    memo.set(x, o);
    for (const key of Reflect.ownKeys(x as object)) {
      const desc = Reflect.getOwnPropertyDescriptor(x as object, key)!;
      if ("value" in desc) desc.value = deepcopy(desc.value, memo);
      Reflect.defineProperty(o, key, desc);
    }
    return o as T;
  }
  memo.set(x, out);
  return out as T;
}
