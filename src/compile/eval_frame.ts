// torch.compile's machinery without nn.Module (torch/_dynamo/eval_frame.py, decorators.py and
// backends/registry.py, and torch/__init__.py's argument checks, PyTorch 2.13): the checks of
// torch.compile's arguments, the wrappers of compiled and disabled functions, is_compiling, and
// the backend registry. nn/module.ts (Module.compile) and compile/index.ts (torch.compile,
// OptimizedModule) build on it.
//
// Note [Eager torch.compile]: PyTorch compiles in two stages, TorchDynamo capturing each Python
// frame's tensor operations as an FX graph and a backend (Inductor by default) generating kernels
// for the graph. typetorch has neither: every backend runs the function as written, which is what
// PyTorch's documented "eager" backend does with the captured graph, so the results are PyTorch's
// eager results and no call is any faster for being compiled. What typetorch keeps are the seams a
// program can see: the argument checks and their errors, the wrappers (their names, and the
// unwrapping of a compiled function compiled again or disabled), OptimizedModule with its
// `_orig_mod` and prefixed state_dict keys, Module.compile, torch.compiler.is_compiling (true while
// compiled code runs, as it is while Dynamo traces it), torch.compiler.disable, reset and
// list_backends. A custom backend (a function) is accepted and never called: there is no graph to
// hand it. Options (torch.compile's `options`, torch._dynamo.config and torch._inductor.config's
// settings) are checked as PyTorch checks them and kept, without effect.

import { strRepr } from "../core/printing.js";
import { pyError } from "../ops/util.js";
import { checkInductorOptions } from "./config.js";

/** torch.compile's keyword arguments. */
export interface CompileOptions {
  fullgraph?: boolean;
  dynamic?: boolean | null;
  /** a name of torch._dynamo.list_backends(null), or a custom backend (accepted, never called:
   *  Note [Eager torch.compile]) */
  backend?: string | CustomBackend | null;
  /** Inductor's modes: "default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune" */
  mode?: string | null;
  options?: Record<string, unknown> | null;
  name?: string | null;
  disable?: boolean;
  recompile_limit?: number | null;
  isolate_recompiles?: boolean;
  shapes_spec?: unknown;
}

/** A custom backend: backend(gm, example_inputs) in PyTorch. */
export type CustomBackend = (...args: any[]) => unknown;

const COMPILE_KWARGS = new Set(["fullgraph", "dynamic", "backend", "mode", "options", "name", "disable", "recompile_limit", "isolate_recompiles", "shapes_spec"]);

/** torch._inductor.list_mode_options()'s modes, in PyTorch's order (its error lists them so). */
const INDUCTOR_MODES = ["default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune"];

/** PyTorch 2.13's registered backends and their tags (torch._dynamo.backends.registry), all run
 *  eagerly here (Note [Eager torch.compile]); the four *_TESTING_ONLY backends, which exist to
 *  fail on purpose in Dynamo's own tests, are left out. */
const BACKENDS: ReadonlyMap<string, readonly string[]> = new Map([
  ["aot_eager", ["debug"]], ["aot_eager_decomp_partition", ["debug"]], ["aot_eager_decomp_partition_crossref", ["debug"]],
  ["aot_eager_decomp_partition_with_mode", ["debug"]], ["aot_eager_default_partitioner", ["debug"]], ["aot_ts", ["debug"]],
  ["cudagraphs", []], ["dynamo_accuracy_minifier_backend", ["debug"]], ["dynamo_minifier_backend", ["debug"]],
  ["eager", ["debug"]], ["eager_debug", ["debug"]], ["eager_noexcept", ["debug"]], ["inductor", []],
  ["invoke_subgraph", ["debug"]], ["openxla", []], ["openxla_eval", ["experimental"]], ["pre_dispatch_eager", ["debug"]],
  ["ts", ["debug"]], ["tvm", []],
]);

/** torch._dynamo.list_backends / torch.compiler.list_backends: the backend names, sorted, leaving
 *  out those with one of `exclude_tags` (null: none left out). */
export function list_backends(exclude_tags: readonly string[] | null | { exclude_tags?: readonly string[] | null } = ["debug", "experimental"]): string[] {
  const ex = new Set((exclude_tags !== null && !Array.isArray(exclude_tags) ? (exclude_tags as { exclude_tags?: readonly string[] | null }).exclude_tags : exclude_tags as readonly string[] | null) ?? []);
  return [...BACKENDS].filter(([, tags]) => !tags.some((t) => ex.has(t))).map(([n]) => n).sort();
}

let defaultBackend: string | CustomBackend = "inductor";

/** torch.compiler.set_default_backend: torch.compile's backend where none is given (null: "inductor"). */
export function set_default_backend(backend: string | CustomBackend | null): void {
  if (typeof backend === "string") lookupBackend(backend);
  defaultBackend = backend ?? "inductor";
}

/** torch.compiler.get_default_backend */
export function get_default_backend(): string | CustomBackend { return defaultBackend; }

function lookupBackend(name: string): void {
  if (!BACKENDS.has(name)) throw pyError("InvalidBackend", `Invalid backend: ${strRepr(name)}, see \`torch._dynamo.list_backends()\` for available backends.`);
}

/** torch.compile's checks of its keyword arguments, in PyTorch's order (torch/__init__.py's
 *  compile: mode with options, then Inductor's mode and options, or another backend's name);
 *  whether the result is the model itself (`disable`). */
export function checkCompileOptions(opts: CompileOptions): { disable: boolean } {
  for (const k of Object.keys(opts)) if (!COMPILE_KWARGS.has(k)) throw new TypeError(`compile() got an unexpected keyword argument '${k}'`);
  const mode = opts.mode ?? null, options = opts.options ?? null;
  if (mode !== null && options !== null)
    throw new Error("Either mode or options can be specified, but both can't be specified at the same time.");
  const backend = opts.backend ?? defaultBackend;
  if (backend === "inductor") {
    if (mode !== null && mode !== "default" && !INDUCTOR_MODES.includes(mode))
      throw new Error(`Unrecognized mode=${mode}, should be one of: ${INDUCTOR_MODES.join(", ")}`);
    if (options !== null) checkInductorOptions(options);
  } else if (typeof backend === "string") lookupBackend(backend);
  return { disable: opts.disable ?? false };
}

// ---- compiled and disabled functions --------------------------------------------------------------

type Fn = (...args: any[]) => any;

// whether code runs as compiled code (torch.compiler.is_compiling), saved and restored around each
// compiled or disabled call, so a disabled function called from compiled code sees false and
// compiled code called from it true again, as Dynamo's frames do
let compiling = false;

/** torch.compiler.is_compiling: true while a compiled function or module runs (Dynamo traces it
 *  then: Note [Eager torch.compile]), false outside and inside torch.compiler.disable's functions. */
export function is_compiling(): boolean { return compiling; }

/** each wrapper → what it wraps (Dynamo's _torchdynamo_orig_callable): compiling or disabling a
 *  wrapper again wraps the innermost callable, as eval_frame.py's innermost_fn unwraps */
const ORIG = new WeakMap<object, Fn>();

/** @internal eval_frame.py's innermost_fn */
export function innermost(fn: Fn): Fn {
  for (let f = ORIG.get(fn); f !== undefined; f = ORIG.get(fn)) fn = f;
  return fn;
}

/** @internal records what a wrapper (a compiled module's stand-in) unwraps to */
export function setInnermost(wrapper: object, orig: Fn): void { ORIG.set(wrapper, orig); }

/** @internal `fn` running as compiled code (`asCompiled`) or as disabled code, under fn's name
 *  (Python's functools.wraps: `compiled.__name__ === fn.__name__`). */
export function wrapFrame<F extends Fn>(fn: F, asCompiled: boolean): F {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const prior = compiling;
    compiling = asCompiled;
    // (Reflect.apply: a module is callable, and its own apply() is nn.Module.apply)
    try { return Reflect.apply(fn, this, args); } finally { compiling = prior; }
  };
  // (a bound method's name, "bound forward", is the method's in Python; a module has no name)
  Object.defineProperty(wrapped, "name", { value: typeof fn.name === "string" ? fn.name.replace(/^bound /, "") : "", configurable: true });
  ORIG.set(wrapped, fn);
  return wrapped as unknown as F;
}

/** @internal torch.compile(fn, opts) for a function (Module.compile compiles its _call_impl so):
 *  the checks, then `fn` itself under `disable`, else fn's innermost callable as compiled code. */
export function compileFunction<F extends Fn>(fn: F, opts: CompileOptions = {}): F {
  const { disable } = checkCompileOptions(opts);
  return disable ? fn : wrapFrame(innermost(fn) as F, true);
}

/** torch.compiler.reset / torch._dynamo.reset: PyTorch clears its compile caches; with no caches
 *  (Note [Eager torch.compile]) there is nothing to clear. */
export function reset(): void {}
