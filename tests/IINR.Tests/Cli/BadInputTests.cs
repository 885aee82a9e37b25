using IINR.Cli;
using IINR.Signals;

namespace IINR.Tests.Cli;

/// <summary>Bad arguments, missing files and unreadable formats: a non-zero exit and one clear line on stderr.</summary>
[TestClass]
public sealed class BadInputTests
{
    static CliHarness _h = null!;

    [ClassInitialize]
    public static void Setup(TestContext _)
    {
        _h = new CliHarness();
        File.WriteAllText(_h.PathOf("text.png"), "this is not an image");
        File.WriteAllText(_h.PathOf("bad.obj"), "v 0 0 0\nf 1 2 zebra\n");
        File.WriteAllText(_h.PathOf("mesh.txt"), "v 0 0 0\n");
        File.WriteAllBytes(_h.PathOf("empty.zip"), [0x50, 0x4B, 0x05, 0x06, .. new byte[18]]);
        ImageFile.SavePng(TestScene.Render(16, 16), _h.PathOf("small.png"));
        ImageFile.SavePng(TestScene.Render(20, 20), _h.PathOf("other.png"));
    }

    [ClassCleanup]
    public static void Cleanup() => _h.Dispose();

    static void Fails(int code, string expected, params string[] args)
    {
        var run = _h.Run(args).FailedWithOneLine(code);
        StringAssert.Contains(run.Error, expected, $"iinr {run.Args}");
    }

    [TestMethod]
    public void UsageErrorsExitWithTwo()
    {
        Fails(ExitCodes.Usage, "--iterations", "fit", "--iterations", "0");
        Fails(ExitCodes.Usage, "--iterations", "fit", "--iterations", "many");
        Fails(ExitCodes.Usage, "--backbone", "fit", "--backbone", "resnet");
        // Model options are checked by the library, and the message names the flag.
        Fails(ExitCodes.Usage, "--hidden-size must be between 1 and 65536; got 0", "fit", "--hidden-size", "0");
        Fails(ExitCodes.Usage, "--omega0 must be a finite value > 0; got -1", "fit", "--omega0", "-1");
        Fails(ExitCodes.Usage, "--learning-rate must be a finite value > 0", "fit", "--lr", "0");
        Fails(ExitCodes.Usage, "--head-learning-rate must be a finite value > 0", "fit", "--head-lr", "-1");
        Fails(ExitCodes.Usage, "--steps must be between 1 and 1000; got 0", "fit", "--steps", "0");
        Fails(ExitCodes.Usage, "--train-scale must be between 1 and 64; got 0", "superres", "--input", _h.PathOf("small.png"), "--output", _h.PathOf("x.png"), "--train-scale", "0");
        Fails(ExitCodes.Usage, "--back-projection must be between 0 and 1000; got -1", "superres", "--input", _h.PathOf("small.png"), "--output", _h.PathOf("x.png"), "--back-projection", "-1");
        Fails(ExitCodes.Usage, "--finer-bias-range must be a finite value ≥ 0; got -1", "superres", "--input", _h.PathOf("small.png"), "--output", _h.PathOf("x.png"), "--backbone", "finer", "--finer-bias-range", "-1");
        Fails(ExitCodes.Usage, "--hold-out: The hold-out fraction must lie in (0, 0.5); got 0.7", "denoise", "--input", _h.PathOf("small.png"), "--output", _h.PathOf("x.png"), "--hold-out", "0.7", "--iterations", "1", "--hidden-size", "4");
        Fails(ExitCodes.Usage, "--batch-size must be between 1", "occupancy", "--batch-size", "0");
        Fails(ExitCodes.Usage, "--iterations must be between 1", "bench", "--iterations", "0");
        Fails(ExitCodes.Usage, "--output must name a .png file", "fit", "--output", _h.PathOf("x.jpg"));
        Fails(ExitCodes.Usage, "builtin:testscene", "fit", "--input", "builtin:nothing");
        Fails(ExitCodes.Usage, "--device", "fit", "--device", "tpu");
        Fails(ExitCodes.Usage, "--z", "fit", "--z", "sometimes");
        Fails(ExitCodes.Usage, "--gate", "fit", "--gate", "relu");
        Fails(ExitCodes.Usage, "--model", "render", "--output", _h.PathOf("x.png"));
        Fails(ExitCodes.Usage, "--scale", "superres", "--input", _h.PathOf("small.png"), "--output", _h.PathOf("x.png"), "--scale", "0");
        Fails(ExitCodes.Usage, "--reference is 20×20×3", "superres", "--input", _h.PathOf("small.png"), "--output", _h.PathOf("x.png"), "--scale", "2", "--reference", _h.PathOf("other.png"));
        Fails(ExitCodes.Usage, "--steps must be auto", "denoise", "--input", _h.PathOf("small.png"), "--output", _h.PathOf("x.png"), "--steps", "banana");
        Fails(ExitCodes.Usage, "--reference is 20×20×3", "denoise", "--input", _h.PathOf("small.png"), "--output", _h.PathOf("x.png"), "--reference", _h.PathOf("other.png"));
        Fails(ExitCodes.Usage, "--readout needs --photon", "degrade", "--input", _h.PathOf("small.png"), "--output", _h.PathOf("x.png"), "--readout", "3");
        Fails(ExitCodes.Usage, "--photon", "degrade", "--input", _h.PathOf("small.png"), "--output", _h.PathOf("x.png"), "--photon", "-1");
        Fails(ExitCodes.Usage, "larger than", "degrade", "--input", _h.PathOf("small.png"), "--output", _h.PathOf("x.png"), "--downscale", "17");
        Fails(ExitCodes.Usage, "--output must name a .obj file", "occupancy", "--output", _h.PathOf("x.stl"));
        Fails(ExitCodes.Usage, "--resolution", "occupancy", "--resolution", "1");
        Fails(ExitCodes.Usage, "builtin:sphere", "occupancy", "--input", "builtin:teapot");
        Fails(ExitCodes.Usage, "--train", "occupancy", "--train", "voxels");
        Fails(ExitCodes.Usage, "--points", "occupancy", "--points", "0");
        Fails(ExitCodes.Usage, "must be at most 256", "occupancy", "--resolution", "300");
        Fails(ExitCodes.Usage, "Unrecognized", "fitt");
        Fails(ExitCodes.Usage, "Unrecognized", "fit", "--colour", "red");
    }

    [TestMethod]
    public void MissingFilesExitWithOne()
    {
        Fails(ExitCodes.Failure, "was not found", "fit", "--input", _h.PathOf("missing.png"));
        Fails(ExitCodes.Failure, "was not found", "render", "--model", _h.PathOf("missing.zip"), "--output", _h.PathOf("x.png"));
        Fails(ExitCodes.Failure, "was not found", "superres", "--input", _h.PathOf("small.png"), "--output", _h.PathOf("x.png"), "--reference", _h.PathOf("missing.png"));
        Fails(ExitCodes.Failure, "was not found", "degrade", "--input", _h.PathOf("missing.png"), "--output", _h.PathOf("x.png"));
        Fails(ExitCodes.Failure, "was not found", "occupancy", "--input", _h.PathOf("missing.obj"));
    }

    [TestMethod]
    public void UnreadableFormatsExitWithOne()
    {
        Fails(ExitCodes.Failure, "is not a PNG, JPEG or BMP image", "fit", "--input", _h.PathOf("text.png"));
        Fails(ExitCodes.Failure, "is not a PNG, JPEG or BMP image", "denoise", "--input", _h.PathOf("text.png"), "--output", _h.PathOf("x.png"));
        Fails(ExitCodes.Failure, "it is not a readable zip archive", "render", "--model", _h.PathOf("text.png"), "--output", _h.PathOf("x.png"));
        Fails(ExitCodes.Failure, "not an ML.NET model", "render", "--model", _h.PathOf("empty.zip"), "--output", _h.PathOf("x.png"));
        Fails(ExitCodes.Failure, "bad.obj", "occupancy", "--input", _h.PathOf("bad.obj"));
        Fails(ExitCodes.Failure, "neither an OBJ mesh", "occupancy", "--input", _h.PathOf("mesh.txt"));
        Fails(ExitCodes.Failure, "IINROCC1", "occupancy", "--input", _h.PathOf("small.png"));
    }

    [TestMethod]
    public void OutputsThatNameAnInputOrEachOtherAreRefusedBeforeTraining()
    {
        // No --iterations: were training to run first, each case would take minutes, not milliseconds.
        string input = _h.PathOf("small.png"), model = _h.PathOf("m.zip");
        var before = File.ReadAllBytes(input);
        Fails(ExitCodes.Usage, "is the file --input reads", "fit", "--input", input, "--model", input);
        Fails(ExitCodes.Usage, "is the file --input reads", "fit", "--input", input, "--output", input);
        Fails(ExitCodes.Usage, "both name", "fit", "--input", input, "--output", _h.PathOf("c.png"), "--curve", _h.PathOf("c.png"));
        Fails(ExitCodes.Usage, "both name", "fit", "--input", input, "--output", _h.PathOf("r.png"), "--report", _h.PathOf("r.png"));
        Fails(ExitCodes.Usage, "is the file --reference reads", "superres", "--input", input, "--reference", _h.PathOf("other.png"), "--output", _h.PathOf("other.png"));
        Directory.CreateDirectory(_h.PathOf("folder.png"));
        Fails(ExitCodes.Usage, "is a directory", "fit", "--input", input, "--output", _h.PathOf("folder.png"));
        CollectionAssert.AreEqual(before, File.ReadAllBytes(input), "the input is untouched");
        Assert.IsFalse(File.Exists(model), "nothing was written");
    }

    [TestMethod]
    public void AnOutputFolderThatCannotBeCreatedFailsBeforeTraining()
    {
        // A folder below a regular file cannot exist, whoever runs the test (root included).
        var run = _h.Run("fit", "--input", _h.PathOf("small.png"), "--output", Path.Combine(_h.PathOf("other.png"), "sub", "out.png"));
        Assert.AreNotEqual(0, run.Code, run.Error);
        StringAssert.Contains(run.Error, "--output", "the message names the option");
    }
}
