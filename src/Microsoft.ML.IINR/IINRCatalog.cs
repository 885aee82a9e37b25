using IINR.Signals;
using IINR.Signals.Geometry;
using IINR.Trainers;
using IINR.Trainers.Backbones;
using Microsoft.ML.IINR.Internal;

namespace Microsoft.ML.IINR;

/// <summary>
/// The entry point for implicit neural representations in ML.NET: <c>mlContext.Transforms.IINR</c>. Its
/// components use the <see cref="MLContext"/> it came from: its log, its seed and its cancellation.
/// </summary>
/// <example>
/// <code>
/// var data = mlContext.Data.LoadFromImage("photo.png");            // one row per pixel
/// using var model = mlContext.Transforms.IINR.Fit(data, new IINROptions { Model = new() { Iterations = 500 } });
/// var metrics = mlContext.Transforms.IINR.Evaluate(model.Transform(data));
/// using var large = model.RenderImage(4 * 256, 4 * 256);           // super-resolution
/// large.Save("photo-4x.png");
///
/// using var upscaled = mlContext.Transforms.IINR.SuperResolve(ImageFile.Load("small.png"), scale: 4);
/// ImageFile.SavePng(upscaled.Image, "small-4x.png");
/// </code>
/// </example>
public sealed partial class IINRCatalog
{
    private readonly ContextEnvironment _env;

    internal IINRCatalog(ContextEnvironment env) => _env = env;

    /// <summary>Creates an estimator that fits an (iterative) implicit neural representation.</summary>
    /// <param name="options">Columns and hyperparameters; null = all defaults. Copied and validated here.</param>
    /// <exception cref="ArgumentException">An option is invalid; <see cref="ArgumentException.ParamName"/> names it.</exception>
    public IINREstimator Trainer(IINROptions? options = null) => new(_env, options ?? new IINROptions());

    /// <summary>Fits a model to <paramref name="data"/>: <c>Trainer(options).Fit(data)</c>.</summary>
    /// <param name="data">Coordinates and signal columns (see <see cref="IINREstimator"/>).</param>
    /// <param name="options">Columns and hyperparameters; null = all defaults.</param>
    /// <returns>The fitted transformer; dispose it to free the weights.</returns>
    public IINRTransformer Fit(IDataView data, IINROptions? options = null) => Trainer(options).Fit(data);

    // ---- single-image and occupancy tasks ----

    /// <summary>
    /// Fits <paramref name="image"/> on its pixel grid and renders the reconstruction at its size.
    /// </summary>
    /// <param name="image">The image (1 to 64 channels).</param>
    /// <param name="options">Null = <see cref="IINROptions.ForFitting(BackboneKind)"/> (SIREN). WIRE, Gauss and Fourier features on the positional encoding
    /// with no learning rate set train at 1e-2 (WIRE at ω0 = 5) when the backbone has fewer than half a weight per pixel value
    /// (<see cref="TaskPresets.FittingForSignal"/>); the fitted model's options show the values used.</param>
    /// <returns>The reconstruction, the model and the report; dispose it to free the model.</returns>
    public IINRImageResult FitImage(SignalImage image, IINROptions? options = null) =>
        ImageTasks.FitImage(_env, image, options ?? IINROptions.ForFitting());

    /// <summary>
    /// Super-resolves <paramref name="image"/>: fits it through the area-average forward model at
    /// <see cref="IINROptions.TrainingScale"/> (the network renders the image's frame on the finer grid, and the
    /// averages of its cells are fitted to the pixels), then renders the frame at <paramref name="scale"/>× the
    /// input size (any scale: beyond the training scale the model is queried zero-shot).
    /// </summary>
    /// <param name="image">The low-resolution image.</param>
    /// <param name="scale">Output size as a multiple of the input size (sides rounded, <see cref="ImageFrame.Scaled"/>), a finite value &gt; 0.</param>
    /// <param name="options">Null = <see cref="IINROptions.ForSuperResolution(SignalImage, BackboneKind, int)"/> for the image (SIREN, training scale 2).</param>
    /// <returns>The upscaled image, the model and the report; dispose it to free the model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not a finite value &gt; 0, or gives more than 64 megapixels.</exception>
    public IINRImageResult SuperResolve(SignalImage image, double scale, IINROptions? options = null) =>
        ImageTasks.SuperResolve(_env, image, scale, options ?? IINROptions.ForSuperResolution(image));

    /// <summary>
    /// Denoises <paramref name="noisy"/> by fitting it and rendering the fit. When to stop training and the inference
    /// steps decide the result (a longer fit and more steps recover more detail, and eventually the noise): with
    /// <paramref name="automaticSteps"/> both are chosen without a clean image. A seeded random
    /// <paramref name="holdOutFraction"/> of the pixels is left out of training and predicted about 20 times during it
    /// with 1 to <paramref name="maxSteps"/> steps; the weights and step count whose prediction there came closest to the
    /// noisy values are kept: the noise there is independent of the fit, so the expected held-out error is the error
    /// against the clean image plus the noise variance. The model trained without the held-out pixels renders the
    /// output, unless <paramref name="refit"/> fits again on all of them.
    /// </summary>
    /// <param name="noisy">The noisy image.</param>
    /// <param name="options">Null = <see cref="IINROptions.ForDenoising"/> (SIREN). With fixed steps, <see cref="InrOptions.Steps"/>
    /// and all <see cref="InrOptions.Iterations"/>.</param>
    /// <param name="automaticSteps">Choose the stopping iteration and the steps on held-out pixels (a plain backbone: the stopping iteration).</param>
    /// <param name="holdOutFraction">Fraction of the pixels held out, in (0, 0.5).</param>
    /// <param name="maxSteps">Largest step count tried, 1 to 64.</param>
    /// <param name="refit">After choosing, fit again on all pixels (twice the training time).</param>
    /// <returns>The denoised image, the model with the steps used, how they were chosen; dispose it to free the model.</returns>
    public IINRImageResult Denoise(SignalImage noisy, IINROptions? options = null, bool automaticSteps = true,
        double holdOutFraction = TaskPresets.DenoisingHoldOutFraction, int maxSteps = TaskPresets.DenoisingMaxSteps, bool refit = false) =>
        ImageTasks.Denoise(_env, noisy, options ?? IINROptions.ForDenoising(), automaticSteps, holdOutFraction, maxSteps, refit);

    /// <summary>
    /// Fits the occupancy of a voxel grid (D = 3, C = 1; <c>LoadFromOccupancy</c>'s rows), predicts it on the grid,
    /// measures the IoU at 0.5 and extracts the 0.5 isosurface by marching cubes. The grid is all there is to learn
    /// and to score on: with a mesh, prefer <see cref="FitOccupancy(TriangleMesh, IINROptions?, OccupancyFitOptions?)"/>,
    /// which learns the shape between the voxel centres and scores it there.
    /// </summary>
    /// <param name="volume">The 0/1 grid; its voxel centres span [−1, 1]³ (<see cref="VoxelGrid"/>).</param>
    /// <param name="options">Null = <see cref="IINROptions.ForOccupancy"/> (SIREN).</param>
    /// <returns>The model, the predicted grid, the IoU and the surface; dispose it to free the model.</returns>
    public IINROccupancyResult FitOccupancy(OccupancyVolume volume, IINROptions? options = null) =>
        OccupancyTask.Fit(_env, volume, options ?? IINROptions.ForOccupancy());

    /// <summary>
    /// Fits the occupancy of a closed mesh (D = 3, C = 1) in continuous space: by default on points uniform in the box
    /// and near the surface, labelled by the generalised winding number (or on the voxel grid, the paper's protocol:
    /// <see cref="OccupancyFitOptions.TrainingPoints"/>). Measures the IoU at 0.5 on the R³ grid, on the 2R³ grid and
    /// on uniform random points off any grid, and extracts the 0.5 isosurface of the R³ prediction by marching cubes.
    /// </summary>
    /// <param name="mesh">Outward-oriented mesh in [−1, 1]³ (<see cref="TriangleMesh.NormalizeToUnitCube"/>).</param>
    /// <param name="options">Null = <see cref="IINROptions.ForOccupancy"/> (SIREN).</param>
    /// <param name="occupancy">Sampling and scoring; null = the defaults of <see cref="OccupancyFitOptions"/>.</param>
    /// <returns>The model, the predicted R³ grid, the three IoUs and the surface; dispose it to free the model.</returns>
    /// <exception cref="ArgumentException">The mesh does not lie in [−1, 1]³ or encloses nothing, or an option is invalid
    /// (<see cref="ArgumentException.ParamName"/> names it).</exception>
    public IINROccupancyResult FitOccupancy(TriangleMesh mesh, IINROptions? options = null, OccupancyFitOptions? occupancy = null) =>
        OccupancyTask.Fit(_env, mesh, options ?? IINROptions.ForOccupancy(), occupancy ?? new OccupancyFitOptions());

    // ---- evaluation ----

    /// <summary>
    /// Reconstruction quality of a scored data view (one that went through an
    /// <see cref="IINRTransformer"/>): <see cref="IINRMetrics.FromDataView"/>.
    /// </summary>
    /// <param name="data">Holds the signal and reconstruction columns.</param>
    /// <param name="signalColumnName">The reference signal column.</param>
    /// <param name="reconstructionColumnName">The reconstruction column.</param>
    public IINRMetrics Evaluate(IDataView data, string signalColumnName = "Signal", string reconstructionColumnName = "Reconstruction") =>
        IINRMetrics.FromDataView(data, signalColumnName, reconstructionColumnName);

    /// <summary>
    /// Occupancy quality (IoU) of a scored data view of 3D occupancy: <see cref="OccupancyMetrics.FromDataView"/>.
    /// </summary>
    /// <param name="data">Holds the signal and reconstruction columns, one value per row.</param>
    /// <param name="threshold">A value above it counts as occupied.</param>
    /// <param name="signalColumnName">The reference occupancy column.</param>
    /// <param name="reconstructionColumnName">The reconstruction column.</param>
    public OccupancyMetrics EvaluateOccupancy(IDataView data, float threshold = OccupancyMetrics.DefaultThreshold,
        string signalColumnName = "Signal", string reconstructionColumnName = "Reconstruction") =>
        OccupancyMetrics.FromDataView(data, threshold, signalColumnName, reconstructionColumnName);
}
