#!/usr/bin/env python3
"""sgemm GFLOP/s of torch.mm (float32) at a given thread count, printed as JSON.

Shapes (M x K x N, C[M,N] = A[M,K] @ B[K,N], 2*M*K*N flops):
  square          1024 x 1024 x 1024
  input_proj      6400 x  700 x  256   all B*T input rows @ W_in (hoisted-dense forward)
  input_proj_dW    700 x 6400 x  256   x^T @ dproj, A a transposed view as autograd passes it
  step_input        64 x  700 x  256   one step of S_in @ W_in (spytorch style)
  step_recurrent    64 x  256 x  256   one step of S_h @ W_rec
Each shape runs for about --seconds; the median and best per-call rates are reported.
"""
import argparse
import json
import statistics
import time

import shd_step  # before torch: it sets OMP_WAIT_POLICY, read when torch loads libgomp
import torch

SHAPES = [
    ("square", 1024, 1024, 1024, False),
    ("input_proj", 6400, 700, 256, False),
    ("input_proj_dW", 700, 6400, 256, True),
    ("step_input", 64, 700, 256, False),
    ("step_recurrent", 64, 256, 256, False),
]


def measure(m, k, n, a_transposed, seconds):
    a = torch.rand(k, m).t() if a_transposed else torch.rand(m, k)
    b = torch.rand(k, n)
    torch.mm(a, b)
    times = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times) < 3:
        start = time.perf_counter()
        torch.mm(a, b)
        times.append(time.perf_counter() - start)
    flops = 2.0 * m * k * n
    return {"m": m, "k": k, "n": n, "a_transposed": a_transposed, "calls": len(times),
            "median_gflops": flops / statistics.median(times) / 1e9, "best_gflops": flops / min(times) / 1e9}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=0.5, help="time spent per shape")
    args = parser.parse_args()
    shd_step.configure_threads(args.threads)
    result = {
        "threads": args.threads,
        "torch_version": torch.__version__,
        "blas": shd_step.blas_info(),
        "shapes": {name: measure(m, k, n, t, args.seconds) for name, m, k, n, t in SHAPES},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
