using System.CommandLine;
using System.Diagnostics;
using IINR.Cli.Output;
using IINR.Signals.Geometry;
using IINR.Trainers;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace IINR.Cli.Commands;

/// <summary><c>iinr occupancy</c>: fit the 3-D occupancy of a closed mesh (on sampled points or its voxel grid) or of a
/// volume, report the IoU on the grid and off it, export the surface.</summary>
internal sealed class OccupancyCommand
{
    readonly CliContext _ctx;
    readonly Option<string> _input = new("--input", "-i")
    {
        Description = "A closed triangle mesh (.obj), a raw occupancy volume (IINROCC1 format, see docs/CLI.md) or builtin:sphere|cube|torus|torusknot.",
        DefaultValueFactory = _ => Defaults.DefaultMesh,
    };
    readonly Option<int> _resolution = new Option<int>("--resolution", "-R") { Description = $"Voxels per axis R of the occupancy grid scored, meshed and (with --train grid) trained on; the fit is also scored on the 2R grid (meshes, R up to {OccupancyFitOptions.MaxResolution}; a volume keeps its own size).", DefaultValueFactory = _ => Defaults.OccupancyResolution }.InRange(2, 512);
    readonly Option<string?> _train = new("--train") { Description = "Train on 'sampled' points in continuous space (uniform in the box and near the surface, labelled by winding number; the default for meshes) or on the voxel 'grid' (the paper's protocol; the only choice for a volume)." };
    readonly Option<int> _points = new Option<int>("--points") { Description = "Training points with --train sampled.", DefaultValueFactory = _ => OccupancyFitOptions.DefaultPointCount }.InRange(1, 100_000_000);
    readonly Option<string?> _output = new("--output", "-o") { Description = "Write the reconstructed surface (marching cubes at 0.5, in the mesh's original coordinates) as OBJ." };
    readonly Option<string?> _volume = new("--volume") { Description = "Write the voxelised target as a raw occupancy volume." };
    readonly Option<int?> _batch = new("--batch-size") { Description = $"Random coordinates per iteration (default {TaskPresets.Occupancy().BatchSize}, or all training points if fewer)." };
    readonly Option<string?> _curve = new("--curve") { Description = "Draw the training PSNR against iteration as a PNG." };
    readonly TrainingOptionSet _training = new(b => IINROptions.ForOccupancy(b));
    readonly OutputOptionSet _common = new();

    /// <summary>Gap between a normalised mesh and the faces of [-1, 1]³.</summary>
    const float MeshMargin = 0.05f;

    OccupancyCommand(CliContext ctx) => _ctx = ctx;

    public static Command Create(CliContext ctx)
    {
        var c = new OccupancyCommand(ctx);
        c._train.AcceptOnlyFromAmong("sampled", "grid");
        return CommandBuilder.Build("occupancy", "Fit 3-D occupancy (D = 3, C = 1) to a closed mesh or a volume; report IoU at 0.5 on the grid and off it (uniform random points, a 2× finer grid) and export the surface by marching cubes.", c.Run,
            [c._input, c._resolution, c._train, c._points, c._output, c._volume, c._batch, c._curve, .. c._training.All, .. c._common.All]);
    }

    int Run(ParseResult r)
    {
        string input = r.GetValue(_input)!;
        string? output = r.GetValue(_output), volumePath = r.GetValue(_volume), curvePath = r.GetValue(_curve), reportPath = r.GetValue(_common.Report);
        bool quiet = r.GetValue(_common.Quiet);
        Paths.RequireExtension(output, ".obj", "--output");
        Paths.RequireExtension(curvePath, ".png", "--curve");
        var options = _training.Build(r, _ctx.Cancellation);
        if (r.GetValue(_batch) is int batch)
        {
            options.Model = options.Model with { BatchSize = batch };
            options.Validate();
        }
        int resolution = r.GetValue(_resolution);
        using var outputs = OutputFiles.Prepare([("--input", input)], ("--output", output), ("--volume", volumePath), ("--curve", curvePath), ("--report", reportPath));

        // A mesh is normalised into [-1, 1]³ (5% margin) and voxelised; a volume is used as is.
        OccupancyVolume v;
        UnitCubeTransform? toMesh = null;
        double voxelizeSeconds = 0;
        var mesh = Inputs.BuiltinMesh(input) ?? (Inputs.IsOccupancyVolume(input) ? null : Inputs.LoadMesh(input));
        var warnings = new List<string>();
        TriangleMesh? normalised = null;
        if ((mesh is null || r.GetValue(_train) == "grid") && r.GetResult(_points) is { Implicit: false })
            throw new UsageException(mesh is null
                ? $"--points applies to --train sampled; '{input}' is a voxel volume, which trains on its grid."
                : "--points applies to --train sampled; --train grid trains on the voxel grid.");
        if (mesh is null)
        {
            if (r.GetValue(_train) == "sampled")
                throw new UsageException($"--train sampled needs a mesh to sample; '{input}' is a voxel volume, which trains on its grid (--train grid).");
            v = OccupancyVolume.Read(input);
        }
        else
        {
            if (resolution > OccupancyFitOptions.MaxResolution)
                throw new UsageException($"--resolution {resolution} is too fine for a mesh: it is scored on the 2R grid too, so R must be at most {OccupancyFitOptions.MaxResolution}.");
            if (mesh.CountDefectiveEdges() is int defective and > 0)
                warnings.Add($"'{input}' is not a closed (watertight) mesh: {defective} of its edges are open, flipped or non-manifold; " +
                    "its inside is estimated by the winding number, which tolerates small holes, but may be wrong, and the IoU measures the fit to that estimate.");
            var clock = Stopwatch.StartNew();
            normalised = mesh.NormalizeToUnitCube(MeshMargin, out var transform);
            v = Voxelizer.Voxelize(normalised, resolution);
            toMesh = transform;
            voxelizeSeconds = clock.Elapsed.TotalSeconds;
        }
        if (v.CountOccupied() == 0)
            throw new InvalidDataException($"'{input}' occupies no voxel of the {v.SizeX}×{v.SizeY}×{v.SizeZ} grid (an open surface encloses nothing): there is no shape to fit.");
        if (!quiet) foreach (var w in warnings) _ctx.Error.WriteLine($"iinr occupancy: warning: {w}");
        string name = TrainingOptionSet.DisplayName(options.Model);

        var ml = new MLContext();
        var occupancy = new OccupancyFitOptions
        {
            TrainingPoints = normalised is null || r.GetValue(_train) == "grid" ? OccupancyTrainingPoints.Grid : OccupancyTrainingPoints.Sampled,
            Resolution = resolution,
            PointCount = r.GetValue(_points),
            SamplingSeed = options.Model.EffectiveSeed,
        };
        var (result, curve) = ProgressDisplay.Train(_ctx, quiet, options,
            o => normalised is null ? ml.Transforms.IINR.FitOccupancy(v, o) : ml.Transforms.IINR.FitOccupancy(normalised, o, occupancy), "occupancy");
        using var _ = result;
        var surface = toMesh is { } t ? t.FromNormalized(result.Surface) : result.Surface;
        if (output is not null) ObjFile.Write(output, surface);
        if (volumePath is not null) v.Write(volumePath);
        if (curvePath is not null) CurvePlot.Save(curvePath, $"{name} occupancy", [new CurvePlot.Series(name, curve)]);
        bool watertight = surface.IsWatertight();

        var report = new Report("occupancy")
            .Set("input", input).Set("sizeX", v.SizeX).Set("sizeY", v.SizeY).Set("sizeZ", v.SizeZ).Set("occupiedFraction", v.OccupiedFraction)
            .Set("model", name).Set("training", result.TrainingPoints == OccupancyTrainingPoints.Grid ? "grid" : "sampled").Set("trainingPoints", result.TrainingPointCount)
            .Set("iou", result.Metrics.IoU).Set("fineGridIoU", result.FineGridMetrics?.IoU).Set("uniformIoU", result.UniformMetrics?.IoU).Set("uniformPoints", result.UniformMetrics?.Count)
            .Set("vertices", surface.VertexCount).Set("triangles", surface.TriangleCount).Set("watertight", watertight)
            .Set("iterations", options.Model.Iterations).Set("batchSize", Math.Min(options.Model.BatchSize ?? int.MaxValue, result.TrainingPointCount))
            .Set("steps", options.Model.Steps).Set("parameters", result.Model.BackboneParameterCount + result.Model.HeadParameterCount)
            .Set("warnings", warnings.ToArray()).Set("voxelizeSeconds", voxelizeSeconds).Set("trainSeconds", result.TrainSeconds).Set("inferSeconds", result.InferSeconds)
            .Set("outputs", new { mesh = output, volume = volumePath, curve = curvePath })
            .SetOptions(options.Model);
        if (reportPath is not null) report.Write(reportPath);
        outputs.Commit();

        if (!quiet)
        {
            string trainedOn = result.TrainingPoints == OccupancyTrainingPoints.Grid ? "its voxels" : $"{result.TrainingPointCount:N0} sampled points";
            string offGrid = result.UniformMetrics is { } uniform && result.FineGridMetrics is { } fine
                ? $"; off the grid: IoU {uniform.IoU:0.0000} on {uniform.Count:N0} uniform random points, {fine.IoU:0.0000} on the {2 * v.SizeX}³ grid"
                : " (a volume has no shape to score off its grid)";
            _ctx.Out.WriteLine($"{name} on a {v.SizeX}×{v.SizeY}×{v.SizeZ} grid ({100 * v.OccupiedFraction:0.0}% occupied), trained on {trainedOn}: IoU {result.Metrics.IoU:0.0000} at 0.5 on the grid{offGrid}; " +
                $"{options.Model.Iterations} iterations, train {result.TrainSeconds:0.0} s, infer {result.InferSeconds:0.00} s; surface {surface.TriangleCount:N0} triangles, {(watertight ? "watertight" : "NOT watertight")}");
            Summary.Wrote(_ctx, ("mesh", output), ("volume", volumePath), ("curve", curvePath), ("report", reportPath));
        }
        return ExitCodes.Success;
    }
}
