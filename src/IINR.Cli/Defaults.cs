namespace IINR.Cli;

/// <summary>
/// The tool's own defaults: the main job and the built-in inputs. The training commands start from the library's
/// task presets (<c>IINROptions.ForFitting</c> and its siblings, <c>TaskPresets</c>), and every value can be
/// overridden on the command line.
/// </summary>
internal static class Defaults
{
    /// <summary>The main job: two fits (plain and iterative) of a 3×256 network on 128×128 in a few minutes on 2 cores.</summary>
    public const int MainJobIterations = 250;
    /// <summary>The main job's image size (the TestScene is rendered at this size).</summary>
    public const int MainJobSize = 128;
    public const string MainJobOutput = "iinr-output";

    /// <summary>The occupancy grid side R a mesh is voxelised at.</summary>
    public const int OccupancyResolution = 64;

    public const string DefaultImage = "builtin:testscene:128";
    public const string DefaultMesh = "builtin:torusknot";
}
