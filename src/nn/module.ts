/// <reference lib="esnext.disposable" preserve="true" />
// nn.Module: the base class of every layer and model (torch/nn/modules/module.py, PyTorch 2.x).
//
// Note [Registration on assignment]: PyTorch registers parameters, buffers and submodules in
// Module.__setattr__. JavaScript has no __setattr__, so Module's constructor returns a Proxy
// around the real object and the proxy's `set` and `defineProperty` traps do what __setattr__
// does. Because a derived constructor's `this` is whatever super() returned, every assignment in
// a subclass constructor (`this.fc1 = new nn.Linear(2, 3)`) and every TypeScript class field
// initialiser (`fc1 = new nn.Linear(2, 3)`: class fields are defined on the object super()
// returned, right after it returns) goes through the traps. Registered members are kept in
// PyTorch's ordered registries (`_parameters`, `_buffers`, `_modules`, JS Maps: insertion-ordered,
// and re-assigning a key keeps its place, as Python dicts do) and mirrored as ordinary own
// properties of the object, so reading `this.fc1` needs no trap logic and the debugger shows them.
// Every write to a registry goes through `_setMember` / `_deleteMember`, which keep the two views
// in step.
//
// Note [Field declarations]: a TypeScript field declared without initialiser (`weight!: Parameter`)
// is emitted as a define of `undefined` after super() returns (useDefineForClassFields). Such a
// define never unregisters a member (a subclass re-declaring an inherited field would otherwise
// wipe the parameter the parent constructor registered), and an own property holding `undefined`
// does not count as an existing attribute for the "attribute 'x' already exists" checks (Python
// has no undefined: a declared-but-unset field is simply not there yet).
//
// Note [Callable modules]: the proxy's target is an arrow function, so `model(x)` calls
// `model._call_impl(x)` (hooks, then forward) as Python's `model(x)` does. Every other trap is
// forwarded to the real object, whose prototype chain (Module.prototype …) the proxy reports, so
// `instanceof`, methods, getters and private fields behave as on a plain object. `typeof model`
// is "function". Node's util.inspect looks at a proxy's target, not its handler, so the target
// carries the util.inspect.custom hook that prints PyTorch's repr.

import { ORDERED_DICT } from "../io/pickle.js";
import { Tensor, type RemovableHandle as TensorRemovableHandle } from "../core/tensor.js";
import { DType } from "../core/dtype.js";
import { Device } from "../core/device.js";
import type { memory_format } from "../core/memory_format.js";
import { sizeStr, keyError } from "../core/printing.js";
import { no_grad } from "../autograd/grad_mode.js";
import { isKwargs, type KwArgs } from "../core/argparse.js";
import { Parameter } from "./parameter.js";
import { compileFunction, type CompileOptions } from "../compile/eval_frame.js";
import "./_ops.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

// ---- hooks ------------------------------------------------------------------------------------

let nextHookId = 0;

/** torch.utils.hooks.RemovableHandle: `handle.remove()` unregisters the hook (also on `using`). */
export class RemovableHandle implements TensorRemovableHandle {
  readonly id: number;
  private readonly dicts: Map<number, unknown>[];
  private readonly extra: Set<number>[];
  constructor(dicts: Map<number, unknown>[], extra: Set<number>[] = []) {
    this.id = nextHookId++;
    this.dicts = dicts;
    this.extra = extra;
  }
  remove(): void {
    for (const d of this.dicts) d.delete(this.id);
    for (const s of this.extra) s.delete(this.id);
  }
  [Symbol.dispose](): void { this.remove(); }
}

/** hook(module, args) → undefined (keep the arguments), a new argument array, or one new argument. */
export type ForwardPreHook<M extends Module = Module> = (module: M, args: unknown[]) => unknown;
/** with_kwargs: hook(module, args, kwargs) → undefined or [args, kwargs]. */
export type ForwardPreHookWithKwargs<M extends Module = Module> = (module: M, args: unknown[], kwargs: Record<string, unknown>) => unknown;
/** hook(module, args, output) → undefined (keep the output) or the output to use instead. */
export type ForwardHook<M extends Module = Module> = (module: M, args: unknown[], output: any) => unknown;
export type ForwardHookWithKwargs<M extends Module = Module> = (module: M, args: unknown[], kwargs: Record<string, unknown>, output: any) => unknown;

// ---- load_state_dict's result -------------------------------------------------------------------

/** torch.nn.modules.module._IncompatibleKeys: the keys load_state_dict did not match. */
export class IncompatibleKeys {
  constructor(readonly missing_keys: string[], readonly unexpected_keys: string[]) {}
  toString(): string {
    if (!this.missing_keys.length && !this.unexpected_keys.length) return "<All keys matched successfully>";
    const list = (a: string[]) => `[${a.map((k) => `'${k}'`).join(", ")}]`;
    return `_IncompatibleKeys(missing_keys=${list(this.missing_keys)}, unexpected_keys=${list(this.unexpected_keys)})`;
  }
  [INSPECT](): string { return this.toString(); }
  /** unpacks as the namedtuple does: const [missing, unexpected] = model.load_state_dict(…) */
  *[Symbol.iterator](): Iterator<string[]> { yield this.missing_keys; yield this.unexpected_keys; }
}

/** A state dict: PyTorch's key names ("0.weight", "fc1.bias" …) in PyTorch's order. See
 *  Module.state_dict. load_state_dict also accepts a Map. */
export type StateDict = Record<string, Tensor>;

// ---- helpers ------------------------------------------------------------------------------------

/** torch.typename, in the words Python would use for the JS value: "torch.FloatTensor" for
 *  tensors, "int" / "float" / "str" / "bool" / "list" / "dict" / "NoneType", else the class name. */
export function typename(x: unknown): string {
  if (x instanceof Tensor) return x.type();
  if (x === null || x === undefined) return "NoneType";
  if (x instanceof Module) return x._get_name();
  switch (typeof x) {
    case "number": return Number.isInteger(x) ? "int" : "float";
    case "bigint": return "int";
    case "string": return "str";
    case "boolean": return "bool";
    case "function": return "function";
    default:
      if (Array.isArray(x)) return "list";
      if (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null) return "dict";
      return (x as object).constructor?.name ?? "object";
  }
}

/** Python's _addindent: indents every line but the first. */
export function addindent(s: string, n: number): string {
  const lines = s.split("\n");
  if (lines.length === 1) return s;
  const first = lines.shift()!;
  return first + "\n" + lines.map((l) => " ".repeat(n) + l).join("\n");
}

function findDescriptor(obj: object, key: PropertyKey): PropertyDescriptor | undefined {
  for (let o: object | null = obj; o !== null; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d) return d;
  }
  return undefined;
}

const dataProp = (value: unknown): PropertyDescriptor => ({ value, writable: true, enumerable: true, configurable: true });

type Kind = "param" | "buffer" | "module";

/** proxy → the object behind it: registry mirrors are written there directly, not through the traps */
const RAW = new WeakMap<object, object>();
function rawOf(m: Module): object { return RAW.get(m) ?? m; }

// ---- Module -----------------------------------------------------------------------------------

export interface Module {
  /** `model(x)`: runs the forward pre-hooks, forward, then the forward hooks (Note [Callable modules]). */
  (...args: Parameters<this["forward"]>): ReturnType<this["forward"]>;
  /** `lstm(input, {hx})`: forward's parameters named in an options object (Note [Module forwards]
   *  in core/argparse.ts). */
  (...args: KwArgs<Parameters<this["forward"]>>): ReturnType<this["forward"]>;
}

export class Module {
  /** train/eval mode, set recursively by train() and eval() */
  training = true;
  /** @internal */ _parameters = new Map<string, Parameter | null>();
  /** @internal */ _buffers = new Map<string, Tensor | null>();
  /** @internal */ _non_persistent_buffers_set = new Set<string>();
  /** @internal */ _modules = new Map<string, Module | null>();
  /** @internal */ _forward_pre_hooks = new Map<number, ForwardPreHook | ForwardPreHookWithKwargs>();
  /** @internal */ _forward_pre_hooks_with_kwargs = new Set<number>();
  /** @internal */ _forward_hooks = new Map<number, ForwardHook | ForwardHookWithKwargs>();
  /** @internal */ _forward_hooks_with_kwargs = new Set<number>();
  /** @internal */ _forward_hooks_always_called = new Set<number>();

  constructor() {
    const self = this as Module;
    const target = ((..._args: unknown[]) => undefined) as unknown as Record<PropertyKey, unknown>;
    delete target.name; delete target.length; // nothing of the function shows through the proxy
    let proxy: Module;
    Object.defineProperty(target, INSPECT, { value: function (this: Module) { return this.toString(); }, configurable: true });
    const handler: ProxyHandler<Record<PropertyKey, unknown>> = {
      apply: (_t, _this, args: unknown[]) => proxy._call_impl(...args),
      get: (_t, key, receiver) => Reflect.get(self, key, receiver),
      set: (_t, key, value) => setAttr(self, proxy, key, value),
      defineProperty: (t, key, desc) => {
        if (typeof key === "string" && "value" in desc && desc.enumerable !== false) {
          // Note [Field declarations]
          if (desc.value === undefined && self._kindOf(key) !== null) return true;
          if (proxy._registerOnAssign(key, desc.value)) return true;
        }
        const ok = Reflect.defineProperty(self, key, desc);
        // keep the proxy invariants: a non-configurable property must exist on the target too
        if (ok && desc.configurable === false) Reflect.defineProperty(t, key, desc);
        return ok;
      },
      deleteProperty: (_t, key) => (typeof key === "string" ? proxy._delattr(key) : Reflect.deleteProperty(self, key)),
      has: (_t, key) => Reflect.has(self, key),
      ownKeys: () => Reflect.ownKeys(self),
      getOwnPropertyDescriptor: (_t, key) => Reflect.getOwnPropertyDescriptor(self, key),
      getPrototypeOf: () => Reflect.getPrototypeOf(self),
      setPrototypeOf: (_t, proto) => Reflect.setPrototypeOf(self, proto),
      isExtensible: (t) => Reflect.isExtensible(t),
      preventExtensions: (t) => { Reflect.preventExtensions(self); return Reflect.preventExtensions(t); },
    };
    proxy = new Proxy(target, handler) as unknown as Module;
    RAW.set(proxy, self);
    return proxy;
  }

  /** Defines the computation performed at every call; every subclass overrides it. */
  forward(..._args: any[]): any {
    throw new Error(`Module [${this._get_name()}] is missing the required "forward" function`);
  }

  /** Python's `module(*args)`: pre-hooks, forward, hooks (Module._call_impl). `model(x)` is the same. */
  call(...args: Parameters<this["forward"]>): ReturnType<this["forward"]> {
    return this._call_impl(...args) as ReturnType<this["forward"]>;
  }

  /** nn.Module.compile: compiles this module's call in place, `torch.compile(this._call_impl,
   *  opts)`: `model(x)` then runs its hooks and forward as compiled code, while the module keeps
   *  its class, repr and state_dict keys (torch.compile(model) wraps it in an OptimizedModule
   *  instead). Eager, as every backend here: Note [Eager torch.compile] in compile/eval_frame.ts. */
  compile(opts?: CompileOptions): void {
    const raw = rawOf(this);
    // (Python keeps it as _compiled_call_impl, which its __call__ prefers: here the own property
    // shadows the class's _call_impl, which the callable proxy and call() go through)
    const impl = (Object.getPrototypeOf(raw) as Module)._call_impl;
    Object.defineProperty(raw, "_call_impl", { value: compileFunction(impl.bind(this), opts), writable: true, configurable: true, enumerable: false });
  }

  /** @internal Python's `module(*args, **kwargs)`: the hooks see the positional arguments and
   *  the keyword ones (the trailing options object, shared/API.md §2) apart, as PyTorch's do, and
   *  forward gets both (Note [Module forwards] in core/argparse.ts). */
  _call_impl(...args: unknown[]): unknown {
    if (this._forward_pre_hooks.size === 0 && this._forward_hooks.size === 0) return this.forward(...args);
    let kwargs: Record<string, unknown> = {};
    if (args.length > 0 && isKwargs(args[args.length - 1])) { kwargs = args[args.length - 1] as Record<string, unknown>; args = args.slice(0, -1); }
    for (const [id, hook] of [...this._forward_pre_hooks]) {
      if (this._forward_pre_hooks_with_kwargs.has(id)) {
        const r = (hook as ForwardPreHookWithKwargs)(this, args, kwargs);
        if (r !== undefined && r !== null) {
          if (!Array.isArray(r) || r.length !== 2)
            throw new Error(`forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got ${String(r)}.`);
          args = Array.isArray(r[0]) ? r[0] : [r[0]];
          kwargs = (r[1] ?? {}) as Record<string, unknown>;
        }
      } else {
        const r = (hook as ForwardPreHook)(this, args);
        if (r !== undefined && r !== null) args = Array.isArray(r) ? r : [r];
      }
    }
    const forwardArgs = Object.keys(kwargs).length > 0 ? [...args, kwargs] : args;
    let result: unknown = null;
    const called = new Set<number>();
    try {
      result = this.forward(...forwardArgs);
      for (const [id, hook] of [...this._forward_hooks]) {
        if (this._forward_hooks_always_called.has(id)) called.add(id);
        const r = this._forward_hooks_with_kwargs.has(id)
          ? (hook as ForwardHookWithKwargs)(this, args, kwargs, result)
          : (hook as ForwardHook)(this, args, result);
        if (r !== undefined && r !== null) result = r;
      }
    } catch (e) {
      // hooks registered with always_call run even when forward (or an earlier hook) threw
      for (const [id, hook] of [...this._forward_hooks]) {
        if (!this._forward_hooks_always_called.has(id) || called.has(id)) continue;
        try {
          const r = this._forward_hooks_with_kwargs.has(id)
            ? (hook as ForwardHookWithKwargs)(this, args, kwargs, result)
            : (hook as ForwardHook)(this, args, result);
          if (r !== undefined && r !== null) result = r;
        } catch (e2) {
          console.warn(`module forward hook with \`\`always_call=True\`\` raised an exception that was silenced as another error was raised in forward: ${String(e2)}`);
        }
      }
      throw e;
    }
    return result;
  }

  /** hook(module, args) runs before forward; it may return new arguments (an array, or one value). */
  register_forward_pre_hook(hook: ForwardPreHook<this>, opts?: { prepend?: boolean; with_kwargs?: false }): RemovableHandle;
  register_forward_pre_hook(hook: ForwardPreHookWithKwargs<this>, opts: { prepend?: boolean; with_kwargs: true }): RemovableHandle;
  register_forward_pre_hook(hook: ForwardPreHook<this> | ForwardPreHookWithKwargs<this>, opts: { prepend?: boolean; with_kwargs?: boolean } = {}): RemovableHandle {
    const handle = new RemovableHandle([this._forward_pre_hooks as Map<number, unknown>], [this._forward_pre_hooks_with_kwargs]);
    this._forward_pre_hooks = withHook(this._forward_pre_hooks, handle.id, hook as ForwardPreHook, opts.prepend ?? false);
    if (opts.with_kwargs) this._forward_pre_hooks_with_kwargs.add(handle.id);
    return handle;
  }

  /** hook(module, args, output) runs after forward; it may return a new output. */
  register_forward_hook(hook: ForwardHook<this>, opts?: { prepend?: boolean; with_kwargs?: false; always_call?: boolean }): RemovableHandle;
  register_forward_hook(hook: ForwardHookWithKwargs<this>, opts: { prepend?: boolean; with_kwargs: true; always_call?: boolean }): RemovableHandle;
  register_forward_hook(hook: ForwardHook<this> | ForwardHookWithKwargs<this>, opts: { prepend?: boolean; with_kwargs?: boolean; always_call?: boolean } = {}): RemovableHandle {
    const handle = new RemovableHandle([this._forward_hooks as Map<number, unknown>], [this._forward_hooks_with_kwargs, this._forward_hooks_always_called]);
    this._forward_hooks = withHook(this._forward_hooks, handle.id, hook as ForwardHook, opts.prepend ?? false);
    if (opts.with_kwargs) this._forward_hooks_with_kwargs.add(handle.id);
    if (opts.always_call) this._forward_hooks_always_called.add(handle.id);
    return handle;
  }

  // ---- registration (Note [Registration on assignment]) ------------------------------------------

  /** @internal which registry holds `name`, if any */
  _kindOf(name: string): Kind | null {
    return this._parameters.has(name) ? "param" : this._buffers.has(name) ? "buffer" : this._modules.has(name) ? "module" : null;
  }

  /** @internal Python's hasattr(self, name), with Note [Field declarations]. */
  _hasattr(name: string): boolean {
    const own = Object.getOwnPropertyDescriptor(this, name);
    if (own) return !("value" in own) || own.value !== undefined;
    return name in this;
  }

  /** @internal puts `value` in registry `kind` under `name` and mirrors it as an own property. */
  _setMember(kind: Kind, name: string, value: unknown): void {
    if (kind === "param") this._parameters.set(name, value as Parameter | null);
    else if (kind === "buffer") this._buffers.set(name, value as Tensor | null);
    else this._modules.set(name, value as Module | null);
    Reflect.defineProperty(rawOf(this), name, dataProp(value));
  }

  /** @internal removes `name` from every registry and the object (Python's __delattr__). */
  _deleteMember(name: string): void {
    this._parameters.delete(name);
    this._buffers.delete(name);
    this._non_persistent_buffers_set.delete(name);
    this._modules.delete(name);
    Reflect.deleteProperty(rawOf(this), name);
  }

  /** @internal Module.__delattr__ (`delete model.fc1`, through the proxy's trap): a registered
   *  member leaves its registry, any other attribute the object. */
  _delattr(name: string): boolean {
    if (this._kindOf(name) === null) return Reflect.deleteProperty(rawOf(this), name);
    this._deleteMember(name);
    return true;
  }

  /** @internal Module.__setattr__ for a registered kind; false when `value` is a plain attribute. */
  _registerOnAssign(name: string, value: unknown): boolean {
    const v = value === undefined ? null : value;
    if (v instanceof Parameter) {
      this._deleteFrom(name, ["buffer", "module"]);
      this.register_parameter(name, v);
      return true;
    }
    if (this._parameters.has(name)) {
      if (v !== null) throw new TypeError(`cannot assign '${typename(v)}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
      this.register_parameter(name, null);
      return true;
    }
    if (v instanceof Module) {
      this._deleteFrom(name, ["param", "buffer"]);
      this._setMember("module", name, v);
      return true;
    }
    if (this._modules.has(name)) {
      if (v !== null) throw new TypeError(`cannot assign '${typename(v)}' as child module '${name}' (torch.nn.Module or None expected)`);
      this._setMember("module", name, null);
      return true;
    }
    if (this._buffers.has(name)) {
      if (v !== null && !(v instanceof Tensor)) throw new TypeError(`cannot assign '${typename(v)}' as buffer '${name}' (torch.Tensor or None expected)`);
      this._setMember("buffer", name, v);
      return true;
    }
    return false;
  }

  /** Python's remove_from(self.__dict__, <registries>): the name leaves those registries, and
   *  its own property goes too unless another registry still holds it (then it mirrors that). */
  private _deleteFrom(name: string, kinds: Kind[]): void {
    if (kinds.includes("buffer")) { this._buffers.delete(name); this._non_persistent_buffers_set.delete(name); }
    if (kinds.includes("module")) this._modules.delete(name);
    if (kinds.includes("param")) this._parameters.delete(name);
    if (this._kindOf(name) === null) Reflect.deleteProperty(rawOf(this), name);
  }

  register_parameter(name: string, param: Parameter | null): void {
    if (typeof name !== "string") throw new TypeError(`parameter name should be a string. Got ${typename(name)}`);
    if (name.includes(".")) throw keyError(`parameter name can't contain "."`);
    if (name === "") throw keyError(`parameter name can't be empty string ""`);
    if (this._hasattr(name) && !this._parameters.has(name)) throw new Error(`attribute '${name}' already exists`);
    if (param !== null && param !== undefined) {
      if (!(param instanceof Parameter))
        throw new TypeError(`cannot assign '${typename(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
      if (param.grad_fn)
        throw new Error(`Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' as a function of another Tensor, compute the value in the forward() method.`);
    }
    this._setMember("param", name, param ?? null);
  }

  /** Adds a buffer: state that is not a parameter (saved in state_dict unless persistent is false). */
  register_buffer(name: string, tensor: Tensor | null, persistent: boolean | { persistent?: boolean } = true): void {
    const keep = typeof persistent === "boolean" ? persistent : persistent.persistent ?? true;
    if (typeof name !== "string") throw new TypeError(`buffer name should be a string. Got ${typename(name)}`);
    if (name.includes(".")) throw keyError(`buffer name can't contain "."`);
    if (name === "") throw keyError(`buffer name can't be empty string ""`);
    if (this._hasattr(name) && !this._buffers.has(name)) throw new Error(`attribute '${name}' already exists`);
    if (tensor !== null && tensor !== undefined && !(tensor instanceof Tensor))
      throw new TypeError(`cannot assign '${typename(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    this._setMember("buffer", name, tensor ?? null);
    if (keep) this._non_persistent_buffers_set.delete(name); else this._non_persistent_buffers_set.add(name);
  }

  add_module(name: string, module: Module | null): void {
    if (module !== null && module !== undefined && !(module instanceof Module)) throw new TypeError(`${typename(module)} is not a Module subclass`);
    if (typeof name !== "string") throw new TypeError(`module name should be a string. Got ${typename(name)}`);
    if (this._hasattr(name) && !this._modules.has(name)) throw new Error(`attribute '${name}' already exists`);
    if (name.includes(".")) throw keyError(`module name can't contain ".", got: ${name}`);
    if (name === "") throw keyError(`module name can't be empty string ""`);
    this._setMember("module", name, module ?? null);
  }

  register_module(name: string, module: Module | null): void { this.add_module(name, module); }

  get_submodule(target: string): Module {
    if (target === "") return this;
    let mod: Module = this;
    for (const item of target.split(".")) {
      if (!mod._hasattr(item)) throw new Error(`${mod._get_name()} has no attribute \`${item}\``);
      const next = (mod as unknown as Record<string, unknown>)[item];
      if (!(next instanceof Module)) throw new Error(`\`${item}\` is not an nn.Module`);
      mod = next;
    }
    return mod;
  }

  get_parameter(target: string): Parameter {
    const i = target.lastIndexOf(".");
    const mod = this.get_submodule(i < 0 ? "" : target.slice(0, i)), name = target.slice(i + 1);
    if (!mod._hasattr(name)) throw new Error(`${mod._get_name()} has no attribute \`${name}\``);
    const p = (mod as unknown as Record<string, unknown>)[name];
    if (!(p instanceof Parameter)) throw new Error(`\`${name}\` is not an nn.Parameter`);
    return p;
  }

  get_buffer(target: string): Tensor {
    const i = target.lastIndexOf(".");
    const mod = this.get_submodule(i < 0 ? "" : target.slice(0, i)), name = target.slice(i + 1);
    if (!mod._hasattr(name)) throw new Error(`${mod._get_name()} has no attribute \`${name}\``);
    if (!mod._buffers.has(name)) throw new Error(`\`${name}\` is not a buffer`);
    return mod._buffers.get(name)!;
  }

  // ---- traversal ---------------------------------------------------------------------------------
  // Python returns generators; these return arrays (iterable, reusable, with .length).

  named_modules(memo: Set<Module> | null | { memo?: Set<Module> | null; prefix?: string; remove_duplicate?: boolean } = null, prefix = "", remove_duplicate = true): [string, Module][] {
    if (memo !== null && !(memo instanceof Set)) ({ memo = null, prefix = "", remove_duplicate = true } = memo);
    const out: [string, Module][] = [];
    const seen = memo ?? new Set<Module>();
    const walk = (m: Module, pre: string): void => {
      if (seen.has(m)) return;
      if (remove_duplicate) seen.add(m);
      out.push([pre, m]);
      for (const [name, sub] of m._modules) {
        if (sub === null) continue;
        walk(sub, pre + (pre ? "." : "") + name);
      }
    };
    walk(this, prefix);
    return out;
  }

  modules(): Module[] { return this.named_modules().map(([, m]) => m); }

  named_children(): [string, Module][] {
    const memo = new Set<Module>(), out: [string, Module][] = [];
    for (const [name, m] of this._modules) if (m !== null && !memo.has(m)) { memo.add(m); out.push([name, m]); }
    return out;
  }

  children(): Module[] { return this.named_children().map(([, m]) => m); }

  private _named_members<T>(members: (m: Module) => Iterable<[string, T | null]>, prefix: string, recurse: boolean, remove_duplicate: boolean): [string, T][] {
    const memo = new Set<T>(), out: [string, T][] = [];
    const mods: [string, Module][] = recurse ? this.named_modules(null, prefix, remove_duplicate) : [[prefix, this]];
    for (const [pre, m] of mods) {
      for (const [k, v] of members(m)) {
        if (v === null || memo.has(v)) continue;
        if (remove_duplicate) memo.add(v);
        out.push([pre + (pre ? "." : "") + k, v]);
      }
    }
    return out;
  }

  named_parameters(prefix: string | { prefix?: string; recurse?: boolean; remove_duplicate?: boolean } = "", recurse = true, remove_duplicate = true): [string, Parameter][] {
    if (typeof prefix === "object") ({ prefix = "", recurse = true, remove_duplicate = true } = prefix);
    return this._named_members((m) => m._parameters, prefix, recurse, remove_duplicate);
  }

  parameters(recurse: boolean | { recurse?: boolean } = true): Parameter[] {
    const r = typeof recurse === "boolean" ? recurse : recurse.recurse ?? true;
    return this.named_parameters("", r).map(([, p]) => p);
  }

  named_buffers(prefix: string | { prefix?: string; recurse?: boolean; remove_duplicate?: boolean } = "", recurse = true, remove_duplicate = true): [string, Tensor][] {
    if (typeof prefix === "object") ({ prefix = "", recurse = true, remove_duplicate = true } = prefix);
    return this._named_members((m) => m._buffers, prefix, recurse, remove_duplicate);
  }

  buffers(recurse: boolean | { recurse?: boolean } = true): Tensor[] {
    const r = typeof recurse === "boolean" ? recurse : recurse.recurse ?? true;
    return this.named_buffers("", r).map(([, b]) => b);
  }

  // ---- modes and gradients -----------------------------------------------------------------------

  train(mode = true): this {
    if (typeof mode !== "boolean") throw new Error("training mode is expected to be boolean");
    this.training = mode;
    for (const m of this.children()) m.train(mode);
    return this;
  }

  eval(): this { return this.train(false); }

  requires_grad_(requires_grad = true): this {
    for (const p of this.parameters()) p.requires_grad_(requires_grad);
    return this;
  }

  zero_grad(set_to_none: boolean | { set_to_none?: boolean } = true): void {
    const none = typeof set_to_none === "boolean" ? set_to_none : set_to_none.set_to_none ?? true;
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (none) { p.grad = null; continue; }
      const g = p.grad;
      if (g.grad_fn !== null) g.detach_(); else g.requires_grad_(false);
      no_grad(() => g.zero_());
    }
  }

  /** Calls fn on every submodule (children first, recursively), then on this module. */
  apply(fn: (m: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  // ---- conversion --------------------------------------------------------------------------------

  /** @internal Module._apply: parameters keep their identity (`param.data = fn(param)`, as PyTorch
   *  does on CPU), their gradients too; buffers are replaced by fn's result. */
  _apply(fn: (t: Tensor) => Tensor, recurse = true): this {
    if (recurse) for (const m of this.children()) m._apply(fn);
    for (const p of this._parameters.values()) {
      if (p === null) continue;
      const applied = no_grad(() => fn(p));
      p.data = applied;
      if (p.grad !== null) {
        const g = p.grad;
        g.data = no_grad(() => fn(g));
      }
    }
    for (const [name, b] of [...this._buffers]) if (b !== null) this._setMember("buffer", name, fn(b));
    return this;
  }

  /** module.to(dtype) / to(device) / to(tensor) / to({dtype, device, memory_format}): floating
   *  point parameters and buffers are converted; integer ones keep their dtype; a memory format
   *  applies to the 4-d and 5-d ones (PyTorch's rule: a 5-d one refuses channels_last). */
  to(a?: DType | string | Device | Tensor | { dtype?: DType | null; device?: string | Device | null; non_blocking?: boolean; memory_format?: memory_format | null }, b?: DType): this {
    let dtype: DType | null = null, device: string | Device | null = null, fmt: memory_format | null = null;
    for (const x of [a, b]) {
      if (x === undefined || x === null) continue;
      if (x instanceof DType) dtype = x;
      else if (x instanceof Tensor) { dtype = x.dtype; device = x.device; }
      else if (typeof x === "string" || x instanceof Device) device = x;
      else { dtype = x.dtype ?? dtype; device = x.device ?? device; fmt = x.memory_format ?? fmt; }
    }
    if (dtype !== null && !dtype.is_floating_point)
      throw new TypeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.${dtype.name}`);
    return this._apply((t) => t.to({
      ...(device !== null ? { device } : {}), ...(dtype !== null && t.is_floating_point() ? { dtype } : {}),
      ...(fmt !== null && (t.ndim === 4 || t.ndim === 5) ? { memory_format: fmt } : {}),
    }));
  }

  float(): this { return this._apply((t) => (t.is_floating_point() ? t.float() : t)); }
  double(): this { return this._apply((t) => (t.is_floating_point() ? t.double() : t)); }
  half(): this { return this._apply((t) => (t.is_floating_point() ? t.half() : t)); }
  bfloat16(): this { return this._apply((t) => (t.is_floating_point() ? t.bfloat16() : t)); }
  type(dst_type: DType): this { return this._apply((t) => t.to(dst_type)); }
  cpu(): this { return this._apply((t) => t.cpu()); }
  /** Moves every parameter and buffer into shared memory (Tensor.share_memory_). */
  share_memory(): this { return this._apply((t) => t.share_memory_()); }
  cuda(device?: number | string): this { return this._apply((t) => t.cuda(device)); }

  // ---- state_dict --------------------------------------------------------------------------------

  /** @internal Module._save_to_state_dict */
  _save_to_state_dict(destination: StateDict, prefix: string, keep_vars: boolean): void {
    for (const [name, p] of this._parameters) if (p !== null) put(destination, prefix + name, keep_vars ? p : p.detach());
    for (const [name, b] of this._buffers)
      if (b !== null && !this._non_persistent_buffers_set.has(name)) put(destination, prefix + name, keep_vars ? b : b.detach());
  }

  /**
   * Parameters and persistent buffers by PyTorch's dotted names ("0.weight", "fc1.bias"), in
   * PyTorch's order (a module's parameters, then its buffers, then each child's), as a plain
   * object: `sd["fc1.weight"]`, `Object.keys(sd)`, `Object.entries(sd)`. Values are detached
   * tensors sharing storage with the parameters (keep_vars: the parameters themselves).
   * (A plain object lists integer-like keys first; only a ParameterList or ParameterDict at the
   * root has such keys, and a list's keys are in order either way.)
   */
  state_dict(opts: { destination?: StateDict; prefix?: string; keep_vars?: boolean } = {}): StateDict {
    // a new state dict is tagged as PyTorch's OrderedDict, which torch.save writes it as
    const destination = opts.destination ?? Object.defineProperty({}, ORDERED_DICT, { value: true });
    const prefix = opts.prefix ?? "", keep_vars = opts.keep_vars ?? false;
    this._save_to_state_dict(destination, prefix, keep_vars);
    for (const [name, m] of this._modules) if (m !== null) m.state_dict({ destination, prefix: prefix + name + ".", keep_vars });
    return destination;
  }

  /**
   * Copies parameters and buffers from `state_dict` (a plain object or a Map) into this module and
   * its descendants, with PyTorch's key matching and error messages. Everything is checked first
   * (missing and unexpected keys when strict, shapes, values that are not tensors) and nothing is
   * changed when a check fails (shared/API.md §7; PyTorch itself copies the entries that match
   * before raising). Values are cast to each parameter's dtype, as PyTorch's copy_ does. With
   * `assign`, parameters and buffers are replaced by the given tensors instead (PyTorch 2.1+).
   */
  load_state_dict(state_dict: StateDict | Map<string, Tensor>, strict: boolean | { strict?: boolean; assign?: boolean } = true, assign = false): IncompatibleKeys {
    if (typeof strict === "object") ({ strict = true, assign = false } = strict);
    if (state_dict === null || typeof state_dict !== "object" || state_dict instanceof Tensor)
      throw new TypeError(`Expected state_dict to be dict-like, got <class '${state_dict instanceof Tensor ? "torch.Tensor" : typename(state_dict)}'>.`);
    const entries: [string, unknown][] = state_dict instanceof Map ? [...state_dict] : Object.entries(state_dict);
    const missing_keys: string[] = [], unexpected_keys: string[] = [], error_msgs: string[] = [];
    const plan: (() => void)[] = [];
    // (a state dict read from a PyTorch file carries each module's version: local_metadata)
    const metadata = (state_dict as { _metadata?: Record<string, { version?: number }> })._metadata;
    const load = (module: Module, local: [string, unknown][], prefix: string): void => {
      module._check_state_dict(new Map(local), prefix, missing_keys, unexpected_keys, error_msgs, plan, assign, metadata?.[prefix.slice(0, -1)]?.version);
      for (const [name, child] of module._modules) {
        if (child === null) continue;
        const p = prefix + name + ".";
        load(child, local.filter(([k]) => k.startsWith(p)), p);
      }
    };
    load(this, entries, "");
    if (strict) {
      if (unexpected_keys.length) error_msgs.unshift(`Unexpected key(s) in state_dict: ${unexpected_keys.map((k) => `"${k}"`).join(", ")}. `);
      if (missing_keys.length) error_msgs.unshift(`Missing key(s) in state_dict: ${missing_keys.map((k) => `"${k}"`).join(", ")}. `);
    }
    if (error_msgs.length) throw new Error(`Error(s) in loading state_dict for ${this._get_name()}:\n\t${error_msgs.join("\n\t")}`);
    no_grad(() => { for (const step of plan) step(); });
    return new IncompatibleKeys(missing_keys, unexpected_keys);
  }

  /** @internal Module._load_from_state_dict, split in two: this checks and plans the copies that
   *  load_state_dict runs once every module has passed. */
  _check_state_dict(state: Map<string, unknown>, prefix: string, missing: string[], unexpected: string[], errors: string[], plan: (() => void)[], assign: boolean, _version?: number): void {
    const local = new Map<string, Tensor>();
    for (const [k, v] of this._parameters) if (v !== null) local.set(k, v);
    for (const [k, v] of this._buffers) if (v !== null && !this._non_persistent_buffers_set.has(k)) local.set(k, v);
    for (const [name, param] of local) {
      const key = prefix + name;
      if (!state.has(key)) { missing.push(key); continue; }
      let input = state.get(key);
      if (!(input instanceof Tensor)) {
        errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received <class '${typename(input)}'>`);
        continue;
      }
      // backward compatibility: a 1-d entry loads into a 0-d parameter (PyTorch 0.3 checkpoints)
      if (param.ndim === 0 && input.ndim === 1) input = input.select(0, 0);
      const src = input as Tensor;
      if (src.shape.length !== param.shape.length || src.shape.some((s, i) => s !== param.shape[i])) {
        errors.push(`size mismatch for ${key}: copying a param with shape ${sizeStr(src.shape)} from checkpoint, the shape in current model is ${sizeStr(param.shape)}.`);
        continue;
      }
      if (assign) {
        const isParam = this._parameters.has(name);
        plan.push(() => {
          let v: Tensor = src;
          if (isParam) v = src instanceof Parameter ? src.requires_grad_(param.requires_grad) : new Parameter(src, param.requires_grad);
          this._setMember(isParam ? "param" : "buffer", name, v);
        });
      } else plan.push(() => { param.copy_(src); });
    }
    for (const key of state.keys()) {
      if (!key.startsWith(prefix)) continue;
      const inputName = key.slice(prefix.length).split(".")[0]!;
      if (!this._modules.has(inputName) && !local.has(inputName)) unexpected.push(key);
    }
  }

  // ---- printing ----------------------------------------------------------------------------------

  /** @internal the class name, as Python's type(self).__name__ */
  _get_name(): string { return this.constructor.name; }

  /** Extra information printed inside the parentheses of the module's repr (override it). */
  extra_repr(): string { return ""; }

  /** PyTorch's repr of the module tree. */
  toString(): string {
    const extra = this.extra_repr();
    const extraLines = extra ? extra.split("\n") : [];
    const childLines: string[] = [];
    for (const [key, m] of this._modules) childLines.push(`(${key}): ${addindent(m === null ? "None" : m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let main = this._get_name() + "(";
    if (lines.length) {
      if (extraLines.length === 1 && childLines.length === 0) main += extraLines[0];
      else main += "\n  " + lines.join("\n  ") + "\n";
    }
    return main + ")";
  }

  get [Symbol.toStringTag](): string { return this._get_name(); }
}


/** state_dict writes: an own data property even for a key like "__proto__". */
function put(dest: StateDict, key: string, value: Tensor): void {
  Object.defineProperty(dest, key, dataProp(value));
}

function withHook<V>(m: Map<number, V>, id: number, hook: V, prepend: boolean): Map<number, V> {
  if (!prepend) { m.set(id, hook); return m; }
  const entries = [...m];
  m.clear();
  m.set(id, hook);
  for (const [k, v] of entries) m.set(k, v);
  return m;
}

/** Module.__setattr__ through the proxy's set trap. */
function setAttr(self: Module, proxy: Module, key: PropertyKey, value: unknown): boolean {
  if (typeof key === "string" && proxy._registerOnAssign(key, value)) return true;
  const desc = findDescriptor(self, key);
  if (desc && !("value" in desc)) {
    if (!desc.set) return false;
    desc.set.call(proxy, value); // accessors run with the proxy as `this`, so they register too
    return true;
  }
  if (desc && Object.prototype.hasOwnProperty.call(self, key)) {
    if (!desc.writable) return false;
    (self as unknown as Record<PropertyKey, unknown>)[key] = value;
    return true;
  }
  if (desc && !desc.writable) return false;
  return Reflect.defineProperty(self, key, dataProp(value));
}
