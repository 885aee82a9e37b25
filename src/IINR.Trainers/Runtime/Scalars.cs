using TorchSharp;

namespace IINR.Trainers;

/// <summary>
/// TorchSharp turns every C# number passed to a tensor operation into a native Scalar that is
/// freed only by its finalizer, and TorchSharp's own overloads do so implicitly (add(Tensor) passes
/// alpha = 1). Left to the GC they pile up and fragment the native heap: measured here, RSS grew
/// by about a megabyte per undisposed Scalar in a training loop, gigabytes per minute. So the hot
/// paths pass Scalars explicitly: the constants below live for the process, and per-call values
/// are created and disposed with <c>using var s = value.ToScalar()</c>.
/// A hidden temporary is also a crash, not only a leak: TorchSharp's short overloads
/// (<c>add_(Scalar)</c> forwards <c>alpha: 1</c>) pass the temporary's handle to native code and
/// drop the last reference to it, so a garbage collection during the call can finalise it while
/// libtorch still reads it. Call the overloads that take every Scalar explicitly
/// (<c>NativeCallTests</c> checks the compiled library for the others).
/// </summary>
internal static class Scalars
{
    public static readonly Scalar One = 1.0f.ToScalar();
    public static readonly Scalar Two = 2.0f.ToScalar();
}
