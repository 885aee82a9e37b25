using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// An affine layer y = scale·(x·Wᵀ + b) with explicit, seeded initialisation. The optional scale is
/// folded into one addmm (SIREN's ω0), so it costs no extra pass over the activations.
/// </summary>
internal sealed class DenseLayer : nn.Module<Tensor, Tensor>
{
    readonly float _scale;

    public DenseLayer(string name, int inFeatures, int outFeatures, double weightBound, double biasBound,
        Generator generator, float scale = 1f, ScalarType dtype = ScalarType.Float32) : base(name)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _scale = scale;
        weight = nn.Parameter(Uniform([outFeatures, inFeatures], weightBound, generator, dtype));
        bias = nn.Parameter(Uniform([outFeatures], biasBound, generator, dtype));
        RegisterComponents();
    }

    /// <summary>PyTorch's default nn.Linear bound, 1/√in, for both weight and bias.</summary>
    public static double DefaultBound(int inFeatures) => 1.0 / Math.Sqrt(inFeatures);

    public int InFeatures { get; }
    public int OutFeatures { get; }

#pragma warning disable IDE1006 // parameter names are part of the checkpoint format
    public TorchSharp.Modules.Parameter weight;
    public TorchSharp.Modules.Parameter bias;
#pragma warning restore IDE1006

    public override Tensor forward(Tensor x) => torch.addmm(bias, x, weight.t(), _scale, _scale);

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
        return u.mul_(2 * bound).sub_(bound);
    }
}
