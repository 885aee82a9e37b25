using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>Copies between managed float spans and tensors (never aliasing managed memory).</summary>
internal static class TensorIO
{
    // Rows copied at a time: a tensor's byte span is addressed with an int, so a tensor of 2 GiB or more is copied in slices.
    const long SliceBytes = 1L << 30;

    public static Tensor FromSpan(ReadOnlySpan<float> values, long rows, long cols, Device device)
    {
        var t = torch.empty([rows, cols], ScalarType.Float32);
        var bytes = MemoryMarshal.AsBytes(values);
        long step = Math.Max(1, SliceBytes / Math.Max(1, cols * sizeof(float)));
        for (long r = 0; r < rows; r += step)
        {
            long n = Math.Min(step, rows - r);
            using var slice = t.narrow(0, r, n);
            bytes.Slice((int)(r * cols * sizeof(float)), (int)(n * cols * sizeof(float))).CopyTo(slice.bytes);
        }
        if (device.type == DeviceType.CPU) return t;
        var moved = t.to(device);
        t.Dispose();
        return moved;
    }

    public static void ToSpan(Tensor t, Span<float> destination)
    {
        using var cpu = t.device_type == DeviceType.CPU ? t.contiguous() : t.cpu().contiguous();
        long rows = cpu.shape[0], cols = cpu.NumberOfElements / Math.Max(1, rows);
        long step = Math.Max(1, SliceBytes / Math.Max(1, cols * sizeof(float)));
        for (long r = 0; r < rows; r += step)
        {
            long n = Math.Min(step, rows - r);
            using var slice = cpu.narrow(0, r, n);
            MemoryMarshal.Cast<byte, float>(slice.bytes).CopyTo(destination.Slice((int)(r * cols), (int)(n * cols)));
        }
    }
}
