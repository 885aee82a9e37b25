using System.Runtime.InteropServices;

namespace IINR.Trainers;

/// <summary>
/// An opt-in for how libtorch's CPU memory is served on Linux, chosen by the application with the
/// environment variable IINR_ALLOCATOR. The autograd path allocates and frees the same large
/// activation blocks every iteration; with glibc's defaults those blocks come from fresh pages that
/// are returned on free, so every iteration pays page faults for them. The fused CPU step allocates
/// nothing per iteration, so by default the library leaves the process's allocator alone
/// (docs/PERFORMANCE.md). Applied once, before the first tensor, by <see cref="TorchRuntime"/>.
/// </summary>
internal static partial class NativeAllocator
{
    const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3;
    const string DefaultPolicy = "default";

    /// <summary>The policy in effect: "default" (leave glibc alone), "glibc-keep" (mallopt: keep freed
    /// blocks for reuse, process-wide) or "thp" (libtorch's transparent-huge-page allocation), from the
    /// environment variable IINR_ALLOCATOR.</summary>
    public static string Policy { get; private set; } = DefaultPolicy;

    /// <summary>Applies the policy; called once, from <see cref="TorchRuntime"/>'s static constructor.</summary>
    public static void Configure()
    {
        string policy = Environment.GetEnvironmentVariable("IINR_ALLOCATOR") ?? DefaultPolicy;
        if (policy is not ("glibc-keep" or "thp" or "default"))
        {
            // Runs inside TorchRuntime's static constructor: a warning, not an exception that would break every later call.
            Console.Error.WriteLine($"IINR: IINR_ALLOCATOR='{policy}' is not one of glibc-keep, thp, default; leaving glibc's allocator alone.");
            policy = "default";
        }
        Policy = policy;
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            switch (policy)
            {
                case "glibc-keep":
                    // Blocks up to 256 MiB come from the heap, and the heap keeps up to 1 GiB of free space
                    // instead of returning it to the kernel: freed activations are reused, not re-faulted.
                    mallopt(M_MMAP_THRESHOLD, 256 << 20);
                    mallopt(M_TRIM_THRESHOLD, 1 << 30);
                    break;
                case "thp":
                    // Read by libtorch at its first allocation; Environment.SetEnvironmentVariable would not reach native getenv.
                    setenv("THP_MEM_ALLOC_ENABLE", "1", 0);
                    break;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Policy = "default"; // not glibc (e.g. musl): nothing to tune
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
