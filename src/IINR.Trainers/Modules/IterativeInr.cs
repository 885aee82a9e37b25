using IINR.Trainers.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// The network f_θ(g_t, x, t) = FuseNet(FeedbackNet(g_t, x, t), b) ⊙ b with b = Backbone(x), or the
/// bare backbone in plain mode. The backbone runs once per coordinate; the heads run per step.
/// </summary>
public sealed class IterativeInr : nn.Module
{
    readonly Backbone backbone;
    readonly FeedbackNet? feedback;
    readonly FuseNet? fuse;

    /// <summary>Builds the network for D-dimensional coordinates and C channels, weights drawn from <paramref name="generator"/>.</summary>
    public IterativeInr(InrOptions options, int inputDims, int channels, Generator generator) : base(nameof(IterativeInr))
    {
        Options = options;
        InputDims = inputDims;
        Channels = channels;
        backbone = Backbones.Backbone.Create(options, inputDims, channels, generator);
        if (options.Iterative)
        {
            if (options.UseFeedbackNet)
                feedback = new FeedbackNet(channels, inputDims, options.FeedbackHiddenSize, options.FeedbackLayers, options.TimeEmbedding, generator);
            if (options.UseFuseNet)
                fuse = new FuseNet(channels, channels, options.FuseHiddenSize, options.FuseLayers, generator);
        }
        RegisterComponents();
    }

    /// <summary>The hyperparameters.</summary>
    public InrOptions Options { get; }

    /// <summary>D.</summary>
    public int InputDims { get; }

    /// <summary>C.</summary>
    public int Channels { get; }

    /// <summary>True when the heads are active (not plain mode).</summary>
    public bool IsIterative => Options.Iterative;

    /// <summary>The backbone module.</summary>
    public Backbone BackboneNetwork => backbone;

    /// <summary>Parameters of the backbone.</summary>
    public long BackboneParameterCount => backbone.parameters().Sum(p => p.numel() * (p.is_complex() ? 2 : 1));

    /// <summary>Parameters of FeedbackNet and FuseNet together (0 in plain mode).</summary>
    public long HeadParameterCount => (feedback?.parameters().Sum(p => p.numel()) ?? 0) + (fuse?.parameters().Sum(p => p.numel()) ?? 0);

    /// <summary>Multiply-adds per coordinate of the backbone.</summary>
    public long BackboneMultiplyAdds => backbone.MultiplyAddsPerCoordinate;

    /// <summary>Multiply-adds per coordinate of one refinement step.</summary>
    public long HeadMultiplyAdds => (feedback?.MultiplyAdds ?? 0) + (fuse?.MultiplyAdds ?? 0);

    /// <summary>Trainable parameters grouped by learning-rate scale (see <see cref="DenseLayer"/>) and by
    /// whether they belong to the heads (FeedbackNet, FuseNet), which may have their own learning rate.</summary>
    internal IEnumerable<(float Scale, bool Head, List<TorchSharp.Modules.Parameter> Parameters)> ParameterGroups()
    {
        var groups = new SortedDictionary<(bool Head, float Scale), List<TorchSharp.Modules.Parameter>>();
        void Collect(nn.Module? module, bool head)
        {
            if (module is null) return;
            foreach (var m in module.modules())
            {
                if (m is not DenseLayer d) continue;
                if (!groups.TryGetValue((head, d.LearningRateScale), out var list)) groups[(head, d.LearningRateScale)] = list = [];
                list.Add(d.weight);
                list.Add(d.bias);
            }
        }
        Collect(backbone, false);
        Collect(feedback, true);
        Collect(fuse, true);
        int total = groups.Values.Sum(l => l.Count);
        if (total != parameters().Count())
            throw new InvalidOperationException("Every trainable parameter must live in a DenseLayer.");
        return groups.Select(kv => (kv.Key.Scale, kv.Key.Head, kv.Value));
    }

    internal FeedbackNet? Feedback => feedback;

    internal FuseNet? Fuse => fuse;

    /// <summary>b = Backbone(x).</summary>
    public Tensor Backbone(Tensor x) => backbone.forward(x);

    /// <summary>Training form of f_θ: b (N×C), g_t (N×C), x (N×D), t (N×1 or 1×1).</summary>
    public Tensor Predict(Tensor b, Tensor g, Tensor x, Tensor t)
    {
        if (!IsIterative) return b.alias();
        using var scope = NewDisposeScope();
        var f = feedback is null ? g : feedback.forward(g, x, t);
        var gate = fuse is null ? f : fuse.forward(f, b);
        return Combine(gate, b).MoveToOuterDisposeScope();
    }

    /// <summary>Inference: what no step changes (the heads' x and b parts), computed once per coordinate batch.</summary>
    public Refinement Prepare(Tensor b, Tensor x) =>
        new(b, feedback?.PrepareCoordinates(x), fuse?.PrepareBackbone(b));

    /// <summary>Inference form of f_θ at a scalar time t.</summary>
    public Tensor Predict(Refinement r, Tensor g, double t)
    {
        if (!IsIterative) return r.Backbone.alias();
        using var scope = NewDisposeScope();
        var f = feedback is null ? g : feedback.Step(r.FeedbackPart!, g, t);
        var gate = fuse is null ? f : fuse.Step(r.FusePart!, f);
        return Combine(gate, r.Backbone).MoveToOuterDisposeScope();
    }

    Tensor Combine(Tensor gate, Tensor b)
    {
        gate = Options.Gate switch
        {
            GateActivation.Identity => gate,
            // Not in place: sigmoid's and tanh's backward read their outputs.
            GateActivation.TwoSigmoid => gate.sigmoid().mul(Scalars.Two),
            GateActivation.OnePlusTanh => gate.tanh().add(Scalars.One, Scalars.One),
            _ => throw new InvalidOperationException($"Unknown gate activation {Options.Gate}."),
        };
        return Options.Fusion == FusionMode.Multiplicative ? gate.mul(b) : gate.add(b, Scalars.One);
    }

    /// <summary>The per-batch state of inference: b and the heads' precomputed parts.</summary>
    public sealed record Refinement(Tensor Backbone, Tensor? FeedbackPart, Tensor? FusePart);
}
