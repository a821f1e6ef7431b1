// Containers: Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict
// (torch/nn/modules/container.py, PyTorch 2.x).
//
// Python's indexing maps to JavaScript as follows: `seq[0]` works as is (members named "0", "1" …
// are own properties, Note [Registration on assignment]); `seq.at(-1)` for negative indices;
// `seq.set(i, m)` / `seq.delete(i)` for `seq[i] = m` / `del seq[i]`; `seq.slice(a, b)` for
// `seq[a:b]`; `seq.length` for `len(seq)`; `for (const m of seq)` iterates. The dicts have
// get / set / delete / has / keys / values / items, and iterate over their keys as Python's do.

import { Tensor } from "../core/tensor.js";
import { keyError } from "../core/printing.js";
import { Module, addindent, typename } from "./module.js";
import { Parameter } from "./parameter.js";

type Entries<T> = Record<string, T> | Map<string, T> | Iterable<readonly [string, T]>;

function isIterable(x: unknown): x is Iterable<unknown> {
  return x !== null && x !== undefined && typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
}

/** Python's index check: -n <= idx < n, then wrapped. */
function absIndex(idx: number, n: number): number {
  if (!Number.isInteger(idx)) throw new TypeError(`'${typeof idx}' object cannot be interpreted as an integer`);
  if (!(-n <= idx && idx < n)) throw new RangeError(`index ${idx} is out of range`);
  return idx < 0 ? idx + n : idx;
}

/** Python's slice.indices for a step-1 slice. */
function sliceRange(n: number, start?: number, end?: number): [number, number] {
  const norm = (i: number | undefined, d: number) => (i === undefined ? d : i < 0 ? Math.max(n + i, 0) : Math.min(i, n));
  const s = norm(start, 0), e = norm(end, n);
  return [s, Math.max(s, e)];
}

/** Rebuilds a module's _modules with the given entries (renumbering after a delete or insert). */
function resetModules(owner: Module, entries: [string, Module | null][]): void {
  for (const k of [...owner._modules.keys()]) owner._deleteMember(k);
  for (const [k, m] of entries) owner._setMember("module", k, m);
}

// ---- Sequential -------------------------------------------------------------------------------

/** A chain of modules: forward feeds the input through each in order. Built from modules
 *  (`new Sequential(a, b, c)`, named "0", "1", …) or from named entries (an object, a Map or
 *  [name, module] pairs, as PyTorch's OrderedDict form). */
export class Sequential extends Module {
  [index: number]: Module;

  constructor(...args: (Module | Entries<Module>)[]) {
    super();
    const first = args[0];
    if (args.length === 1 && !(first instanceof Module) && first !== null && typeof first === "object") {
      const entries = first instanceof Map ? [...first] : isIterable(first) ? [...(first as Iterable<[string, Module]>)] : Object.entries(first);
      for (const [k, m] of entries) this.add_module(k, m as Module);
    } else {
      args.forEach((m, i) => this.add_module(String(i), m as Module));
    }
  }

  override get length(): number { return this._modules.size; }
  len(): number { return this._modules.size; }

  /** seq[idx], with negative indices counting from the end */
  at(idx: number): Module { return [...this._modules.values()][absIndex(idx, this._modules.size)]!; }
  get(idx: number): Module { return this.at(idx); }

  /** seq[start:end]: a new Sequential of the same modules, keeping their names */
  slice(start?: number, end?: number): Sequential {
    const [s, e] = sliceRange(this._modules.size, start, end);
    const Ctor = this.constructor as new (entries: Map<string, Module>) => Sequential;
    return new Ctor(new Map([...this._modules].slice(s, e) as [string, Module][]));
  }

  /** seq[idx] = module */
  set(idx: number, module: Module): void {
    const key = [...this._modules.keys()][absIndex(idx, this._modules.size)]!;
    (this as unknown as Record<string, unknown>)[key] = module;
  }

  /** del seq[idx]: the remaining modules are renumbered 0, 1, … as PyTorch does */
  delete(idx: number): void {
    const keys = [...this._modules.keys()];
    this._deleteMember(keys[absIndex(idx, keys.length)]!);
    resetModules(this, [...this._modules.values()].map((m, i) => [String(i), m]));
  }

  pop(idx: number): Module { const m = this.at(idx); this.delete(idx); return m; }

  append(module: Module): this { this.add_module(String(this._modules.size), module); return this; }

  insert(index: number, module: Module): this {
    if (!(module instanceof Module)) throw new Error("module should be of type: <class 'torch.nn.modules.module.Module'>");
    const n = this._modules.size;
    if (!(-n <= index && index <= n)) throw new RangeError(`Index out of range: ${index}`);
    if (index < 0) index += n;
    const mods = [...this._modules.values()];
    mods.splice(index, 0, module);
    resetModules(this, mods.map((m, i) => [String(i), m]));
    return this;
  }

  extend(sequential: Iterable<Module>): this { for (const m of sequential) this.append(m); return this; }

  /** seq1 + seq2 */
  add(other: Sequential): Sequential {
    if (!(other instanceof Sequential)) throw new Error(`add operator supports only objects of Sequential class, but ${typename(other)} is given.`);
    const ret = new Sequential();
    for (const m of this) ret.append(m);
    for (const m of other) ret.append(m);
    return ret;
  }

  *[Symbol.iterator](): Iterator<Module> { for (const m of this._modules.values()) yield m!; }

  /** Typed for the common case, tensors through every layer; a chain passing something else
   *  (an RNN's tuple) casts at the call. */
  override forward(input: Tensor): Tensor {
    for (const m of this._modules.values()) input = m!._call_impl(input) as Tensor;
    return input;
  }
}

// ---- ModuleList -------------------------------------------------------------------------------

/** A list of registered submodules (no forward of its own). Its element type is inferred from the
 *  modules it is built from (`new nn.ModuleList([new nn.Linear(2, 2)])` holds Linears), so a
 *  layer taken from it has its own forward's types. */
export class ModuleList<M extends Module = Module> extends Module {
  [index: number]: M;

  constructor(modules: Iterable<M> | null = null) {
    super();
    if (modules !== null && modules !== undefined) this.extend(modules);
  }

  override get length(): number { return this._modules.size; }
  len(): number { return this._modules.size; }
  at(idx: number): M { return this._modules.get(String(absIndex(idx, this._modules.size))) as M; }
  get(idx: number): M { return this.at(idx); }
  slice(start?: number, end?: number): ModuleList<M> {
    const [s, e] = sliceRange(this._modules.size, start, end);
    const Ctor = this.constructor as new (m: M[]) => ModuleList<M>;
    return new Ctor([...this._modules.values()].slice(s, e) as M[]);
  }
  set(idx: number, module: M): void {
    (this as unknown as Record<string, unknown>)[String(absIndex(idx, this._modules.size))] = module;
  }
  delete(idx: number): void {
    this._deleteMember(String(absIndex(idx, this._modules.size)));
    resetModules(this, [...this._modules.values()].map((m, i) => [String(i), m]));
  }
  pop(idx: number): M { const m = this.at(idx); this.delete(idx); return m; }
  append(module: M): this { this.add_module(String(this._modules.size), module); return this; }
  extend(modules: Iterable<M>): this {
    if (!isIterable(modules)) throw new TypeError(`ModuleList.extend should be called with an iterable, but got ${typename(modules)}`);
    const offset = this._modules.size;
    let i = 0;
    for (const m of modules) this.add_module(String(offset + i++), m);
    return this;
  }
  insert(index: number, module: M): void {
    const mods = [...this._modules.values()];
    mods.splice(index < 0 ? Math.max(mods.length + index, 0) : index, 0, module);
    resetModules(this, mods.map((m, i) => [String(i), m]));
  }
  /** list1 + list2 */
  add<N extends Module>(other: Iterable<N>): ModuleList<M | N> {
    const combined = new ModuleList<M | N>();
    for (const m of this) combined.append(m);
    for (const m of other) combined.append(m);
    return combined;
  }
  *[Symbol.iterator](): Iterator<M> { for (const m of this._modules.values()) yield m as M; }

  /** PyTorch 2.x's repr, which folds runs of identical modules: "(0-2): 3 x Linear(…)". */
  override toString(): string {
    const reprs = [...this._modules.values()].map((m) => (m === null ? "None" : m.toString()));
    if (reprs.length === 0) return this._get_name() + "()";
    const ranges: [number, number][] = [[0, 0]];
    const blocks = [reprs[0]!];
    for (let i = 1; i < reprs.length; i++) {
      if (reprs[i] === blocks[blocks.length - 1]) { ranges[ranges.length - 1]![1] += 1; continue; }
      ranges.push([i, i]);
      blocks.push(reprs[i]!);
    }
    const lines = ranges.map(([s, e], k) => addindent(s === e ? `(${s}): ${blocks[k]}` : `(${s}-${e}): ${e - s + 1} x ${blocks[k]}`, 2));
    return this._get_name() + "(\n  " + lines.join("\n  ") + "\n)";
  }
}

// ---- ModuleDict -------------------------------------------------------------------------------

/** An ordered dict of registered submodules (no forward of its own), its value type inferred as
 *  ModuleList's. Python's `md[key]`, `md[key] = m`, `del md[key]` and `key in md` are get, set,
 *  delete and has, the first and third with PyTorch's KeyError for a missing key (an Error
 *  whose message is the key's repr, as str() of a KeyError is); keys, values, items, pop,
 *  update and clear are PyTorch's methods (PyTorch's ModuleDict has no dict.get with a default). */
export class ModuleDict<M extends Module = Module> extends Module {
  constructor(modules: Entries<M> | null = null) {
    super();
    if (modules !== null && modules !== undefined) this.update(modules);
  }
  override get length(): number { return this._modules.size; }
  len(): number { return this._modules.size; }
  /** md[key] */
  get(key: string): M {
    if (!this._modules.has(key)) throw keyError(key);
    return this._modules.get(key) as M;
  }
  /** md[key] = module */
  set(key: string, module: M): void { this.add_module(key, module); }
  /** del md[key] */
  delete(key: string): void {
    if (!this._modules.has(key)) throw keyError(key);
    this._deleteMember(key);
  }
  /** key in md */
  has(key: string): boolean { return this._modules.has(key); }
  clear(): void { for (const k of [...this._modules.keys()]) this._deleteMember(k); }
  pop(key: string): M { const m = this.get(key); this.delete(key); return m; }
  keys(): string[] { return [...this._modules.keys()]; }
  values(): M[] { return [...this._modules.values()] as M[]; }
  items(): [string, M][] { return [...this._modules] as [string, M][]; }
  entries(): [string, M][] { return this.items(); }
  update(modules: Entries<M> | ModuleDict<M>): void {
    if (modules instanceof ModuleDict) { for (const [k, m] of modules.items()) this.set(k, m); return; }
    if (modules instanceof Map || !isIterable(modules)) {
      if (modules === null || typeof modules !== "object")
        throw new TypeError(`ModuleDict.update should be called with an iterable of key/value pairs, but got ${typename(modules)}`);
      for (const [k, m] of modules instanceof Map ? modules : Object.entries(modules)) this.set(k, m);
      return;
    }
    let j = 0;
    for (const kv of modules) {
      if (!isIterable(kv)) throw new TypeError(`ModuleDict update sequence element #${j} should be Iterable; is${typename(kv)}`);
      if (kv.length !== 2) throw new Error(`ModuleDict update sequence element #${j} has length ${kv.length}; 2 is required`);
      this.set(kv[0], kv[1]);
      j++;
    }
  }
  /** iterates over the keys, as Python's dict does */
  *[Symbol.iterator](): Iterator<string> { yield* this._modules.keys(); }
}

// ---- ParameterList ----------------------------------------------------------------------------

function extraReprLine(k: string, p: unknown, dtypeStr: (t: Tensor) => string): string {
  if (p instanceof Tensor) {
    const size = p.shape.join("x");
    const dev = p.device.type === "cuda" ? ` (${p.device.toString()})` : "";
    return `  (${k}): ${p instanceof Parameter ? "Parameter" : "Tensor"} containing: [${dtypeStr(p)} of size ${size}${dev}]`;
  }
  return `  (${k}): Object of type: ${typename(p)}`;
}

/** A list of parameters: tensors added to it become Parameters and are registered as "0", "1", …
 *  Its element type is inferred as ModuleList's (Parameters, or whatever else it is built from). */
export class ParameterList<T = Parameter> extends Module {
  [index: number]: T;
  /** @internal */ _size = 0;

  constructor(values: Iterable<T> | null = null) {
    super();
    if (values !== null && values !== undefined) this.extend(values);
  }
  override get length(): number { return this._size; }
  len(): number { return this._size; }
  at(idx: number): T { return (this as unknown as Record<string, T>)[String(absIndex(idx, this._size))]!; }
  get(idx: number): T { return this.at(idx); }
  /** list[idx] = value: a Tensor becomes a Parameter (the only place that wraps, as in PyTorch) */
  set(idx: number, param: T): void {
    const key = String(absIndex(idx, this._size));
    const v = param instanceof Tensor && !(param instanceof Parameter) ? new Parameter(param) : param;
    (this as unknown as Record<string, unknown>)[key] = v;
  }
  append(value: T): this { const i = this._size; this._size += 1; this.set(i, value); return this; }
  extend(values: Iterable<T>): this {
    if (!isIterable(values) || values instanceof Tensor) throw new TypeError(`ParameterList.extend should be called with an iterable, but got ${typename(values)}`);
    for (const v of values) this.append(v);
    return this;
  }
  slice(start?: number, end?: number): ParameterList<T> {
    const [s, e] = sliceRange(this._size, start, end);
    const out = new (this.constructor as new () => ParameterList<T>)();
    for (let i = s; i < e; i++) out.append(this.at(i));
    return out;
  }
  *[Symbol.iterator](): Iterator<T> { for (let i = 0; i < this._size; i++) yield this.at(i); }
  override extra_repr(): string {
    return [...this].map((p, k) => extraReprLine(String(k), p, (t) => `torch.${t.dtype.name}`)).join("\n");
  }
  override _call_impl(): never { throw new Error("ParameterList should not be called."); }
}

// ---- ParameterDict ----------------------------------------------------------------------------

/** An ordered dict of parameters; tensors added to it become Parameters. As PyTorch does, a plain
 *  object passed to the constructor or update() is added in sorted key order (Python dicts were
 *  unordered once); a Map, a ParameterDict or [key, value] pairs keep their order. */
export class ParameterDict<T = Parameter> extends Module {
  /** @internal */ _keys = new Set<string>();

  constructor(parameters: Entries<T> | ParameterDict<T> | null = null) {
    super();
    if (parameters !== null && parameters !== undefined) this.update(parameters);
  }
  override get length(): number { return this._keys.size; }
  len(): number { return this._keys.size; }
  /** dict[key], or `dflt` (null, Python's None) when the key is missing */
  get(key: string): T;
  get<D>(key: string, dflt: D): T | D;
  get(key: string, dflt: unknown = null): unknown { return this._keys.has(key) ? (this as unknown as Record<string, unknown>)[key] : dflt; }
  set(key: string, value: T): void {
    if (typeof key !== "string")
      throw new TypeError(`Index given to ParameterDict cannot be used as a key as it is not a string (type is '${typeof key}'). Open an issue on github if you need non-string keys.`);
    this._keys.add(key);
    const v = value instanceof Tensor && !(value instanceof Parameter) ? new Parameter(value) : value;
    (this as unknown as Record<string, unknown>)[key] = v;
  }
  delete(key: string): void {
    if (!this._keys.has(key)) throw keyError(key);
    this._keys.delete(key);
    delete (this as unknown as Record<string, unknown>)[key];
  }
  has(key: string): boolean { return this._keys.has(key); }
  setdefault(key: string, dflt: T): T { if (!this.has(key)) this.set(key, dflt); return this.get(key); }
  clear(): void { for (const k of [...this._keys]) this.delete(k); }
  pop(key: string): T { const v = this.get(key); this.delete(key); return v; }
  popitem(): [string, T] {
    const k = [...this._keys].pop();
    if (k === undefined) throw new Error("popitem(): dictionary is empty");
    return [k, this.pop(k)];
  }
  copy(): ParameterDict<T> { return new ParameterDict<T>(new Map(this.items())); }
  keys(): string[] { return [...this._keys]; }
  values(): T[] { return this.keys().map((k) => this.get(k)); }
  items(): [string, T][] { return this.keys().map((k) => [k, this.get(k)]); }
  entries(): [string, T][] { return this.items(); }
  update(parameters: Entries<T> | ParameterDict<T>): void {
    if (parameters instanceof ParameterDict || parameters instanceof Map) {
      for (const [k, v] of parameters instanceof Map ? parameters : parameters.items()) this.set(k, v);
      return;
    }
    if (parameters === null || typeof parameters !== "object")
      throw new TypeError(`ParametersDict.update should be called with an iterable of key/value pairs, but got ${typename(parameters)}`);
    if (!isIterable(parameters)) {
      for (const k of Object.keys(parameters).sort()) this.set(k, (parameters as Record<string, T>)[k]!);
      return;
    }
    let j = 0;
    for (const kv of parameters) {
      if (!isIterable(kv)) throw new TypeError(`ParameterDict update sequence element #${j} should be Iterable; is${typename(kv)}`);
      if (kv.length !== 2) throw new Error(`ParameterDict update sequence element #${j} has length ${kv.length}; 2 is required`);
      this.set(kv[0], kv[1]);
      j++;
    }
  }
  *[Symbol.iterator](): Iterator<string> { yield* this._keys; }
  override extra_repr(): string {
    return this.items().map(([k, p]) => extraReprLine(k, p, (t) => t.type())).join("\n");
  }
  override _call_impl(): never { throw new Error("ParameterDict should not be called."); }
}
