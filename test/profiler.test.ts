// torch.profiler: the table in PyTorch's layout (golden tables from tools/gen_golden_profiler.py,
// PyTorch 2.x), self and total time on known nested programs, record_function, backward and
// optimizer events, and the hooks' off path.

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { nn, optim, type Tensor } from "typetorch";
import { readGolden } from "./helpers.js";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const { profile, record_function, ProfilerActivity } = torch.profiler;

interface Golden {
  long_name: string;
  tables: Record<"plain" | "by_shape_limit_header" | "top_level_ms_narrow", string>;
  events: [string, string | null, number[][]][];
}
const golden = readGolden<Golden>("profiler.json");

/** The golden program, line for line. */
function goldenProgram() {
  const x = torch.ones(2, 3);
  return profile({ activities: [ProfilerActivity.CPU], record_shapes: true }, () => {
    record_function("outer", () => {
      const y = x.mul(x);
      record_function(golden.long_name, () => {
        let z = y.div(y);
        z = z.div(x);
      });
    });
  });
}

const TIME = /^ *\d+\.\d{3}(us|ms|s)$/;
const SHARE = /^ *(\d+\.\d{2}%|NaN)$/;

/** Every character as in PyTorch's table except the time and percentage cells (times differ),
 *  which must have PyTorch's formats (in `unit` when given). */
function assertSameLayout(ours: string, theirs: string, unit?: string): void {
  const o = ours.split("\n"), t = theirs.split("\n");
  assert.equal(o.length, t.length, ours);
  const sep = t.find((l) => l.startsWith("---"))!;
  // column spans from the separator line: runs of dashes
  const spans = [...sep.matchAll(/-+/g)].map((m) => [m.index, m.index + m[0].length] as const);
  for (let i = 0; i < t.length; i++) {
    const ol = o[i]!, tl = t[i]!;
    if (tl.startsWith("Self CPU time total: ")) {
      assert.match(ol.slice("Self CPU time total: ".length), TIME);
      if (unit) assert.ok(ol.endsWith(unit), ol);
      continue;
    }
    assert.equal(ol.length, tl.length, `line ${i}:\n${ol}\n${tl}`);
    for (const [a, b] of spans) {
      const oc = ol.slice(a, b), tc = tl.slice(a, b);
      if (TIME.test(tc)) {
        assert.match(oc, TIME, `line ${i}`);
        if (unit) assert.ok(oc.endsWith(unit), oc);
      } else if (SHARE.test(tc) && !tc.includes("100.00%")) {
        assert.match(oc, SHARE, `line ${i}`);
      } else {
        assert.equal(oc, tc, `line ${i}`);
      }
    }
  }
}

test("key_averages().table() prints PyTorch's layout", () => {
  const prof = goldenProgram();
  assertSameLayout(prof.key_averages().table(), golden.tables.plain);
  assertSameLayout(prof.key_averages(true).table({ row_limit: 3, header: "HEADER" }), golden.tables.by_shape_limit_header);
  assertSameLayout(
    prof.key_averages().table({ top_level_events_only: true, time_unit: "ms", max_name_column_width: 20 }),
    golden.tables.top_level_ms_narrow, "ms");
  // printing the list prints its table
  assertSameLayout(String(prof.key_averages()), golden.tables.plain);
});

test("events: PyTorch's names, nesting and input shapes", () => {
  const prof = goldenProgram();
  const evs = prof.events().map((e) => [e.name, e.cpu_parent?.name ?? null, e.input_shapes]);
  assert.deepEqual(evs, golden.events);
  assert.deepEqual(prof.key_averages({ group_by_input_shape: true }).map((e) => [e.key, e.count]),
    [["outer", 1], ["aten::mul", 1], [golden.long_name, 1], ["aten::div", 2]]);
});

/** Busy-waits `ms` milliseconds: known time spent in the caller's own code. */
function spin(ms: number): void { const end = performance.now() + ms; while (performance.now() < end); }

test("self and total CPU time on a known nested program", () => {
  const prof = profile({}, () => {
    record_function("outer", () => {
      spin(4);
      record_function("inner", () => { spin(6); });
      record_function("inner", () => { spin(2); });
    });
  });
  const [outer, inner] = prof.key_averages();
  assert.equal(outer!.key, "outer");
  assert.equal(inner!.key, "inner");
  assert.equal(inner!.count, 2);
  // times only grow under load: lower bounds, in µs
  assert.ok(outer!.self_cpu_time_total >= 4000, String(outer));
  assert.ok(inner!.self_cpu_time_total >= 8000, String(inner));
  assert.equal(inner!.cpu_time_total, inner!.self_cpu_time_total); // nothing inside
  assert.ok(Math.abs(outer!.cpu_time_total - (outer!.self_cpu_time_total + inner!.cpu_time_total)) < 1e-6);
  assert.ok(Math.abs(inner!.cpu_time - inner!.cpu_time_total / 2) < 1e-9);
  // the whole: the sum of self times is the top-level total
  assert.ok(Math.abs(prof.key_averages().self_cpu_time_total - outer!.cpu_time_total) < 1e-6);
  // sorted by self time: inner (≥ 8 ms) before outer only when outer's own spin was shorter
  const sorted = prof.key_averages().table({ sort_by: "self_cpu_time_total" }).split("\n").slice(3, 5).map((l) => l.trim().split(/\s+/)[0]);
  const expect = inner!.self_cpu_time_total >= outer!.self_cpu_time_total ? ["inner", "outer"] : ["outer", "inner"];
  assert.deepEqual(sorted, expect);
  assert.equal(prof.key_averages().table({ sort_by: "cpu_time_total", row_limit: 1 }).split("\n").length, 7);
  assert.throws(() => prof.key_averages().table({ sort_by: "self_cpu_time" }),
    /'FunctionEventAvg' object has no attribute 'self_cpu_time'/);
});

test("ops nest: a composite's ops are its children, its self time excludes them", () => {
  const x = torch.randn(8, 4), w = torch.randn(3, 4), b = torch.randn(3);
  const prof = profile({ record_shapes: true }, () => { nn.functional.linear(x, w, b); });
  const evs = prof.events();
  const linear = evs.find((e) => e.name === "aten::linear")!;
  assert.deepEqual(linear.input_shapes, [[8, 4], [3, 4], [3]]);
  assert.equal(linear.cpu_parent, null);
  assert.ok(linear.cpu_children.some((c) => c.name === "aten::addmm"));
  const childTotal = linear.cpu_children.reduce((s, c) => s + c.cpu_time_total, 0);
  assert.ok(Math.abs(linear.self_cpu_time_total - (linear.cpu_time_total - childTotal)) < 1e-6);
  for (const e of evs) assert.ok(e.self_cpu_time_total >= 0 && e.self_cpu_time_total <= e.cpu_time_total + 1e-9);
});

test("torch.* functions are ops as the methods are", () => {
  const x = torch.ones(2, 3);
  const prof = profile({ record_shapes: true }, () => { torch.cat([x, torch.add(x, x)]); torch.matmul(x, x.t()); });
  assert.deepEqual(prof.events().filter((e) => e.cpu_parent === null).map((e) => [e.name, e.input_shapes]),
    [["aten::add", [[2, 3], [2, 3]]], ["aten::cat", [[]]], ["aten::t", [[2, 3]]], ["aten::matmul", [[2, 3], [3, 2]]]]);
});

test("backward nodes and the optimizer's step are events, named as PyTorch names them", () => {
  torch.manual_seed(0);
  const model = new nn.Linear(4, 2);
  const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
  const x = torch.randn(3, 4);
  const prof = profile({ activities: [ProfilerActivity.CPU] }, () => {
    opt.zero_grad();
    model.forward(x).mul(2).sum().backward();
    opt.step();
  });
  const evs = prof.events();
  const parentOf = (name: string) => evs.find((e) => e.name === name)?.cpu_parent?.name ?? null;
  const names = new Set(evs.map((e) => e.name));
  for (const n of ["Optimizer.zero_grad#SGD.zero_grad", "Optimizer.step#SGD.step", "aten::linear", "aten::mul", "aten::sum"]) assert.ok(names.has(n), n);
  assert.equal(parentOf("MulBackward0"), "autograd::engine::evaluate_function: MulBackward0");
  assert.equal(parentOf("AddmmBackward0"), "autograd::engine::evaluate_function: AddmmBackward0");
  assert.equal(parentOf("torch::autograd::AccumulateGrad"), "autograd::engine::evaluate_function: torch::autograd::AccumulateGrad");
  assert.equal(evs.filter((e) => e.name === "torch::autograd::AccumulateGrad").length, 2);
  // Tensor.backward itself is no op
  assert.ok(!names.has("aten::backward"));
  // an optimizer with its own step (LBFGS) is one event too
  const lbfgs = new optim.LBFGS(model.parameters(), { max_iter: 2 });
  const p2 = profile({}, () => { lbfgs.step(() => { lbfgs.zero_grad(); const l = model.forward(x).sum(); l.backward(); return l; }); });
  const steps = p2.events().filter((e) => e.name === "Optimizer.step#LBFGS.step");
  assert.equal(steps.length, 1);
  assert.equal(steps[0]!.cpu_parent, null);
});

test("record_function: callback value, using, async, and a no-op when not profiling", async () => {
  assert.equal(record_function("idle", () => 42), 42); // no profile running: just runs
  { using _r = record_function("idle"); }
  const x = torch.ones(2);
  let inner: Tensor | null = null;
  const prof = profile({}, () => {
    inner = record_function("scope", () => x.add(1));
    { using _s = record_function("block"); x.neg(); }
  });
  assert.deepEqual(inner!.tolist(), [2, 2]);
  assert.deepEqual(prof.events().map((e) => [e.name, e.cpu_parent?.name ?? null]),
    [["scope", null], ["aten::add", "scope"], ["block", null], ["aten::neg", "block"]]);
  const p2 = await profile({}, async () => {
    await record_function("async scope", async () => { await Promise.resolve(); x.exp(); });
  });
  assert.deepEqual(p2.events().map((e) => [e.name, e.cpu_parent?.name ?? null]), [["async scope", null], ["aten::exp", "async scope"]]);
});

test("export_chrome_trace writes PyTorch's trace events", () => {
  const dir = mkdtempSync(join(tmpdir(), "tt-trace-"));
  try {
    const prof = goldenProgram();
    const path = join(dir, "trace.json");
    prof.export_chrome_trace(path);
    const trace = JSON.parse(readFileSync(path, "utf8")) as { traceEvents: { ph: string; cat: string; name: string; ts: number; dur: number; args: Record<string, unknown> }[] };
    assert.deepEqual(trace.traceEvents.map((e) => [e.ph, e.cat, e.name]),
      [["X", "user_annotation", "outer"], ["X", "cpu_op", "aten::mul"], ["X", "user_annotation", golden.long_name], ["X", "cpu_op", "aten::div"], ["X", "cpu_op", "aten::div"]]);
    assert.deepEqual(trace.traceEvents[1]!.args["Input Dims"], [[2, 3], [2, 3]]);
    const [outer, mul] = trace.traceEvents;
    assert.ok(outer!.ts <= mul!.ts && mul!.ts + mul!.dur <= outer!.ts + outer!.dur + 1e-6);
  } finally { rmSync(dir, { recursive: true }); }
});

test("start/stop and using: recording stops, results are unchanged, errors unwind", () => {
  const x = torch.ones(2, 2);
  const prof = profile({});
  x.add(x);
  assert.throws(() => x.add(torch.ones(3)), /The size of tensor a \(2\) must match the size of tensor b \(3\)/);
  x.mul(x);
  prof.stop();
  x.sub(x); // not recorded
  const names = prof.events().map((e) => [e.name, e.cpu_parent?.name ?? null]);
  // the failed add is an event too, and the stack unwound: mul is top level
  assert.deepEqual(names.filter(([n]) => n !== "aten::ones"), [["aten::add", null], ["aten::add", null], ["aten::mul", null]]);
  {
    using p = profile({});
    x.exp();
    assert.throws(() => profile({}), /already enabled/);
    p.stop(); // (disposing again at the block's end is harmless)
  }
  // the callback alone, as no_grad's: the callback runs, profiled
  const alone = profile(() => { x.exp(); });
  assert.deepEqual(alone.events().map((e) => e.name), ["aten::exp"]);
  // other activities than CPU record nothing here
  const none = profile({ activities: [ProfilerActivity.CUDA] }, () => x.exp());
  assert.equal(none.events().length, 0);
  assert.equal(none.key_averages().table(), "");
  assert.throws(() => profile({ profile_memory: true }), /profile_memory=True is not supported/);
  // the same numbers with and without profiling
  torch.manual_seed(0);
  const m = new nn.Linear(3, 2), inp = torch.randn(4, 3);
  const plain = m.forward(inp).tanh().sum();
  let profiled: Tensor | null = null;
  profile({ record_shapes: true }, () => { profiled = m.forward(inp).tanh().sum(); });
  assert.equal(profiled!.item(), plain.item());
});
