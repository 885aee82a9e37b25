using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// Algorithm 2: g_1 = Z, then g_{t−δ} = (δ/t)·f(g_t, t) + (1 − δ/t)·g_t for t = 1, 1−δ, …, δ with
/// δ = 1/steps. The last step has δ = t, so it returns f itself.
/// </summary>
public static class IterativeSampler
{
    /// <summary>Runs <paramref name="steps"/> steps from <paramref name="z"/>; <paramref name="f"/> evaluates f_θ(g, t).
    /// The caller owns <paramref name="z"/>; the result is a new tensor.</summary>
    public static Tensor Run(Tensor z, int steps, Func<Tensor, double, Tensor> f)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(f);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Inference needs at least one step.");
        Tensor g = z;
        for (int k = 0; k < steps; k++)
        {
            double t = (double)(steps - k) / steps;
            double ratio = 1.0 / (steps - k); // δ/t, exact
            var fx = f(g, t);
            Tensor next;
            if (k == steps - 1) next = fx;
            else
            {
                // (δ/t)·f + (1 − δ/t)·g (f may alias g or b, so no in-place update of it)
                using var a = ratio.ToScalar();
                using var b = (1 - ratio).ToScalar();
                next = fx.mul(a).add_(g, b);
                fx.Dispose();
            }
            if (!ReferenceEquals(g, z)) g.Dispose();
            g = next;
        }
        return g;
    }

    /// <summary>The times t at which f is evaluated, for <paramref name="steps"/> steps.</summary>
    public static double[] Times(int steps) => Enumerable.Range(0, steps).Select(k => (double)(steps - k) / steps).ToArray();
}
