using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Xml.Linq;
using IINR.Tests.Signals;

namespace IINR.Tests.Packaging;

/// <summary>
/// The packages as an application developer meets them. The libraries of this build are packed into
/// a temporary folder; console applications generated outside the repository reference them from
/// there like from any feed, together with a native libtorch bundle, and build and run
/// ConsumerProgram.cs. The packed iinr tool is installed into a temporary tool path and run.
/// Restores take the packages' dependencies from this machine's NuGet cache (a fallback folder) and
/// put the packed ones into the temporary folder, so that a stale copy of the same version in the
/// machine's cache can never stand in for them.
/// </summary>
[TestClass]
public sealed class PackageConsumerTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);
    private static readonly string TargetFramework = $"net{Environment.Version.Major}.0";

    private static string _repoRoot = null!, _configuration = null!, _root = null!, _feed = null!, _image = null!;
    private static string _version = null!, _torchSharpVersion = null!;
    private static Dictionary<string, string> _environment = null!;

    private string? _work;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static void PackLibraries(TestContext context)
    {
        _repoRoot = FindRepositoryRoot();
        _configuration = typeof(PackageConsumerTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        _torchSharpVersion = XDocument.Load(Path.Combine(_repoRoot, "Directory.Packages.props")).Descendants("TorchSharpVersion").Single().Value;
        _root = Directory.CreateTempSubdirectory("iinr-consumer-").FullName;
        _feed = Path.Combine(_root, "feed");

        var watch = Stopwatch.StartNew();
        foreach (var project in new[] { "IINR.Signals", "IINR.Trainers", "Microsoft.ML.IINR" })
            DotnetCli.Succeed(_repoRoot, CommandTimeout, null, "pack", Path.Combine("src", project), "--no-build", "-c", _configuration, "-o", _feed, "--disable-build-servers");
        var mlnet = Directory.GetFiles(_feed, "IINR.MLNet.*.nupkg");
        Assert.HasCount(1, mlnet, $"the ML.NET package is packed as IINR.MLNet into {_feed}");
        _version = Path.GetFileNameWithoutExtension(mlnet[0])["IINR.MLNet.".Length..];
        context.WriteLine($"packed the libraries ({_configuration}, version {_version}) in {watch.Elapsed.TotalSeconds:F1} s");

        // The apps must see no MSBuild or NuGet settings of the folders above (the temporary folder may lie in a repository).
        File.WriteAllText(Path.Combine(_root, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(_root, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(_root, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="feed" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <clear />
                <packageSource key="local"><package pattern="IINR.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
              <fallbackPackageFolders>
                <clear />
                <add key="machine" value="{MachinePackagesFolder()}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        _environment = new() { ["NUGET_PACKAGES"] = Path.Combine(_root, "packages") };

        _image = Path.Combine(_root, "image.png");
        var samples = new int[16 * 16 * 3];
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
                (samples[(y * 16 + x) * 3], samples[(y * 16 + x) * 3 + 1], samples[(y * 16 + x) * 3 + 2]) = (x * 16, y * 16, (x + y) * 8);
        File.WriteAllBytes(_image, PngTestEncoder.Encode(16, 16, 8, 2, samples));
    }

    [ClassCleanup]
    public static void DeleteTemporaryFolder()
    {
        if (_root == null) return;
        try { Directory.Delete(_root, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Each test's own folder (an app's build output, the installed tool: each about 1–2 GB) goes as soon as the test ends.</summary>
    [TestCleanup]
    public void DeleteWorkFolder()
    {
        if (_work == null) return;
        try { Directory.Delete(_work, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    [TestMethod]
    public void AppOnThePackagesAndTorchSharpCpuBuildsAndRunsTheReadmeSnippet()
    {
        var app = CreateApp("app", nativeBundle: "TorchSharp-cpu");
        var build = Timed("build", () => DotnetCli.Succeed(app, CommandTimeout, _environment, "build", "-c", "Release", "--disable-build-servers"));
        Assert.DoesNotContain("IINR0001", build, "the app references a native bundle");
        foreach (var line in build.Split('\n').Where(l => l.Contains("IINR:"))) TestContext.WriteLine(line.Trim());

        var threads = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1", ["MKL_NUM_THREADS"] = "1" };
        var (exitCode, output) = Timed("run", () => DotnetCli.Run(DotnetCli.Host,
            [Path.Combine(app, "bin", "Release", TargetFramework, "Consumer.dll"), _image, "5", app], app, CommandTimeout, threads));
        TestContext.WriteLine(output);
        Assert.AreEqual(0, exitCode, $"the app failed:\n{DotnetCli.Tail(output)}");

        double psnr = ReadValue(output, "psnr"), reloaded = ReadValue(output, "reloaded-psnr");
        Assert.IsTrue(double.IsFinite(psnr) && psnr > 0, $"PSNR {psnr} dB");
        Assert.AreEqual(psnr, reloaded, "the model loaded back from the zip scores exactly like the fitted one");
        Assert.IsTrue(File.Exists(Path.Combine(app, "model.zip")));
    }

    [TestMethod]
    public void AppWithoutANativeBundleGetsABuildWarningNamingTheBundles()
    {
        var app = CreateApp("no-bundle", nativeBundle: null);
        var build = Timed("build", () => DotnetCli.Succeed(app, CommandTimeout, _environment, "build", "-c", "Release", "--disable-build-servers"));
        var warning = build.Split('\n').FirstOrDefault(l => l.Contains("warning IINR0001"));
        Assert.IsNotNull(warning, $"no IINR0001 warning:\n{DotnetCli.Tail(build)}");
        TestContext.WriteLine(warning.Trim());
        foreach (var expected in new[] { "TorchSharp-cpu", "TorchSharp-cuda-linux", "TorchSharp-cuda-windows", _torchSharpVersion })
            StringAssert.Contains(warning, expected);
    }

    [TestMethod]
    public void PackedToolInstallsIntoAToolPathAndFitsAnImage()
    {
        // PublishDir: the tool's publish layout (every platform's natives, about 1.1 GB) goes to the temporary folder, not the clone.
        _work = Directory.CreateDirectory(Path.Combine(_root, "tool")).FullName;
        var publish = Path.Combine(_work, "publish") + Path.DirectorySeparatorChar;
        Timed("pack the tool", () => DotnetCli.Succeed(_repoRoot, CommandTimeout, null, "pack", Path.Combine("src", "IINR.Cli"), "--no-build",
            "-c", _configuration, "-o", _feed, "-p:PublishDir=" + publish, "--disable-build-servers"));
        Directory.Delete(publish, recursive: true);
        var package = new FileInfo(Path.Combine(_feed, $"IINR.Cli.{_version}.nupkg"));
        TestContext.WriteLine($"IINR.Cli package: {package.Length / (1024 * 1024)} MiB");

        var tools = Path.Combine(_work, "tools");
        Timed("install the tool", () => DotnetCli.Succeed(_root, CommandTimeout, _environment, "tool", "install", "IINR.Cli",
            "--tool-path", tools, "--version", _version, "--configfile", Path.Combine(_root, "nuget.config")));

        var reconstruction = Path.Combine(_work, "fit.png");
        var (exitCode, output) = Timed("run the tool", () => DotnetCli.Run(Path.Combine(tools, OperatingSystem.IsWindows() ? "iinr.exe" : "iinr"),
            ["fit", "--input", _image, "--output", reconstruction, "--iterations", "3", "--threads", "1"], _root, CommandTimeout));
        TestContext.WriteLine(output);
        Assert.AreEqual(0, exitCode, $"iinr fit failed:\n{DotnetCli.Tail(output)}");
        Assert.IsTrue(File.Exists(reconstruction), "iinr fit wrote the reconstruction");
    }

    /// <summary>A console app in its own folder: IINR.MLNet (and a native bundle) from the feed, ConsumerProgram.cs as its code.</summary>
    private string CreateApp(string name, string? nativeBundle)
    {
        var app = _work = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        var bundle = nativeBundle == null ? "" : $"""<PackageReference Include="{nativeBundle}" Version="{_torchSharpVersion}" />""";
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{TargetFramework}</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="IINR.MLNet" Version="{_version}" />
                {bundle}
              </ItemGroup>
            </Project>
            """);
        File.Copy(Path.Combine(_repoRoot, "tests", "IINR.Tests", "Packaging", "ConsumerProgram.cs"), Path.Combine(app, "ConsumerProgram.cs"));
        File.WriteAllText(Path.Combine(app, "Program.cs"), "return ConsumerProgram.Run(args);\n");
        return app;
    }

    private T Timed<T>(string step, Func<T> action)
    {
        var watch = Stopwatch.StartNew();
        var result = action();
        TestContext.WriteLine($"{step}: {watch.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    private static double ReadValue(string output, string key)
    {
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(key + " ", StringComparison.Ordinal));
        Assert.IsNotNull(line, $"no \"{key} …\" line in the app's output:\n{output}");
        return double.Parse(line[(key.Length + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>The folder with IINR.sln above the test's output: the clone these tests run in, wherever it lies.</summary>
    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IINR.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No IINR.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>This machine's NuGet global packages folder, which the repository's own restore filled.</summary>
    private static string MachinePackagesFolder()
    {
        var output = DotnetCli.Succeed(_repoRoot, CommandTimeout, null, "nuget", "locals", "global-packages", "--list");
        const string prefix = "global-packages: ";
        var line = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line[prefix.Length..];
    }
}
