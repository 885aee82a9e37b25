using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// FuseNet: a tiny MLP on concat(feedback features, backbone output b) returning the C-channel
/// gate (Linear(2C→100), ReLU, Linear(100→C) by default).
/// </summary>
public sealed class FuseNet : nn.Module
{
    readonly SmallMlp mlp;
    readonly int _featureCount, _channels;

    /// <summary>Creates FuseNet for <paramref name="featureCount"/> feedback features and C channels.</summary>
    public FuseNet(int featureCount, int channels, int hidden, int layerCount, Generator generator) : base(nameof(FuseNet))
    {
        _featureCount = featureCount;
        _channels = channels;
        mlp = new SmallMlp("mlp", featureCount + channels, hidden, layerCount, channels, generator);
        RegisterComponents();
    }

    /// <summary>Multiply-adds per coordinate of one evaluation.</summary>
    public long MultiplyAdds => mlp.MultiplyAdds;

    internal SmallMlp Mlp => mlp;

    /// <summary>Training form: f (N×F), b (N×C).</summary>
    public Tensor forward(Tensor f, Tensor b)
    {
        using var cat = torch.cat([f, b], 1);
        return mlp.forward(cat);
    }

    /// <summary>Inference: the b part of the first pre-activation, b·Wbᵀ + bias, which no step changes.</summary>
    public Tensor PrepareBackbone(Tensor b)
    {
        using var wb = mlp.First.weight.narrow(1, _featureCount, _channels);
        return mlp.First.bias.addmm(b, wb.t());
    }

    /// <summary>Inference: one evaluation given <see cref="PrepareBackbone"/>.</summary>
    public Tensor Step(Tensor prepared, Tensor f)
    {
        using var wf = mlp.First.weight.narrow(1, 0, _featureCount);
        using var wft = wf.t();
        var z1 = prepared.addmm(f, wft);
        return mlp.FromFirstPreActivation(z1);
    }
}
