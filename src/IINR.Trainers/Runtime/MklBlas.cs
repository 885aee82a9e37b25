using System.Runtime.InteropServices;
using TorchSharp;

namespace IINR.Trainers;

/// <summary>
/// fp32 matrix products straight from the MKL inside libtorch's CPU library, on the calling thread
/// only. Why: the fused CPU step runs one worker thread per core, each multiplying its own chunk;
/// through libtorch every product would fork an OpenMP team (which then spins on the other core)
/// and allocate its output. MKL's own entry points take our buffers and, with MKL's thread count
/// set to 1 for the calling thread only, run on that thread alone. Available where libtorch's CPU
/// library exports them (the Linux x64 libtorch bundles); elsewhere the autograd path runs.
/// </summary>
internal static unsafe class MklBlas
{
    static readonly delegate* unmanaged<byte*, byte*, int*, int*, int*, float*, float*, int*, float*, int*, float*, float*, int*, void> Sgemm;
    static readonly delegate* unmanaged<byte*, byte*, int*, int*, int*, float*, float*, int*, float*, int*, float*, float*, int*, void> Cgemm;
    static readonly delegate* unmanaged<int*, int> SetThreadsLocal;

    static MklBlas()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        try
        {
            // The library TorchSharp has already loaded (the probe below forces that), resolved the way TorchSharp resolves it.
            _ = torch.get_num_threads();
            if (!NativeLibrary.TryLoad("libtorch_cpu.so", typeof(torch).Assembly, null, out var lib)) return;
            if (NativeLibrary.TryGetExport(lib, "sgemm_", out var gemm) && NativeLibrary.TryGetExport(lib, "cgemm_", out var complexGemm)
                && NativeLibrary.TryGetExport(lib, "mkl_set_num_threads_local", out var local))
            {
                Sgemm = (delegate* unmanaged<byte*, byte*, int*, int*, int*, float*, float*, int*, float*, int*, float*, float*, int*, void>)gemm;
                Cgemm = (delegate* unmanaged<byte*, byte*, int*, int*, int*, float*, float*, int*, float*, int*, float*, float*, int*, void>)complexGemm;
                SetThreadsLocal = (delegate* unmanaged<int*, int>)local;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or TypeInitializationException)
        {
            // No usable libtorch CPU library: IsAvailable stays false and training takes the autograd path.
        }
    }

    /// <summary>True when MKL's sgemm, cgemm and its per-thread thread count can be called.</summary>
    public static bool IsAvailable => Sgemm != null;

    /// <summary>Sets how many threads MKL calls made from the current thread use (0: the process-wide setting); returns the
    /// previous thread-local setting, for the caller to restore (libtorch sets one on the threads it configures).</summary>
    public static int SetThreadsForCurrentThread(int threads) => SetThreadsLocal(&threads);

    /// <summary>Row-major C (m×n) = op(A)·op(B) + beta·C, with op(A) m×k and op(B) k×n; lda, ldb and ldc are row strides.</summary>
    public static void Gemm(bool transposeA, bool transposeB, int m, int n, int k, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m == 0 || n == 0) return;
        // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands, keep the flags.
        byte ta = (byte)(transposeB ? 'T' : 'N'), tb = (byte)(transposeA ? 'T' : 'N');
        float alpha = 1;
        Sgemm(&ta, &tb, &n, &m, &k, &alpha, b, &ldb, a, &lda, &beta, c, &ldc);
    }

    /// <summary><see cref="Gemm"/> for complex64 matrices stored as interleaved (real, imaginary) float pairs; sizes and
    /// strides count complex values. No operand is conjugated.</summary>
    public static void ComplexGemm(bool transposeA, bool transposeB, int m, int n, int k, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m == 0 || n == 0) return;
        byte ta = (byte)(transposeB ? 'T' : 'N'), tb = (byte)(transposeA ? 'T' : 'N');
        float* alpha = stackalloc float[] { 1, 0 };
        float* complexBeta = stackalloc float[] { beta, 0 };
        Cgemm(&ta, &tb, &n, &m, &k, alpha, b, &ldb, a, &lda, complexBeta, c, &ldc);
    }
}
