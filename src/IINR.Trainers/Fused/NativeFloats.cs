using System.Runtime.InteropServices;

namespace IINR.Trainers.Fused;

/// <summary>A 64-byte-aligned block of floats outside the GC heap (stable address, no pinning), zeroed unless the
/// owner writes every value before reading it. Equal alignment everywhere also keeps MKL on one code path, so equal
/// inputs give equal bits.</summary>
internal sealed unsafe class NativeFloats : IDisposable
{
    public NativeFloats(long length, bool zeroed = true)
    {
        Length = Math.Max(0, length);
        Pointer = (float*)NativeMemory.AlignedAlloc((nuint)(Math.Max(1, Length) * sizeof(float)), 64);
        if (zeroed) NativeMemory.Clear(Pointer, (nuint)(Length * sizeof(float)));
    }

    public float* Pointer { get; private set; }

    public long Length { get; }

    public Span<float> Span => new(Pointer, checked((int)Length));

    public void Dispose()
    {
        if (Pointer == null) return;
        NativeMemory.AlignedFree(Pointer);
        Pointer = null;
    }
}
