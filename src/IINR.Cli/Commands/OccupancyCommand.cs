using System.CommandLine;
using IINR.Cli.Output;
using IINR.Cli.Tasks;
using IINR.Signals.Geometry;

namespace IINR.Cli.Commands;

/// <summary><c>iinr occupancy</c>: voxelise a closed mesh, fit 3-D occupancy, report IoU, export the surface.</summary>
internal sealed class OccupancyCommand
{
    readonly CliContext _ctx;
    readonly Option<string> _input = new("--input", "-i")
    {
        Description = "A closed triangle mesh (.obj), a raw occupancy volume (IINROCC1 format, see docs/CLI.md) or builtin:sphere|cube|torus|torusknot.",
        DefaultValueFactory = _ => Defaults.DefaultMesh,
    };
    readonly Option<int> _resolution = new Option<int>("--resolution", "-R") { Description = "Voxels per axis R of the occupancy grid (meshes; a volume keeps its own size).", DefaultValueFactory = _ => Defaults.OccupancyResolution }.InRange(2, 512);
    readonly Option<string?> _output = new("--output", "-o") { Description = "Write the reconstructed surface (marching cubes at 0.5, in the mesh's original coordinates) as OBJ." };
    readonly Option<string?> _volume = new("--volume") { Description = "Write the voxelised target as a raw occupancy volume." };
    readonly Option<int?> _batch = new Option<int?>("--batch-size") { Description = $"Random coordinates per iteration (default {OccupancyOptions.DefaultBatchSize}, or all voxels if fewer)." }.InRange(1, int.MaxValue);
    readonly Option<string?> _curve = new("--curve") { Description = "Draw the training PSNR against iteration as a PNG." };
    readonly TrainingOptionSet _training = new(Defaults.OccupancyIterations, Defaults.OccupancyHiddenSize);
    readonly OutputOptionSet _common = new();

    OccupancyCommand(CliContext ctx) => _ctx = ctx;

    public static Command Create(CliContext ctx)
    {
        var c = new OccupancyCommand(ctx);
        var cmd = new Command("occupancy", "Fit 3-D occupancy (D = 3, C = 1) to a voxelised closed mesh; report IoU at 0.5 and export the surface by marching cubes.");
        cmd.Add(c._input); cmd.Add(c._resolution); cmd.Add(c._output); cmd.Add(c._volume); cmd.Add(c._batch); cmd.Add(c._curve);
        c._training.AddTo(cmd); c._common.AddTo(cmd);
        cmd.SetAction(c.Run);
        return cmd;
    }

    int Run(ParseResult r)
    {
        string input = r.GetValue(_input)!;
        string? output = r.GetValue(_output), volumePath = r.GetValue(_volume), curvePath = r.GetValue(_curve), reportPath = r.GetValue(_common.Report);
        bool quiet = r.GetValue(_common.Quiet);
        Paths.RequireExtension(output, ".obj", "--output");
        Paths.RequireExtension(curvePath, ".png", "--curve");
        var options = _training.Build(r) with { BatchSize = r.GetValue(_batch) };
        int resolution = r.GetValue(_resolution);

        OccupancyTarget target;
        var builtin = Inputs.BuiltinMesh(input);
        if (builtin is not null) target = OccupancyTarget.FromMesh(builtin, resolution);
        else if (Inputs.IsOccupancyVolume(input)) target = OccupancyTarget.FromVolume(OccupancyVolume.Read(input));
        else target = OccupancyTarget.FromMesh(Inputs.LoadMesh(input), resolution);
        var v = target.Volume;
        string name = TrainingOptionSet.DisplayName(options);

        using var result = ProgressDisplay.Run(_ctx, quiet, p => OccupancyTask.Run(target, new OccupancyOptions(options), p, _ctx.Cancellation));
        if (output is not null) { Paths.EnsureDirectory(output); ObjFile.Write(output, result.Mesh); }
        if (volumePath is not null) { Paths.EnsureDirectory(volumePath); v.Write(volumePath); }
        if (curvePath is not null) CurvePlot.Save(curvePath, $"{name} occupancy", [new CurvePlot.Series(name, result.Curve)]);
        bool watertight = result.Mesh.IsWatertight();

        var report = new Report("occupancy")
            .Set("input", input).Set("sizeX", v.SizeX).Set("sizeY", v.SizeY).Set("sizeZ", v.SizeZ).Set("occupiedFraction", v.OccupiedFraction)
            .Set("model", name).Set("iou", result.IoU)
            .Set("vertices", result.Mesh.VertexCount).Set("triangles", result.Mesh.TriangleCount).Set("watertight", watertight)
            .Set("iterations", result.Iterations).Set("batchSize", options.BatchSize ?? Math.Min(OccupancyOptions.DefaultBatchSize, v.Occupied.Length))
            .Set("steps", options.Steps).Set("parameters", result.Parameters)
            .Set("voxelizeSeconds", target.VoxelizeSeconds).Set("trainSeconds", result.TrainSeconds).Set("inferSeconds", result.InferSeconds)
            .Set("outputs", new { mesh = output, volume = volumePath, curve = curvePath })
            .SetOptions(options);
        if (reportPath is not null) report.Write(reportPath);

        if (!quiet)
        {
            _ctx.Out.WriteLine($"{name} on a {v.SizeX}×{v.SizeY}×{v.SizeZ} grid ({100 * v.OccupiedFraction:0.0}% occupied): IoU {result.IoU:0.0000} at 0.5, " +
                $"{result.Iterations} iterations, train {result.TrainSeconds:0.0} s, infer {result.InferSeconds:0.00} s; surface {result.Mesh.TriangleCount:N0} triangles, {(watertight ? "watertight" : "NOT watertight")}");
            Summary.Wrote(_ctx, ("mesh", output), ("volume", volumePath), ("curve", curvePath), ("report", reportPath));
        }
        return ExitCodes.Success;
    }
}
