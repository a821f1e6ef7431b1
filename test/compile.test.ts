// torch.compile, OptimizedModule, Module.compile, torch.compiler and torch._dynamo against PyTorch
// 2.x with its "eager" backend (test/golden/compile.json, from tools/gen_golden_compile.py).
// typetorch runs every backend eagerly (Note [Eager torch.compile] in src/compile/eval_frame.ts).

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { nn, Tensor } from "typetorch";
import { readGolden } from "./helpers.js";

interface Err { type: string; message: string }
interface Enc { dtype: string; shape: number[]; data: number[] }
interface Cases {
  module: {
    repr: string; repr_sequential: string; state_dict: string[]; named_parameters: string[]; named_buffers: string[];
    named_modules: string[]; named_children: string[]; load_prefixed: string; load_unprefixed: Err; output: Enc;
    forwarded: [boolean, boolean, number, number, boolean]; training: boolean[]; setattr: [number, boolean]; delattr: boolean[];
    hook_order: string[]; set_parameter: [number, boolean]; compiled_again: { is_module: boolean; name: string; same_values: boolean };
    disabled_is_model: boolean; disable_module: [string, boolean];
    in_place: { returns: null; repr: string; state_dict: string[]; call_impl_name: string; output: Enc };
  };
  function: { names: string[]; is_compiling: (boolean | number)[]; foo: Enc; decorated: Enc; decorated_methods: string[]; optimize: (boolean | number)[] };
  errors: Record<string, Err>;
  accepted: { eager_with_mode: boolean; decorator_unknown_backend: boolean };
  config: { read: (boolean | number)[]; written: (boolean | number)[]; accepted: boolean[]; list_options: string[] };
  list_backends: { default: string[]; all: string[]; no_debug: string[]; compiler: string[] };
}
const G = readGolden<{ cases: Cases }>("compile.json").cases;

/** PyTorch's error: the message, and the Python class where it names one in JavaScript (a TypeError,
 *  or an Error named AssertionError / InvalidBackend; RuntimeError is a plain Error) */
const throwsLike = (fn: () => unknown, e: Err): void => {
  assert.throws(fn, (err: Error) => err.message === e.message &&
    (e.type === "TypeError" ? err instanceof TypeError : e.type === "RuntimeError" ? err.name === "Error" : err.name === e.type),
  `expected ${e.type}: ${e.message}`);
};

const close = (t: Tensor, g: Enc): void => {
  assert.deepEqual(t.shape, g.shape);
  const a = t.flatten().tolist() as number[];
  a.forEach((v, i) => assert.ok(Math.abs(v - g.data[i]!) <= 1e-6 * (1 + Math.abs(g.data[i]!)), `element ${i}: ${v} vs ${g.data[i]}`));
};

class MyModule extends nn.Module {
  lin = new nn.Linear(100, 10);
  constructor() { super(); this.register_buffer("b", torch.zeros(2)); }
  override forward(x: Tensor): Tensor { return nn.functional.relu(this.lin(x)); }
  in_size(): number { return this.lin.in_features; }
}

test("torch.compile(module): an OptimizedModule holding it as _orig_mod, printed and keyed as PyTorch's", () => {
  const g = G.module;
  torch.manual_seed(0);
  const m = new MyModule();
  const c = torch.compile(m, { backend: "eager" });
  const x = torch.randn(2, 100);
  assert.ok(c instanceof torch._dynamo.eval_frame.OptimizedModule && c instanceof nn.Module);
  assert.equal(String(c), g.repr);
  assert.equal(String(torch.compile(new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU()), { fullgraph: true, dynamic: true })), g.repr_sequential);
  assert.deepEqual(Object.keys(c.state_dict()), g.state_dict);
  assert.deepEqual(c.named_parameters().map(([k]) => k), g.named_parameters);
  assert.deepEqual(c.named_buffers().map(([k]) => k), g.named_buffers);
  assert.deepEqual(c.named_modules().map(([k]) => k), g.named_modules);
  assert.deepEqual(c.named_children().map(([k]) => k), g.named_children);
  assert.equal(String(c.load_state_dict(c.state_dict())), g.load_prefixed);
  throwsLike(() => c.load_state_dict(m.state_dict()), g.load_unprefixed);
  close(c(x), g.output);
  // attributes and methods the compiled module lacks are the original's (PyTorch's __getattr__)
  assert.deepEqual([c.lin === m.lin, "lin" in c, c.in_size(), c.lin.out_features, c._orig_mod === m], g.forwarded);
  // training mirrors the original's, both ways, and is not the compiled module's own
  const seen: boolean[] = [c.training];
  c.eval();
  seen.push(m.training, c.training);
  m.train();
  seen.push(c.training);
  c.training = false;
  seen.push(m.training, Object.prototype.hasOwnProperty.call(c, "training"));
  assert.deepEqual(seen, g.training);
  // other attribute writes land on the original (PyTorch's __setattr__)
  (c as unknown as { foo: number }).foo = 3;
  assert.deepEqual([(m as unknown as { foo: number }).foo, Object.prototype.hasOwnProperty.call(c, "foo")], g.setattr);
  // and deletions (PyTorch's __delattr__)
  const loose = c as unknown as { foo?: number; extra?: nn.Module };
  delete loose.foo;
  loose.extra = new nn.ReLU();
  delete loose.extra;
  assert.deepEqual(["foo" in m, "extra" in m, m._modules.has("extra")], g.delattr);
});

test("OptimizedModule: its hooks run before the original's; a parameter assigned on it is the original's", () => {
  const g = G.module;
  const order: string[] = [];
  const lin = new nn.Linear(2, 2);
  const cl = torch.compile(lin, { backend: "eager" });
  lin.register_forward_pre_hook((mod) => { order.push(mod._get_name()); });
  cl.register_forward_pre_hook((mod) => { order.push(mod._get_name()); });
  cl(torch.ones(2));
  assert.deepEqual(order, g.hook_order);
  (cl as unknown as { weight: nn.Parameter }).weight = new nn.Parameter(torch.zeros(2, 2));
  assert.deepEqual([lin.weight.sum().item(), cl._parameters.has("weight")], g.set_parameter);
});

test("compiling an OptimizedModule again compiles the original's forward; disable; Module.compile in place", () => {
  const g = G.module;
  torch.manual_seed(0);
  const m = new MyModule();
  const x = torch.randn(2, 100);
  const c2 = torch.compile(torch.compile(m, { backend: "eager" }), { backend: "eager" }) as unknown as (x: Tensor) => Tensor;
  assert.deepEqual({ is_module: c2 instanceof nn.Module, name: c2.name, same_values: torch.equal(c2(x), m(x)) }, g.compiled_again);
  assert.equal(torch.compile(m, { disable: true }) === m, g.disabled_is_model);
  const dm = torch.compiler.disable(m);
  assert.deepEqual([dm.constructor.name, dm._orig_mod === m], g.disable_module);
  torch.manual_seed(0);
  const m2 = new MyModule();
  const ret = m2.compile({ backend: "eager" });
  const { output, ...inPlace } = g.in_place;
  assert.deepEqual({ returns: ret ?? null, repr: String(m2), state_dict: Object.keys(m2.state_dict()), call_impl_name: m2._call_impl.name }, inPlace);
  close(m2(x), output);
});

test("compiled and disabled functions: PyTorch's names, values and torch.compiler.is_compiling inside them", () => {
  const g = G.function;
  const f = function f(x: Tensor): Tensor { return x.add(torch.compiler.is_compiling() ? 1 : 0); };
  const foo = function foo(x: Tensor, y: Tensor): Tensor { return torch.sin(x).add(torch.cos(y)); };
  const z = torch.zeros(1);
  const gd = torch.compiler.disable(f);
  const cf = torch.compile(f, { backend: "eager" });
  assert.deepEqual([cf.name, gd.name, torch.compile(foo).name], g.names);
  assert.deepEqual([torch.compiler.is_compiling(), cf(z).item(), torch.compile((t: Tensor) => gd(t), { backend: "eager" })(z).item(),
    torch.compile(gd, { backend: "eager" })(z).item(), torch.compiler.disable(cf)(z).item(),
    torch.compile(cf, { backend: "eager" })(z).item(), gd(z).item(), torch.compiler.disable(f, { recursive: false })(z).item()], g.is_compiling);
  torch.manual_seed(0);
  const x = torch.randn(3, 3), y = torch.randn(3, 3);
  close(torch.compile(foo)(x, y), g.foo);
  close(torch.compile({ mode: "reduce-overhead" })(foo)(x, y), g.decorated);
  // torch._dynamo.optimize, the older spelling
  assert.deepEqual([torch._dynamo.optimize("eager")(foo)(x, y).equal(foo(x, y)), torch._dynamo.optimize("eager", { disable: true })(foo) === foo,
    torch._dynamo.optimize({ backend: "eager", nopython: true })(f)(z).item()], g.optimize);
});

test("@torch.compile and @torch.compiler.disable on methods, as Python's decorators on defs", () => {
  class Decorated extends nn.Module {
    lin = new nn.Linear(2, 2);
    @torch.compile({ backend: "eager" })
    override forward(x: Tensor): Tensor { return this.helper(this.lin(x)).add(torch.compiler.is_compiling() ? 1 : 0); }
    @torch.compiler.disable
    helper(x: Tensor): Tensor { return x.mul(torch.compiler.is_compiling() ? 100 : 0); }
  }
  assert.deepEqual([String(new Decorated()(torch.zeros(2))), Decorated.prototype.forward.name, Decorated.prototype.helper.name], G.function.decorated_methods);
  class Plain extends nn.Module {
    @torch.compile
    override forward(x: Tensor): Tensor { return x.add(torch.compiler.is_compiling() ? 1 : 0); }
  }
  assert.equal(new Plain()(torch.zeros(1)).item(), 1);
});

test("torch.compile's bad arguments: PyTorch's errors, in PyTorch's order, changing nothing", () => {
  const E = G.errors;
  const m = new nn.Linear(2, 2);
  const bad = (model: unknown, opts?: object) => () => torch.compile(model as (x: Tensor) => Tensor, opts);
  throwsLike(bad(m, { backend: "nope" }), E["unknown_backend"]!);
  throwsLike(bad(m, { mode: "fast" }), E["unknown_mode"]!);
  throwsLike(bad(m, { mode: "max-autotune", options: { max_autotune: true } }), E["mode_and_options"]!);
  throwsLike(bad(m, { mode: "default", options: {} }), E["default_mode_and_options"]!);
  throwsLike(bad(m, { mode: "fast", disable: true }), E["mode_before_disable"]!);
  throwsLike(bad(3, { backend: "nope", mode: "fast" }), E["backend_before_callable"]!);
  throwsLike(bad(3), E["non_callable_int"]!);
  throwsLike(bad(1.5), E["non_callable_float"]!);
  throwsLike(bad("s"), E["non_callable_str"]!);
  throwsLike(bad([1]), E["non_callable_list"]!);
  throwsLike(bad(torch.ones(1)), E["non_callable_tensor"]!);
  throwsLike(bad(3, { disable: true }), E["non_callable_disabled"]!);
  throwsLike(bad(m, { backnd: "eager" }), E["unexpected_keyword"]!);
  throwsLike(() => torch.compile()(null), E["decorator_none"]!);
  throwsLike(() => torch.compiler.disable(3 as unknown as () => void), E["disable_non_callable"]!);
  throwsLike(() => torch.compiler.disable("s" as unknown as () => void, false), E["disable_non_callable_str"]!);
  throwsLike(() => new nn.Linear(2, 2).compile({ mode: "fast" }), E["module_compile_mode"]!);
  throwsLike(() => torch._dynamo.optimize("nope"), E["optimize_unknown_backend"]!);
  assert.equal(m._call_impl, nn.Module.prototype._call_impl, "a failed Module.compile leaves the module as it was");
  // what PyTorch accepts at compile time (a mode for the eager backend; a decorator's backend is
  // looked up when it is applied)
  assert.deepEqual({ eager_with_mode: typeof torch.compile(new nn.Linear(2, 2), { backend: "eager", mode: "fast" }) === "function",
    decorator_unknown_backend: typeof torch.compile({ backend: "nope" }) === "function" }, G.accepted);
});

test("torch.compile's options: Inductor's settings and their types, checked with PyTorch's errors", () => {
  const E = G.errors;
  const m = new nn.Linear(2, 2);
  throwsLike(() => torch.compile(m, { options: { "triton-cudagraph": true } }), E["unknown_option"]!);
  throwsLike(() => torch.compile(m, { options: { "triton.cudagraphs": 1 } }), E["option_type"]!);
  throwsLike(() => torch.compile(m, { options: { max_autotune: "yes" } }), E["option_type_str"]!);
  assert.deepEqual([
    { max_autotune: true, epilogue_fusion: true, "triton.cudagraphs": false, shape_padding: true },
    { "trace.enabled": true, compile_threads: 1, "max-autotune": true },
  ].map((options) => typeof torch.compile((x: Tensor) => x, { options }) === "function"), G.config.accepted);
  assert.deepEqual(torch._inductor.list_options(), G.config.list_options);
});

test("torch._dynamo.config / torch._inductor.config: PyTorch's settings, read and written, aliases; unknown names refused", () => {
  const E = G.errors, dc = torch._dynamo.config, ic = torch._inductor.config;
  assert.deepEqual([dc.suppress_errors, dc.cache_size_limit, dc.recompile_limit, dc.verbose, ic.max_autotune,
    ic.triton.cudagraphs, ic.coordinate_descent_tuning, ic.cpp.threads, ic.fx_graph_cache], G.config.read);
  dc.suppress_errors = true;
  ic.triton.unique_kernel_names = true;
  dc.cache_size_limit = 64;
  assert.deepEqual([dc.suppress_errors, ic.triton.unique_kernel_names, dc.recompile_limit, dc.cache_size_limit], G.config.written);
  dc.suppress_errors = false;
  ic.triton.unique_kernel_names = false;
  dc.recompile_limit = 8;
  throwsLike(() => { dc.suppress_error = true; }, E["dynamo_config_unknown"]!);
  throwsLike(() => { ic.triton.cudagraph = true; }, E["inductor_config_unknown"]!);
  assert.ok("suppress_errors" in dc && "triton" in ic && !("suppress_error" in dc));
});

test("torch._dynamo.list_backends / torch.compiler.list_backends: PyTorch 2.13's backends (less its test-only ones)", () => {
  const g = G.list_backends;
  assert.deepEqual(torch._dynamo.list_backends(), g.default);
  assert.deepEqual(torch.compiler.list_backends(), g.compiler);
  assert.deepEqual(torch._dynamo.list_backends(["debug"]), g.no_debug);
  assert.deepEqual(torch._dynamo.list_backends(null), g.all.filter((n) => !n.endsWith("_TESTING_ONLY")));
  for (const b of torch._dynamo.list_backends(null)) assert.equal(typeof torch.compile((x: Tensor) => x, { backend: b }), "function");
  torch._dynamo.reset();
  torch.compiler.reset();
});
