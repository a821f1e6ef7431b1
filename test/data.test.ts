// torch.utils.data against real PyTorch (test/golden/data.json, written by
// tools/gen_golden_data.py under PyTorch 2.13): seeded DataLoader shuffles, samplers and
// random_split give PyTorch's index orders, epoch after epoch, and leave the generators where
// PyTorch leaves them; default_collate batches as PyTorch does.

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "typetorch";
import * as data from "../src/utils/data/index.js";
import { readGolden, fromGolden, assertClose, type GoldenTensor } from "./helpers.js";

interface LoaderCase {
  name: string; n: number; seed: number; gen_seed: number | null; options: Record<string, unknown>;
  epochs: number[][][]; len: number; after_default: number[]; after_gen: number[] | null;
}
interface SamplerCase {
  name: string; kind: string; seed?: number; gen_seed?: number; args: Record<string, unknown>;
  epochs: unknown[][]; after_default?: number[]; after_gen?: number[];
}
interface SplitCase {
  name: string; n: number; lengths: number[]; seed: number; gen_seed: number | null;
  subsets: number[][]; after_default: number[]; after_gen: number[] | null;
}
type Enc = GoldenTensor | { __dict__: Record<string, Enc> } | Enc[] | number | string | boolean;
interface Golden {
  loaders: LoaderCase[]; samplers: SamplerCase[]; random_split: SplitCase[];
  collate: { name: string; batch: Enc[]; result: Enc }[]; errors: Record<string, string>;
}
const G = readGolden<Golden>("data.json");

/** The generator's next draws, as the generator script records them (torch.randint). */
function after(gen?: torch.Generator | null): number[] {
  return torch.randint(0, 2 ** 30, [4], gen ? { generator: gen } : {}).tolist() as number[];
}
function generator(seed: number | null | undefined): torch.Generator | null {
  return seed === null || seed === undefined ? null : new torch.Generator().manual_seed(seed);
}

for (const c of G.loaders) {
  test(`DataLoader ${c.name}: PyTorch's batches, epoch after epoch`, () => {
    torch.manual_seed(c.seed);
    const g = generator(c.gen_seed);
    const ds = new data.TensorDataset(torch.arange(c.n, { dtype: torch.int64 }), torch.arange(c.n, { dtype: torch.int64 }).mul(10));
    const loader = new data.DataLoader(ds, { ...c.options, generator: g });
    assert.equal(loader.length, c.len);
    c.epochs.forEach((expected, e) => {
      const got: number[][] = [];
      for (const [x, y] of loader as Iterable<Tensor[]>) {
        assert.equal(x!.dtype, torch.int64);
        assert.deepEqual(y!.tolist(), (x!.tolist() as number[]).map((v) => v * 10), "both tensors indexed alike");
        got.push(x!.tolist() as number[]);
      }
      assert.deepEqual(got, expected, `epoch ${e}`);
    });
    assert.deepEqual(after(), c.after_default, "the default generator is left where PyTorch leaves it");
    if (g) assert.deepEqual(after(g), c.after_gen, "the loader's generator is left where PyTorch leaves it");
  });
}

function makeSampler(c: SamplerCase, g: torch.Generator | null): Iterable<unknown> {
  const a = c.args as Record<string, never>;
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  switch (c.kind) {
    case "RandomSampler": return new data.RandomSampler(range(a["n"]), { replacement: a["replacement"], num_samples: a["num_samples"], generator: g });
    case "SubsetRandomSampler": return new data.SubsetRandomSampler(a["indices"], g);
    case "WeightedRandomSampler": return new data.WeightedRandomSampler(a["weights"], a["num_samples"], { replacement: a["replacement"], generator: g });
    case "BatchSampler": return new data.BatchSampler(new data.SequentialSampler(range(a["n"])), a["batch_size"], a["drop_last"]);
  }
  throw new Error(c.kind);
}

for (const c of G.samplers) {
  test(`${c.kind} ${c.name}: PyTorch's indices`, () => {
    if (c.seed !== undefined) torch.manual_seed(c.seed);
    const g = generator(c.gen_seed);
    const s = makeSampler(c, g);
    c.epochs.forEach((expected, e) => assert.deepEqual([...s], expected, `pass ${e}`));
    if (c.after_default) assert.deepEqual(after(), c.after_default, "default generator state");
    if (c.after_gen) assert.deepEqual(after(g), c.after_gen, "sampler generator state");
    assert.equal((s as data.Sampler<unknown>).length, c.epochs[0]!.length);
  });
}

for (const c of G.random_split) {
  test(`random_split ${c.name}: PyTorch's subsets`, () => {
    torch.manual_seed(c.seed);
    const g = generator(c.gen_seed);
    const items = Array.from({ length: c.n }, (_, i) => i * 100);
    const parts = g ? data.random_split(items, c.lengths, g) : data.random_split(items, c.lengths);
    assert.deepEqual(parts.map((p) => p.indices), c.subsets);
    parts.forEach((p, k) => {
      assert.equal(p.length, c.subsets[k]!.length);
      c.subsets[k]!.forEach((idx, j) => assert.equal(p.__getitem__(j), items[idx]));
    });
    assert.deepEqual(after(), c.after_default);
    if (g) assert.deepEqual(after(g), c.after_gen);
  });
}

function decode(v: Enc): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") {
    if ("__dict__" in v) return Object.fromEntries(Object.entries(v.__dict__).map(([k, x]) => [k, decode(x)]));
    return fromGolden(v as GoldenTensor);
  }
  return v;
}
function assertCollated(actual: unknown, expected: Enc, what: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${what}: a list`);
    assert.equal((actual as unknown[]).length, expected.length);
    expected.forEach((e, i) => assertCollated((actual as unknown[])[i], e, `${what}[${i}]`));
  } else if (expected !== null && typeof expected === "object" && "__dict__" in expected) {
    assert.deepEqual(Object.keys(actual as object), Object.keys(expected.__dict__), `${what}: keys`);
    for (const [k, e] of Object.entries(expected.__dict__)) assertCollated((actual as Record<string, unknown>)[k], e, `${what}.${k}`);
  } else if (expected !== null && typeof expected === "object") {
    assert.ok(actual instanceof torch.Tensor, `${what}: a tensor`);
    assertClose(actual as Tensor, expected as GoldenTensor, what);
  } else {
    assert.equal(actual, expected, what);
  }
}

for (const c of G.collate) {
  test(`default_collate ${c.name}: PyTorch's batch`, () => {
    assertCollated(data.default_collate(decode(c.batch) as unknown[]), c.result, c.name);
  });
}

test("errors carry PyTorch's messages", () => {
  const E = G.errors;
  const ds = new data.TensorDataset(torch.arange(6));
  class It extends data.IterableDataset<number> {
    override *__iter__() { yield* [0, 1, 2]; }
  }
  const cases: [string, () => unknown][] = [
    ["sampler_shuffle", () => new data.DataLoader(ds, { sampler: new data.SequentialSampler(ds), shuffle: true })],
    ["batch_sampler_exclusive", () => new data.DataLoader(ds, { batch_sampler: new data.BatchSampler(new data.SequentialSampler(ds), 2, false), batch_size: 3 })],
    ["batch_size_none_drop_last", () => new data.DataLoader(ds, { batch_size: null, drop_last: true })],
    ["num_workers", () => new data.DataLoader(ds, { num_workers: -1 })],
    ["iterable_shuffle", () => new data.DataLoader(new It(), { shuffle: true })],
    ["random_num_samples", () => new data.RandomSampler(ds, { num_samples: 0 })],
    ["batch_size", () => new data.BatchSampler(new data.SequentialSampler(ds), 0, false)],
    ["weighted_num_samples", () => new data.WeightedRandomSampler([1, 2], 0)],
    ["weighted_shape", () => new data.WeightedRandomSampler([[1, 2]], 2)],
    ["split_sum", () => data.random_split([...Array(10).keys()], [3, 8])],
    ["split_fraction", () => data.random_split([...Array(10).keys()], [1.5, -0.5])],
    ["tensor_size_mismatch", () => new data.TensorDataset(torch.zeros(3), torch.zeros(4))],
    ["concat_empty", () => new data.ConcatDataset([])],
    ["concat_index", () => new data.ConcatDataset([[0, 1, 2], [3, 4]]).__getitem__(-6)],
    ["collate_sizes", () => data.default_collate([[1, 2], [3]])],
  ];
  for (const [key, fn] of cases) assert.throws(fn, (e: Error) => e.message === E[key], `${key}: expected "${E[key]}"`);
});

test("a user Dataset subclass with __len__/__getitem__ returning objects", () => {
  class Squares extends data.Dataset<{ x: Tensor; y: number; tag: string }> {
    override __len__() { return 5; }
    override __getitem__(i: number) { return { x: torch.tensor([i, i * i]), y: i * 0.5, tag: `s${i}` }; }
  }
  const loader = new data.DataLoader(new Squares(), { batch_size: 2 });
  const batches = [...loader] as { x: Tensor; y: Tensor; tag: string[] }[];
  assert.equal(batches.length, 3);
  assert.deepEqual(batches[0]!.x.tolist(), [[0, 0], [1, 1]]);
  assert.equal(batches[0]!.y.dtype, torch.float64, "non-integral numbers collate to float64, as Python floats");
  assert.deepEqual(batches[2]!.tag, ["s4"]);
  // Re-iterable: a second epoch gives the same sequential batches.
  assert.deepEqual(([...loader] as { x: Tensor }[]).map((b) => b.x.shape[0]), [2, 2, 1]);
});

test("integral numbers collate to int64 (class labels for cross_entropy)", () => {
  const loader = new data.DataLoader([[torch.zeros(2), 3], [torch.ones(2), 7]], { batch_size: 2 });
  const [[x, y]] = [...loader] as [Tensor, Tensor][];
  assert.equal(y!.dtype, torch.int64);
  assert.deepEqual(y!.tolist(), [3, 7]);
  assert.deepEqual(x!.shape, [2, 2]);
  assert.equal(data.default_collate([1n, 2n]) instanceof torch.Tensor, true);
  assert.equal((data.default_collate([true, false]) as Tensor).dtype, torch.bool);
  assert.equal((data.default_collate([new Float32Array([1, 2]), new Float32Array([3, 4])]) as Tensor).dtype, torch.float32);
});

test("batch_size null: no batching, default_convert per sample", () => {
  const loader = new data.DataLoader([new Float64Array([1, 2]), new Float64Array([3, 4])], { batch_size: null });
  const items = [...loader] as Tensor[];
  assert.equal(items.length, 2);
  assert.equal(items[0]!.dtype, torch.float64);
  assert.deepEqual(items[1]!.tolist(), [3, 4]);
  assert.equal(loader.length, 2);
});

test("collate_fn, sampler and batch_sampler options", () => {
  const ds = [10, 11, 12, 13, 14];
  const l1 = new data.DataLoader(ds, { batch_size: 2, collate_fn: (b: number[]) => b.join(",") });
  assert.deepEqual([...l1], ["10,11", "12,13", "14"]);
  const l2 = new data.DataLoader(ds, { sampler: [4, 0, 2], batch_size: 2, collate_fn: (b: number[]) => b });
  assert.deepEqual([...l2], [[14, 10], [12]]);
  assert.equal(l2.length, 2);
  const l3 = new data.DataLoader(ds, { batch_sampler: [[1, 3], [0]], collate_fn: (b: number[]) => b });
  assert.deepEqual([...l3], [[11, 13], [10]]);
  assert.throws(() => { (l1 as unknown as { batch_size: number }).batch_size = 3; }, { message: "batch_size attribute should not be set after DataLoader is initialized" });
});

test("IterableDataset: batches, drop_last, length, a fresh iterator per epoch", () => {
  class Count extends data.IterableDataset<number> {
    constructor(private n: number) { super(); }
    override *__iter__() { for (let i = 0; i < this.n; i++) yield i; }
    override __len__() { return this.n; }
  }
  const l = new data.DataLoader(new Count(7), { batch_size: 3 });
  assert.deepEqual(([...l] as Tensor[]).map((t) => t.tolist()), [[0, 1, 2], [3, 4, 5], [6]]);
  assert.deepEqual(([...l] as Tensor[]).map((t) => t.tolist()), [[0, 1, 2], [3, 4, 5], [6]]);
  assert.equal(l.length, 3);
  const d = new data.DataLoader(new Count(7), { batch_size: 3, drop_last: true });
  assert.deepEqual(([...d] as Tensor[]).map((t) => t.tolist()), [[0, 1, 2], [3, 4, 5]]);
  assert.equal(d.length, 2);
  const chained = new Count(2).__add__(new Count(3)) as unknown as Iterable<number>;
  assert.deepEqual([...chained], [0, 1, 0, 1, 2]);
});

test("Subset, ConcatDataset and __getitems__", () => {
  const base = [0, 10, 20, 30, 40];
  const sub = new data.Subset(base, [4, 2, 0]);
  assert.equal(sub.length, 3);
  assert.equal(sub.__getitem__(-1), 0);
  assert.deepEqual(sub.__getitems__([0, 1]), [40, 20]);
  const cat = new data.ConcatDataset([base, new data.Subset(base, [1, 3])]);
  assert.equal(cat.length, 7);
  assert.deepEqual([0, 4, 5, 6, -1, -7].map((i) => cat.__getitem__(i)), [0, 40, 10, 30, 30, 0]);
  assert.deepEqual(cat.cumulative_sizes, [5, 7]);
  let calls = 0;
  class Batched extends data.Dataset<number> {
    override __len__() { return 4; }
    override __getitem__(i: number) { return i; }
    override __getitems__(idx: number[]) { calls++; return idx.map((i) => i * 2); }
  }
  const l = new data.DataLoader(new Batched(), { batch_size: 2 });
  assert.deepEqual(([...l] as Tensor[]).map((t) => t.tolist()), [[0, 2], [4, 6]]);
  assert.equal(calls, 2, "DataLoader fetches a batch through __getitems__");
});

test("a shuffled DataLoader over a Subset from random_split (the training-script pattern)", () => {
  torch.manual_seed(0);
  const X = torch.arange(20, { dtype: torch.int64 });
  const [train, held] = data.random_split(new data.TensorDataset(X, X.mul(2)), [15, 5]);
  const loader = new data.DataLoader(train!, { batch_size: 4, shuffle: true });
  const seen: number[] = [];
  for (const [x, y] of loader as Iterable<Tensor[]>) {
    assert.deepEqual(y!.tolist(), (x!.tolist() as number[]).map((v) => 2 * v));
    seen.push(...(x!.tolist() as number[]));
  }
  assert.deepEqual(seen.slice().sort((a, b) => a - b), train!.indices.slice().sort((a, b) => a - b));
  assert.equal(held!.length, 5);
});

test("DataLoader, Subset, random_split, ConcatDataset and the samplers keep the dataset's own type (len(loader.dataset) without a cast, batches typed as collated)", () => {
  // (mostly a compile-time check: tsc --noEmit over the tests fails if any of these needs a cast)
  class Squares extends data.Dataset<[number, number]> {
    readonly name = "squares";
    override __getitem__(i: number): [number, number] { return [i, i * i]; }
    override __len__(): number { return 6; }
  }
  const ds = new Squares();
  const options = { batch_size: 4 };
  for (const loader of [new data.DataLoader(ds, options), new data.DataLoader(ds, 4), new data.DataLoader({ dataset: ds, batch_size: 4 })]) {
    const dataset: Squares = loader.dataset;
    assert.equal(loader.dataset.length, 6);
    assert.equal(dataset.name, "squares");
    assert.equal(loader.length, 2);
  }
  // the batches are typed as default_collate makes them: [number, number] samples batch to [Tensor, Tensor]
  for (const [i, sq] of new data.DataLoader(ds, options)) {
    const [is, sqs]: [Tensor, Tensor] = [i, sq];
    assert.deepEqual(sqs.tolist(), (is.tolist() as number[]).map((v) => v * v));
  }
  const counted = new data.DataLoader(ds, { batch_size: 4, collate_fn: (batch: [number, number][]) => batch.length });
  const sizes: number[] = [...counted];
  assert.deepEqual(sizes, [4, 2]);
  const [a, b] = data.random_split(ds, [4, 2], new torch.Generator().manual_seed(0));
  const parent: Squares = a!.dataset;
  assert.equal(parent.name, "squares");
  assert.equal(new data.DataLoader(b!).dataset.dataset.length, 6);
  const sub = new data.Subset(ds, [1, 2]);
  assert.deepEqual(sub.__getitem__(1), [2, 4]);
  assert.equal(sub.dataset.name, "squares");
  const both = new data.ConcatDataset([ds, ds]);
  assert.equal(both.datasets[1]!.name, "squares");
  assert.equal(both.length, 12);
  assert.equal(new data.RandomSampler(ds).data_source.name, "squares");
  assert.equal(new data.SequentialSampler(ds).data_source.length, 6);
  // arrays are datasets too, typed as the array
  assert.equal(new data.DataLoader([1, 2, 3], { batch_size: 2 }).dataset.length, 3);
});
