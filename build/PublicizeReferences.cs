// MSBuild inline task (see PublicizeMLNet.targets): writes copies of chosen reference assemblies
// whose internal types and members are public, for use as compile-time references only.
//
// Why: ML.NET's model-zip persistence API (ModelSaveContext members, ModelLoadContext, VersionInfo,
// LoadableClassAttribute, ...) is internal. Compiling against publicized copies lets C# name it;
// at run time the real assemblies load and [IgnoresAccessChecksTo] lets the CLR allow the access.
//
// What is flipped: top-level internal types -> public; nested internal / private protected /
// protected internal types -> nested public; internal / private protected / protected internal
// methods and fields -> public. Private and protected members stay as they are (not needed, and
// widening them only invites name clashes and override mismatches). Nothing is unsealed.
//
// Incremental: a stamp file next to each output records the input's path, size and write time and
// the format of this task; when they match, the output is left alone (so CoreCompile stays up to
// date too). The version check runs whenever the input changes, and fails the build loudly.
using System;
using System.IO;
using System.Linq;
using System.Collections.Generic;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Mono.Cecil;

public class IINRPublicizeReferences : Task
{
    // Bump when the flipping rules change, so existing outputs are rewritten.
    const string RulesVersion = "1";

    /// <summary>The compile references (ReferencePathWithRefAssemblies).</summary>
    [Required]
    public ITaskItem[] References { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Simple names of the assemblies to publicize (e.g. Microsoft.ML.Core).</summary>
    [Required]
    public string[] AssemblyNames { get; set; } = Array.Empty<string>();

    /// <summary>The only accepted AssemblyInformationalVersion (before any '+commit' suffix).</summary>
    [Required]
    public string ExpectedVersion { get; set; } = "";

    [Required]
    public string OutputDirectory { get; set; } = "";

    /// <summary>The reference items that were replaced.</summary>
    [Output]
    public ITaskItem[] Replaced { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Their replacements: the publicized copies, carrying the original metadata.</summary>
    [Output]
    public ITaskItem[] Publicized { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        var replaced = new List<ITaskItem>();
        var publicized = new List<ITaskItem>();
        Directory.CreateDirectory(OutputDirectory);

        foreach (var name in AssemblyNames)
        {
            var original = References.FirstOrDefault(r =>
                string.Equals(Path.GetFileNameWithoutExtension(r.ItemSpec), name, StringComparison.OrdinalIgnoreCase));
            if (original == null)
            {
                Log.LogError($"IINR: cannot publicize '{name}': it is not among this project's compile references.");
                continue;
            }

            var input = Path.GetFullPath(original.ItemSpec);
            var output = Path.Combine(Path.GetFullPath(OutputDirectory), Path.GetFileName(input));
            var stampPath = output + ".stamp";
            var info = new FileInfo(input);
            var stamp = $"{RulesVersion}|{ExpectedVersion}|{input}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";

            if (!(File.Exists(output) && File.Exists(stampPath) && File.ReadAllText(stampPath) == stamp))
            {
                try
                {
                    if (!Publicize(input, output)) continue;
                }
                catch (Exception e)
                {
                    Log.LogError($"IINR: could not publicize {input}: {e.Message}");
                    continue;
                }
                File.WriteAllText(stampPath, stamp);
                Log.LogMessage(MessageImportance.Normal, $"IINR: wrote publicized compile reference {output}");
            }

            var item = new TaskItem(output, original.CloneCustomMetadata());
            item.SetMetadata("IINRPublicizedFrom", input);
            replaced.Add(original);
            publicized.Add(item);
        }

        Replaced = replaced.ToArray();
        Publicized = publicized.ToArray();
        return !Log.HasLoggedErrors;
    }

    bool Publicize(string input, string output)
    {
        // Writing resolves the assemblies it references (Microsoft.ML.Data names Microsoft.ML.Core): look beside every compile reference.
        using var resolver = new DefaultAssemblyResolver();
        foreach (var directory in References.Select(r => Path.GetDirectoryName(Path.GetFullPath(r.ItemSpec))).Distinct())
            resolver.AddSearchDirectory(directory);
        using var module = ModuleDefinition.ReadModule(input, new ReaderParameters { InMemory = true, AssemblyResolver = resolver });

        // Fail loudly on any other ML.NET build: the internals used are validated for one version only.
        var version = module.Assembly.CustomAttributes
            .Where(a => a.AttributeType.FullName == "System.Reflection.AssemblyInformationalVersionAttribute")
            .Select(a => (string)a.ConstructorArguments[0].Value)
            .FirstOrDefault() ?? "(none)";
        var plain = version.Split('+')[0];
        if (plain != ExpectedVersion)
        {
            Log.LogError($"IINR: {input} has informational version {version}, but compiling against its " +
                $"internals is only validated for {ExpectedVersion}. Re-check the ML.NET internals used by " +
                "src/Microsoft.ML.IINR/Internal (listed in MLNetInternals.cs) against the new version, then " +
                "update IINRExpectedMLNetVersion (build/PublicizeMLNet.targets) and MLNetInternals.ExpectedVersion.");
            return false;
        }

        foreach (var type in module.GetTypes()) // includes nested types
        {
            var vis = type.Attributes & TypeAttributes.VisibilityMask;
            if (vis == TypeAttributes.NotPublic)
                type.Attributes = (type.Attributes & ~TypeAttributes.VisibilityMask) | TypeAttributes.Public;
            else if (vis == TypeAttributes.NestedAssembly || vis == TypeAttributes.NestedFamANDAssem || vis == TypeAttributes.NestedFamORAssem)
                type.Attributes = (type.Attributes & ~TypeAttributes.VisibilityMask) | TypeAttributes.NestedPublic;

            foreach (var method in type.Methods)
            {
                var access = method.Attributes & MethodAttributes.MemberAccessMask;
                if (access == MethodAttributes.Assembly || access == MethodAttributes.FamANDAssem || access == MethodAttributes.FamORAssem)
                    method.Attributes = (method.Attributes & ~MethodAttributes.MemberAccessMask) | MethodAttributes.Public;
            }
            foreach (var field in type.Fields)
            {
                var access = field.Attributes & FieldAttributes.FieldAccessMask;
                if (access == FieldAttributes.Assembly || access == FieldAttributes.FamANDAssem || access == FieldAttributes.FamORAssem)
                    field.Attributes = (field.Attributes & ~FieldAttributes.FieldAccessMask) | FieldAttributes.Public;
            }
        }

        // Write to a temporary name first so an interrupted build never leaves a half-written reference.
        var temp = output + ".tmp";
        module.Write(temp);
        File.Copy(temp, output, overwrite: true);
        File.Delete(temp);
        return true;
    }
}
