#!/usr/bin/env python3
"""Correctness checks for shd_step.py against a hand-written float64 numpy BPTT.

1. Small case (B=4, T=30, 50 -> 16 -> 5), all styles run by torch in float64: U_o, S_h and
   the three weight gradients must match the numpy reference to ~1e-10.
2. Full SHD shape in float32 (data from --data, else generated with shd_step's defaults): every
   style is compared with the spytorch style (max |a - b| / max |b| per gradient) and with the
   numpy reference. At full size float32 rounding can flip a spike whose membrane sits within
   rounding distance of the threshold, so there the reference takes its spike decisions from
   the torch run and reports how many of its own float64 decisions differ. The float32
   tolerance is 1e-3 (observed ~5e-5): the surrogate 1/(100|v - thr| + 1)^2 has a relative
   slope of up to 200 per unit of v, so float32 rounding of V (~1e-6) shows up at ~1e-4.
Exit status 1 if a tolerance is exceeded.
"""
import argparse
import sys

import numpy as np
import shd_step  # before torch: it sets OMP_WAIT_POLICY, read when torch loads libgomp
import torch
from shd_step import ALPHA, BETA, SLOPE, THRESHOLD


def reference(x, w_in, w_rec, w_out, grad_out, forced_spikes=None):
    """float64 forward + BPTT of L = sum(G * U_o). x: [B, T, N_in]. Returns (U_o, S_h, grads, flips).

    Forward per step:  I = alpha*I + x_t W_in + S_{t-1} W_rec ; V = beta*U + I ;
                       S_t = [V > thr] ; U = V - thr*S_t ;
                       I_o = alpha*I_o + S_t W_out ; U_o = beta*U_o + I_o
    Backward (g = dL/d., reset detached, sigma'(v) = 1/(SLOPE*|v - thr| + 1)^2):
        gU_o[t] = G[t] + beta*gU_o[t+1]       gI_o[t] = gU_o[t] + alpha*gI_o[t+1]
        gS[t]   = gI_o[t] W_out^T + gI[t+1] W_rec^T
        gV[t]   = beta*gV[t+1] + gS[t]*sigma'(V[t])
        gI[t]   = gV[t] + alpha*gI[t+1]
        gW_out = sum_t S_t^T gI_o[t] ; gW_in = sum_t x_t^T gI[t] ; gW_rec = sum_t S_{t-1}^T gI[t]
    forced_spikes ([B, T, H]) replaces the spike decisions; flips counts where V > thr disagrees.
    """
    x, w_in, w_rec, w_out, grad_out = (np.asarray(a, dtype=np.float64) for a in (x, w_in, w_rec, w_out, grad_out))
    batch, steps, _ = x.shape
    hidden, n_out = w_out.shape
    syn, mem, spk = np.zeros((3, batch, hidden))
    flt, out = np.zeros((2, batch, n_out))
    v_rec = np.empty((steps, batch, hidden))
    s_rec = np.empty((steps, batch, hidden))
    u_out = np.empty((batch, steps, n_out))
    flips = 0
    for t in range(steps):
        syn = ALPHA * syn + x[:, t] @ w_in + spk @ w_rec
        v = BETA * mem + syn
        spk = (v > THRESHOLD).astype(np.float64)
        if forced_spikes is not None:
            flips += int((spk != forced_spikes[:, t]).sum())
            spk = forced_spikes[:, t].astype(np.float64)
        mem = v - THRESHOLD * spk
        flt = ALPHA * flt + spk @ w_out
        out = BETA * out + flt
        v_rec[t], s_rec[t], u_out[:, t] = v, spk, out

    g_w_in, g_w_rec, g_w_out = np.zeros_like(w_in), np.zeros_like(w_rec), np.zeros_like(w_out)
    g_out, g_flt = np.zeros((2, batch, n_out))
    g_v_next, g_syn_next = np.zeros((2, batch, hidden))
    for t in reversed(range(steps)):
        g_out = grad_out[:, t] + BETA * g_out
        g_flt = g_out + ALPHA * g_flt
        g_w_out += s_rec[t].T @ g_flt
        g_spk = g_flt @ w_out.T + g_syn_next @ w_rec.T
        g_v = BETA * g_v_next + g_spk / (SLOPE * np.abs(v_rec[t] - THRESHOLD) + 1.0) ** 2
        g_syn = g_v + ALPHA * g_syn_next
        g_w_in += x[:, t].T @ g_syn
        if t > 0:
            g_w_rec += s_rec[t - 1].T @ g_syn
        g_v_next, g_syn_next = g_v, g_syn
    return u_out, s_rec.transpose(1, 0, 2), (g_w_in, g_w_rec, g_w_out), flips


def rel_diff(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.abs(a - b).max() / np.abs(b).max())


def run_style(style, data, dtype):
    x = torch.from_numpy(data["spikes"]).to(dtype)
    weights = tuple(torch.from_numpy(data[n]).to(dtype).requires_grad_() for n in ("w_in", "w_rec", "w_out"))
    grads, u_out, s_h = shd_step.training_step(shd_step.FORWARDS[style], x, weights,
                                               torch.from_numpy(data["grad_out"]).to(dtype))
    return u_out.detach().numpy(), s_h.detach().numpy(), [g.numpy() for g in grads]


def report(label, u_out, s_h, grads, ref_u, ref_s, ref_grads, tol):
    diffs = [rel_diff(g, r) for g, r in zip(grads, ref_grads)]
    spike_mismatch = int((s_h != ref_s).sum())
    u_diff = float(np.abs(u_out - ref_u).max())
    ok = max(diffs) <= tol and spike_mismatch == 0
    print(f"  {label:34s} spike mismatches {spike_mismatch:3d}  max|dU_o| {u_diff:.1e}  "
          f"grad rel diff in/rec/out {diffs[0]:.1e} {diffs[1]:.1e} {diffs[2]:.1e}  {'ok' if ok else 'FAIL'}")
    return ok


def small_case(seed=1):
    rng = np.random.default_rng(seed)
    batch, steps, n_in, hidden, n_out = 4, 30, 50, 16, 5
    return {
        "w_in": rng.normal(0, 1.5 / np.sqrt(n_in), (n_in, hidden)).astype(np.float32),
        "w_rec": rng.normal(0, 0.5 / np.sqrt(hidden), (hidden, hidden)).astype(np.float32),
        "w_out": rng.normal(0, 1 / np.sqrt(hidden), (hidden, n_out)).astype(np.float32),
        "spikes": (rng.random((batch, steps, n_in)) < 0.1).astype(np.uint8),
        "grad_out": rng.standard_normal((batch, steps, n_out)).astype(np.float32),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="directory with the full-size .npy inputs (default: generate)")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    shd_step.configure_threads(args.threads)
    ok = True

    data = small_case()
    ref_u, ref_s, ref_grads, _ = reference(data["spikes"], data["w_in"], data["w_rec"], data["w_out"],
                                           data["grad_out"])
    print(f"small case, torch float64 vs numpy float64 ({int(ref_s.sum())} hidden spikes of {ref_s.size}):")
    for style in shd_step.FORWARDS:
        ok &= report(style, *run_style(style, data, torch.float64), ref_u, ref_s, ref_grads, 1e-10)

    if args.data:
        data = shd_step.load_data(args.data)
    else:
        data = shd_step.generate_data(0, shd_step.WEIGHT_SCALE, shd_step.REC_SCALE)
    runs = {style: run_style(style, data, torch.float32) for style in shd_step.FORWARDS}
    base_u, base_s, base_grads = runs["spytorch"]
    print(f"full size float32 ({int(base_s.sum())} hidden spikes, fraction {base_s.mean():.4f}), vs spytorch style:")
    for style in shd_step.FORWARDS:
        ok &= report(style, *runs[style], base_u, base_s, base_grads, 1e-3)
    ref_u, ref_s, ref_grads, flips = reference(data["spikes"], data["w_in"], data["w_rec"], data["w_out"],
                                               data["grad_out"], forced_spikes=base_s)
    print(f"full size vs numpy float64 with the torch spikes forced ({flips} own float64 decisions differ):")
    for style in shd_step.FORWARDS:
        ok &= report(style, *runs[style], ref_u, ref_s, ref_grads, 1e-3)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
