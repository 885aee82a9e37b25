using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// Adam (Kingma and Ba 2015) over parameter groups with per-group learning rate and ε, as PyTorch
/// computes it (complex parameters are updated as pairs of reals, like torch.optim.Adam). Written
/// here rather than using TorchSharp's optimiser because that one creates undisposed native
/// Scalars on every step (see <see cref="Scalars"/>).
/// </summary>
internal sealed class AdamOptimizer : IDisposable
{
    readonly List<Group> _groups = [];
    readonly double _beta1, _beta2;
    readonly Scalar _b1, _b2, _oneMinusB1, _oneMinusB2;
    long _step;

    sealed class Group(List<(TorchSharp.Modules.Parameter P, Tensor M, Tensor V)> items, double eps)
    {
        public List<(TorchSharp.Modules.Parameter P, Tensor M, Tensor V)> Items { get; } = items;
        public double Eps { get; } = eps;
        public double LearningRate { get; set; }
    }

    public AdamOptimizer(IEnumerable<(IEnumerable<TorchSharp.Modules.Parameter> Parameters, double LearningRate, double Eps)> groups,
        double beta1 = 0.9, double beta2 = 0.999)
    {
        _beta1 = beta1; _beta2 = beta2;
        _b1 = beta1.ToScalar(); _b2 = beta2.ToScalar();
        _oneMinusB1 = (1 - beta1).ToScalar(); _oneMinusB2 = (1 - beta2).ToScalar();
        using var _ = no_grad();
        foreach (var (ps, lr, eps) in groups)
        {
            var items = ps.Select(p =>
            {
                using var r = Real(p);
                return (p, torch.zeros_like(r).DetachFromDisposeScope(), torch.zeros_like(r).DetachFromDisposeScope());
            }).ToList();
            _groups.Add(new Group(items, eps) { LearningRate = lr });
        }
    }

    /// <summary>PyTorch's default ε.</summary>
    public const double DefaultEps = 1e-8;

    /// <summary>
    /// The group for parameters stored folded, p' = scale·p (see <see cref="DenseLayer"/>): Adam at
    /// learning rate lr·scale and ε/scale on p' makes exactly the updates, times the scale, that Adam at
    /// lr and ε makes on p (the gradient of p' is the gradient of p over the scale).
    /// </summary>
    public static (IEnumerable<TorchSharp.Modules.Parameter> Parameters, double LearningRate, double Eps) FoldedGroup(
        IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate, double scale, double eps = DefaultEps) =>
        (parameters, learningRate * scale, eps / scale);

    /// <summary>Sets group <paramref name="index"/>'s learning rate.</summary>
    public void SetLearningRate(int index, double lr) => _groups[index].LearningRate = lr;

    /// <summary>One update from the accumulated gradients; then zeroes them.</summary>
    public void Step()
    {
        _step++;
        double bc1 = 1 - Math.Pow(_beta1, _step), bc2 = 1 - Math.Pow(_beta2, _step);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var invSqrtBc2 = (1 / Math.Sqrt(bc2)).ToScalar();
        foreach (var group in _groups)
        {
            using var eps = group.Eps.ToScalar();
            using var negStep = (-group.LearningRate / bc1).ToScalar();
            foreach (var (p, m, v) in group.Items)
            {
                using var grad = p.grad;
                if (grad is null) continue;
                using var g = Real(grad);
                using var w = Real(p);
                m.mul_(_b1).add_(g, _oneMinusB1);
                v.mul_(_b2).addcmul_(g, g, _oneMinusB2);
                using var denom = v.sqrt().mul_(invSqrtBc2).add_(eps, Scalars.One);
                w.addcdiv_(m, denom, negStep);
                grad.zero_();
            }
        }
    }

    // A real view of a (possibly complex) tensor: updates through it reach the tensor.
    static Tensor Real(Tensor t) => t.is_complex() ? torch.view_as_real(t) : t.alias();

    public void Dispose()
    {
        foreach (var g in _groups)
            foreach (var (_, m, v) in g.Items) { m.Dispose(); v.Dispose(); }
        _b1.Dispose(); _b2.Dispose(); _oneMinusB1.Dispose(); _oneMinusB2.Dispose();
    }
}
