using System.Globalization;
using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;
using Microsoft.ML.IINR.Internal;
using Microsoft.ML.Runtime;

// Found by ML.NET through the assembly named in the model header (Internal/PERSISTENCE.md).
[assembly: LoadableClass(typeof(IINRImageTransformer), null, typeof(SignatureLoadModel),
    "IINR image step", IINRImageTransformer.LoaderSignature)]

namespace Microsoft.ML.IINR;

/// <summary>
/// Super-resolution or denoising of an image column, one small iterative INR per row: the transformer of
/// <see cref="IINRCatalog.SuperResolveImages"/> and <see cref="IINRCatalog.DenoiseImages"/>. It holds no weights, only
/// the step's settings: each row is fitted when it is read, by the catalog's single-image task
/// (<see cref="IINRCatalog.SuperResolve"/>, <see cref="IINRCatalog.Denoise"/>), and its model is freed once the
/// output is rendered.
/// </summary>
/// <remarks>
/// <para><b>Columns.</b> Reads <see cref="InputColumnName"/>, an image column (<see cref="MLImage"/>; alpha is
/// dropped, the colour channels are fitted as RGB), and appends <see cref="OutputColumnName"/>, an 8-bit RGB image:
/// of fixed size when the input's size is fixed, otherwise variable. A missing input image gives a missing output.</para>
/// <para><b>Same row, same pixels.</b> A row's fit is seeded from the step's seed (<see cref="ModelOptions"/>'
/// <see cref="InrOptions.Seed"/>: the options' seed, else the MLContext's, fixed when the step was created) mixed with
/// a hash of the row's image, and runs with a fixed libtorch thread count (<see cref="ThreadsPerFit"/>). So its output
/// does not depend on the row's position, the order of the rows, how many rows are fitted at once, or the process:
/// the same image gives bit-identical output every time, also after <c>mlContext.Model.Save</c>/<c>Load</c>, on the
/// same kind of device.</para>
/// <para><b>Execution.</b> <see cref="Transform"/> is lazy. Its cursors fit <see cref="ConcurrentFits"/> rows at a time
/// (<see cref="IINRImageExecution"/>); <see cref="GetRowToRowMapper"/>, and so <c>PredictionEngine</c>, fits one row per
/// call on the caller's thread; <see cref="Process{TSource}"/> runs the step on images from anywhere. Every finished row
/// is reported to the MLContext's log and to <see cref="IINRImageExecution.Progress"/>; cancelling the MLContext or
/// <see cref="IINRImageExecution.CancellationToken"/> stops the fits in progress.</para>
/// <para><b>Persistence.</b> <c>mlContext.Model.Save</c> stores the settings (task, scale, model options with the
/// resolved seed and thread count); <c>mlContext.Model.Load</c> reads them with no registration call. The execution
/// settings are not saved: a loaded step runs with the defaults until <see cref="WithExecution"/>.</para>
/// <para><b>Thread safety.</b> Immutable; may be used from several threads at once.</para>
/// </remarks>
public sealed class IINRImageTransformer : ITransformer, ICanSaveModel
{
    /// <summary>The loader signature (LoadableClass load name) of saved image steps.</summary>
    internal const string LoaderSignature = "IINRImageTransformer";

    /// <summary>The entry format: input and output column names, then the step's settings (<see cref="ImageStep.ToPayload"/>) as the payload.</summary>
    internal static readonly ModelFormat Format = new("IINR image step", "IINRIMGS", LoaderSignature,
        verWrittenCur: 0x00010001, verReadableCur: 0x00010001, verWeCanReadBack: 0x00010001);

    private readonly ContextEnvironment _env;
    private readonly ImageStep _step;
    private readonly IINRImageExecution _execution;

    /// <summary>What each row computes.</summary>
    internal ImageStep Step => _step;

    internal IINRImageTransformer(ContextEnvironment env, ImageStep step, string inputColumnName, string outputColumnName, IINRImageExecution execution)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentNullException.ThrowIfNull(execution);
        _env = env;
        _step = step;
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
        _execution = execution.Clone();
        _execution.Validate();
        MLImageConversions.RegisterVariableSizeImageType();
    }

    /// <summary>The input image column.</summary>
    public string InputColumnName { get; }

    /// <summary>The output image column.</summary>
    public string OutputColumnName { get; }

    /// <summary>Super-resolution or denoising.</summary>
    public IINRImageTask Task => _step.Task;

    /// <summary>Output size as a multiple of the input size (sides rounded); 1 for denoising.</summary>
    public double Scale => _step.Scale;

    /// <summary>Super-resolution's forward model (<see cref="IINROptions.TrainingScale"/>); 1 for denoising.</summary>
    public int TrainingScale => _step.TrainingScale;

    /// <summary>Super-resolution's rounds of back-projection of each output onto its input (<see cref="IINROptions.BackProjectionRounds"/>);
    /// 0 for denoising and for steps saved before back-projection existed.</summary>
    public int BackProjectionRounds => _step.BackProjectionRounds;

    /// <summary>Denoising: whether the inference steps are chosen per image on held-out pixels.</summary>
    public bool AutomaticSteps => _step.AutomaticSteps;

    /// <summary>The model options of every row's fit, with the step's seed (mixed with each image's hash per row) and
    /// threads per fit resolved.</summary>
    public InrOptions ModelOptions => _step.Model;

    /// <summary>libtorch threads of each fit (the options' <see cref="InrOptions.Threads"/>, else 1): fixed, so a row's pixels do not depend on how many fits run at once.</summary>
    public int ThreadsPerFit => _step.Model.Threads!.Value;

    /// <summary>Rows fitted at once (<see cref="IINRImageExecution.ConcurrentFits"/>, resolved).</summary>
    public int ConcurrentFits => _execution.ConcurrentFits > 0 ? _execution.ConcurrentFits : Math.Max(1, Environment.ProcessorCount / ThreadsPerFit);

    /// <summary>This step with other execution settings (concurrency, progress, cancellation); the pixels stay the same.</summary>
    /// <param name="execution">The settings; copied.</param>
    public IINRImageTransformer WithExecution(IINRImageExecution execution) => new(_env, _step, InputColumnName, OutputColumnName, execution);

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not an image, or its fixed size gives too large an output.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => MakeMapper(inputSchema).OutputSchema;

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => MakeMapper(inputSchema);

    /// <inheritdoc/>
    /// <remarks>Lazy: rows are fitted when a cursor reads the output column (see the class remarks). A row whose fit
    /// fails fails that cursor with an <see cref="InvalidOperationException"/> naming the column and row.</remarks>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ImageColumnDataView(input, MakeMapper(input.Schema),
            rows => StartRunner(rows, row => row.Image, job => job.Source.Position));
    }

    /// <summary>
    /// Runs the step on images from anywhere (files, a queue), outside a data view: the same per-image fit as
    /// <see cref="Transform"/>, <see cref="ConcurrentFits"/> at a time, results in the order of
    /// <paramref name="sources"/>. Sources are enumerated lazily on the caller's thread, at most 2 ×
    /// <see cref="ConcurrentFits"/> ahead of the result being consumed; <paramref name="load"/> runs on the fitting thread.
    /// </summary>
    /// <typeparam name="TSource">What identifies an image (a path, a key).</typeparam>
    /// <param name="sources">The images to process.</param>
    /// <param name="load">Loads one image (e.g. <see cref="ImageFile.Load"/>); called once per source, possibly on several threads at once.</param>
    /// <returns>One outcome per source: its output, or the exception of its load or fit (the others go on).</returns>
    /// <exception cref="OperationCanceledException">The execution's token or the MLContext was cancelled (thrown by the enumeration).</exception>
    public IEnumerable<IINRImageOutcome<TSource>> Process<TSource>(IEnumerable<TSource> sources, Func<TSource, SignalImage> load)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(load);
        return Iterate();

        IEnumerable<IINRImageOutcome<TSource>> Iterate()
        {
            using var runner = StartRunner(sources, source => load(source) ?? throw new InvalidOperationException("The load function returned null."), job => job.Index);
            while (runner.MoveNext())
            {
                var job = runner.Wait();
                var output = job.Output;
                yield return new IINRImageOutcome<TSource>(job.Source, job.Index)
                {
                    Input = job.Input,
                    Output = output?.Image,
                    ObservationPsnr = output?.ObservationPsnr ?? double.NaN,
                    Steps = output?.Steps ?? 0,
                    LoadSeconds = job.LoadSeconds,
                    TrainSeconds = output?.TrainSeconds ?? 0,
                    RenderSeconds = output?.RenderSeconds ?? 0,
                    Error = job.Error,
                };
            }
        }
    }

    // The runner of one cursor or Process call: the step on each image, progress and log per finished row.
    private ImageJobRunner<TSource> StartRunner<TSource>(IEnumerable<TSource> sources, Func<TSource, SignalImage?> load, Func<ImageJob<TSource>, long> rowOf)
    {
        return new ImageJobRunner<TSource>(_env, sources, load, (image, token) => _step.Run(_env, image, token), ConcurrentFits,
            job => Report(job.Output!, job.Input!, job.RowsDone, rowOf(job)), _execution.CancellationToken);
    }

    // Row-by-row mapping (PredictionEngine): the step on the caller's thread, with the same reports.
    private ImageColumnMapper MakeMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        string stepName = StepName;
        var (column, type) = ImageColumnRequirements.Image(inputSchema, InputColumnName, stepName);
        var outputType = ImageColumnRequirements.OutputType(_step, type, InputColumnName, stepName);
        long done = 0;
        return new ImageColumnMapper(inputSchema, column, OutputColumnName, outputType, (image, row) =>
        {
            ImageStepOutput output;
            using (var cancellation = _env.LinkCancellation(_execution.CancellationToken))
                output = _step.Run(_env, image, cancellation.Token);
            Report(output, image, Interlocked.Increment(ref done), row);
            return output.Image;
        });
    }

    private string StepName => Task == IINRImageTask.SuperResolution ? "SuperResolveImages" : "DenoiseImages";

    // A finished row to the MLContext's log (Info) and the execution's progress; called on the thread that fitted it.
    private void Report(ImageStepOutput output, SignalImage input, long rowsDone, long row)
    {
        using (var channel = _env.StartChannel())
            channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
                $"{StepName} '{OutputColumnName}': row {row} ({input.Width}×{input.Height} → {output.Image.Width}×{output.Image.Height}) done in {output.Seconds:0.0} s, observation PSNR {output.ObservationPsnr:0.00} dB; {rowsDone} rows done."));
        _execution.Progress?.Report(new IINRImageProgress(rowsDone, row, input.Width, input.Height, output.Image.Width, output.Image.Height,
            output.ObservationPsnr, output.Seconds));
    }

    // ---- persistence ----

    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, Format, [InputColumnName, OutputColumnName], _step.ToPayload());

    // Found by ComponentCatalog through the LoadableClass attribute above and called by reflection.
    private static IINRImageTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var saved = ModelPersistence.Load(ctx, Format);
        string where = ModelPersistence.KeyEntry(ctx);
        if (saved.ColumnNames.Count != 2)
            throw ModelPersistence.Damaged(Format, where, $"it names {saved.ColumnNames.Count} columns, not 2");
        ImageStep step;
        try
        {
            step = ImageStep.FromPayload(saved.Payload);
        }
        catch (InvalidDataException e)
        {
            throw new IINRModelFormatException(
                $"The {Format.DisplayName}'s settings in '{ModelPersistence.EntryPath(ctx.Directory, ModelPersistence.PayloadEntryName)}' cannot be read: {e.Message}.");
        }
        return new IINRImageTransformer(ContextEnvironment.Of(env), step, saved.ColumnNames[0], saved.ColumnNames[1], new IINRImageExecution());
    }
}
