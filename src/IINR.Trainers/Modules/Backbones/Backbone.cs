using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers.Backbones;

/// <summary>A coordinate network: N×D coordinates in, N×C signal values out.</summary>
public abstract class Backbone : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the backbone with its input and output sizes.</summary>
    protected Backbone(string name, int inputDims, int channels) : base(name)
    {
        InputDims = inputDims;
        Channels = channels;
    }

    /// <summary>D, the coordinate dimension.</summary>
    public int InputDims { get; }

    /// <summary>C, the number of output channels.</summary>
    public int Channels { get; }

    /// <summary>Multiply-adds per coordinate of one forward pass (for FLOP accounting).</summary>
    public abstract long MultiplyAddsPerCoordinate { get; }

    /// <summary>Builds the backbone that <paramref name="options"/> names, its weights drawn from <paramref name="generator"/>.</summary>
    public static Backbone Create(InrOptions options, int inputDims, int channels, Generator generator) => options.Backbone switch
    {
        BackboneKind.Siren => new SirenBackbone(inputDims, channels, options.HiddenLayers, options.HiddenSize, options.EffectiveOmega0, generator),
        BackboneKind.Wire => new WireBackbone(inputDims, channels, options.HiddenLayers, options.HiddenSize, options.EffectiveOmega0, options.EffectiveScale, generator),
        BackboneKind.Gauss => new GaussBackbone(inputDims, channels, options.HiddenLayers, options.HiddenSize, options.EffectiveScale, generator),
        BackboneKind.Finer => new FinerBackbone(inputDims, channels, options.HiddenLayers, options.HiddenSize, options.EffectiveOmega0, generator, options.FinerBiasRange),
        BackboneKind.FourierFeatures => options.FourierEncoding == FourierEncoding.Positional
            ? FourierFeaturesBackbone.Positional(inputDims, channels, options.HiddenLayers, options.HiddenSize, options.FourierOctaves, generator)
            : new FourierFeaturesBackbone(inputDims, channels, options.HiddenLayers, options.HiddenSize, options.FourierFeatureCount, options.FourierScale, generator),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Backbone, $"Unknown backbone {options.Backbone}."),
    };

    /// <summary>Multiply-adds of a chain of dense layers with the given widths.</summary>
    protected static long DenseMultiplyAdds(params int[] widths)
    {
        long sum = 0;
        for (int i = 0; i + 1 < widths.Length; i++) sum += (long)widths[i] * widths[i + 1];
        return sum;
    }

    /// <summary>Widths D, H, …, H, C of a backbone with <paramref name="hiddenLayers"/> hidden layers after the first.</summary>
    protected internal static int[] Widths(int inputDims, int hidden, int hiddenLayers, int channels)
    {
        var w = new int[hiddenLayers + 3];
        w[0] = inputDims;
        for (int i = 1; i <= hiddenLayers + 1; i++) w[i] = hidden;
        w[^1] = channels;
        return w;
    }
}
