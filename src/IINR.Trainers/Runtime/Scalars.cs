using TorchSharp;

namespace IINR.Trainers;

/// <summary>
/// TorchSharp turns every C# number passed to a tensor operation into a native Scalar that is
/// freed only by its finalizer, and TorchSharp's own overloads do so implicitly (add(Tensor) passes
/// alpha = 1). Left to the GC they pile up and fragment the native heap: measured here, RSS grew
/// by about a megabyte per undisposed Scalar in a training loop, gigabytes per minute. So the hot
/// paths pass Scalars explicitly: the constants below live for the process, and per-call values
/// are created and disposed with <c>using var s = value.ToScalar()</c>.
/// </summary>
internal static class Scalars
{
    public static readonly Scalar One = 1.0f.ToScalar();
    public static readonly Scalar Two = 2.0f.ToScalar();
}
