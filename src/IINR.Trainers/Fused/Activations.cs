using System.Numerics;
using System.Runtime.CompilerServices;

namespace IINR.Trainers.Fused;

/// <summary>A backbone activation of the folded pre-activation y (bias included): its value and its derivative from one pass.</summary>
internal interface IActivation
{
    static abstract Vector<float> Value(Vector<float> y, Vector<float> inverseOmega);
    static abstract Vector<float> ValueAndDerivative(Vector<float> y, Vector<float> inverseOmega, out Vector<float> derivative);
}

/// <summary>SIREN: sin y (ω0 folded into y).</summary>
internal readonly struct SineActivation : IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Value(Vector<float> y, Vector<float> inverseOmega) => SimdMath.Sin(y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ValueAndDerivative(Vector<float> y, Vector<float> inverseOmega, out Vector<float> derivative)
    {
        SimdMath.SinCos(y, out var s, out derivative);
        return s;
    }
}

/// <summary>FINER: sin(α·y) with α = |y|/ω0 + 1 held out of the gradient, so the derivative is α·cos(α·y).</summary>
internal readonly struct FinerActivation : IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Value(Vector<float> y, Vector<float> inverseOmega) =>
        SimdMath.Sin(y * Vector.FusedMultiplyAdd(Vector.Abs(y), inverseOmega, Vector<float>.One));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ValueAndDerivative(Vector<float> y, Vector<float> inverseOmega, out Vector<float> derivative)
    {
        var alpha = Vector.FusedMultiplyAdd(Vector.Abs(y), inverseOmega, Vector<float>.One);
        SimdMath.SinCos(y * alpha, out var s, out var c);
        derivative = c * alpha;
        return s;
    }
}

/// <summary>Gauss: exp(−y²) (the scale folded into y); derivative −2y·exp(−y²).</summary>
internal readonly struct GaussActivation : IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Value(Vector<float> y, Vector<float> inverseOmega) => SimdMath.Exp(-(y * y));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ValueAndDerivative(Vector<float> y, Vector<float> inverseOmega, out Vector<float> derivative)
    {
        var e = SimdMath.Exp(-(y * y));
        derivative = y * e * new Vector<float>(-2f);
        return e;
    }
}

/// <summary>ReLU (the Fourier-features MLP); derivative 1 where y &gt; 0.</summary>
internal readonly struct ReluActivation : IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Value(Vector<float> y, Vector<float> inverseOmega) => Vector.Max(y, Vector<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ValueAndDerivative(Vector<float> y, Vector<float> inverseOmega, out Vector<float> derivative)
    {
        derivative = Vector.ConditionalSelect(Vector.GreaterThan(y, Vector<float>.Zero), Vector<float>.One, Vector<float>.Zero);
        return Vector.Max(y, Vector<float>.Zero);
    }
}
