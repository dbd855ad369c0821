#!/usr/bin/env python3
"""PyTorch autograd peer for the SHD-shaped training-step benchmark.

Network (float32, weights row-major [pre, post], so a layer's input is S_pre @ W):
  700 Bernoulli input channels -> 256 recurrent current-based LIF -> 20 leaky integrators.
Per step t = 0..T-1 (all states start at 0, S_h[-1] = 0):
  hidden:  input_h = S_in[t] @ W_in + S_h[t-1] @ W_rec
           I_h = alpha*I_h + input_h
           U_h = beta*U_h + I_h                       (uses the NEW I_h)
           S_h[t] = Heaviside(U_h - threshold)        forward strictly x > 0,
                    surrogate gradient 1/(slope*|x| + 1)^2 (SuperSpike / fast sigmoid)
           U_h = U_h - threshold * S_h[t].detach()    (reset detached, as in SpyTorch)
  readout: input_o = S_h[t] @ W_out
           I_o = alpha*I_o + input_o
           U_o = beta*U_o + I_o                       -> record U_o[t]
A training step is forward + backward (no optimizer) of L = sum_{b,t,k} G[b,t,k] * U_o[b,t,k],
i.e. the vector-Jacobian product of U_o with the upstream gradient G, w.r.t. the three weights.

Styles:
  spytorch  everything per step inside the time loop: x[:, t] einsum W_in, einsum for the
            recurrent and readout projections, Python lists + torch.stack.
  hoisted   input projection for all steps as one sparse-dense product (torch.sparse.mm on the
            input converted to COO inside the step) before the loop, unbind over time, fused
            addmm/add(alpha=) ops, spike + reset as one autograd node, readout projection as
            one GEMM after the loop. The fastest eager formulation we found.
  hoisted-dense  the same with the input projection as one dense GEMM.

Usage: see README.md next to this file.
"""
import argparse
import ctypes
import functools
import json
import os
import resource
import statistics
import time

import numpy as np

# torch's intra-op pool (libgomp) and OpenBLAS's pthread pool are separate. With the default
# active wait, idle OpenMP workers spin between ops and take the cores from the OpenBLAS
# threads; with 2 threads on 2 cores that made steps 2-10x slower. Must be set before torch
# loads libgomp; an explicit setting in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402

ALPHA = 0.8187
BETA = 0.9048
THRESHOLD = 1.0
SLOPE = 100.0

N_IN, N_HIDDEN, N_OUT = 700, 256, 20
BATCH, STEPS = 64, 100
P_INPUT = 0.02
# Generated weights ~ Normal(0, scale / sqrt(fan_in)), scale = WEIGHT_SCALE for W_in and W_out,
# REC_SCALE for W_rec. These give a stationary ~3 % hidden spikes per (neuron, step); one shared
# scale is bistable here: 0.3 gives ~0.5 %, 0.36 already runs away to ~10-20 % by the last steps.
WEIGHT_SCALE = 0.6
REC_SCALE = 0.2


class SuperSpike(torch.autograd.Function):
    """Heaviside forward (x > 0); backward multiplies by 1/(SLOPE*|x| + 1)^2."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad_spikes):
        (x,) = ctx.saved_tensors
        denom = x.abs().mul_(SLOPE).add_(1.0)  # fresh temporary, so in-place is safe here
        return grad_spikes / denom.mul_(denom)


spike_fn = SuperSpike.apply


def forward_spytorch(x, w_in, w_rec, w_out):
    """x: [B, T, N_in] float. Returns (U_o [B, T, N_out], S_h [B, T, N_hidden])."""
    batch, steps, _ = x.shape
    syn = torch.zeros(batch, w_in.shape[1], dtype=x.dtype)
    mem = torch.zeros_like(syn)
    spk = torch.zeros_like(syn)
    flt = torch.zeros(batch, w_out.shape[1], dtype=x.dtype)
    out = torch.zeros_like(flt)
    spk_rec, out_rec = [], []
    for t in range(steps):
        h = torch.einsum("ab,bc->ac", (x[:, t], w_in)) + torch.einsum("ab,bc->ac", (spk, w_rec))
        syn = ALPHA * syn + h
        mem = BETA * mem + syn
        spk = spike_fn(mem - THRESHOLD)
        mem = mem - THRESHOLD * spk.detach()
        h_out = torch.einsum("ab,bc->ac", (spk, w_out))
        flt = ALPHA * flt + h_out
        out = BETA * out + flt
        spk_rec.append(spk)
        out_rec.append(out)
    return torch.stack(out_rec, dim=1), torch.stack(spk_rec, dim=1)


class SpikeAndReset(torch.autograd.Function):
    """One autograd node for spike + detached reset: mem -> (S, mem - THRESHOLD*S).

    S = Heaviside(mem - THRESHOLD). Backward: the reset is detached, so
    dL/dmem = dL/dmem_reset + dL/dS * 1/(SLOPE*|mem - THRESHOLD| + 1)^2.
    """

    @staticmethod
    def forward(ctx, mem):
        ctx.save_for_backward(mem)
        spk = (mem > THRESHOLD).to(mem.dtype)
        return spk, mem - THRESHOLD * spk

    @staticmethod
    def backward(ctx, grad_spk, grad_mem_reset):
        (mem,) = ctx.saved_tensors
        denom = (mem - THRESHOLD).abs_().mul_(SLOPE).add_(1.0)
        return torch.addcdiv(grad_mem_reset, grad_spk, denom.mul_(denom))


def forward_hoisted(x, w_in, w_rec, w_out, sparse_input=True):
    """Same contract as forward_spytorch, with the fewest autograd nodes we found.

    The input projection of all B*T rows is one product before the loop. With sparse_input the
    dense 0/1 input is converted to COO inside the step and multiplied with torch.sparse.mm:
    ~2 % of the entries are non-zero, so this beats the dense GEMM (forward x @ W_in and
    backward x^T @ dproj) even counting the conversion. The readout projection of all steps is
    one GEMM after the loop. torch.add(a, b, alpha=c) = a + c*b and torch.addmm(p, s, w) =
    p + s @ w are single ops; step 0 skips the recurrent term and the decay of the zero states.
    """
    batch, steps, n_in = x.shape
    x_rows = x.reshape(batch * steps, n_in)
    if sparse_input:
        proj = torch.sparse.mm(x_rows.to_sparse(), w_in)
    else:
        proj = x_rows @ w_in
    spikes = []
    for t, p in enumerate(proj.view(batch, steps, -1).unbind(1)):
        if t == 0:
            syn = p
            mem = syn
        else:
            syn = torch.add(torch.addmm(p, spk, w_rec), syn, alpha=ALPHA)
            mem = torch.add(syn, mem, alpha=BETA)
        spk, mem = SpikeAndReset.apply(mem)
        spikes.append(spk)
    s_h = torch.stack(spikes, dim=1)
    h_out = (s_h.view(batch * steps, -1) @ w_out).view(batch, steps, -1)
    out_rec = []
    for t, h in enumerate(h_out.unbind(1)):
        if t == 0:
            flt = h
            out = flt
        else:
            flt = torch.add(h, flt, alpha=ALPHA)
            out = torch.add(flt, out, alpha=BETA)
        out_rec.append(out)
    return torch.stack(out_rec, dim=1), s_h


FORWARDS = {
    "spytorch": forward_spytorch,
    "hoisted": forward_hoisted,
    "hoisted-dense": functools.partial(forward_hoisted, sparse_input=False),
}


def training_step(forward, x, weights, grad_out):
    """Forward + backward of L = sum(G * U_o); returns (grads, U_o, S_h)."""
    u_out, s_h = forward(x, *weights)
    grads = torch.autograd.grad(u_out, weights, grad_outputs=grad_out)
    return grads, u_out, s_h


def saved_tensor_bytes(forward, x, weights, exclude):
    """Bytes of the distinct storages autograd saves for backward in one forward pass.

    Storages of `exclude` (inputs and weights, which exist anyway) are not counted.
    """
    skip = {t.storage().data_ptr() for t in exclude}
    seen = {}

    def pack(t):
        # A sparse COO tensor has no storage of its own; count its index and value arrays.
        for part in (t._indices(), t._values()) if t.is_sparse else (t,):
            ptr = part.storage().data_ptr()
            if ptr not in skip:
                seen[ptr] = part.storage().nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        forward(x, *weights)
    return sum(seen.values())


def sgemm_provider():
    """(path, ctypes handle) of the library that defines the sgemm_ torch calls.

    Debian's torch (BLAS_INFO=generic) links libblas.so.3, which update-alternatives points at
    the reference BLAS or at an OpenBLAS wrapper; dlopen by soname returns the copy torch
    already loaded, and the mapping that holds sgemm_ names the file really in use.
    """
    lib = ctypes.CDLL("libblas.so.3")
    address = ctypes.cast(lib.sgemm_, ctypes.c_void_p).value
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            low, high = (int(a, 16) for a in fields[0].split("-"))
            if low <= address < high:
                return fields[-1], lib
    raise RuntimeError("sgemm_ is not in any mapped file")


def loaded_openblas():
    """ctypes handle of the OpenBLAS behind torch's sgemm_, or None (e.g. reference BLAS)."""
    _, lib = sgemm_provider()
    return lib if hasattr(lib, "openblas_get_config") else None


def configure_threads(n):
    """n threads for torch's intra-op pool (OpenMP) and for OpenBLAS, 1 inter-op thread.

    Debian's torch is built with BLAS_INFO=generic, so torch.set_num_threads does not reach
    OpenBLAS (whose own default is all cores); it is set through the library torch calls.
    """
    torch.set_num_threads(n)
    torch.set_num_interop_threads(1)
    openblas = loaded_openblas()
    if openblas:
        openblas.openblas_set_num_threads(n)


def blas_info():
    info = {
        "torch_blas_info": next(
            (s.split("=", 1)[1] for s in torch.__config__.show().replace(",", "\n").split()
             if s.startswith("BLAS_INFO=")), None),
        "libblas_alternative": os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu"),
        "sgemm_library": sgemm_provider()[0],
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
        "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY"),
    }
    openblas = loaded_openblas()
    if openblas:
        openblas.openblas_get_config.restype = ctypes.c_char_p
        openblas.openblas_get_corename.restype = ctypes.c_char_p
        info.update(
            openblas_config=openblas.openblas_get_config().decode(),
            openblas_corename=openblas.openblas_get_corename().decode(),
            openblas_threads=openblas.openblas_get_num_threads(),
        )
    return info


def generate_data(seed, weight_scale, rec_scale, out_scale):
    """Weights ~ Normal(0, scale/sqrt(fan_in)), spikes ~ Bernoulli(P_INPUT), G ~ Normal(0, 1)."""
    rng = np.random.default_rng(seed)

    def weight(fan_in, fan_out, scale):
        return (rng.standard_normal((fan_in, fan_out)) * (scale / np.sqrt(fan_in))).astype(np.float32)

    return {
        "w_in": weight(N_IN, N_HIDDEN, weight_scale),
        "w_rec": weight(N_HIDDEN, N_HIDDEN, rec_scale),
        "w_out": weight(N_HIDDEN, N_OUT, out_scale),
        "spikes": (rng.random((BATCH, STEPS, N_IN)) < P_INPUT).astype(np.uint8),
        "grad_out": rng.standard_normal((BATCH, STEPS, N_OUT)).astype(np.float32),
    }


DATA_FILES = ("w_in", "w_rec", "w_out", "spikes", "grad_out")
DATA_SHAPES = {"w_in": (N_IN, N_HIDDEN), "w_rec": (N_HIDDEN, N_HIDDEN), "w_out": (N_HIDDEN, N_OUT),
               "spikes": (BATCH, STEPS, N_IN), "grad_out": (BATCH, STEPS, N_OUT)}


def load_data(directory):
    """Read the DATA_FILES .npy arrays, checking the shapes; spikes as uint8, the rest float32."""
    data = {}
    for name in DATA_FILES:
        array = np.load(os.path.join(directory, name + ".npy"))
        if array.shape != DATA_SHAPES[name]:
            raise ValueError(f"{name}.npy has shape {array.shape}, expected {DATA_SHAPES[name]}")
        data[name] = array.astype(np.uint8 if name == "spikes" else np.float32, copy=False)
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--style", choices=sorted(FORWARDS), required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--data", help="directory with w_in/w_rec/w_out/spikes/grad_out .npy")
    parser.add_argument("--seed", type=int, default=0, help="seed for generated data (no --data)")
    parser.add_argument("--weight-scale", type=float, default=WEIGHT_SCALE,
                        help="generated W_in (and W_out unless --out-scale) ~ Normal(0, scale/sqrt(fan_in))")
    parser.add_argument("--rec-scale", type=float, default=REC_SCALE,
                        help="generated W_rec ~ Normal(0, scale/sqrt(fan_in))")
    parser.add_argument("--out-scale", type=float, default=None,
                        help="generated W_out ~ Normal(0, scale/sqrt(fan_in)) (default: --weight-scale)")
    parser.add_argument("--out", help="directory for result.json, gradients, U_o, S_h (and generated data)")
    args = parser.parse_args()

    configure_threads(args.threads)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    if args.data:
        data = load_data(args.data)
        data_info = {"source": os.path.abspath(args.data)}
    else:
        out_scale = args.weight_scale if args.out_scale is None else args.out_scale
        data = generate_data(args.seed, args.weight_scale, args.rec_scale, out_scale)
        data_info = {"source": "generated", "seed": args.seed,
                     "weight_scale": args.weight_scale, "rec_scale": args.rec_scale, "out_scale": out_scale}
        if args.out:
            for name in DATA_FILES:
                np.save(os.path.join(args.out, name + ".npy"), data[name])

    # The float conversion of the input spikes is data loading, not part of the timed step.
    x = torch.from_numpy(data["spikes"]).float()
    grad_out = torch.from_numpy(data["grad_out"])
    weights = tuple(torch.from_numpy(data[n]).requires_grad_() for n in ("w_in", "w_rec", "w_out"))
    forward = FORWARDS[args.style]
    rss_before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    times_ms = []
    for rep in range(args.warmup + args.reps):
        start = time.perf_counter()
        training_step(forward, x, weights, grad_out)
        elapsed = (time.perf_counter() - start) * 1e3
        if rep >= args.warmup:
            times_ms.append(elapsed)

    grads, u_out, s_h = training_step(forward, x, weights, grad_out)
    s_h = s_h.detach().to(torch.uint8)
    result = {
        "style": args.style,
        "threads": args.threads,
        "torch_version": torch.__version__,
        "blas": blas_info(),
        "data": data_info,
        "shape": {"batch": x.shape[0], "steps": x.shape[1], "in": x.shape[2],
                  "hidden": weights[0].shape[1], "out": weights[2].shape[1]},
        "warmup": args.warmup,
        "reps": args.reps,
        "median_ms": statistics.median(times_ms),
        "min_ms": min(times_ms),
        "times_ms": times_ms,
        "max_rss_before_timing_mib": rss_before_kib / 1024,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "autograd_saved_tensor_mib": saved_tensor_bytes(forward, x, weights, (x, grad_out) + weights) / 2**20,
        "input_spike_count": int(data["spikes"].sum()),
        "hidden_spike_count": int(s_h.sum()),
        "hidden_spike_fraction": float(s_h.float().mean()),
    }
    if args.out:
        for name, grad in zip(("grad_w_in", "grad_w_rec", "grad_w_out"), grads):
            np.save(os.path.join(args.out, name + ".npy"), grad.numpy())
        np.save(os.path.join(args.out, "u_out.npy"), u_out.detach().numpy())
        np.save(os.path.join(args.out, "s_h.npy"), s_h.numpy())
        with open(os.path.join(args.out, "result.json"), "w") as f:
            json.dump(result, f, indent=2)
    print(json.dumps({k: v for k, v in result.items() if k != "times_ms"}, indent=2))


if __name__ == "__main__":
    main()
