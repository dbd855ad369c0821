# Attributes perf samples of the SHD training-step loop (`SnnDsl.Benchmarks profile`) to the phases of the step.
# Usage: perf script -i step.data | python3 phases.py   (perf record -g with DOTNET_PerfMapEnabled=1; docs/benchmarks.md)
import sys, re, collections
rules = [  # a sample goes to the first rule that a frame matches, frames taken from the leaf upwards
    ("Wᵀδ (PropagateErrors)", r"SpikeOps::Propagate|SpikeOps::NonZeroRows"),
    ("weight gradients (Σ_t S ⊗ ∂L/∂x)", r"OuterOverTime|SpikeEvents::"),
    ("neuron backward (StepBackward)", r"::StepBackward"),
    ("chunk reduction and clears", r"NetworkGradients::(SumOf|Clear|Add)"),
    ("forward: neuron step", r"(CubaLif|LeakyReadout)::Step\("),
    ("forward: copies into the recordings", r"Memmove.*|StateRecording::(Record|Stream)"),
    ("forward: loop, checks, rest", r"__SimulateFrame"),
    ("backward: loop, adjoint adds, rest", r"__BackwardFrame"),
]
counts = collections.Counter(); total = 0; outside = 0
def classify(frames):
    # The generated Simulate and Backward run in frames (their loop bodies: __SimulateFrame::Sample, __BackwardFrame::Chunk).
    in_step = any(re.search(r"__SimulateFrame|__BackwardFrame|NetworkGradients::SumOf", f) for f in frames)
    if not in_step: return None
    # The forward pass's row sums, whether or not their SpikeOps entry point (SumSpikes, AccumulateSpikes) was inlined
    # into the generated loop; the spike lists they read (SpikeList::List) count with them.
    if any("__SimulateFrame" in f for f in frames) and any(re.search(r"SpikeOps::(AccumulateSpikes|SumSpikes|AddSpikingRows|AddRows|AddRowEdges|ActiveNeurons)|SpikeList::List", f) for f in frames):
        return "forward: synaptic accumulation"
    for f in frames:
        for phase, pattern in rules:
            if re.search(pattern, f):
                if phase.startswith("forward: copies") and not any("__SimulateFrame" in g for g in frames): continue
                return phase
    return "other (runtime, kernel)"
block = []
def flush():
    global total, outside
    if not block: return
    phase = classify(block)
    if phase is None: outside += 1; return
    total += 1; counts[phase] += 1
for line in sys.stdin:
    if not line.strip(): flush(); block = []; continue
    if line[0] not in " \t": block = []; continue
    block.append(line.strip())
flush()
for phase, n in counts.most_common(): print(f"{phase:42s} {100*n/total:5.1f} %")
print(f"samples in the step {total}, outside (start-up, JIT, data loading, idle workers) {outside}")
