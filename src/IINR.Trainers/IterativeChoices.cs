namespace IINR.Trainers;

/// <summary>How FuseNet's output is combined with the backbone output b.</summary>
public enum FusionMode
{
    /// <summary>prediction = FuseNet(...) ⊙ b (the paper's choice; its ablation's best).</summary>
    Multiplicative = 0,
    /// <summary>prediction = FuseNet(...) + b.</summary>
    Additive = 1,
}

/// <summary>How the time t enters FeedbackNet.</summary>
public enum TimeEmbedding
{
    /// <summary>t as one raw input feature.</summary>
    Raw = 0,
    /// <summary>[t, sin(2ᵏπt), cos(2ᵏπt)] for k = 0..3 (9 features).</summary>
    Fourier = 1,
}

/// <summary>The activation on FuseNet's output (the gate).</summary>
public enum GateActivation
{
    /// <summary>No activation: an unbounded gate (measured best for the sine, Gabor and Gaussian backbones, where bounded
    /// gates erase the gain).</summary>
    Identity = 0,
    /// <summary>2·sigmoid(·): a gate in (0, 2) around 1, which leaves the prediction's sign to the backbone (the image presets
    /// of Fourier features, whose ReLU backbone trains slowly under a gate that starts near zero, and FINER's
    /// super-resolution).</summary>
    TwoSigmoid = 1,
    /// <summary>1 + tanh(·): a gate in (0, 2) around 1.</summary>
    OnePlusTanh = 2,
}

/// <summary>How the start state Z is drawn during training.</summary>
public enum NoiseMode
{
    /// <summary>Z is a fixed, deterministic function of the coordinate and the seed (the same Z every
    /// iteration and at inference).</summary>
    Fixed = 0,
    /// <summary>A fresh Z every iteration; inference uses the coordinate-seeded Z.</summary>
    Resampled = 1,
}

/// <summary>The distribution of Z.</summary>
public enum NoiseDistribution
{
    /// <summary>Standard normal (the paper's choice).</summary>
    Gaussian = 0,
    /// <summary>All zeros (ablation).</summary>
    Zeros = 1,
    /// <summary>All ones (ablation).</summary>
    Ones = 2,
}

/// <summary>How the training time t is drawn.</summary>
public enum TimeSampling
{
    /// <summary>One t ~ U(0, 1) per coordinate.</summary>
    PerCoordinate = 0,
    /// <summary>One t ~ U(0, 1) per iteration, shared by the batch.</summary>
    PerBatch = 1,
}

/// <summary>Where the network runs.</summary>
public enum ComputeDevice
{
    /// <summary>CUDA when libtorch sees a GPU, otherwise the CPU.</summary>
    Auto = 0,
    /// <summary>The CPU.</summary>
    Cpu = 1,
    /// <summary>The first CUDA GPU; an error when none is available.</summary>
    Cuda = 2,
}
