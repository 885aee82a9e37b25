using System.Numerics;
using IINR.Trainers.Fused;

namespace IINR.Tests.Core;

[TestClass]
public sealed class SimdMathTests
{
    [TestMethod]
    public void SinCosAndExpAreAccurateOverTheRangesActivationsReach()
    {
        var rng = new Random(2);
        int lanes = Vector<float>.Count;
        double sinCosError = 0, expError = 0;
        var x = new float[lanes];
        for (int i = 0; i < 20_000; i++)
        {
            // Sines: |x| up to 2,000 (SIREN's pre-activations stay in the tens; FINER's α·y in the hundreds); exp: its whole range.
            for (int l = 0; l < lanes; l++) x[l] = (float)((rng.NextDouble() * 2 - 1) * (i % 2 == 0 ? 2000 : 4));
            SimdMath.SinCos(new Vector<float>(x), out var s, out var c);
            var sinOnly = SimdMath.Sin(new Vector<float>(x));
            for (int l = 0; l < lanes; l++)
            {
                sinCosError = Math.Max(sinCosError, Math.Max(Math.Abs(s[l] - Math.Sin(x[l])), Math.Abs(c[l] - Math.Cos(x[l]))));
                Assert.AreEqual(s[l], sinOnly[l], $"Sin and SinCos agree at {x[l]}");
            }
            for (int l = 0; l < lanes; l++) x[l] = (float)(rng.NextDouble() * 175 - 87);
            var e = SimdMath.Exp(new Vector<float>(x));
            for (int l = 0; l < lanes; l++) expError = Math.Max(expError, Math.Abs(e[l] / Math.Exp(x[l]) - 1));
        }
        Assert.IsLessThan(1e-6, sinCosError, "largest absolute error of sin and cos");
        Assert.IsLessThan(1e-6, expError, "largest relative error of exp");
        Assert.AreEqual(0f, SimdMath.Exp(new Vector<float>(-100f))[0], "exp underflows to 0");
    }
}
