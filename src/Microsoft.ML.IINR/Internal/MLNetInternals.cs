using System.Reflection;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// The ML.NET internals this assembly relies on, and a run-time check that they are still there.
/// </summary>
/// <remarks>
/// The build only lets this assembly compile against Microsoft.ML <see cref="ExpectedVersion"/>
/// (build/PublicizeMLNet.targets). At run time an application could still bind another
/// Microsoft.ML; without this check that would surface as a MissingMethodException or
/// MethodAccessException deep inside mlContext.Model.Save/Load. <see cref="EnsureCompatible"/>
/// turns it into one message naming what moved. Keep <see cref="RequiredMembers"/> in step with
/// what Internal/ uses (names and signatures as printed by <see cref="Describe(MemberInfo)"/>).
/// </remarks>
internal static class MLNetInternals
{
    /// <summary>
    /// The Microsoft.ML release the internals were checked against. Keep equal to
    /// IINRExpectedMLNetVersion in build/PublicizeMLNet.targets.
    /// </summary>
    internal const string ExpectedVersion = "5.0.1";

    /// <summary>Assembly that holds the persistence API (ModelSaveContext and friends) and the environment interfaces.</summary>
    internal const string CoreAssemblyName = "Microsoft.ML.Core";

    /// <summary>
    /// "Type, Assembly" → members used, as <c>Name(ParameterType, ...)</c> for methods and
    /// constructors (".ctor") and <c>Name</c> for fields.
    /// </summary>
    internal static readonly IReadOnlyList<(string Type, string[] Members)> RequiredMembers =
    [
        ("Microsoft.ML.ModelSaveContext, Microsoft.ML.Core",
        [
            "CheckAtModel()",
            "SetVersionInfo(Microsoft.ML.VersionInfo)",
            "SaveNonEmptyString(System.String)",
            "SaveBinaryStream(System.String, System.Action`1[System.IO.BinaryWriter])",
            "Writer",
            "Directory",
        ]),
        ("Microsoft.ML.ModelLoadContext, Microsoft.ML.Core",
        [
            "CheckAtModel(Microsoft.ML.VersionInfo)",
            "LoadNonEmptyString()",
            "TryLoadBinaryStream(System.String, System.Action`1[System.IO.BinaryReader])",
            "Reader",
            "Directory",
            "Header",
            // Not called by us: this is how ML.NET loads the assembly named in a model header
            // before looking up its loader, which is why no registration call is needed.
            "EnsureLoaderAssemblyIsRegistered(Microsoft.ML.Runtime.ComponentCatalog)",
        ]),
        ("Microsoft.ML.ModelHeader, Microsoft.ML.Core",
        [
            "ModelSignature",
            "ModelVerWritten",
            "ModelVerReadable",
        ]),
        ("Microsoft.ML.VersionInfo, Microsoft.ML.Core",
        [
            ".ctor(System.String, System.UInt32, System.UInt32, System.UInt32, System.String, System.String, System.String)",
        ]),
        ("Microsoft.ML.LoadableClassAttribute, Microsoft.ML.Core",
        [
            ".ctor(System.Type, System.Type, System.Type, System.String, System.String[])",
        ]),
        ("Microsoft.ML.SignatureLoadModel, Microsoft.ML.Core",
        [
            "Invoke(Microsoft.ML.ModelLoadContext)",
        ]),
        ("Microsoft.ML.SchemaShape+Column, Microsoft.ML.Core",
        [
            ".ctor(System.String, Microsoft.ML.SchemaShape+Column+VectorKind, Microsoft.ML.Data.DataViewType, System.Boolean, Microsoft.ML.SchemaShape)",
        ]),
        // The MLContext behind mlContext.Transforms (ContextEnvironment): its seed and cancellation.
        ("Microsoft.ML.Data.IInternalCatalog, Microsoft.ML.Data",
        [
            "Environment",
        ]),
        ("Microsoft.ML.Runtime.IHostEnvironmentInternal, Microsoft.ML.Core",
        [
            "Seed",
        ]),
        ("Microsoft.ML.Runtime.ICancelable, Microsoft.ML.Core",
        [
            "IsCanceled",
        ]),
    ];

    private static readonly Lazy<string?> s_problem = new(FindProblem);

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> if the loaded Microsoft.ML is not
    /// <see cref="ExpectedVersion"/> or lacks a member in <see cref="RequiredMembers"/>.
    /// The check runs once per process.
    /// </summary>
    internal static void EnsureCompatible()
    {
        if (s_problem.Value is { } problem)
            throw new InvalidOperationException(problem);
    }

    /// <summary>Returns a description of every incompatibility found, or null if there is none.</summary>
    internal static string? FindProblem() => FindProblem(RequiredMembers);

    /// <summary>Checks the loaded Microsoft.ML against <paramref name="requiredMembers"/> (the form of <see cref="RequiredMembers"/>).</summary>
    internal static string? FindProblem(IReadOnlyList<(string Type, string[] Members)> requiredMembers)
    {
        var problems = new List<string>();
        var core = typeof(ITransformer).Assembly; // ITransformer lives in Microsoft.ML.Core
        var version = InformationalVersion(core);
        if (core.GetName().Name != CoreAssemblyName || version.Split('+')[0] != ExpectedVersion)
            problems.Add($"{core.GetName().Name} is version {version} ({core.Location}), expected {ExpectedVersion}");

        foreach (var (typeName, members) in requiredMembers)
        {
            var type = Type.GetType(typeName, throwOnError: false);
            if (type == null)
            {
                problems.Add($"type {typeName} is missing");
                continue;
            }
            var present = type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Select(Describe).ToHashSet();
            problems.AddRange(members.Where(m => !present.Contains(m)).Select(m => $"{type.FullName}::{m} is missing"));
        }

        return problems.Count == 0 ? null :
            "Microsoft.ML.IINR uses ML.NET internals that were checked against Microsoft.ML " + ExpectedVersion +
            " only, and the Microsoft.ML loaded in this process does not match: " + string.Join("; ", problems) +
            ". Use Microsoft.ML " + ExpectedVersion + " with this Microsoft.ML.IINR.";
    }

    /// <summary>The AssemblyInformationalVersion of an assembly, e.g. "5.0.1+a4f730ec...".</summary>
    internal static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "(unknown)";

    /// <summary>The signature form used in <see cref="RequiredMembers"/>.</summary>
    internal static string Describe(MemberInfo member) => member switch
    {
        MethodBase method => $"{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.ToString()))})",
        _ => member.Name,
    };
}
