using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// The tiny ReLU MLP behind FeedbackNet and FuseNet: in→H→…→H→out with PyTorch's default
/// initialisation. Exposes its first layer so a caller can precompute the part of the first
/// pre-activation that does not change between inference steps.
/// </summary>
internal sealed class SmallMlp : nn.Module<Tensor, Tensor>
{
    readonly TorchSharp.Modules.ModuleList<DenseLayer> layers;

    public SmallMlp(string name, int inFeatures, int hidden, int layerCount, int outFeatures, Generator generator) : base(name)
    {
        layers = new TorchSharp.Modules.ModuleList<DenseLayer>();
        for (int i = 0; i < layerCount; i++)
        {
            int fin = i == 0 ? inFeatures : hidden;
            int fout = i == layerCount - 1 ? outFeatures : hidden;
            double b = DenseLayer.DefaultBound(fin);
            layers.Add(new DenseLayer($"l{i}", fin, fout, b, b, generator));
        }
        MultiplyAdds = 0;
        foreach (var l in layers) MultiplyAdds += (long)l.InFeatures * l.OutFeatures;
        RegisterComponents();
    }

    public DenseLayer First => layers[0];

    /// <summary>The layers in order; ReLU between them, none after the last.</summary>
    public IReadOnlyList<DenseLayer> Layers => [.. layers];

    public long MultiplyAdds { get; }

    public override Tensor forward(Tensor x) => FromFirstPreActivation(layers[0].forward(x));

    /// <summary>Runs the rest of the MLP given the first layer's pre-activation z1 (which it may overwrite when no gradient is recorded).</summary>
    public Tensor FromFirstPreActivation(Tensor z1)
    {
        Tensor h = z1;
        for (int i = 1; i < layers.Count; i++)
        {
            var a = h.requires_grad ? nn.functional.relu(h) : h.relu_();
            h = layers[i].forward(a);
        }
        return h;
    }
}
