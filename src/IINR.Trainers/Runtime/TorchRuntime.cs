using TorchSharp;

namespace IINR.Trainers;

/// <summary>Process-wide libtorch settings: the compute device and the intra-op thread count.</summary>
public static class TorchRuntime
{
    // Before anything here touches libtorch: the allocator policy must be in place before the first tensor.
    static TorchRuntime() => NativeAllocator.Configure();

    static readonly object Gate = new();

    /// <summary>How libtorch's CPU memory is served on Linux (docs/PERFORMANCE.md): "default" (glibc untouched), or the
    /// opt-ins "glibc-keep" (mallopt, process-wide) and "thp", chosen by the environment variable IINR_ALLOCATOR before the first tensor.</summary>
    public static string AllocatorPolicy => NativeAllocator.Policy;

    /// <summary>Maps a device choice to a libtorch device; <see cref="ComputeDevice.Cuda"/> without a GPU is an error.</summary>
    internal static torch.Device Resolve(ComputeDevice device)
    {
        switch (device)
        {
            case ComputeDevice.Cpu: return torch.CPU;
            case ComputeDevice.Auto: return CudaAvailable ? torch.CUDA : torch.CPU;
            case ComputeDevice.Cuda:
                if (!CudaAvailable)
                    throw new InvalidOperationException(
                        "Device = Cuda was requested, but libtorch sees no CUDA device. Build with a CUDA bundle " +
                        "(-p:IINRTorchBackend=cuda-linux or cuda-windows), check the NVIDIA driver, or use Device = Auto or Cpu.");
                return torch.CUDA;
            default:
                throw new ArgumentOutOfRangeException(nameof(device), device, $"Device = {device} is not one of Auto, Cpu, Cuda.");
        }
    }

    /// <summary>True when libtorch has a usable CUDA device.</summary>
    public static bool CudaAvailable
    {
        get
        {
            try { return torch.cuda.is_available(); }
            catch (Exception) { return false; }
        }
    }

    /// <summary>libtorch's intra-op thread count (process-wide).</summary>
    public static int Threads
    {
        get => torch.get_num_threads();
        set
        {
            if (value < 1 || value > 1024)
                throw new ArgumentOutOfRangeException(nameof(value), value, "The thread count must be between 1 and 1024.");
            lock (Gate)
            {
                if (torch.get_num_threads() != value) torch.set_num_threads(value);
            }
        }
    }
}
