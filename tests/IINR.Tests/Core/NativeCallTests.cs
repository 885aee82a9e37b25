using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using IINR.Trainers;

namespace IINR.Tests.Core;

/// <summary>
/// TorchSharp's short overloads (<c>add_(Scalar)</c> forwards <c>alpha: 1</c>) and implicit conversions
/// to <c>Scalar</c> create a native Scalar that nothing references once its handle is passed on, so a
/// garbage collection during the native call can free it while libtorch reads it. That crashed a
/// concurrent fit in Adam's step ("Scalar::toFloat", "Expected false to be true"). These tests read the
/// compiled library and fail on any call that creates such a hidden Scalar.
/// </summary>
[TestClass]
public sealed class NativeCallTests
{
    // Each forwards a literal to a Scalar parameter of the full overload (TorchSharp 0.107, Tensor.Math.cs),
    // and Tensor's arithmetic operators call those or convert their numeric operand implicitly.
    static readonly HashSet<string> HiddenScalarOverloads =
    [
        "Tensor.add(Tensor)", "Tensor.add(Scalar)", "Tensor.add_(Tensor)", "Tensor.add_(Scalar)",
        "Tensor.addcdiv(Tensor,Tensor)", "Tensor.addcdiv_(Tensor,Tensor)",
    ];

    static bool CreatesHiddenScalar(string call) =>
        HiddenScalarOverloads.Contains(call)
        || call.StartsWith("Scalar.op_Implicit(", StringComparison.Ordinal)
        || (call.StartsWith("Tensor.op_", StringComparison.Ordinal) && !call.StartsWith("Tensor.op_Implicit(", StringComparison.Ordinal));

    [TestMethod]
    public void TheLibraryPassesEveryScalarExplicitly()
    {
        var offenders = new List<string>();
        foreach (var assembly in new[] { typeof(InrTrainer).Assembly, typeof(Microsoft.ML.IINR.IINRCatalog).Assembly, typeof(IINR.Cli.Program).Assembly })
            offenders.AddRange(TorchSharpCalls(assembly.Location).Where(c => CreatesHiddenScalar(c.Callee)).Select(c => $"{c.Caller} calls {c.Callee}"));
        Assert.AreEqual(0, offenders.Count, "calls that create a hidden native Scalar:\n" + string.Join("\n", offenders));
    }

    [TestMethod]
    public void TheScanSeesTheCallsItLooksFor()
    {
        // The scan must find the library's explicit calls, or an empty list above proves nothing.
        var calls = TorchSharpCalls(typeof(InrTrainer).Assembly.Location).Select(c => c.Callee).ToHashSet();
        CollectionAssert.IsSubsetOf(new[] { "Tensor.add_(Tensor,Scalar)", "Tensor.addcdiv_(Tensor,Tensor,Scalar)", "Tensor.mul_(Scalar)" }, calls.ToList());
        Assert.IsTrue(CreatesHiddenScalar("Tensor.add_(Scalar)"));
        Assert.IsTrue(CreatesHiddenScalar("Scalar.op_Implicit(Double)"));
        Assert.IsTrue(CreatesHiddenScalar("Tensor.op_Multiply(Tensor,Double)"));
        Assert.IsFalse(CreatesHiddenScalar("Tensor.add_(Scalar,Scalar)"));
    }

    /// <summary>Every call, callvirt and newobj of a TorchSharp member in the assembly's method bodies.</summary>
    static List<(string Caller, string Callee)> TorchSharpCalls(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var names = new SignatureNames();
        var calls = new List<(string, string)>();
        foreach (var handle in md.MethodDefinitions)
        {
            var method = md.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0) continue;
            string caller = md.GetString(md.GetTypeDefinition(method.GetDeclaringType()).Name) + "." + md.GetString(method.Name);
            var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
            while (il.RemainingBytes > 0)
            {
                int op = il.ReadByte();
                if (op == 0xFE) op = 0xFE00 | il.ReadByte();
                if (op is 0x28 or 0x6F or 0x73) // call, callvirt, newobj
                {
                    var token = MetadataTokens.EntityHandle(il.ReadInt32());
                    if (token.Kind != HandleKind.MemberReference) continue;
                    var member = md.GetMemberReference((MemberReferenceHandle)token);
                    if (member.Parent.Kind != HandleKind.TypeReference || member.GetKind() != MemberReferenceKind.Method) continue;
                    var type = md.GetTypeReference((TypeReferenceHandle)member.Parent);
                    if (!IsTorchSharp(md, type)) continue;
                    var signature = member.DecodeMethodSignature(names, null);
                    calls.Add((caller, $"{md.GetString(type.Name)}.{md.GetString(member.Name)}({string.Join(",", signature.ParameterTypes)})"));
                }
                else if (op == 0x45) il.Offset += 4 * il.ReadInt32(); // switch
                else il.Offset += OperandBytes(op);
            }
        }
        return calls;
    }

    static bool IsTorchSharp(MetadataReader md, TypeReference type)
    {
        // Nested types (torch.Tensor) resolve through their enclosing type to TorchSharp's namespace.
        while (type.ResolutionScope.Kind == HandleKind.TypeReference)
            type = md.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
        return md.GetString(type.Namespace).StartsWith("TorchSharp", StringComparison.Ordinal);
    }

    // Operand sizes of the ECMA-335 opcodes (partition III); call, callvirt, newobj and switch are read above.
    static int OperandBytes(int op) => op switch
    {
        0x0E or 0x0F or 0x10 or 0x11 or 0x12 or 0x13 or 0x1F or 0xDE or 0xFE12 => 1,
        >= 0x2B and <= 0x37 => 1,
        0x20 or 0x22 or 0x27 or 0x29 or 0x70 or 0x71 or 0x72 or 0x74 or 0x75 or 0x79 or 0x8C or 0x8D or 0x8F
            or 0xA3 or 0xA4 or 0xA5 or 0xC2 or 0xC6 or 0xD0 or 0xDD => 4,
        >= 0x7B and <= 0x81 => 4,
        >= 0x38 and <= 0x44 => 4,
        0xFE06 or 0xFE07 or 0xFE15 or 0xFE16 or 0xFE1C => 4,
        0xFE09 or 0xFE0A or 0xFE0B or 0xFE0C or 0xFE0D or 0xFE0E => 2,
        0x21 or 0x23 => 8,
        _ => 0,
    };

    sealed class SignatureNames : ISignatureTypeProvider<string, object?>
    {
        public string GetArrayType(string element, ArrayShape shape) => element + "[,]";
        public string GetByReferenceType(string element) => element + "&";
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetGenericInstantiation(string generic, System.Collections.Immutable.ImmutableArray<string> args) => generic + "<" + string.Join(",", args) + ">";
        public string GetGenericMethodParameter(object? context, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? context, int index) => "!" + index;
        public string GetModifiedType(string modifier, string unmodified, bool isRequired) => unmodified;
        public string GetPinnedType(string element) => element;
        public string GetPointerType(string element) => element + "*";
        public string GetPrimitiveType(PrimitiveTypeCode code) => code.ToString();
        public string GetSZArrayType(string element) => element + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte kind) => reader.GetString(reader.GetTypeDefinition(handle).Name);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte kind) => reader.GetString(reader.GetTypeReference(handle).Name);
        public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte kind) => "spec";
    }
}
