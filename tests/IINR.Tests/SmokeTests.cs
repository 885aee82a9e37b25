using TorchSharp;

namespace IINR.Tests;

[TestClass]
public sealed class NativeLoadTests
{
    [TestMethod]
    public void LibTorchLoadsAndMultiplies()
    {
        using var a = torch.ones(2, 3);
        using var b = torch.ones(3, 4);
        using var c = a.matmul(b);
        Assert.AreEqual(3f, c[1, 2].ToSingle());
    }
}
