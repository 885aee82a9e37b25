using IINR.Signals;

namespace Microsoft.ML.IINR;

/// <summary>
/// The outcome of a single-image task of <see cref="IINRCatalog"/> (<see cref="IINRCatalog.FitImage"/>,
/// <see cref="IINRCatalog.SuperResolve"/>, <see cref="IINRCatalog.Denoise"/>): the output image, the fitted model and a
/// short report. Owns the model: dispose the result (or the model) to free its weights.
/// </summary>
public sealed class IINRImageResult : IDisposable
{
    internal IINRImageResult(IINRTransformer model, SignalImage image, double observationPsnr, double trainSeconds, double renderSeconds,
        StepSelection? stepSelection = null)
    {
        Model = model; Image = image; ObservationPsnr = observationPsnr; TrainSeconds = trainSeconds; RenderSeconds = renderSeconds;
        StepSelection = stepSelection;
    }

    /// <summary>The output: the fitted model rendered at the requested size with <see cref="IINRTransformer.Steps"/>
    /// steps; for super-resolution, then back-projected onto the input (<see cref="IINROptions.BackProjectionRounds"/>).
    /// Raw values, not clamped (an 8-bit file or <see cref="SignalImage.Clamp01"/> clips them to [0, 1]).</summary>
    public SignalImage Image { get; }

    /// <summary>The fitted model, with the inference steps the output was rendered with, in the input image's frame
    /// (<see cref="IINRTransformer.Image"/>): render it at any size, or save it with <c>mlContext.Model.Save</c>.</summary>
    public IINRTransformer Model { get; }

    /// <summary>PSNR in dB (data range 1, values not clamped) of the model seen through the task's forward model against
    /// the observed pixels: for fitting and denoising the output on the input grid, for super-resolution the render at
    /// the training scale area-averaged back to the input grid. How well the model explains what it was given, not
    /// quality against a ground truth.</summary>
    public double ObservationPsnr { get; }

    /// <summary>Wall time of fitting in seconds, including the training progress reports and, for denoising with
    /// automatic steps, the choice of steps (and the refit).</summary>
    public double TrainSeconds { get; }

    /// <summary>Wall time of rendering <see cref="Image"/> (and of its back-projection), in seconds.</summary>
    public double RenderSeconds { get; }

    /// <summary>How the inference steps were chosen (<see cref="IINRCatalog.Denoise"/> with automatic steps); null otherwise.</summary>
    public StepSelection? StepSelection { get; }

    /// <summary>Frees the model's weights.</summary>
    public void Dispose() => Model.Dispose();
}

/// <summary>How <see cref="IINRCatalog.Denoise"/> chose the stopping point and the inference steps without a clean image:
/// a seeded random part of the pixels was held out of training and predicted every few iterations, and the weights and
/// step count whose prediction there came closest to the noisy values were kept.</summary>
/// <param name="Scores">Held-out error per step count tried (1 to the largest; a plain backbone only 1) at <paramref name="Iteration"/>.</param>
/// <param name="HeldOutPixels">Pixels held out of training.</param>
/// <param name="Refitted">True when the model was then fitted again on all pixels with the chosen steps and iterations.</param>
/// <param name="Iteration">The training iteration whose weights were kept (the refit trains this many).</param>
public sealed record StepSelection(IReadOnlyList<StepScore> Scores, int HeldOutPixels, bool Refitted, int Iteration)
{
    /// <summary>The chosen step count: the one with the smallest held-out error (the fewest on a tie).</summary>
    public int Steps => Scores.MinBy(s => s.HeldOutMse).Steps;
}

/// <summary>Held-out error of one inference step count.</summary>
/// <param name="Steps">Inference steps.</param>
/// <param name="HeldOutMse">Mean squared error of the prediction at the held-out pixels against their noisy values.</param>
public readonly record struct StepScore(int Steps, double HeldOutMse);
