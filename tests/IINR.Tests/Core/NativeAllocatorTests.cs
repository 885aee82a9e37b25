using System.Diagnostics;
using IINR.Trainers;

namespace IINR.Tests.Core;

[TestClass]
public sealed class NativeAllocatorTests
{
    [TestMethod]
    public void PolicyFollowsTheEnvironmentAndDefaultsToKeepingFreedBlocks()
    {
        string expected = Environment.GetEnvironmentVariable("IINR_ALLOCATOR") ?? "glibc-keep";
        if (OperatingSystem.IsLinux() || expected == "default")
            Assert.AreEqual(expected, TorchRuntime.AllocatorPolicy);
    }

    [TestMethod]
    public void TrainingMemoryStaysBoundedWithTheDefaultPolicy()
    {
        // Keeping freed blocks must mean reusing them, not growing: after the first fits, more fits of the same size
        // may not add resident memory (the trap of mallopt(M_MMAP_MAX, 0) in ../shared/PERF-NOTES.md: +330 MB per iteration).
        var data = TestData.ImageSet(64);
        var options = new InrOptions { Device = ComputeDevice.Cpu, Threads = 1, HiddenLayers = 2, HiddenSize = 64, Iterations = 10, ChunkSize = 4096 };
        for (int i = 0; i < 2; i++) using (InrTrainer.Fit(data, options)) { }
        long before = ResidentBytes();
        for (int i = 0; i < 4; i++) using (InrTrainer.Fit(data, options)) { }
        long after = ResidentBytes();
        Assert.IsLessThan(150L << 20, after - before, $"RSS grew {(after - before) >> 20} MiB over 4 fits");
    }

    static long ResidentBytes()
    {
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }
}
