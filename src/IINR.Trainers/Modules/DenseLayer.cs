using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// An affine layer y = scale·(x·Wᵀ + b) with explicit, seeded initialisation. The scale (SIREN's
/// ω0) is folded into the stored parameters, W' = scale·W and b' = scale·b, so neither the forward
/// nor the backward pass spends a pass over the activations on it. Adam then trains W' with its
/// learning rate multiplied by the scale and ε divided by it (<see cref="AdamOptimizer.FoldedGroup"/>),
/// which makes every update exactly scale × the update of W: the same optimisation as the unfolded layer.
/// </summary>
internal sealed class DenseLayer : nn.Module<Tensor, Tensor>
{
    public DenseLayer(string name, int inFeatures, int outFeatures, double weightBound, double biasBound,
        Generator generator, float scale = 1f, ScalarType dtype = ScalarType.Float32) : base(name)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        LearningRateScale = scale;
        using (no_grad())
        {
            using var s = scale.ToScalar();
            weight = nn.Parameter(Uniform([outFeatures, inFeatures], weightBound, generator, dtype).mul_(s));
            bias = nn.Parameter(Uniform([outFeatures], biasBound, generator, dtype).mul_(s));
        }
        RegisterComponents();
    }

    /// <summary>PyTorch's default nn.Linear bound, 1/√in, for both weight and bias.</summary>
    public static double DefaultBound(int inFeatures) => 1.0 / Math.Sqrt(inFeatures);

    /// <summary>The folded scale: Adam's learning rate for this layer is multiplied by it and ε divided by it.</summary>
    public float LearningRateScale { get; }

    public int InFeatures { get; }
    public int OutFeatures { get; }

#pragma warning disable IDE1006 // parameter names are part of the checkpoint format
    public TorchSharp.Modules.Parameter weight;
    public TorchSharp.Modules.Parameter bias;
#pragma warning restore IDE1006

    public override Tensor forward(Tensor x) => bias.addmm(x, weight.t());

    /// <summary>U(−bound, bound); complex dtypes draw real and imaginary parts independently.</summary>
    internal static Tensor Uniform(long[] shape, double bound, Generator generator, ScalarType dtype = ScalarType.Float32)
    {
        using var _ = no_grad();
        if (dtype == ScalarType.ComplexFloat32)
        {
            using var re = Uniform(shape, bound, generator);
            using var im = Uniform(shape, bound, generator);
            return torch.complex(re, im);
        }
        var u = torch.rand(shape, ScalarType.Float32, generator: generator);
        using var twoBound = (2 * bound).ToScalar();
        using var b = bound.ToScalar();
        return u.mul_(twoBound).sub_(b);
    }
}
