using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;
using Microsoft.ML.IINR.Internal;
using Microsoft.ML.Runtime;

// ML.NET finds the loader of a saved IINRTransformer through this attribute on the assembly named
// in the model header (Internal/PERSISTENCE.md), so no registration call is needed.
[assembly: LoadableClass(typeof(IINRTransformer), null, typeof(SignatureLoadModel),
    "IINR transformer", IINRTransformer.LoaderSignature)]

namespace Microsoft.ML.IINR;

/// <summary>
/// A fitted (iterative) implicit neural representation as an ML.NET transformer: appends the
/// reconstruction at each row's coordinates as a <c>Vector&lt;Single, C&gt;</c> column.
/// </summary>
/// <remarks>
/// <para><b>Columns.</b> Reads <see cref="CoordinatesColumnName"/>, which must be
/// <c>Vector&lt;Single, D&gt;</c> with the D it was fitted to; if the input also has
/// <see cref="SignalColumnName"/>, it must be <c>Vector&lt;Single, C&gt;</c>. All input columns
/// pass through; an input column named like the output becomes hidden.</para>
/// <para><b>Batching.</b> <see cref="Transform"/> is lazy. A cursor that reads the output fills a
/// batch of up to 8192 rows' coordinates and evaluates them with one call of the network, then
/// serves those rows; the view therefore does not shuffle and gives one cursor per request.
/// <see cref="GetRowToRowMapper"/> (and so <c>PredictionEngine</c>) evaluates one row per call.
/// The values may differ from the batched ones in the last bits, since the network's matrix
/// products are computed with different kernels for one row and for many.</para>
/// <para><b>Thread safety.</b> The transformer is immutable and may be used from several threads
/// at once; evaluations of the network are serialised (libtorch already uses every core).</para>
/// <para><b>Lifetime.</b> The weights are native memory owned by the transformer that fitted or
/// loaded them (or received them in <see cref="FromModel"/>); its <see cref="Dispose"/> frees them.
/// Transformers made with <see cref="WithSteps"/> share those weights without owning them: disposing
/// one of them frees nothing, and they stop working once the owner is disposed. A disposed
/// transformer, and views it returned, throw <see cref="ObjectDisposedException"/> when they next
/// evaluate. A <c>TransformerChain</c> disposes its transformers when it is disposed, and so does a
/// <c>PredictionEngine</c> by default (ML.NET's <c>PredictionEngineOptions.OwnsTransformer</c>): to
/// keep using the transformer, give the engine <c>WithSteps(Steps)</c>, or set OwnsTransformer = false.</para>
/// <para><b>Persistence.</b> <c>mlContext.Model.Save</c> stores the weights and options (the core's
/// checkpoint), the column names, the steps and the image frame; <c>mlContext.Model.Load</c>
/// (or <see cref="IINRModel.Load"/>, which explains failures) reads them back with no
/// registration call, and the loaded transformer gives bit-identical outputs on the same kind
/// of device. A model that ran on the CPU loads on the CPU; one that ran on a GPU loads on a GPU
/// when there is one, otherwise on the CPU.</para>
/// </remarks>
public sealed class IINRTransformer : ITransformer, ICanSaveModel, IDisposable
{
    /// <summary>The loader signature (LoadableClass load name) of saved transformers.</summary>
    internal const string LoaderSignature = "IINRTransformer";

    /// <summary>Pixels per band when rendering: what a band allocates (its coordinates and values) stays a few megabytes.</summary>
    private const int RenderBandPixels = 1 << 18;

    /// <summary>Rows per evaluation of the network in <see cref="Transform"/>'s cursors.</summary>
    internal const int BatchRows = 8192;

    /// <summary>The entry format. 0x00010002: columns, checkpoint payload (checked by its own SHA-256), then D, C, steps,
    /// device, image frame. 0x00010001 (still read) also stored a SHA-256 of the payload in Model.key.</summary>
    internal static readonly ModelFormat Format = new("IINR transformer", "IINRTRNS", LoaderSignature,
        verWrittenCur: 0x00010002, verReadableCur: 0x00010002, verWeCanReadBack: 0x00010001, lastVersionWithPayloadHash: 0x00010001);

    private readonly InrModel _model;
    private readonly bool _ownsModel;
    private readonly ComputeDevice _loadDevice;
    private int _disposed;

    private IINRTransformer(InrModel model, bool ownsModel, string coordinatesColumnName, string signalColumnName, string outputColumnName,
        int steps, ImageFrame? image, ComputeDevice loadDevice)
    {
        _model = model;
        _ownsModel = ownsModel;
        CoordinatesColumnName = coordinatesColumnName;
        SignalColumnName = signalColumnName;
        OutputColumnName = outputColumnName;
        Steps = steps;
        Image = image;
        _loadDevice = loadDevice;
        CoordinateDimension = model.InputDims;
        Channels = model.Channels;
    }

    /// <summary>
    /// Wraps a core model that is already fitted (by <see cref="InrTrainer.Fit"/>, loaded with
    /// <see cref="InrModel.Load"/>, …) as a transformer, so that it takes part in ML.NET pipelines and
    /// saves with <c>mlContext.Model.Save</c> like one from <see cref="IINREstimator.Fit"/>.
    /// </summary>
    /// <remarks>
    /// <para><b>Ownership.</b> The transformer takes ownership of <paramref name="model"/>: its weights are
    /// freed when this transformer is disposed. Do not dispose the model yourself, and do not use it after
    /// that; to keep a model of your own, wrap a copy (<see cref="InrModel.Save"/> into a stream, then
    /// <see cref="InrModel.Load"/>). If this method throws, the model stays yours.</para>
    /// <para><b>Saving.</b> Give <c>mlContext.Model.Save</c> the schema of <see cref="GetInputSchema"/>
    /// (or of the data the model was fitted to). A model that lives on the CPU loads on the CPU;
    /// one on a GPU loads on a GPU when there is one.</para>
    /// </remarks>
    /// <param name="model">The fitted model; owned by the transformer from now on.</param>
    /// <param name="image">The image the model was fitted to, which enables <see cref="RenderSignalImage"/>
    /// and <see cref="RenderImage(int, int)"/> (the model must then take 2-D coordinates and give the frame's
    /// channels); null if it was not fitted to an image.</param>
    /// <param name="steps">Inference steps, 1 to 1000; null = the steps the model was trained with
    /// (<see cref="InrOptions.Steps"/>).</param>
    /// <param name="coordinatesColumnName">Input column of coordinates, <c>Vector&lt;Single, D&gt;</c>.</param>
    /// <param name="signalColumnName">The signal column (optional at Transform time).</param>
    /// <param name="outputColumnName">Output column of the reconstruction, <c>Vector&lt;Single, C&gt;</c>.</param>
    /// <returns>The transformer; dispose it to free the weights.</returns>
    /// <exception cref="ArgumentException">A column name is empty, the coordinates and signal columns
    /// have the same name, the steps are out of range, or <paramref name="image"/> does not suit the model.</exception>
    public static IINRTransformer FromModel(InrModel model, ImageFrame? image = null, int? steps = null,
        string coordinatesColumnName = "Coordinates", string signalColumnName = "Signal", string outputColumnName = "Reconstruction")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(coordinatesColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(signalColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        if (coordinatesColumnName == signalColumnName)
            throw new ArgumentException($"The coordinates and signal columns are both named '{signalColumnName}'; they must differ.", nameof(signalColumnName));
        int k = steps ?? model.Options.Steps;
        CheckSteps(k);
        if (image is { } f)
        {
            if (model.InputDims != 2 || model.Channels != f.Channels)
                throw new ArgumentException(
                    $"The model maps {model.InputDims}-D coordinates to {model.Channels} channels, but an image frame of {f.Channels} channels needs 2-D coordinates and {f.Channels} channels.",
                    nameof(image));
            if (!f.HasValidGeometry)
                throw new ArgumentException($"The image frame ({f.Width}×{f.Height}, extents {f.ExtentX}, {f.ExtentY}) is invalid: sizes must be ≥ 1 and extents finite and > 0.", nameof(image));
        }
        var loadDevice = model.Device == ComputeDevice.Cpu ? ComputeDevice.Cpu : ComputeDevice.Auto;
        return new IINRTransformer(model, ownsModel: true, coordinatesColumnName, signalColumnName, outputColumnName, k, image, loadDevice);
    }

    /// <summary>
    /// The schema of the input this transformer reads: <see cref="CoordinatesColumnName"/>,
    /// <c>Vector&lt;Single, D&gt;</c>, and <see cref="SignalColumnName"/>, <c>Vector&lt;Single, C&gt;</c>;
    /// when <see cref="Image"/> is known, with the image size annotations of <c>mlContext.Data.LoadFromImage</c>
    /// (<see cref="IINRAnnotations"/>), i.e. the schema LoadFromImage gives for an image of that size.
    /// Pass it to <c>mlContext.Model.Save(transformer, transformer.GetInputSchema(), path)</c> when no
    /// data view is at hand (a transformer from <see cref="FromModel"/>).
    /// </summary>
    public DataViewSchema GetInputSchema()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(CoordinatesColumnName, new VectorDataViewType(NumberDataViewType.Single, CoordinateDimension),
            Image is { } f ? IINRAnnotations.ForImage(f.Width, f.Height, channels: null) : null);
        builder.AddColumn(SignalColumnName, new VectorDataViewType(NumberDataViewType.Single, Channels),
            Image is { } g ? IINRAnnotations.ForImage(g.Width, g.Height, g.Channels) : null);
        return builder.ToSchema();
    }

    /// <summary>Input column of coordinates, <c>Vector&lt;Single, D&gt;</c>.</summary>
    public string CoordinatesColumnName { get; }

    /// <summary>The signal column the model was fitted to; optional at Transform time, but <c>Vector&lt;Single, C&gt;</c> when present.</summary>
    public string SignalColumnName { get; }

    /// <summary>Output column, <c>Vector&lt;Single, C&gt;</c>.</summary>
    public string OutputColumnName { get; }

    /// <summary>D, values per coordinate (1, 2 or 3).</summary>
    public int CoordinateDimension { get; }

    /// <summary>C, values per output row.</summary>
    public int Channels { get; }

    /// <summary>Inference steps (Alg. 2) this transformer uses.</summary>
    public int Steps { get; }

    /// <summary>The image the model was fitted to (from the width/height annotations of its training data), or null if none was known.</summary>
    public ImageFrame? Image { get; }

    /// <summary>Every hyperparameter the model was fitted with (the core's record, stored with the weights).</summary>
    public InrOptions ModelOptions => Model.Options;

    /// <summary>Trainable parameters of the backbone.</summary>
    public long BackboneParameterCount => Model.BackboneParameterCount;

    /// <summary>Trainable parameters of FeedbackNet and FuseNet (0 for a plain backbone).</summary>
    public long HeadParameterCount => Model.HeadParameterCount;

    private InrModel Model
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _model;
        }
    }

    /// <summary>
    /// A transformer that evaluates the same model with <paramref name="steps"/> inference steps. It
    /// shares the weights (no copy) without owning them: it works while this transformer's owner does,
    /// and disposing it frees nothing (see the remarks on lifetime).
    /// </summary>
    /// <param name="steps">Inference steps, 1 to 1000.</param>
    public IINRTransformer WithSteps(int steps)
    {
        CheckSteps(steps);
        return new IINRTransformer(Model, ownsModel: false, CoordinatesColumnName, SignalColumnName, OutputColumnName, steps, Image, _loadDevice);
    }

    /// <summary>This transformer with <paramref name="steps"/>, taking over the weights: this one is disposed, the
    /// result owns what this one owned.</summary>
    internal IINRTransformer MoveTo(int steps)
    {
        CheckSteps(steps);
        var moved = new IINRTransformer(Model, _ownsModel, CoordinatesColumnName, SignalColumnName, OutputColumnName, steps, Image, _loadDevice);
        Volatile.Write(ref _disposed, 1);
        return moved;
    }

    /// <summary>Evaluates the model at N coordinates (N×D values, row-major) into N×C values.</summary>
    /// <param name="coordinates">N×D finite values.</param>
    /// <param name="destination">Receives N×C values.</param>
    public void Predict(ReadOnlySpan<float> coordinates, Span<float> destination) => Model.Predict(coordinates, destination, Steps);

    /// <summary>Evaluates the model at N coordinates (N×D values, row-major); returns N×C values.</summary>
    /// <param name="coordinates">N×D finite values.</param>
    public float[] Predict(ReadOnlySpan<float> coordinates) => Model.Predict(coordinates, Steps);

    /// <summary>
    /// Renders the fitted image's frame on a <paramref name="width"/>×<paramref name="height"/>
    /// pixel grid (<see cref="ImageFrame.Coordinates(int, int)"/>): at the fitted size it reconstructs the
    /// image, at a larger size it super-resolves it. Values are not clamped. The work is done in bands of
    /// rows, so memory beyond the result stays small; a result of more than <see cref="SizeLimits.MaxFloats"/>
    /// values is refused before any work (render it band by band with <see cref="RenderRows"/>).
    /// </summary>
    /// <param name="width">Output width in pixels.</param>
    /// <param name="height">Output height in pixels.</param>
    /// <exception cref="InvalidOperationException">The model was not fitted to an image (<see cref="Image"/> is null).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or the image would hold more than <see cref="SizeLimits.MaxFloats"/> values.</exception>
    public SignalImage RenderSignalImage(int width, int height)
    {
        RequireImage();
        var image = new SignalImage(width, height, Channels);
        RenderRows(width, height, 0, height, image.Data);
        return image;
    }

    /// <summary>
    /// Renders rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rowCount"/>) of the fitted
    /// image's frame on a <paramref name="width"/>×<paramref name="height"/> grid into <paramref name="destination"/>
    /// (rowCount × width × C values, row-major, channel-interleaved; not clamped): the same values as the rows of
    /// <see cref="RenderSignalImage"/>, for an image of any size produced band by band (e.g. with
    /// <c>ImageFile.SavePng(path, width, height, channels, rows)</c>).
    /// </summary>
    /// <param name="width">Grid width in pixels.</param>
    /// <param name="height">Grid height in pixels.</param>
    /// <param name="firstRow">The first row to render.</param>
    /// <param name="rowCount">Rows to render.</param>
    /// <param name="destination">Receives rowCount × width × C values.</param>
    /// <exception cref="InvalidOperationException">The model was not fitted to an image.</exception>
    public void RenderRows(int width, int height, int firstRow, int rowCount, Span<float> destination)
    {
        var frame = RequireImage();
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (firstRow < 0 || rowCount < 0 || firstRow > height - rowCount)
            throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, $"Rows {firstRow}..{(long)firstRow + rowCount - 1} do not lie in the {height} rows of the grid.");
        if (destination.Length < (long)rowCount * width * Channels)
            throw new ArgumentException($"The destination holds {destination.Length} values; {rowCount} rows of {width}×{Channels} need {(long)rowCount * width * Channels}.", nameof(destination));
        // Bands of whole rows of about a model band each: the coordinates of a band are all that is allocated.
        int band = Math.Clamp(RenderBandPixels / width, 1, Math.Max(1, rowCount));
        for (int r = 0; r < rowCount; r += band)
        {
            int rows = Math.Min(band, rowCount - r);
            Predict(frame.Coordinates(width, height, firstRow + r, rows), destination.Slice(r * width * Channels, rows * width * Channels));
        }
    }

    /// <summary>
    /// <see cref="RenderSignalImage"/> as an 8-bit <see cref="MLImage"/> (values clamped to [0, 1];
    /// grey is replicated to R, G and B); save it with <see cref="MLImage.Save"/>. The caller disposes it.
    /// Rendered band by band into the image's pixels, so memory beyond them stays small.
    /// </summary>
    /// <param name="width">Output width in pixels.</param>
    /// <param name="height">Output height in pixels.</param>
    /// <exception cref="InvalidOperationException">The model was not fitted to an image, or has other than 1 or 3 channels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or the pixels (4 bytes each) would exceed 2 GiB.</exception>
    public MLImage RenderImage(int width, int height)
    {
        RequireImage();
        if (Channels is not (1 or 3))
            throw new InvalidOperationException($"An MLImage needs 1 (grey) or 3 (RGB) channels; this model has {Channels}. Use RenderSignalImage.");
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        long bytes = SizeLimits.Product(width, height, 4);
        if (bytes > SizeLimits.MaxBytes)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"A {width}×{height} MLImage holds {SizeLimits.Gigabytes(bytes)} of pixels, more than one buffer may hold (2 GiB).");
        var pixels = new byte[bytes];
        int band = Math.Clamp(RenderBandPixels / width, 1, height);
        var values = new float[(long)band * width * Channels];
        for (int r = 0; r < height; r += band)
        {
            int rows = Math.Min(band, height - r);
            var part = values.AsSpan(0, rows * width * Channels);
            RenderRows(width, height, r, rows, part);
            ImageFile.ToRgba32(part, Channels, pixels.AsSpan(r * width * 4, rows * width * 4));
        }
        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Rgba32, pixels);
    }

    private ImageFrame RequireImage() => Image ?? throw new InvalidOperationException(
        "This transformer was not fitted to an image: its training data had no image size annotations " +
        $"({IINRAnnotations.ImageWidth}, {IINRAnnotations.ImageHeight}; mlContext.Data.LoadFromImage adds them), so its frame is unknown. " +
        "Evaluate your own coordinates with Predict or Transform instead.");

    /// <summary>
    /// <see cref="RenderImage(int, int)"/> at <paramref name="scale"/> times the fitted image's size
    /// (1 = the fitted size, 4 = four times finer; sizes rounded, at least 1 pixel).
    /// </summary>
    /// <param name="scale">Finite factor &gt; 0.</param>
    /// <exception cref="InvalidOperationException">The model was not fitted to an image.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not a finite value &gt; 0.</exception>
    public MLImage RenderImage(double scale = 1)
    {
        var frame = Image ?? throw new InvalidOperationException(
            "This transformer was not fitted to an image (its training data had no image size annotations), so there is no size to scale; " +
            "use RenderImage(width, height) on a model fitted with mlContext.Data.LoadFromImage data.");
        var (width, height) = frame.Scaled(scale);
        return RenderImage(width, height);
    }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type; the message names it and the expected type.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => MakeMapper(inputSchema).OutputSchema;

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => MakeMapper(inputSchema);

    /// <inheritdoc/>
    /// <remarks>Lazy: the network runs when a cursor reads the output column, in batches of rows. A
    /// NaN or infinite coordinate fails that cursor with an <see cref="InvalidOperationException"/>
    /// naming the column and row.</remarks>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new BatchedVectorDataView(input, MakeMapper(input.Schema), BatchRows);
    }

    private VectorColumnMapper MakeMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        int d = CoordinateDimension, c = Channels;
        var (coordinates, _) = ColumnRequirements.SingleVector(inputSchema, CoordinatesColumnName, d, d, $"the model was fitted to {d}-D coordinates");
        if (inputSchema.GetColumnOrNull(SignalColumnName) is not null)
            ColumnRequirements.SingleVector(inputSchema, SignalColumnName, c, c, $"the model was fitted to a signal of {c} channels");
        return new VectorColumnMapper(inputSchema, coordinates, d, OutputColumnName, c, Map);
    }

    private void Map(ReadOnlySpan<float> coordinates, Span<float> output, long firstRow)
    {
        int d = CoordinateDimension;
        for (int r = 0; r * d < coordinates.Length; r++)
            VectorColumnReader.CheckFinite(coordinates.Slice(r * d, d), CoordinatesColumnName, firstRow + r);
        Model.Predict(coordinates, output, Steps);
    }

    /// <summary>Frees the weights if this transformer owns them (not one from <see cref="WithSteps"/>). Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsModel)
            _model.Dispose();
    }

    // ---- persistence ----

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        var model = Model;
        using var checkpoint = new MemoryStream();
        model.Save(checkpoint);
        ModelPersistence.Save(ctx, Format, [CoordinatesColumnName, SignalColumnName, OutputColumnName], checkpoint.ToArray());
        var w = ctx.Writer;
        w.Write(CoordinateDimension);
        w.Write(Channels);
        w.Write(Steps);
        w.Write((int)_loadDevice);
        w.Write(Image is not null);
        if (Image is { } f)
        {
            w.Write(f.Width);
            w.Write(f.Height);
            w.Write(f.Channels);
            w.Write(f.ExtentX);
            w.Write(f.ExtentY);
        }
    }

    private static void CheckSteps(int steps)
    {
        if (steps is < 1 or > InrOptions.MaxSteps)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"Inference steps must be between 1 and {InrOptions.MaxSteps}; got {steps}.");
    }

    // Found by ComponentCatalog through the LoadableClass attribute above and called by reflection.
    private static IINRTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var saved = ModelPersistence.Load(ctx, Format);
        string where = ModelPersistence.KeyEntry(ctx);
        string payloadEntry = ModelPersistence.EntryPath(ctx.Directory, ModelPersistence.PayloadEntryName);
        if (saved.ColumnNames.Count != 3)
            throw ModelPersistence.Damaged(Format, where, $"it names {saved.ColumnNames.Count} columns, not 3");

        int dims, channels, steps, device;
        ImageFrame? frame = null;
        try
        {
            var r = ctx.Reader;
            dims = r.ReadInt32();
            channels = r.ReadInt32();
            steps = r.ReadInt32();
            device = r.ReadInt32();
            if (r.ReadBoolean())
            {
                int width = r.ReadInt32(), height = r.ReadInt32(), imageChannels = r.ReadInt32();
                double ex = r.ReadDouble(), ey = r.ReadDouble();
                frame = new ImageFrame(width, height, imageChannels, ex, ey);
                if (!frame.HasValidGeometry || imageChannels != channels)
                    throw ModelPersistence.Damaged(Format, where, $"its image frame ({width}×{height}×{imageChannels}, extents {ex}, {ey}) is invalid");
            }
        }
        catch (EndOfStreamException)
        {
            throw ModelPersistence.Damaged(Format, where, "it ends before the transformer's settings");
        }
        if (steps is < 1 or > InrOptions.MaxSteps || !Enum.IsDefined((ComputeDevice)device))
            throw ModelPersistence.Damaged(Format, where, $"its settings are invalid (steps {steps}, device {device})");

        InrModel model;
        try
        {
            model = InrModel.Load(new MemoryStream(saved.Payload, writable: false), (ComputeDevice)device);
        }
        catch (InvalidDataException e)
        {
            throw new IINRModelFormatException($"The weights in '{payloadEntry}' (an IINR checkpoint) cannot be read: {e.Message}");
        }
        if (model.InputDims != dims || model.Channels != channels)
        {
            model.Dispose();
            throw ModelPersistence.Damaged(Format, where, $"it declares D = {dims}, C = {channels} but its checkpoint holds D = {model.InputDims}, C = {model.Channels}");
        }
        return new IINRTransformer(model, ownsModel: true, saved.ColumnNames[0], saved.ColumnNames[1], saved.ColumnNames[2],
            steps, frame, (ComputeDevice)device);
    }
}
