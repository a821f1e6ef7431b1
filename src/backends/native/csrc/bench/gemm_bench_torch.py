"""PyTorch's GFLOP/s on gemm_bench's matmul shapes, for comparison on the same machine:
/work/.venv-torch/bin/python bench/gemm_bench_torch.py (best of 5 rounds, as gemm_bench)."""
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
    reps = int(2e8 / flop) + 1
    best = float("inf")
    for _ in range(5):
        torch.mm(a, b, out=out)
        t0 = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b, out=out)
        best = min(best, (time.perf_counter() - t0) / reps)
    return flop / best * 1e-9


for threads in (1, 2):
    torch.set_num_threads(threads)
    print(f"PyTorch {torch.__version__} ({torch.backends.cpu.get_cpu_capability()}), "
          f"{threads} thread{'s' if threads > 1 else ''}")
    for m, n, k, ta, tb, what in SHAPES:
        print(f"  {what:<36} {m:5} x {n:5} x {k:5} {'T' if ta else 'N'}{'T' if tb else 'N'}"
              f"  {gflops(m, n, k, ta, tb):7.1f} GFLOP/s")
