using IINR.Signals;
using IINR.Trainers.Backbones;

namespace IINR.Trainers;

/// <summary>
/// The hyperparameters each task starts from, per backbone: image fitting, super-resolution,
/// denoising and 3D occupancy. This file is the one table of task defaults: the ML.NET presets
/// (<c>IINROptions.ForFitting</c> and its siblings), the <c>iinr</c> commands, the benchmark and the
/// examples all start here. Every value was chosen by measurement on a 2-core CPU budget (about 300
/// iterations); the evidence is in docs/DEFAULTS.md and docs/CLI.md. Anything not listed keeps the
/// <see cref="InrOptions"/> default.
/// </summary>
public static class TaskPresets
{
    // ---- the table: per-task values (change numbers here; docs/DEFAULTS.md holds the evidence) ----

    const int FittingIterations = 300;
    // WIRE: its image default ω0 = 20 fits worse than 10 whether the network is small against the image or large; a lower
    // ω0 helps only small networks and costs large ones (s0 stays 10).
    const double FittingWireOmega0 = 10;
    // Fourier features on images (fitting, super-resolution, denoising): the ReLU backbone starts near zero, and an unbounded
    // gate that also starts near zero slows both factors of gate ⊙ b; a gate around 1 (2·sigmoid) starts the iterative model
    // where the plain one starts. Occupancy keeps the unbounded gate, which scored higher there.
    const GateActivation FourierImageGate = GateActivation.TwoSigmoid;
    // A network small against its signal (under half a backbone weight per value; the paper's Kodak runs sit at 0.23): WIRE
    // and Gauss fit it best at a higher learning rate, WIRE at a lower ω0 too; both cost a larger WIRE network 6–11 dB.
    const double FittingSmallNetworkWeightsPerValue = 0.5;
    const double FittingSmallNetworkLearningRate = 1e-2;
    const double FittingSmallNetworkWireOmega0 = 5;
    // A network sized to a budget of weights rather than a width: Fourier features' Gaussian encoding (m = 256) feeds 512 inputs to
    // the first layer, which takes most of a small budget (at 0.23 weights per value, 3×11 for a 96×96 colour image); the
    // positional encoding to the signal's Nyquist frequency feeds 2·D·L (24 for 96×96) and leaves the width to the network.
    const FourierEncoding FittingBudgetFourierEncoding = FourierEncoding.Positional;

    // A smaller network trained longer than for fitting: 4× super-resolution of a small image has few observed values per
    // weight, and the paper's 3×256 fills the s² unknowns between them with invented texture.
    const int SuperResolutionIterations = 600;
    const int SuperResolutionGaussIterations = 1200; // Gauss, plain and iterative, still gains from 600 to 1,200; the others do not
    const int SuperResolutionHiddenLayers = 2;
    const int SuperResolutionHiddenSize = 128;      // for 32×32 observations and fewer
    const int SuperResolutionMaxHiddenSize = 256;   // from 64×64 observations on
    // A lower ω0 than for fitting: the rendered grid has s² unknowns per observed pixel, which a high ω0 fills with high frequencies.
    const double SuperResolutionSineOmega0 = 15; // SIREN
    // FINER's activation sin((|z|+1)·z) reaches higher frequencies than SIREN's at the same ω0, so it needs a lower one.
    const double SuperResolutionFinerOmega0 = 8;
    // FINER's first-layer biases: FINER's U(−1, 1) starts units up the sine's rising frequency; a narrower range starts them
    // lower, which suits the s² unknowns between observed pixels.
    const double SuperResolutionFinerBiasRange = 0.3;
    // I-FINER: under the unbounded gate, gate and b may change sign together, and where both cross zero between the observed
    // pixels the render draws dark contour lines; a gate in (0, 2) leaves the sign to b. 1 + tanh has the identity's slope at 0.
    const GateActivation SuperResolutionFinerGate = GateActivation.OnePlusTanh;
    // WIRE: a low frequency and a wide envelope, and the higher learning rate its authors use.
    const double SuperResolutionWireOmega0 = 4;
    const double SuperResolutionWireScale = 4;
    const double SuperResolutionWireLearningRate = 5e-3;
    const double SuperResolutionGaussScale = 5;     // Gauss s: 10 renders ringing between the observed pixels
    // Fourier features: σ = 10 (the fitting default) puts frequencies between the observed pixels that nothing constrains.
    const double SuperResolutionFourierScale = 1;

    const int DenoisingIterations = 300;
    // Lower frequencies keep the fit from reproducing the noise.
    const double DenoisingSineOmega0 = 10; // SIREN, FINER
    const double DenoisingWireOmega0 = 5;  // the WIRE baselines' denoising scripts
    const double DenoisingScale = 5;       // WIRE s0, Gauss s: the baselines' σ0
    const double DenoisingFourierScale = 2; // Fourier features: σ = 10 reproduces the noise
    // SIREN: with a fixed Z the heads can tie each pixel's noise to its own Z; a fresh Z every iteration prevents it. The
    // other backbones already gain from iteration with a fixed Z.
    const NoiseMode DenoisingSirenNoise = NoiseMode.Resampled;

    // Sampled training points make each batch new, so the fit keeps improving well past image fitting's budget;
    // a 3×256 network memorises them instead (the width that generalises on 500k points is 128).
    const int OccupancyIterations = 1000;
    const int OccupancyHiddenSize = 128;
    const int OccupancyBatchSize = 16384;   // random coordinate batches: an R³ grid or 500k sampled points are large
    // Lower than SIREN's 30: off the training points a high ω0 puts ripples between them.
    const double OccupancySineOmega0 = 15;  // SIREN, FINER
    const double OccupancyGaussScale = 10;  // Gauss s: 5 and below blur the surface once the points no longer limit it
    const double OccupancyGaussLearningRate = 5e-3;
    // WIRE: its own occupancy settings (ω0 = 10, s0 = 40) fit the training points but not the space between them;
    // a wider envelope (s0 = 5) with a matching ω0 generalises. The learning rate and its decay are WIRE's.
    const double OccupancyWireOmega0 = 5;
    const double OccupancyWireScale = 5;
    const double OccupancyWireLearningRate = 5e-3;
    const double OccupancyWireFinalLearningRateFactor = 0.2;
    // Fourier features: σ = 10 (the fitting default) memorises the training points; a low band generalises.
    const double OccupancyFourierScale = 1.5;
    const int OccupancyWireHiddenLayers = 2;        // the WIRE code base's depth and width, as measured
    const int OccupancyWireHiddenSize = 256;
    // The iterative heads train slower than the backbone: at the backbone's rate the iterative model trailed the plain one
    // between the training points. A short run wants them at the backbone's rate: slow heads have not caught up by then.
    const double OccupancyHeadLearningRate = 3e-4;
    const double OccupancyWireHeadLearningRate = 1e-4;  // slower still for WIRE: at 3e-4 I-WIRE trailed plain WIRE
    const int OccupancySlowHeadsMinIterations = 500;
    // WIRE underfits its training points at 1,000 iterations; at 2,000 plain WIRE passes IoU 0.99 off the grid.
    const int OccupancyWireIterations = 2000;

    /// <summary>Super-resolution's training scale s: the network renders the observed image's frame on the
    /// s× grid, and the s×s averages are fitted to the observed pixels (the paper's 2).</summary>
    public const int SuperResolutionTrainingScale = 2;

    /// <summary>Super-resolution's rounds of back-projection: the render is corrected until it area-averages back to
    /// the observed image (<see cref="Resampling.BackProject"/>), which the training's s×s average at the training scale
    /// does not ensure at the output's scale.</summary>
    public const int SuperResolutionBackProjectionRounds = Resampling.DefaultBackProjectionRounds;

    /// <summary>Denoising with automatic steps: the fraction of the pixels held out from training to choose the steps.</summary>
    public const double DenoisingHoldOutFraction = 0.05;

    /// <summary>Denoising with automatic steps: the largest step count tried (1 to this).</summary>
    public const int DenoisingMaxSteps = 8;

    // ---- the presets ----

    /// <summary>Fitting a signal on its own sample grid (an image on its pixels): 300 iterations, WIRE at ω0 = 10,
    /// Fourier features with a gate around 1 (<see cref="GateActivation.TwoSigmoid"/>); WIRE, Gauss and positional Fourier features on a
    /// network small against the signal at a higher learning rate, WIRE at ω0 = 5 (<see cref="FittingForSignal"/>, applied once the signal is known).</summary>
    /// <param name="backbone">The backbone.</param>
    public static InrOptions Fitting(BackboneKind backbone = BackboneKind.Siren) => new()
    {
        Backbone = backbone,
        Iterations = FittingIterations,
        Omega0 = backbone is BackboneKind.Wire ? FittingWireOmega0 : null,
        Gate = ImageGate(backbone),
    };

    /// <summary>The fitting preset for a network small against its signal: when the backbone has fewer than half a weight
    /// per signal value and the learning rate is left to the preset (null), WIRE, Gauss and Fourier features on the positional
    /// encoding train at 1e-2, and WIRE at the
    /// preset's ω0 = 10 moves to ω0 = 5 (another ω0 stays); otherwise <paramref name="options"/> unchanged. The defaults suit
    /// networks with several weights per value and leave a small one under-fitted. The ML.NET <c>FitImage</c> applies it
    /// (and so <c>iinr fit</c> and the bench's fit suite).</summary>
    /// <param name="options">The fitting options, network size included.</param>
    /// <param name="inputDims">D, the coordinate dimensions (2 for an image).</param>
    /// <param name="channels">C, the values per coordinate.</param>
    /// <param name="signalValues">The signal's values: samples × channels (≥ 1).</param>
    public static InrOptions FittingForSignal(InrOptions options, int inputDims, int channels, long signalValues)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDims, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(signalValues, 1);
        bool raisesRate = options.Backbone is BackboneKind.Wire or BackboneKind.Gauss
            || options is { Backbone: BackboneKind.FourierFeatures, FourierEncoding: FourierEncoding.Positional };
        if (options.LearningRate is not null || !raisesRate)
            return options;
        if (BackboneWeightsPerValue(options, inputDims, channels, signalValues) >= FittingSmallNetworkWeightsPerValue)
            return options;
        return options with
        {
            LearningRate = FittingSmallNetworkLearningRate,
            Omega0 = options.Backbone is BackboneKind.Wire && options.Omega0 == FittingWireOmega0 ? FittingSmallNetworkWireOmega0 : options.Omega0,
        };
    }

    /// <summary>The fitting preset for a network sized to a budget of backbone weights per signal value rather than to a width
    /// (the paper's Kodak runs: 3×300 on 768×512×3, 0.23): the widest network of the options' depth within the budget
    /// (<see cref="WidthForWeightsPerValue"/>), then <see cref="FittingForSignal"/>. Fourier features fit on the positional encoding
    /// up to the Nyquist frequency of <paramref name="longestAxisSamples"/> (<see cref="FourierFeaturesBackbone.NyquistOctaves"/>):
    /// the Gaussian encoding's 2m inputs would take most of a small budget into the first layer.</summary>
    /// <param name="options">The fitting options; their hidden width is replaced.</param>
    /// <param name="weightsPerValue">The budget: backbone weights per signal value (&gt; 0).</param>
    /// <param name="inputDims">D, the coordinate dimensions (2 for an image).</param>
    /// <param name="channels">C, the values per coordinate.</param>
    /// <param name="signalValues">The signal's values: samples × channels (≥ 1).</param>
    /// <param name="longestAxisSamples">Samples along the signal's longest axis (an image's larger side; ≥ 2).</param>
    public static InrOptions FittingForBudget(InrOptions options, double weightsPerValue, int inputDims, int channels, long signalValues, int longestAxisSamples)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(longestAxisSamples, 2);
        // The budget, dimensions and values are checked by the width search, before anything is sized.
        if (options.Backbone is BackboneKind.FourierFeatures)
            options = options with
            {
                FourierEncoding = FittingBudgetFourierEncoding,
                FourierOctaves = FourierFeaturesBackbone.NyquistOctaves(longestAxisSamples),
            };
        options = options with { HiddenSize = WidthForWeightsPerValue(weightsPerValue, signalValues, options, inputDims, channels) };
        return FittingForSignal(options, inputDims, channels, signalValues);
    }

    /// <summary><see cref="FittingForBudget(InrOptions, double, int, int, long, int)"/> for fitting <paramref name="image"/> on its
    /// pixels (D = 2, C = its channels, its larger side for the Nyquist frequency).</summary>
    /// <param name="options">The fitting options; their hidden width is replaced.</param>
    /// <param name="weightsPerValue">The budget: backbone weights per image value (&gt; 0).</param>
    /// <param name="image">The image to fit.</param>
    public static InrOptions FittingForBudget(InrOptions options, double weightsPerValue, SignalImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return FittingForBudget(options, weightsPerValue, inputDims: 2, image.Channels, (long)image.Width * image.Height * image.Channels,
            Math.Max(image.Width, image.Height));
    }

    /// <summary>The widest backbone of <paramref name="model"/>'s kind and depth whose weights, counted as the network
    /// holds them (a complex weight counts 2; Fourier features' first layer takes the encoded inputs), stay within
    /// <paramref name="weightsPerValue"/> × <paramref name="signalValues"/>; at least 2. The paper's Kodak runs (3×300 SIREN
    /// on 768×512×3) sit at 0.23.</summary>
    /// <param name="weightsPerValue">The budget: backbone weights per signal value (&gt; 0).</param>
    /// <param name="signalValues">The signal's values: samples × channels (≥ 1).</param>
    /// <param name="model">The options; only the backbone, its encoding and the depth matter.</param>
    /// <param name="inputDims">D, the coordinate dimensions.</param>
    /// <param name="channels">C, the values per coordinate.</param>
    public static int WidthForWeightsPerValue(double weightsPerValue, long signalValues, InrOptions model, int inputDims, int channels)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckBudget(weightsPerValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDims, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(signalValues, 1);
        double budget = weightsPerValue * signalValues;
        bool Fits(int width) => NetworkShape.BackboneParameterCount(model with { HiddenSize = width }, inputDims, channels) <= budget;
        // The count grows with the width (WIRE's in steps of ⌊H/√2⌋): the largest width that fits, by bisection up to the options' limit.
        int low = 2, high = InrOptions.MaxHiddenSize;
        if (Fits(high)) return high;
        while (high - low > 1)
        {
            int mid = low + (high - low) / 2;
            if (Fits(mid)) low = mid; else high = mid;
        }
        return low;
    }

    static void CheckBudget(double weightsPerValue)
    {
        if (!(weightsPerValue > 0) || double.IsInfinity(weightsPerValue))
            throw new ArgumentOutOfRangeException(nameof(weightsPerValue), weightsPerValue, "The budget must be a positive, finite number of weights per value.");
    }

    /// <summary>The backbone's weights (a complex weight counts 2) per signal value, for the network <paramref name="options"/>
    /// describes on a signal of <paramref name="signalValues"/> values (samples × channels). The paper's Kodak runs (3×300 on
    /// 768×512×3) sit at 0.23.</summary>
    /// <param name="options">The options; only the backbone and network size matter.</param>
    /// <param name="inputDims">D, the coordinate dimensions.</param>
    /// <param name="channels">C, the values per coordinate.</param>
    /// <param name="signalValues">The signal's values (≥ 1).</param>
    public static double BackboneWeightsPerValue(InrOptions options, int inputDims, int channels, long signalValues)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(signalValues, 1);
        return (double)NetworkShape.BackboneParameterCount(options, inputDims, channels) / signalValues;
    }

    /// <summary>Super-resolution through the area-average forward model at <see cref="SuperResolutionTrainingScale"/>: a
    /// 2×128 network (the width for a 32×32 input; <see cref="SuperResolution(BackboneKind, int, int)"/> sizes it to the
    /// input) for 600 iterations (Gauss 1,200), Z drawn afresh every iteration (<see cref="NoiseMode.Resampled"/>), a lower ω0
    /// for SIREN (15) and FINER (8) than for fitting, FINER and Fourier features with a gate around 1 (FINER <see cref="GateActivation.OnePlusTanh"/>, Fourier features <see cref="GateActivation.TwoSigmoid"/>),
    /// WIRE at ω0 = s0 = 4 with learning rate 5e-3, Gauss at s = 5, Fourier features at σ = 1.</summary>
    /// <param name="backbone">The backbone.</param>
    public static InrOptions SuperResolution(BackboneKind backbone = BackboneKind.Siren) => WithFourierScale(new()
    {
        Backbone = backbone,
        Iterations = backbone is BackboneKind.Gauss ? SuperResolutionGaussIterations : SuperResolutionIterations,
        HiddenLayers = SuperResolutionHiddenLayers,
        HiddenSize = SuperResolutionHiddenSize,
        Noise = NoiseMode.Resampled,
        Omega0 = SineOrWireOmega0(backbone, SuperResolutionSineOmega0, SuperResolutionWireOmega0, finer: SuperResolutionFinerOmega0),
        Scale = backbone switch
        {
            BackboneKind.Wire => SuperResolutionWireScale,
            BackboneKind.Gauss => SuperResolutionGaussScale,
            _ => null,
        },
        LearningRate = backbone is BackboneKind.Wire ? SuperResolutionWireLearningRate : null,
        FinerBiasRange = backbone is BackboneKind.Finer ? SuperResolutionFinerBiasRange : InrOptions.DefaultFinerBiasRange,
        Gate = ImageGate(backbone, finer: SuperResolutionFinerGate),
    }, SuperResolutionFourierScale);

    /// <summary>Super-resolution of an observed image of <paramref name="observedWidth"/>×<paramref name="observedHeight"/>
    /// pixels: <see cref="SuperResolution(BackboneKind)"/> with the hidden width of <see cref="SuperResolutionHiddenSizeFor"/>.</summary>
    /// <param name="backbone">The backbone.</param>
    /// <param name="observedWidth">Width of the low-resolution image in pixels.</param>
    /// <param name="observedHeight">Height of the low-resolution image in pixels.</param>
    public static InrOptions SuperResolution(BackboneKind backbone, int observedWidth, int observedHeight) =>
        SuperResolution(backbone) with { HiddenSize = SuperResolutionHiddenSizeFor(observedWidth, observedHeight) };

    /// <summary>The super-resolution network's hidden width for <paramref name="observedWidth"/>×<paramref name="observedHeight"/>
    /// observed pixels: 4·√(width·height) rounded to a multiple of 32, from 128 (32×32 and smaller) to 256 (64×64 and
    /// larger). The observations per weight, not the output size, decide how much detail the fit invents.</summary>
    /// <param name="observedWidth">Width of the low-resolution image in pixels (≥ 1).</param>
    /// <param name="observedHeight">Height of the low-resolution image in pixels (≥ 1).</param>
    public static int SuperResolutionHiddenSizeFor(int observedWidth, int observedHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(observedWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(observedHeight, 1);
        double width = 4 * Math.Sqrt((double)observedWidth * observedHeight);
        return Math.Clamp((int)Math.Round(width / 32) * 32, SuperResolutionHiddenSize, SuperResolutionMaxHiddenSize);
    }

    /// <summary>Denoising by fitting the noisy image: lower frequencies (ω0 of SIREN, FINER and WIRE, Fourier
    /// features' σ) and a narrower WIRE/Gauss scale, so the fit does not reproduce the noise; Fourier features with a gate
    /// around 1 (<see cref="GateActivation.TwoSigmoid"/>); SIREN with Z drawn afresh every iteration (<see cref="NoiseMode.Resampled"/>).</summary>
    /// <param name="backbone">The backbone.</param>
    public static InrOptions Denoising(BackboneKind backbone = BackboneKind.Siren) => WithFourierScale(new()
    {
        Backbone = backbone,
        Iterations = DenoisingIterations,
        Omega0 = SineOrWireOmega0(backbone, DenoisingSineOmega0, DenoisingWireOmega0),
        Scale = backbone is BackboneKind.Wire or BackboneKind.Gauss ? DenoisingScale : null,
        Noise = backbone is BackboneKind.Siren ? DenoisingSirenNoise : NoiseMode.Fixed,
        Gate = ImageGate(backbone),
    }, DenoisingFourierScale);

    /// <summary>3D occupancy (D = 3, C = 1) on points sampled in continuous space or on a voxel grid: random coordinate
    /// batches (a set with fewer points than a batch trains full-batch) for 1,000 iterations, 3×128 (WIRE 2×256, its
    /// authors' network, for 2,000 iterations); a lower ω0 for SIREN and FINER, a higher learning rate for Gauss, a wider envelope with a lower ω0
    /// for WIRE and a low Fourier-feature σ, which generalise better between the training points; the iterative heads at a
    /// lower learning rate than the backbone (3e-4, WIRE's 1e-4, in a run of 500 iterations or more, <see cref="OccupancyForRun"/>).</summary>
    /// <param name="backbone">The backbone.</param>
    public static InrOptions Occupancy(BackboneKind backbone = BackboneKind.Siren)
    {
        var options = WithFourierScale(new InrOptions
        {
            Backbone = backbone,
            Iterations = OccupancyIterations,
            HiddenSize = OccupancyHiddenSize,
            BatchSize = OccupancyBatchSize,
            Omega0 = SineOrWireOmega0(backbone, OccupancySineOmega0, OccupancyWireOmega0),
            Scale = backbone switch
            {
                BackboneKind.Gauss => OccupancyGaussScale,
                BackboneKind.Wire => OccupancyWireScale,
                _ => null,
            },
            LearningRate = backbone switch
            {
                BackboneKind.Gauss => OccupancyGaussLearningRate,
                BackboneKind.Wire => OccupancyWireLearningRate,
                _ => null,
            },
            HeadLearningRate = OccupancyHeadRate(backbone),
        }, OccupancyFourierScale);
        return backbone is BackboneKind.Wire
            ? options with
            {
                FinalLearningRateFactor = OccupancyWireFinalLearningRateFactor,
                Iterations = OccupancyWireIterations,
                HiddenLayers = OccupancyWireHiddenLayers,
                HiddenSize = OccupancyWireHiddenSize,
            }
            : options;
    }

    /// <summary>The occupancy preset for a run of <paramref name="options"/>' iterations: the preset's slow heads
    /// (<see cref="InrOptions.HeadLearningRate"/> = 3e-4, WIRE's 1e-4) train at the backbone's rate in a run of fewer than 500 iterations;
    /// any other head rate stays, and otherwise <paramref name="options"/> is unchanged. The ML.NET <c>FitOccupancy</c>
    /// applies it (and so <c>iinr occupancy</c>, the bench's occupancy suite and the occupancy example).</summary>
    /// <param name="options">The occupancy options, iterations included.</param>
    public static InrOptions OccupancyForRun(InrOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.HeadLearningRate == OccupancyHeadRate(options.Backbone) && options.Iterations < OccupancySlowHeadsMinIterations
            ? options with { HeadLearningRate = null }
            : options;
    }

    // The occupancy preset's learning rate of the iterative heads for a backbone.
    static double OccupancyHeadRate(BackboneKind backbone) =>
        backbone is BackboneKind.Wire ? OccupancyWireHeadLearningRate : OccupancyHeadLearningRate;

    // The task's σ for the Fourier-features backbone; the others have none.
    static InrOptions WithFourierScale(InrOptions options, double sigma) =>
        options.Backbone == BackboneKind.FourierFeatures ? options with { FourierScale = sigma } : options;

    // The gate of an image task: Fourier features' bounded one, FINER's own where a task sets it, else the unbounded default.
    static GateActivation ImageGate(BackboneKind backbone, GateActivation finer = GateActivation.Identity) => backbone switch
    {
        BackboneKind.FourierFeatures => FourierImageGate,
        BackboneKind.Finer => finer,
        _ => GateActivation.Identity,
    };

    // ω0 of the sine backbones (SIREN; FINER too unless it has its own) or of WIRE; the others have none.
    static double? SineOrWireOmega0(BackboneKind backbone, double sine, double wire, double? finer = null) => backbone switch
    {
        BackboneKind.Siren => sine,
        BackboneKind.Finer => finer ?? sine,
        BackboneKind.Wire => wire,
        _ => null,
    };
}
