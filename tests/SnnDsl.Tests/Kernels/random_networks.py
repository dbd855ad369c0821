#!/usr/bin/env python3
"""Writes RandomNetworks.cs: networks that combine, at random, neuron types, connection kinds, synapse models, ports,
delays, recurrent connections and biases, for the kernel-versus-reference tests (KernelEquivalenceTests). The draws
are seeded, so the file is reproducible: python3 random_networks.py > RandomNetworks.cs (no arguments).

Every population is driven by a dense connection from the layer before it (so that none is silent and the comparison
proves something); every further connection is drawn from all kinds the DSL declares.
"""
import random

SEED = 2026
COUNT = 8

# (type, ports, is user-declared in TestNetworks.cs)
SPIKING = [
    ("Lif", [None]), ("CubaLif", [None]), ("AdaptiveLif", [None]), ("ClampedLif", [None]), ("EiLif", ["excitatory", "inhibitory"]),
    ("PaperCubaLif", [None]), ("SnnTorchSynaptic", [None]), ("SnnTorchLeakyZeroReset", [None]), ("SpyTorchLif", [None]), ("NorseLif", [None]),
]
SYNAPSES = [None, None, "ExponentialCurrent", "DifferenceOfExponentials", "Conductance"]


def network(rng, index):
    name = f"RandomNet{index}"
    inputs = [(f"In{k}", rng.randint(6, 40)) for k in range(rng.randint(1, 2))]
    hidden = [(f"H{k}",) + rng.choice(SPIKING) for k in range(rng.randint(1, 3))]
    sizes = {}
    members, connections, biases = [], [], []
    for n, size in inputs:
        sizes[n] = size
        members.append(f"[Input({size})] public partial SpikeInput {n} {{ get; }}")
    layers = [n for n, _ in inputs]
    populations = []
    for h, neuron, ports in hidden:
        source = rng.choice(layers)
        kind = rng.choice(["dense", "conv"]) if source in dict(inputs) else "dense"
        if kind == "conv":
            channels = rng.choice([c for c in (1, 2, 3) if sizes[source] % c == 0])
            length, kernel, stride, padding = sizes[source] // channels, rng.randint(1, 4), rng.randint(1, 2), rng.randint(0, 1)
            out_channels = rng.randint(1, 3)
            out_length = (length + 2 * padding - kernel) // stride + 1
            sizes[h] = out_channels * out_length
            first = ("Conv1d", source, h, f"InChannels = {channels}, OutChannels = {out_channels}, KernelSize = {kernel}, Stride = {stride}, Padding = {padding}")
        else:
            sizes[h] = rng.randint(9, 37)
            first = ("Dense", source, h, "")
        populations.append((h, neuron, ports))
        connections.append(first + (ports[0], rng.choice(SYNAPSES), rng.randint(0, 2)))
        layers.append(h)
    readout = "Out"
    sizes[readout] = rng.randint(2, 6)
    populations.append((readout, "LeakyReadout", [None]))
    connections.append(("Dense", layers[-1], readout, "", None, rng.choice(SYNAPSES), rng.randint(0, 1)))
    # Further connections: any kind between populations, recurrent ones included (delay at least 1 from a population
    # declared at or after the target).
    order = {p[0]: k for k, p in enumerate(populations)}
    for _ in range(rng.randint(1, 4)):
        target, _, ports = rng.choice(populations[:-1])
        source = rng.choice(layers)
        recurrent = source in order and order[source] >= order[target]
        kind = rng.choice(["Dense", "Sparse", "OneToOne"] if sizes[source] == sizes[target] else ["Dense", "Sparse"])
        arguments = ""
        delay = rng.randint(1 if recurrent else 0, 3)
        if kind == "Sparse":
            arguments = f"Probability = {rng.choice([0.2, 0.4, 0.7])}, Seed = {rng.randint(1, 99)}, MaxDelay = {delay + rng.randint(0, 2)}"
        connections.append((kind, source, target, arguments, rng.choice(ports), rng.choice(SYNAPSES), delay))
    for h, _, ports in populations:
        if rng.random() < 0.4:
            biases.append((h, rng.choice(ports)))

    for h, neuron, _ in populations:
        members.append(f"[Population({sizes[h]})] public partial Population<{neuron}> {h} {{ get; }}")
    for k, (kind, source, target, arguments, port, synapse, delay) in enumerate(connections):
        parts = [f"nameof({source})", f"nameof({target})"]
        if arguments:
            parts.append(arguments)
        if port:
            parts.append(f"Port = \"{port}\"")
        if synapse:
            parts.append(f"Synapse = typeof({synapse})")
        parts.append(f"Delay = {delay}")
        members.append(f"[{kind}({', '.join(parts)})] public partial {kind}Synapses {source}To{target}_{k} {{ get; }}")
    for h, port in biases:
        members.append(f"[Bias(nameof({h}){', Port = ' + chr(34) + port + chr(34) if port else ''})] public partial Bias {h}Bias {{ get; }}")
    body = "\n    ".join(members)
    return f"[Network]\npublic partial class {name}\n{{\n    {body}\n}}\n"


def main():
    rng = random.Random(SEED)
    print("// Written by random_networks.py (seed %d); do not edit, rerun the script." % SEED)
    print("using SnnDsl.Neurons;\nusing SnnDsl.Synapses;\n\nnamespace SnnDsl.Tests.Kernels;\n")
    print("\n".join(network(rng, k) for k in range(COUNT)), end="")


if __name__ == "__main__":
    main()
