// torch.compile, OptimizedModule, and the torch.compiler / torch._dynamo namespaces (PyTorch
// 2.13's torch/__init__.py compile and torch/_dynamo/eval_frame.py OptimizedModule). Every
// backend runs the code eagerly: Note [Eager torch.compile] in eval_frame.ts.

import { Module } from "../nn/module.js";
import { Tensor } from "../core/tensor.js";
import { pyTypeName } from "../core/printing.js";
import { pyError } from "../ops/util.js";
import { isKwargs } from "../core/argparse.js";
import {
  checkCompileOptions, innermost, setInnermost, wrapFrame,
  type CompileOptions, type CustomBackend, is_compiling, list_backends, reset, set_default_backend, get_default_backend,
} from "./eval_frame.js";
import { dynamo_config, inductor_config, list_options } from "./config.js";

export type { CompileOptions, CustomBackend } from "./eval_frame.js";

type Fn = (...args: any[]) => any;

// Note [OptimizedModule's attributes]: PyTorch's OptimizedModule forwards attribute reads it cannot
// answer itself (__getattr__: compiled.fc1, compiled.in_features, compiled.some_method()) and
// attribute writes that are not its own (__setattr__: compiled.foo = 1 sets the original's foo) to
// `_orig_mod`. Python calls __getattr__ only when the ordinary lookup fails; the JavaScript place
// for that is the end of the prototype chain, so each OptimizedModule gets a prototype of its own:
// a Proxy over an object that inherits OptimizedModule.prototype, whose `get` answers from that
// chain (OptimizedModule's and Module's methods, `training`) and asks the original for any other
// string key. Own properties (the registries, `forward`) never reach it, so the per-call path is
// Module's own. Symbol keys are not forwarded, as Python looks dunder methods up on the type only
// (a compiled Sequential is not iterable there either). Writes go through Module's __setattr__
// trap, whose _registerOnAssign OptimizedModule overrides, and deletions through its __delattr__
// (_delattr) likewise.

/** the names an OptimizedModule keeps for itself (PyTorch's _opt_mod_attributes, in our names) */
const OWN_ATTRIBUTES = new Set(["_orig_mod", "forward"]);

/**
 * torch._dynamo.eval_frame.OptimizedModule: what torch.compile returns for an nn.Module. It holds
 * the original as its submodule `_orig_mod` (so its state_dict, named_parameters and
 * named_modules keys start with "_orig_mod.", and its repr nests the original's), mirrors the
 * original's `training`, runs the original (its hooks, then its forward) as compiled code when
 * called, and reads and writes every other attribute on the original (Note [OptimizedModule's
 * attributes]). No faster than the original: Note [Eager torch.compile].
 */
export class OptimizedModule<M extends Module = Module> extends Module {
  declare _orig_mod: M;

  /** `asCompiled`: false for torch.compiler.disable's form of a module */
  constructor(mod: M, asCompiled = true) {
    super();
    this._orig_mod = mod;
    // Python's `self.forward = dynamo_ctx(self._orig_mod.__call__)`: an own, unregistered property
    Object.defineProperty(this, "forward", { value: wrapFrame(mod as unknown as Fn, asCompiled), writable: true, configurable: true, enumerable: false });
    // `training` is the accessor below, which reads and writes the original's
    delete (this as { training?: boolean }).training;
    const base: object = Object.create(Object.getPrototypeOf(this) as object); // (a subclass's prototype too)
    Object.setPrototypeOf(this, new Proxy(base, {
      get: (t, key, receiver) => {
        // (one walk of the chain on the per-call path: _call_impl, methods)
        const own: unknown = Reflect.get(t, key, receiver);
        if (own !== undefined || typeof key !== "string" || key in t) return own;
        const v: unknown = Reflect.get(mod, key);
        // a method comes bound to the original, as Python's getattr(self._orig_mod, name) does
        return typeof v === "function" && !(v instanceof Module) ? v.bind(mod) : v;
      },
      has: (t, key) => key in t || (typeof key === "string" && key in mod),
    }));
    // compiling or disabling this module again wraps the original's forward (Python's
    // `new_mod._torchdynamo_orig_callable = mod.forward`)
    setInnermost(this, { forward: (...args: unknown[]) => mod.forward(...args) }.forward);
  }

  /** whether attribute `name` is this module's own to set or delete (Python's: its
   *  _opt_mod_attributes and the class's; here also those it holds already, as its registries,
   *  which Module's own code reassigns) rather than the original's */
  private _keeps(name: string): boolean {
    return OWN_ATTRIBUTES.has(name) || name in OptimizedModule.prototype || Object.prototype.hasOwnProperty.call(this, name);
  }

  /** @internal Python's OptimizedModule.__setattr__: the original's attributes are set there. */
  override _registerOnAssign(name: string, value: unknown): boolean {
    if (this._keeps(name)) return super._registerOnAssign(name, value);
    (this._orig_mod as unknown as Record<string, unknown>)[name] = value;
    return true;
  }

  /** @internal Python's OptimizedModule.__delattr__: the original's attributes are deleted there. */
  override _delattr(name: string): boolean {
    return this._keeps(name) ? super._delattr(name) : Reflect.deleteProperty(this._orig_mod, name);
  }
}

export interface OptimizedModule<M extends Module = Module> {
  /** the original module's call: its hooks, then its forward */
  forward(...args: Parameters<M["forward"]>): ReturnType<M["forward"]>;
}

// the original's `training`, read and written through (PyTorch's `training` property)
Object.defineProperty(OptimizedModule.prototype, "training", {
  get(this: OptimizedModule) { return this._orig_mod.training; },
  set(this: OptimizedModule, value: boolean) { this._orig_mod.training = value; },
  configurable: true,
});

/** torch.compile's result for a module M: an OptimizedModule that also answers M's own members
 *  (Note [OptimizedModule's attributes]). */
export type Compiled<M extends Module> = OptimizedModule<M> & Omit<M, keyof OptimizedModule<M>>;

/** whether a second argument is what JavaScript passes a decorator (`@torch.compile` on a method) */
const isDecoratorContext = (x: object): x is ClassMethodDecoratorContext => typeof (x as { kind?: unknown }).kind === "string" && typeof (x as { addInitializer?: unknown }).addInitializer === "function";

/** Python's `<class 'int'>` for a JS value, as Dynamo's messages print type(fn). */
const pyClass = (v: unknown): string => `<class '${v instanceof Tensor ? "torch.Tensor" : pyTypeName(v)}'>`;

/**
 * torch.compile(model, {fullgraph, dynamic, backend, mode, options, name, disable, ...}): for an
 * nn.Module, an OptimizedModule holding it; for a function, a function giving the same results
 * (named as the original); without a model (`torch.compile({mode: "max-autotune"})`), a decorator
 * that compiles what it is given. With `disable`, the model itself. Arguments are checked as
 * PyTorch checks them, with its errors (an unknown backend or mode, mode and options together, a
 * model that is not callable). Every backend runs the model eagerly, as PyTorch's "eager" backend
 * does: same results, no speed-up (Note [Eager torch.compile]).
 */
export function compile<M extends Module>(model: M, opts?: CompileOptions): Compiled<M>;
export function compile<F extends Fn>(model: F, opts?: CompileOptions): F;
/** `@torch.compile` on a method (Python's decorator on a def): the method compiled */
export function compile<F extends Fn>(method: F, context: ClassMethodDecoratorContext): F;
export function compile(opts?: CompileOptions | null): <T>(model: T) => T extends Module ? Compiled<T> : T;
export function compile(model?: unknown, opts?: CompileOptions | ClassMethodDecoratorContext): unknown {
  if (model === undefined || model === null || isKwargs(model)) {
    // decorator mode: torch.compile({...}) or torch.compile(null, {...}); the options are checked
    // when the decorator is applied, as PyTorch does
    const decoOpts = (isKwargs(model) ? model : opts ?? {}) as CompileOptions;
    return (m: unknown) => {
      if (m === undefined || m === null) throw new Error("Model can't be None");
      return compile(m as Fn, decoOpts);
    };
  }
  const { disable } = checkCompileOptions(opts === undefined || isDecoratorContext(opts) ? {} : opts as CompileOptions);
  if (typeof model !== "function") throw pyError("AssertionError", `A callable function is expected, but ${pyClass(model)} is provided.`);
  if (disable) return model;
  const fn = innermost(model as Fn);
  return fn instanceof Module ? new OptimizedModule(fn) : wrapFrame(fn, true);
}

/** torch.compiler.disable(fn, recursive = true, {reason}) / torch._dynamo.disable: `fn` runs
 *  outside compilation (is_compiling() is false inside it); a module becomes an OptimizedModule
 *  that runs it so. Without `fn` (or with only options), a decorator; `@torch.compiler.disable` on
 *  a method disables the method. PyTorch's recursive=false still compiles the functions fn calls;
 *  here they run as fn does, eagerly, so only is_compiling() inside them can differ (Note [Eager
 *  torch.compile]). */
export function disable<F extends Fn>(fn: F, recursive?: boolean | { recursive?: boolean; reason?: string | null } | ClassMethodDecoratorContext, opts?: { reason?: string | null }): F extends Module ? OptimizedModule<F> : F;
export function disable(opts?: { recursive?: boolean; reason?: string | null }): <F extends Fn>(fn: F) => F extends Module ? OptimizedModule<F> : F;
export function disable(fn?: unknown, _recursive?: unknown, _opts?: unknown): unknown {
  if (fn === undefined || fn === null || isKwargs(fn)) return (f: Fn) => disable(f);
  if (typeof fn !== "function") throw pyError("AssertionError", "fn must be callable");
  const inner = innermost(fn as Fn);
  return inner instanceof Module ? new OptimizedModule(inner, false) : wrapFrame(inner, false);
}

type OptimizeOptions = { backend?: string | CustomBackend; nopython?: boolean; dynamic?: boolean | null; disable?: boolean };

/** torch._dynamo.optimize(backend = "inductor", {nopython, dynamic, disable}): torch.compile's
 *  older spelling (nopython is fullgraph), a decorator; the backend is looked up at once. */
export function optimize(backend?: string | CustomBackend | OptimizeOptions, opts: OptimizeOptions = {}): <T>(model: T) => T extends Module ? Compiled<T> : T {
  const o = isKwargs(backend) ? backend as OptimizeOptions : { ...opts, backend: backend as string | CustomBackend | undefined };
  const copts: CompileOptions = { backend: o.backend ?? "inductor", fullgraph: o.nopython ?? false, dynamic: o.dynamic ?? null, disable: o.disable ?? false };
  checkCompileOptions(copts);
  return compile(copts);
}

/** torch.compiler: torch.compile's public companions. */
export const compiler = {
  compile, disable, reset, list_backends, is_compiling, set_default_backend, get_default_backend,
  /** torch.compiler.is_dynamo_compiling: the same as is_compiling here (no torch.export) */
  is_dynamo_compiling: is_compiling,
  /** torch.compiler.is_exporting: typetorch has no torch.export */
  is_exporting: (): boolean => false,
};

/** torch._dynamo, as far as programs reach into it: reset, list_backends, disable, is_compiling,
 *  optimize, config, and eval_frame.OptimizedModule (`model instanceof torch._dynamo.eval_frame.OptimizedModule`). */
export const _dynamo = {
  reset, list_backends, disable, is_compiling, optimize, config: dynamo_config,
  eval_frame: { OptimizedModule },
  OptimizedModule,
};

/** torch._inductor: its config (settings torch.compile's options may set) and list_options. */
export const _inductor = { config: inductor_config, list_options };
