using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// FeedbackNet F(g_t, x, t): a tiny MLP on the intermediate state g_t (C values), the coordinate
/// x (D values) and the embedded time t; it returns C feedback features (the reading of the
/// paper's cost figures: Linear(C+D+1→30), ReLU, Linear(30→C)).
/// </summary>
public sealed class FeedbackNet : nn.Module
{
    readonly SmallMlp mlp;
    readonly int _channels, _dims;
    readonly TimeEmbedding _embedding;

    /// <summary>Creates FeedbackNet for C channels and D coordinate dimensions.</summary>
    public FeedbackNet(int channels, int dims, int hidden, int layerCount, TimeEmbedding embedding, Generator generator) : base(nameof(FeedbackNet))
    {
        _channels = channels;
        _dims = dims;
        _embedding = embedding;
        mlp = new SmallMlp("mlp", channels + dims + TimeFeatures(embedding), hidden, layerCount, channels, generator);
        RegisterComponents();
    }

    /// <summary>Multiply-adds per coordinate of one evaluation.</summary>
    public long MultiplyAdds => mlp.MultiplyAdds;

    internal SmallMlp Mlp => mlp;

    internal TimeEmbedding Embedding => _embedding;

    /// <summary>Number of features t is embedded into.</summary>
    public static int TimeFeatures(TimeEmbedding embedding) => embedding == TimeEmbedding.Fourier ? 9 : 1;

    /// <summary>Training form: g (N×C), x (N×D), t (N×1 or 1×1).</summary>
    public Tensor forward(Tensor g, Tensor x, Tensor t)
    {
        using var scope = NewDisposeScope();
        var te = Embed(t);
        if (te.shape[0] != g.shape[0]) te = te.expand(g.shape[0], te.shape[1]);
        return mlp.forward(torch.cat([g, x, te], 1)).MoveToOuterDisposeScope();
    }

    /// <summary>Inference: the x part of the first pre-activation, x·Wxᵀ + b, which no step changes.</summary>
    public Tensor PrepareCoordinates(Tensor x)
    {
        var w = mlp.First.weight;
        using var wx = w.narrow(1, _channels, _dims);
        return mlp.First.bias.addmm(x, wx.t());
    }

    /// <summary>Inference: one evaluation at a scalar time t, given <see cref="PrepareCoordinates"/>.</summary>
    public Tensor Step(Tensor prepared, Tensor g, double t)
    {
        using var scope = NewDisposeScope();
        var w = mlp.First.weight;
        using var ts = t.ToScalar();
        using var tt = torch.full([1, 1], ts, device: g.device);
        var tpart = Embed(tt).matmul(w.narrow(1, _channels + _dims, TimeFeatures(_embedding)).t()); // 1×H
        var z1 = prepared.add(tpart, Scalars.One).addmm_(g, w.narrow(1, 0, _channels).t());
        return mlp.FromFirstPreActivation(z1).MoveToOuterDisposeScope();
    }

    Tensor Embed(Tensor t)
    {
        if (_embedding == TimeEmbedding.Raw) return t.alias();
        var parts = new List<Tensor> { t };
        for (int k = 0; k < 4; k++)
        {
            using var f = (Math.PI * (1 << k)).ToScalar();
            var a = t.mul(f);
            parts.Add(a.sin());
            parts.Add(a.cos());
        }
        return torch.cat(parts, 1);
    }
}
