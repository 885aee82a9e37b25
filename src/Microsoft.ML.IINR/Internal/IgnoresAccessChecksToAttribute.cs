// This assembly compiles against publicized copies of these ML.NET assemblies (see
// build/PublicizeMLNet.targets) and uses their internals. At run time the real assemblies load, and
// CoreCLR allows the access because of these attributes. Keep this list equal to the
// IINRPublicizedReference items in Microsoft.ML.IINR.csproj.
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Data")]

namespace System.Runtime.CompilerServices;

/// <summary>
/// Tells the runtime to skip visibility checks when this assembly accesses non-public types and
/// members of the named assembly. The runtime recognises the attribute by its full name; it is not
/// part of the public reference assemblies, so each assembly that uses it declares it itself.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute : Attribute
{
    /// <summary>Creates the attribute for the assembly with the given simple name.</summary>
    public IgnoresAccessChecksToAttribute(string assemblyName) => AssemblyName = assemblyName;

    /// <summary>The simple name of the assembly whose internals this assembly may use.</summary>
    public string AssemblyName { get; }
}
