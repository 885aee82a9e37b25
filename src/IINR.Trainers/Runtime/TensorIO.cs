using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>Copies between managed float spans and tensors (never aliasing managed memory).</summary>
internal static class TensorIO
{
    public static Tensor FromSpan(ReadOnlySpan<float> values, long rows, long cols, Device device)
    {
        var t = torch.empty([rows, cols], ScalarType.Float32);
        MemoryMarshal.AsBytes(values).CopyTo(t.bytes);
        if (device.type == DeviceType.CPU) return t;
        var moved = t.to(device);
        t.Dispose();
        return moved;
    }

    public static void ToSpan(Tensor t, Span<float> destination)
    {
        using var cpu = t.device_type == DeviceType.CPU ? t.contiguous() : t.cpu().contiguous();
        MemoryMarshal.Cast<byte, float>(cpu.bytes).CopyTo(destination);
    }
}
