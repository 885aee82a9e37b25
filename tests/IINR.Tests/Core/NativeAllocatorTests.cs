using System.Diagnostics;
using System.Runtime.InteropServices;
using IINR.Trainers;

namespace IINR.Tests.Core;

[TestClass]
public sealed class NativeAllocatorTests
{
    [TestMethod]
    public void PolicyFollowsTheEnvironmentAndLeavesGlibcAloneByDefault()
    {
        string expected = Environment.GetEnvironmentVariable("IINR_ALLOCATOR") ?? "default";
        if (OperatingSystem.IsLinux() || expected == "default")
            Assert.AreEqual(expected, TorchRuntime.AllocatorPolicy);
    }

    [StructLayout(LayoutKind.Sequential)]
    struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [DllImport("libc")] static extern MallInfo2 mallinfo2();
    [DllImport("libc")] static extern nint malloc(nuint size);
    [DllImport("libc")] static extern void free(nint block);

    [TestMethod]
    public void TrainingMemoryStaysBounded()
    {
        // Fits must reuse memory, not grow: after the first fits, more fits of the same size may not add resident memory
        // (whatever the policy; the trap of mallopt(M_MMAP_MAX, 0) measured here was +330 MB per iteration).
        var data = TestData.ImageSet(64);
        var options = new InrOptions { Device = ComputeDevice.Cpu, Threads = 1, HiddenLayers = 2, HiddenSize = 64, Iterations = 10, ChunkSize = 4096 };
        for (int i = 0; i < 2; i++) using (InrTrainer.Fit(data, options)) { }
        long before = ResidentBytes();
        for (int i = 0; i < 4; i++) using (InrTrainer.Fit(data, options)) { }
        long after = ResidentBytes();
        Assert.IsLessThan(150L << 20, after - before, $"RSS grew {(after - before) >> 20} MiB over 4 fits");
    }

    [TestMethod]
    public void AnUnknownPolicyIsNamedAndIgnored()
    {
        // The policy is read once per process, so this runs the CLI (next to the tests) in a process of its own.
        string cli = Path.Combine(AppContext.BaseDirectory, "iinr.dll");
        var start = new ProcessStartInfo("dotnet", [cli, "fit", "--input", "builtin:testscene:8", "--iterations", "2", "--hidden-layers", "1",
            "--hidden-size", "8", "--threads", "1", "--device", "cpu", "--quiet"])
        { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment["IINR_ALLOCATOR"] = "jemalloc";
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, error);
        StringAssert.Contains(error, "IINR_ALLOCATOR='jemalloc' is not one of glibc-keep, thp, default");
    }

    static long ResidentBytes()
    {
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }
}
