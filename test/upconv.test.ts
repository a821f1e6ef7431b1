// Transposed convolution, interpolation and pixel shuffle against PyTorch: test/golden/upconv.json
// (tools/gen_golden_upconv.py). F.conv_transpose1d/2d, F.interpolate and F.pixel_shuffle /
// pixel_unshuffle in float64 and float32: outputs, grad_fn names, gradients for PyTorch's
// grad_outputs, double-backward values for a selection; float64 gradcheck and gradgradcheck;
// PyTorch's error messages; the layers' reprs, default initialisation after manual_seed(0),
// forward passes (ConvTranspose's output_size included) and their gradients; the DCGAN tutorial's
// generator: initial weights bit for bit, output and gradients.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import { type GoldenTensor, type GoldenArg, goldenArg as arg, readGolden, fromGolden, assertClose, dtypeOf, valuesOf } from "./helpers.js";

const F = torch.nn.functional;
const nn = torch.nn;

type Arg = GoldenArg;
interface FnCase {
  name: string; fn: string; args: Arg[]; kwargs: Record<string, Arg>; views: Record<string, string>; diff: (number | string)[];
  out: GoldenTensor; grad_fn: string; go: GoldenTensor; grads: (GoldenTensor | null)[]; gradcheck: boolean;
  double?: { v: GoldenTensor[]; grad_grad_fn: string | null; grads: (GoldenTensor | null)[] };
}
interface ErrCase { name: string; fn: string; args: Arg[]; kwargs: Record<string, Arg>; error: string | null }
interface ModuleCase {
  cls: string; args: Arg[]; kwargs: Record<string, Arg>; seed: number; repr: string; state_dict: [string, string, number[]][];
  params: Record<string, GoldenTensor>;
  forward?: { x: GoldenTensor; output_size: number[] | null; out: GoldenTensor; grad_fn: string; go: GoldenTensor; gx: GoldenTensor; grads: Record<string, GoldenTensor> };
}
interface ModuleErr { cls: string; args: Arg[]; kwargs: Record<string, Arg>; shape: number[] | null; output_size: number[] | null; error: string }
interface Dcgan {
  repr: string; init_default: Record<string, string>; init: Record<string, { shape: number[]; crc32: string }>;
  noise: GoldenTensor; fake: GoldenTensor; loss: number; grads: Record<string, GoldenTensor>; running: Record<string, GoldenTensor>;
}
interface Uint8Case { name: string; x: GoldenTensor; layout: "cf" | "cl" | "T"; kwargs: Record<string, Arg>; out: GoldenTensor }
const golden = readGolden<{ functional: FnCase[]; errors: ErrCase[]; uint8: Uint8Case[]; modules: ModuleCase[]; module_errors: ModuleErr[]; dcgan: Dcgan }>("upconv.json");

const Fn = F as unknown as Record<string, (...a: unknown[]) => Tensor>;

/** The case's arguments, fresh, the differentiable ones as leaves (views as the generator made
 *  them: non-contiguous leaves). */
function build(c: FnCase, contiguous = false): { args: unknown[]; kwargs: Record<string, unknown>; leaves: Tensor[] } {
  const args = c.args.map(arg), kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, arg(v)]));
  // "T": stored contiguous, used transposed; "CL": stored [N, H, W, C], used as [N, C, H, W]
  for (const [i, v] of Object.entries(c.views)) {
    const t = args[Number(i)] as Tensor;
    args[Number(i)] = v === "T" ? t.transpose(-1, -2) : t.permute(0, 3, 1, 2);
  }
  if (contiguous) args.forEach((a, i) => { if (a instanceof torch.Tensor) args[i] = a.contiguous(); });
  const leaves = c.diff.map((key) => {
    const holder = (typeof key === "number" ? args : kwargs) as Record<string | number, Tensor>;
    const leaf = holder[key]!.detach().requires_grad_(true);
    holder[key] = leaf;
    return leaf;
  });
  return { args, kwargs, leaves };
}

const call = (fn: string, args: unknown[], kwargs: Record<string, unknown>) =>
  Object.keys(kwargs).length ? Fn[fn]!(...args, kwargs) : Fn[fn]!(...args);

// gradgradcheck on a selection of the float64 cases (each op and mode once or twice)
const GRADGRAD = new Set([
  "ct2d_basic", "ct2d_stride_pad_outpad", "ct2d_groups", "ct2d_outpad_dilation", "ct1d_params", "ct1d_unbatched", "ct3d_params",
  "nearest1d_scale0_6", "nearest2d_scale_pair", "nearest2d_scale2_1_c3", "nearest_exact1d_scale", "linear_up_align", "bilinear_scale_pair",
  "bilinear_down_align", "pixel_shuffle_basic", "pixel_unshuffle_unbatched",
].map((n) => `${n}_float64`));

for (const c of golden.functional) {
  test(`F.${c.fn}: ${c.name}`, () => {
    const { args, kwargs, leaves } = build(c);
    const y = call(c.fn, args, kwargs);
    assertClose(y, c.out, "output");
    assert.equal(y.grad_fn?.name(), c.grad_fn);
    const grads = torch.autograd.grad(y, leaves, { grad_outputs: fromGolden(c.go), allow_unused: true });
    c.grads.forEach((g, i) => { if (g) assertClose(grads[i]!, g, `grad of ${c.diff[i]}`); });
    if (c.double) {
      // the gradients of <grads, v> with respect to the inputs and grad_output: double backward
      const d = build(c), go = fromGolden(c.go, { requires_grad: true });
      const g1 = torch.autograd.grad(call(c.fn, d.args, d.kwargs), d.leaves, { grad_outputs: go, create_graph: true });
      // (our convolutions record their gradients as convolutions, not as one double-backward node)
      if (c.fn !== "conv_transpose1d" && c.fn !== "conv_transpose2d" && c.double.grad_grad_fn && c.name.indexOf("area") < 0)
        assert.equal(g1[0]!.grad_fn?.name(), c.double.grad_grad_fn);
      const s = g1.map((g, i) => g!.mul(fromGolden(c.double!.v[i]!)).sum()).reduce((a, b) => a.add(b));
      const g2 = torch.autograd.grad(s, [...d.leaves, go], { allow_unused: true });
      c.double.grads.forEach((g, i) => {
        if (g) assertClose(g2[i] ?? torch.zeros(g.shape, { dtype: dtypeOf(g.dtype) }), g, `double backward: grad ${i}`);
      });
    }
    if (c.gradcheck || GRADGRAD.has(c.name)) {
      const base = build(c, true);
      const fn = (...t: Tensor[]) => {
        const a = base.args.slice(), kw = { ...base.kwargs };
        c.diff.forEach((key, i) => { if (typeof key === "number") a[key] = t[i]; else kw[key] = t[i]; });
        // a channels-last input takes another kernel (Note [Nearest source index]): keep its layout
        if (c.views["0"] === "CL") a[0] = (a[0] as Tensor).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        return call(c.fn, a, kw);
      };
      if (c.gradcheck) assert.ok(torch.autograd.gradcheck(fn, base.leaves));
      if (GRADGRAD.has(c.name)) assert.ok(torch.autograd.gradgradcheck(fn, base.leaves));
    }
  });
}

test("errors carry PyTorch 2.x's messages", () => {
  for (const c of golden.errors) {
    const args = c.args.map(arg), kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, arg(v)]));
    const expected = c.error;
    if (expected === null) { assert.doesNotThrow(() => call(c.fn, args, kwargs), c.name); continue; }
    assert.throws(() => call(c.fn, args, kwargs), (e: Error) => {
      assert.equal(e.message, expected, c.name);
      return true;
    }, c.name);
  }
});

test("F.interpolate on uint8 images: Pillow's fixed-point resampling, bit for bit", () => {
  for (const c of golden.uint8) {
    const x = fromGolden(c.x);
    const view = c.layout === "cl" ? x.permute(0, 3, 1, 2) : c.layout === "T" ? x.transpose(-1, -2) : x;
    const y = F.interpolate(view, Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, arg(v)])));
    assert.equal(y.dtype, torch.uint8, c.name);
    assert.deepEqual(y.shape, c.out.shape, c.name);
    assert.deepEqual(valuesOf(y), valuesOf(fromGolden(c.out)), c.name);
  }
});

// ---- modules ----------------------------------------------------------------------------------

type Ctor = new (...a: unknown[]) => InstanceType<typeof nn.Module>;
function buildModule(cls: string, args: Arg[], kwargs: Record<string, Arg>): InstanceType<typeof nn.Module> {
  const C = (nn as unknown as Record<string, Ctor>)[cls]!;
  const a = args.map(arg);
  return Object.keys(kwargs).length ? new C(...a, Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, arg(v)]))) : new C(...a);
}

for (const m of golden.modules) {
  const f = m.forward;
  test(`nn.${m.cls}(${JSON.stringify(m.args).slice(1, -1)}${Object.keys(m.kwargs).length ? ", " + JSON.stringify(m.kwargs) : ""})${f?.output_size ? ` output_size=${JSON.stringify(f.output_size)}` : ""}`, () => {
    torch.manual_seed(m.seed);
    const mod = buildModule(m.cls, m.args, m.kwargs);
    assert.equal(String(mod), m.repr);
    const sd = mod.state_dict();
    assert.deepEqual(Object.entries(sd).map(([k, v]) => [k, v.dtype.name, v.shape.slice()]), m.state_dict);
    // default initialisation: PyTorch's exact numbers after the same seed
    for (const [k, v] of Object.entries(m.params)) assert.deepEqual(valuesOf(sd[k]!), valuesOf(fromGolden(v)), `${k} after manual_seed(${m.seed})`);
    if (f) {
      const x = fromGolden(f.x, { requires_grad: true });
      const y = (f.output_size ? mod(x, f.output_size) : mod(x)) as Tensor;
      assertClose(y, f.out, "forward");
      assert.equal(y.grad_fn?.name(), f.grad_fn);
      y.backward(fromGolden(f.go));
      assertClose(x.grad!, f.gx, "grad input");
      for (const [k, p] of mod.named_parameters()) assertClose(p.grad!, f.grads[k]!, `grad ${k}`);
    }
  });
}

test("module errors carry PyTorch's messages", () => {
  for (const e of golden.module_errors) {
    assert.throws(() => {
      const mod = buildModule(e.cls, e.args, e.kwargs);
      if (e.shape) mod(torch.zeros(e.shape), e.output_size);
    }, (err: Error) => {
      assert.equal(err.message, e.error, `${e.cls} ${JSON.stringify(e.kwargs)} ${JSON.stringify(e.output_size)}`);
      return true;
    });
  }
});

// ---- calling conventions, round trips, properties -----------------------------------------------

test("positional arguments and options objects agree", () => {
  torch.manual_seed(3);
  const x = torch.randn(2, 4, 3, 3), w = torch.randn(4, 3, 3, 3), b = torch.randn(6);
  assert.ok(F.conv_transpose2d(x, w, b, 2, 1, 1, 2).equal(F.conv_transpose2d(x, w, { bias: b, stride: 2, padding: 1, output_padding: 1, groups: 2 })));
  assert.ok(F.conv_transpose2d(x, w, null, 1, 0, 0, 1, 2).equal(F.conv_transpose2d(x, w, { dilation: 2 })));
  assert.ok(torch.conv_transpose2d(x, w, b, 2, 1, 1, 2).equal(F.conv_transpose2d(x, w, b, 2, 1, 1, 2)));
  assert.ok(F.interpolate(x, null, 2, "bilinear", true).equal(F.interpolate(x, { scale_factor: 2, mode: "bilinear", align_corners: true })));
  assert.ok(F.interpolate(x, [5, 6]).equal(F.interpolate(x, { size: [5, 6] })));
  assert.ok(F.pixel_shuffle(x, 2).equal(F.pixel_shuffle(x, { upscale_factor: 2 })));
  // the module is the functional call with its own weights, and ConvTranspose2d(…, bias, dilation) keeps PyTorch's order
  const m = new nn.ConvTranspose2d(4, 6, 3, 2, 1, 1, 2, false, 2);
  assert.equal(String(m), "ConvTranspose2d(4, 6, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(2, 2), output_padding=(1, 1), groups=2, bias=False)");
  assert.ok((m(x) as Tensor).equal(F.conv_transpose2d(x, m.weight, null, 2, 1, 1, 2, 2)));
  assert.ok((new nn.Upsample(null, 2, "nearest")(x) as Tensor).equal(F.interpolate(x, { scale_factor: 2 })));
  assert.equal(String(new nn.Upsample({ size: [3, 4], mode: "bilinear" })), "Upsample(size=(3, 4), mode='bilinear')");
});

test("a transposed convolution is the adjoint of the convolution with the same weight", () => {
  torch.manual_seed(5);
  for (const [x, w, kw] of [
    [torch.randn(2, 6, 7, 8, { dtype: torch.float64 }), torch.randn(6, 2, 3, 2, { dtype: torch.float64 }), { stride: [2, 3], padding: [1, 0], dilation: [1, 2], groups: 3 }],
    [torch.randn(1, 3, 9, { dtype: torch.float64 }), torch.randn(4, 3, 4, { dtype: torch.float64 }), { stride: 2, padding: 1 }],
  ] as const) {
    const conv = x.ndim === 4 ? F.conv2d : F.conv1d, convT = x.ndim === 4 ? F.conv_transpose2d : F.conv_transpose1d;
    const y = conv(x, w, kw);
    // the output_padding that brings the transposed convolution back to x's size
    const back = convT(y, w, { ...kw, output_padding: 0 });
    const op = x.shape.slice(2).map((s, i) => s - back.shape[2 + i]!);
    const z = torch.randn(y.shape.slice(), { dtype: torch.float64 });
    // <conv(x), z> = <x, conv_transpose(z)>
    const lhs = conv(x, w, kw).mul(z).sum().item(), rhs = x.mul(convT(z, w, { ...kw, output_padding: op })).sum().item();
    assert.ok(Math.abs(lhs - rhs) < 1e-9 * Math.max(1, Math.abs(lhs)), `${lhs} vs ${rhs}`);
  }
});

test("pixel_unshuffle undoes pixel_shuffle (and back), on any leading dims and dtypes; the result is a new tensor", () => {
  const x = torch.randn(2, 3, 18, 4, 5);
  assert.ok(F.pixel_unshuffle(F.pixel_shuffle(x, 3), 3).equal(x));
  const img = torch.arange(2 * 6 * 4, { dtype: torch.int64 }).reshape(2, 6, 4);
  assert.ok(F.pixel_shuffle(F.pixel_unshuffle(img, 2), 2).equal(img));
  assert.equal(F.pixel_shuffle(img.reshape(24, 1, 2), 1).dtype, torch.int64);
  const same = F.pixel_shuffle(x, 1);
  assert.ok(same.equal(x));
  same.add_(1);
  assert.ok(!same.equal(x), "pixel_shuffle(x, 1) does not share x's storage");
  const m = new nn.PixelShuffle(3), u = new nn.PixelUnshuffle(3);
  assert.ok((u(m(x)) as Tensor).equal(x));
});

test("interpolate's scale factor reaches the kernel unless recompute_scale_factor", () => {
  // 5 → floor(5·2.1) = 10 positions: nearest_idx gives i >> 1 for a small 2-d output, the 1-d
  // kernel floor(i / 2.1); recomputed, the scale is 5/10 either way
  const x = torch.arange(5, { dtype: torch.float32 }).view(1, 1, 5);
  assert.deepEqual(F.interpolate(x, { scale_factor: 2.1 }).flatten().tolist(), [0, 0, 0, 1, 1, 2, 2, 3, 3, 4]);
  assert.deepEqual(F.interpolate(x, { scale_factor: 2.1, recompute_scale_factor: true }).flatten().tolist(), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  assert.deepEqual(F.interpolate(x.view(1, 1, 1, 5), { scale_factor: 2.1 }).select(2, 0).flatten().tolist(), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
});

test("the deprecated F.upsample aliases warn once and interpolate", () => {
  const warn = console.warn, seen: string[] = [];
  console.warn = (...a: unknown[]) => { seen.push(String(a[0])); };
  try {
    const x = torch.randn(1, 2, 3, 3);
    assert.ok(F.upsample(x, { scale_factor: 2, mode: "bilinear" }).equal(F.interpolate(x, { scale_factor: 2, mode: "bilinear" })));
    assert.ok(F.upsample_nearest(x, 5).equal(F.interpolate(x, 5)));
    assert.ok(F.upsample_bilinear(x, null, 2).equal(F.interpolate(x, { scale_factor: 2, mode: "bilinear", align_corners: true })));
    F.upsample(x, 4);
  } finally { console.warn = warn; }
  assert.deepEqual(seen, [
    "UserWarning: nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.",
    "UserWarning: nn.functional.upsample_nearest is deprecated. Use nn.functional.interpolate instead.",
    "UserWarning: nn.functional.upsample_bilinear is deprecated. Use nn.functional.interpolate instead.",
  ]);
});

test("bad input changes nothing and names the op", () => {
  const m = new nn.ConvTranspose2d(2, 3, 3, { stride: 2 });
  const w = m.weight.clone();
  assert.throws(() => m(torch.zeros(1, 2, 4, 4), [12, 9]), /requested an output size of \[12, 9\]/);
  assert.throws(() => m(torch.zeros(1, 3, 4, 4)), /expected input\[1, 3, 4, 4\] to have 2 channels/);
  assert.ok(m.weight.equal(w));
});

// ---- PyTorch's DCGAN tutorial generator -----------------------------------------------------------

/** zlib.crc32 of a float32 tensor's bytes, as the generator's crc(). */
function crc32(t: Tensor): string {
  const bytes = new Uint8Array(Float32Array.from(valuesOf(t)).buffer);
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ((~c) >>> 0).toString(16).padStart(8, "0");
}

test("DCGAN tutorial generator: PyTorch's weights after manual_seed(0) and weights_init, output and gradients", () => {
  const g = golden.dcgan, nz = 8, ngf = 4, nc = 3;
  torch.manual_seed(0);
  const netG = new nn.Sequential(
    new nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, { bias: false }),
    new nn.BatchNorm2d(ngf * 4),
    new nn.ReLU(true),
    new nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, { bias: false }),
    new nn.BatchNorm2d(ngf * 2),
    new nn.ReLU(true),
    new nn.ConvTranspose2d(ngf * 2, nc, 4, 2, 1, { bias: false }),
    new nn.Tanh(),
  );
  assert.equal(String(netG), g.repr);
  for (const [k, v] of Object.entries(netG.state_dict())) if (v.dtype === torch.float32) assert.equal(crc32(v), g.init_default[k], `${k} default init`);
  netG.apply((m) => {
    const name = m.constructor.name;
    const mm = m as unknown as { weight: Tensor; bias: Tensor };
    if (name.includes("Conv")) torch.nn.init.normal_(mm.weight.data, 0.0, 0.02);
    else if (name.includes("BatchNorm")) {
      torch.nn.init.normal_(mm.weight.data, 1.0, 0.02);
      torch.nn.init.constant_(mm.bias.data, 0);
    }
  });
  for (const [k, v] of Object.entries(netG.state_dict())) {
    if (v.dtype !== torch.float32) continue;
    assert.deepEqual(v.shape.slice(), g.init[k]!.shape, k);
    assert.equal(crc32(v), g.init[k]!.crc32, `${k} after weights_init`);
  }
  const noise = torch.randn(3, nz, 1, 1);
  assertClose(noise, g.noise, "noise");
  const fake = netG(noise) as Tensor;
  assertClose(fake, g.fake, "fake images");
  const loss = fake.mul(fake).mean();
  assert.ok(Math.abs(loss.item() - g.loss) <= 1e-6 * Math.abs(g.loss), `loss ${loss.item()}, PyTorch ${g.loss}`);
  loss.backward();
  for (const [k, p] of netG.named_parameters()) assertClose(p.grad!, g.grads[k]!, `grad ${k}`, { rtol: 1e-4, atol: 1e-7 });
  const sd = netG.state_dict();
  for (const [k, v] of Object.entries(g.running)) assertClose(sd[k]!, v, k);
});

test("the golden file's cases are all read", () => {
  assert.ok(golden.functional.length >= 140 && golden.errors.length >= 50 && golden.modules.length >= 20 && golden.module_errors.length >= 9);
});
