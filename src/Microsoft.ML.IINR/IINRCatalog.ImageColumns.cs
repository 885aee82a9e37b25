using IINR.Trainers.Backbones;
using IINR.Trainers;

namespace Microsoft.ML.IINR;

public sealed partial class IINRCatalog
{
    // ---- image-column steps ----

    /// <summary>
    /// A pipeline step that super-resolves every image of a column, as <c>ResizeImages</c> resizes them: each row is
    /// fitted, when it is read, by <see cref="SuperResolve"/> with <paramref name="options"/>, and rendered at
    /// <paramref name="scale"/>× its size (<see cref="IINRImageTransformer"/>).
    /// </summary>
    /// <example>
    /// <code>
    /// var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder, "Path")
    ///     .Append(mlContext.Transforms.IINR.SuperResolveImages(outputColumnName: "HighRes", inputColumnName: "Image", scale: 4))
    ///     .Append(mlContext.Transforms.ResizeImages("Small", 224, 224, "HighRes"));
    /// var model = pipeline.Fit(data);     // checks the schema; fits nothing yet
    /// </code>
    /// </example>
    /// <param name="outputColumnName">The output image column.</param>
    /// <param name="inputColumnName">The input image column (<c>MLImage</c>); null = <paramref name="outputColumnName"/>.</param>
    /// <param name="scale">Output size as a multiple of the input size (sides rounded), a finite value from 1 to 64.</param>
    /// <param name="options">The task's options; null = <see cref="IINROptions.ForSuperResolution(BackboneKind, int)"/>. Copied here; the
    /// seed (given, else the MLContext's) and <see cref="InrOptions.Threads"/> (given, else 1 per fit) are fixed now.
    /// Their <see cref="IINROptions.CancellationToken"/> applies unless <paramref name="execution"/> gives one.</param>
    /// <param name="execution">Concurrency, progress and cancellation (not saved); null = the defaults.</param>
    /// <exception cref="ArgumentException">An option or argument is invalid (e.g. a scale below 1); <see cref="ArgumentException.ParamName"/> names it.</exception>
    public IINRImageEstimator SuperResolveImages(string outputColumnName, string? inputColumnName = null, double scale = 4,
        IINROptions? options = null, IINRImageExecution? execution = null)
    {
        options ??= IINROptions.ForSuperResolution();
        return ImageStepEstimator(outputColumnName, inputColumnName, options, execution,
            ImageStep.Create(_env, IINRImageTask.SuperResolution, scale, options));
    }

    /// <summary>
    /// A pipeline step that denoises every image of a column: each row is fitted, when it is read, by
    /// <see cref="Denoise"/> with <paramref name="options"/> and rendered at its size (<see cref="IINRImageTransformer"/>).
    /// With <paramref name="automaticSteps"/> each image gets its own inference steps, chosen on its held-out pixels.
    /// </summary>
    /// <param name="outputColumnName">The output image column.</param>
    /// <param name="inputColumnName">The input image column (<c>MLImage</c>); null = <paramref name="outputColumnName"/>.</param>
    /// <param name="options">The task's options; null = <see cref="IINROptions.ForDenoising"/>. Copied here, as for
    /// <see cref="SuperResolveImages"/>.</param>
    /// <param name="automaticSteps">Choose the steps per image on held-out pixels (<see cref="Denoise"/>).</param>
    /// <param name="holdOutFraction">Fraction of the pixels held out, in (0, 0.5).</param>
    /// <param name="maxSteps">Largest step count tried, 1 to 64.</param>
    /// <param name="refit">After choosing, fit again on all pixels (twice the training time).</param>
    /// <param name="execution">Concurrency, progress and cancellation (not saved); null = the defaults.</param>
    /// <exception cref="ArgumentException">An option or argument is invalid; <see cref="ArgumentException.ParamName"/> names it.</exception>
    public IINRImageEstimator DenoiseImages(string outputColumnName, string? inputColumnName = null, IINROptions? options = null,
        bool automaticSteps = true, double holdOutFraction = TaskPresets.DenoisingHoldOutFraction, int maxSteps = TaskPresets.DenoisingMaxSteps,
        bool refit = false, IINRImageExecution? execution = null)
    {
        options ??= IINROptions.ForDenoising();
        return ImageStepEstimator(outputColumnName, inputColumnName, options, execution,
            ImageStep.Create(_env, IINRImageTask.Denoising, 1, options, automaticSteps, holdOutFraction, maxSteps, refit));
    }

    private IINRImageEstimator ImageStepEstimator(string outputColumnName, string? inputColumnName, IINROptions options,
        IINRImageExecution? execution, ImageStep step)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        execution = execution?.Clone() ?? new IINRImageExecution();
        if (!execution.CancellationToken.CanBeCanceled) execution.CancellationToken = options.CancellationToken;
        return new IINRImageEstimator(new IINRImageTransformer(_env, step, inputColumnName ?? outputColumnName, outputColumnName, execution));
    }
}
