"""PyTorch on gemm_bench's shapes, for comparison on the same machine, timed as gemm_bench
times ours: /work/.venv-torch/bin/python bench/gemm_bench_torch.py [bench|conv|calls [FILE]
[THREADS]]"""
import os
import sys
import time

import torch

SHAPES = [  # M, N, K, A transposed, B transposed, what (the order of gemm_bench.c)
    (128, 128, 128, 0, 0, "matmul 128"),
    (512, 512, 512, 0, 0, "matmul 512"),
    (1024, 1024, 1024, 0, 0, "matmul 1024"),
    (128, 512, 784, 0, 1, "MLP fc1 x.W^T"),
    (128, 784, 512, 0, 0, "MLP fc1 dX = g.W"),
    (512, 784, 128, 1, 0, "MLP fc1 dW = g^T.x"),
    (128, 10, 512, 0, 1, "MLP fc2 x.W^T"),
    (128, 512, 10, 0, 0, "MLP fc2 dX"),
    (10, 512, 128, 1, 0, "MLP fc2 dW"),
    (1024, 512, 128, 0, 1, "GPT mlp [16*64,128]x[128,512]"),
    (1024, 128, 512, 0, 0, "GPT mlp dX"),
    (512, 128, 1024, 1, 0, "GPT mlp dW"),
    (20, 800, 200, 0, 1, "LSTM gates [20,200]x[200,800]"),
    (700, 10000, 200, 0, 1, "LSTM decoder [700,200]x[200,10000]"),
    (700, 200, 10000, 0, 0, "LSTM decoder dX"),
    (10000, 200, 700, 1, 0, "LSTM decoder dW"),
]


def gflops(m, n, k, ta, tb):
    a = torch.randn(k, m).t() if ta else torch.randn(m, k)
    b = torch.randn(n, k).t() if tb else torch.randn(k, n)
    out = torch.empty(m, n)
    flop = 2.0 * m * n * k
    best = float("inf")
    for _ in range(int(2e10 / flop) + 5):
        t0 = time.perf_counter()
        torch.mm(a, b, out=out)
        best = min(best, time.perf_counter() - t0)
    return flop / best * 1e-9


def best_ms(fn):
    fn()
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def bench_conv():
    """The MNIST CNN's convolutions and pooling, batch 64, as gemm_bench conv."""
    aten = torch.ops.aten
    for i, (c, h, o, input_grad) in enumerate([(1, 28, 32, False), (32, 26, 64, True)]):
        x, w, b = torch.randn(64, c, h, h), torch.randn(o, c, 3, 3), torch.randn(o)
        gy = torch.randn(64, o, h - 2, h - 2)
        conv = lambda: torch.nn.functional.conv2d(x, w, b)
        back = lambda mask: aten.convolution_backward(
            gy, x, w, [o], [1, 1], [0, 0], [1, 1], False, [0, 0], 1, mask)
        gx_ms = best_ms(lambda: back([True, False, False])) if input_grad else 0.0
        print(f"  conv{i + 1} {c}->{o} 3x3 on {h}x{h}: forward {best_ms(conv):.3f}, input grad "
              f"{gx_ms:.3f}, weight+bias grad {best_ms(lambda: back([False, True, True])):.3f}")
    x = torch.randn(64, 64, 24, 24)
    y, idx = aten.max_pool2d_with_indices(x, [2, 2], [2, 2])
    fwd = best_ms(lambda: aten.max_pool2d_with_indices(x, [2, 2], [2, 2]))
    bwd = best_ms(lambda: aten.max_pool2d_with_indices_backward(
        y, x, [2, 2], [2, 2], [0, 0], [1, 1], False, idx))
    print(f"  max_pool2d(2) on 64x64x24x24: forward {fwd:.3f}, backward {bwd:.3f}")


def bench_calls(path, threads):
    """Each call of b7_b8_calls.txt as gemm_bench calls times ours: operands with the same
    strides (views of one buffer), C written in place (out=), CPU time per call (all threads,
    mean) and the fastest wall time, in microseconds."""
    print(f"PyTorch {torch.__version__}, {threads} thread{'s' if threads > 1 else ''} "
          "(us: CPU mean, wall best)")
    totals = {}
    cold = torch.empty(128 << 20, dtype=torch.float32) if os.environ.get("COLD") else None
    for line in open(path):
        if line.startswith("#") or not line.split():
            continue
        f = line.split()
        model, what = f[0], f[13]
        count, batch, m, n, k, rsa, csa, sa, rsb, csb, sb = map(int, f[1:12])
        bias = "bias" in f[12] or f[12] == "addmm"  # (PyTorch packs nothing ahead: mm, addmm)
        a = torch.randn((m - 1) * rsa + (k - 1) * csa + 1 + (batch - 1) * sa)
        b = torch.randn((k - 1) * rsb + (n - 1) * csb + 1 + (batch - 1) * sb)
        if batch > 1:
            a, b = a.as_strided((batch, m, k), (sa, rsa, csa)), b.as_strided((batch, k, n), (sb, rsb, csb))
            c = torch.empty(batch, m, n)
            call = lambda: torch.bmm(a, b, out=c)
        else:
            a, b, c = a.as_strided((m, k), (rsa, csa)), b.as_strided((k, n), (rsb, csb)), torch.empty(m, n)
            bias_row = torch.randn(n)
            call = (lambda: torch.addmm(bias_row, a, b, out=c)) if bias else (lambda: torch.mm(a, b, out=c))
        call()
        cpu, best, reps, start = 0.0, float("inf"), 0, time.perf_counter()
        while reps < 3 or time.perf_counter() - start < (1.0 if cold is not None else 0.1):
            if cold is not None:  # the caches filled with other data (COLD=1), as gemm_bench's
                cold.fill_(reps)
            c0, t0 = time.process_time(), time.perf_counter()
            call()
            t1 = time.perf_counter()
            cpu += time.process_time() - c0
            best = min(best, t1 - t0)
            reps += 1
        cpu, best = cpu / reps * 1e6, best * 1e6
        tc, tw = totals.get(model, (0.0, 0.0))
        totals[model] = (tc + count * cpu, tw + count * best)
        print(f"  {model:<3} {what:<20} {batch:3}x {m:5} x {n:5} x {k:5}  {cpu:9.1f} {best:9.1f}")
    for model, (tc, tw) in totals.items():
        print(f"  {model} step total: CPU {tc:.0f} us, wall {tw:.0f} us")


if sys.argv[1:2] == ["calls"]:
    path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "b7_b8_calls.txt")
    for threads in (1, 2):
        if len(sys.argv) <= 3 or int(sys.argv[3]) == threads:
            torch.set_num_threads(threads)
            bench_calls(path, threads)
    sys.exit(0)

for threads in (1, 2):
    torch.set_num_threads(threads)
    print(f"PyTorch {torch.__version__} ({torch.backends.cpu.get_cpu_capability()}), "
          f"{threads} thread{'s' if threads > 1 else ''}")
    if sys.argv[1:] == ["conv"]:
        print("MNIST CNN, batch 64 (ms)")
        bench_conv()
        continue
    for m, n, k, ta, tb, what in SHAPES:
        print(f"  {what:<36} {m:5} x {n:5} x {k:5} {'T' if ta else 'N'}{'T' if tb else 'N'}"
              f"  {gflops(m, n, k, ta, tb):7.1f} GFLOP/s")
