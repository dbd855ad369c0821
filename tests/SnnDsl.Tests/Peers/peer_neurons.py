#!/usr/bin/python3
"""Reference vectors for SnnDsl's built-in neurons, re-implemented in plain PyTorch
from the paper (Neftci, Mostafa & Zenke 2019) and from snnTorch, SpyTorch and Norse.

Run:  OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 peer_neurons.py
Writes peer_neurons.json next to this file. See README.md for sources and conventions.

Setting: 7 input channels -> dense W[7, 5] -> 5 neurons; batch 3, 40 steps.
x[b, t, i] = sum_j S_in[b, t, j] * W[j, i]. States start at 0. P = the neuron's own
spike of the previous step, detached. Recorded U, I are the values at the end of a step.
Loss L = sum cU*U + sum cI*I + sum cS*S; we report dL/dW and dL/d(trainable scalars).
"""
import json
import math
import os
import re

import numpy as np
import torch

B, T, N_IN, N = 3, 40, 7, 5
P_IN = 0.3  # Bernoulli probability of an input spike


class Spike(torch.autograd.Function):
    """Theta(z) = 1 if z > 0 else 0 (strict); backward = surrogate."""

    @staticmethod
    def forward(ctx, z, surrogate):
        ctx.save_for_backward(z)
        ctx.surrogate = surrogate
        return (z > 0).to(z.dtype)

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        if ctx.surrogate == "FastSigmoid":
            # SuperSpike / fast sigmoid, slope 100 (SpyTorch SurrGradSpike, Norse SuperSpike):
            # g / (100*|z| + 1)^2   -- a division, as both libraries write it
            return g / (100.0 * torch.abs(z) + 1.0).pow(2), None
        # snnTorch ATan, alpha = 2: (alpha/2) / (1 + (pi/2*alpha*z)^2) * g,
        # evaluated like snnTorch: the Python scalar pi/2*alpha (= pi) times z, squared, +1,
        # then alpha/2 (= 1.0) divided by it, then times g.
        alpha = 2.0
        return alpha / 2 / (1 + (math.pi / 2 * alpha * z).pow(2)) * g, None


MARGIN = []  # |z| of every threshold test, to check that no spike sits on a rounding edge


def spike(z, surrogate):
    MARGIN.append(z.detach().abs().min().item())
    return Spike.apply(z, surrogate)


# ---- one step of each neuron: (x_t, U, I, P, parameters p, surrogate) -> (U, I, S) ----

def paper_cuba_lif(x, U, I, P, p, sg):
    # Neftci, Mostafa & Zenke 2019, discrete CUBA LIF: U[n+1] = beta U[n] + I[n] - S[n],
    # I[n+1] = alpha I[n] + input[n], S = Theta(U - theta). The membrane uses the OLD current.
    U = p["Beta"] * U + I - p["Threshold"] * P
    I = p["Alpha"] * I + x
    return U, I, spike(U - p["Threshold"], sg)


def snntorch_synaptic(x, U, I, P, p, sg):
    # snnTorch Synaptic, reset by subtraction (reset_delay=True): reset R = Theta(mem_prev - thr),
    # detached, which is the previous spike P. syn = clamp(alpha)*syn + x; mem = clamp(beta)*mem + syn - R*thr
    R = P
    I = p["Alpha"].clamp(0, 1) * I + x
    U = p["Beta"].clamp(0, 1) * U + I
    U = U - R * p["Threshold"]
    return U, I, spike(U - p["Threshold"], sg)


def snntorch_synaptic_zero(x, U, I, P, p, sg):
    # snnTorch Synaptic, reset to zero: the freshly integrated membrane m is removed when R = 1;
    # the synaptic current is not reset.
    R = P
    I = p["Alpha"].clamp(0, 1) * I + x
    m = p["Beta"].clamp(0, 1) * U + I
    U = m - m * R
    return U, I, spike(U - p["Threshold"], sg)


def snntorch_leaky(x, U, I, P, p, sg):
    # snnTorch Leaky, reset by subtraction: mem = clamp(beta)*mem + x - R*thr
    R = P
    U = p["Beta"].clamp(0, 1) * U + x - R * p["Threshold"]
    return U, None, spike(U - p["Threshold"], sg)


def snntorch_leaky_zero(x, U, I, P, p, sg):
    # snnTorch Leaky, reset to zero: the OLD mem is zeroed first, then decay and input.
    R = P
    U = (1 - R) * U
    U = p["Beta"].clamp(0, 1) * U + x
    return U, None, spike(U - p["Threshold"], sg)


def spytorch_lif(x, U, I, P, p, sg):
    # SpyTorch tutorial 1: new_mem = (beta*mem + syn)*(1 - out.detach()), new_syn = alpha*syn + h.
    # Our step t produces SpyTorch's (syn[t+1], mem[t+1]) and our S[t] is SpyTorch's out[t+1];
    # P (our S[t-1]) is SpyTorch's out[t]. The membrane uses the OLD current.
    U = (p["Beta"] * U + I) * (1.0 - P)
    I = p["Alpha"] * I + x
    return U, I, spike(U - p["Threshold"], sg)


def norse_lif(x, U, I, P, p, sg):
    # Norse lif_feed_forward_step (LIFCell): forward Euler, products grouped as in the source,
    # i.e. (dt * tau_mem_inv) first and (-dt * tau_syn_inv) first.
    i_new = I + x
    dv = p["Dt"] * p["TauMemInv"] * ((p["VLeak"] - U) + i_new)
    v_decayed = U + dv
    di = -p["Dt"] * p["TauSynInv"] * i_new
    i_decayed = i_new + di
    S = spike(v_decayed - p["VTh"], sg)
    # reset with the NEW spike, not detached (the feed-forward step keeps it in the graph)
    U = (1 - S) * v_decayed + S * p["VReset"]
    return U, i_decayed, S


SNN = dict(Alpha=0.8187, Beta=0.9048, Threshold=1.0)
NORSE = dict(Dt=0.001, TauMemInv=100.0, TauSynInv=200.0, VLeak=0.0, VTh=1.0, VReset=0.0)

# name, step function, surrogate, parameters, trainable, has I, seed, weight gain
# (seeds are the first ones, counting up from 101, 202, ..., 707, that pass the checks in make())
NEURONS = [
    ("PaperCubaLif", paper_cuba_lif, "FastSigmoid", SNN, ["Alpha", "Beta"], True, 101, 0.35),
    ("SnnTorchSynaptic", snntorch_synaptic, "ArcTan", SNN, ["Alpha", "Beta"], True, 329, 0.35),
    ("SnnTorchSynapticZero", snntorch_synaptic_zero, "ArcTan", SNN, ["Alpha", "Beta"], True, 304, 0.35),
    ("SnnTorchLeaky", snntorch_leaky, "ArcTan", dict(Beta=0.9048, Threshold=1.0), ["Beta"], False, 448, 0.8),
    ("SnnTorchLeakyZero", snntorch_leaky_zero, "ArcTan", dict(Beta=0.9048, Threshold=1.0), ["Beta"], False, 661, 0.8),
    ("SpyTorchLif", spytorch_lif, "FastSigmoid", SNN, ["Alpha", "Beta"], True, 661, 0.35),
    ("NorseLif", norse_lif, "FastSigmoid", NORSE, ["TauMemInv", "TauSynInv"], True, 781, 1.2),
]


def run(step, sg, params, trainable, has_i, s_in, w, up, dtype):
    """Unroll T steps in `dtype`; return spikes, states and gradients (all numpy)."""
    W = torch.tensor(w, dtype=dtype, requires_grad=True)
    p = {k: torch.tensor(v, dtype=dtype, requires_grad=k in trainable) for k, v in params.items()}
    x = torch.matmul(torch.tensor(s_in, dtype=dtype), W)  # [B, T, N]
    U = torch.zeros(B, N, dtype=dtype)
    I = torch.zeros(B, N, dtype=dtype)
    P = torch.zeros(B, N, dtype=dtype)
    Us, Is, Ss = [], [], []
    for t in range(T):
        U, I, S = step(x[:, t], U, I if has_i else None, P, p, sg)
        P = S.detach()
        Us.append(U), Ss.append(S)
        if has_i:
            Is.append(I)
    rec = {"U": torch.stack(Us, 1), "S": torch.stack(Ss, 1)}
    if has_i:
        rec["I"] = torch.stack(Is, 1)
    loss = sum((torch.tensor(up[k], dtype=dtype) * rec[k]).sum() for k in up)
    loss.backward()
    out = {k: v.detach().numpy() for k, v in rec.items()}
    out["gW"] = W.grad.numpy()
    out["gP"] = {k: p[k].grad.numpy() for k in trainable}
    out["x"] = x.detach().numpy()
    return out


def f32list(a):
    return [float(np.float32(v)) for v in np.asarray(a).ravel()]


def simulate(step, sg, params, trainable, has_i, seed, gain):
    """Draw inputs, weights and upstream gradients from `seed`; run in float32 and float64."""
    rng = np.random.RandomState(seed)
    s_in = (rng.rand(B, T, N_IN) < P_IN).astype(np.float32)
    w = rng.normal(0.0, gain / math.sqrt(N_IN), size=(N_IN, N)).astype(np.float32)
    keys = ["U", "I", "S"] if has_i else ["U", "S"]
    up = {k: rng.normal(0.0, 1.0, size=(B, T, N)).astype(np.float32) for k in keys}
    MARGIN.clear()
    r32 = run(step, sg, params, trainable, has_i, s_in, w, up, torch.float32)
    r64 = run(step, sg, params, trainable, has_i, s_in, w.astype(np.float64), up, torch.float64)
    return s_in, w, up, r32, r64, min(MARGIN)


def make(name, step, sg, params, trainable, has_i, seed, gain):
    params = {k: float(np.float32(v)) for k, v in params.items()}  # float64 run uses the same values
    # Robust vectors: 10-30 % of (b, t, i) fire, every neuron fires at least 3 times and not always,
    # float32 and float64 agree on every spike, and no threshold test lies within 1e-4 of 0.
    # Try seed, seed+1, ... until all hold (deterministic).
    for seed in range(seed, seed + 1000):
        s_in, w, up, r32, r64, margin = simulate(step, sg, params, trainable, has_i, seed, gain)
        S = r32["S"]
        rate, per_neuron = S.mean(dtype=np.float64), S.reshape(-1, N).mean(0)
        same_spikes = bool(np.array_equal(S, r64["S"]))
        if (0.10 <= rate <= 0.30 and (per_neuron >= 3 / (B * T)).all() and (per_neuron < 1).all()
                and same_spikes and margin > 1e-4):
            break
    else:
        raise RuntimeError(name + ": no suitable seed")
    # float32 vs float64 gradients: max |g32 - g64| / max |g64| per gradient tensor (dL/dW and
    # each dL/dparam), maximised; also the plain elementwise max |g32 - g64| / |g64|.
    rel, rel_elem = 0.0, 0.0
    for g32, g64 in [(r32["gW"], r64["gW"])] + [(r32["gP"][k], r64["gP"][k]) for k in trainable]:
        d = np.abs(g32.astype(np.float64) - g64)
        rel = max(rel, float(d.max() / np.abs(g64).max()))
        rel_elem = max(rel_elem, float((d / np.abs(g64)).max()))
    state_diff = max(float(np.abs(r32[k] - r64[k]).max()) for k in ("U", "I") if k in r32)
    print(f"{name:21s} seed {seed} gain {gain}  rate {rate:.3f}  per-neuron {np.round(per_neuron, 3)}  "
          f"margin {margin:.1e}  grad rel diff {rel:.1e} (elementwise {rel_elem:.1e})  state diff {state_diff:.1e}")

    keys = list(up)
    states = {"U": f32list(r32["U"])}
    if has_i:
        states["I"] = f32list(r32["I"])
    return {
        "name": name, "surrogate": sg, "batch": B, "steps": T, "inputs": N_IN, "neurons": N,
        "parameters": params,
        "trainable": trainable,
        "input_spikes": [int(v) for v in s_in.ravel()],
        "weights": f32list(w),
        "spikes": [int(v) for v in S.ravel()],
        "states": states,
        "upstream": {k: f32list(up[k]) for k in keys},
        "grad_weights": f32list(r32["gW"]),
        "grad_parameters": {k: float(np.float32(r32["gP"][k])) for k in trainable},
        "float64_max_rel_diff": rel,
        "float64_max_elementwise_rel_diff": rel_elem,
        "float64_max_state_abs_diff": state_diff,
        "float64_spikes_identical": same_spikes,
        "firing_rate": float(rate),
        "min_threshold_margin": margin,
        "seed": seed,
        "weight_gain": gain,
    }


def main():
    torch.set_num_threads(1)  # fixed reduction order -> reproducible float32 gradients
    doc = {"generator": "peer_neurons.py", "torch": torch.__version__,
           "neurons": [make(*n) for n in NEURONS]}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer_neurons.json")
    text = json.dumps(doc, indent=1)
    # keep every flat array on one line (numbers are written by repr, exact for float32 values)
    text = re.sub(r"\[[^\[\]{}]*\]", lambda m: re.sub(r"\s+", "", m.group(0)).replace(",", ", "), text)
    with open(path, "w") as f:
        f.write(text + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
