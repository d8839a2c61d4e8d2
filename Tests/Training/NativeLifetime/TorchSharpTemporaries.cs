using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace DigitMl.Tests.Training.NativeLifetime;

/// <summary>
/// Reads TorchSharp.dll's IL and finds the methods that make a native <c>Scalar</c> internally and never dispose it
/// (an implicit <c>int</c>/<c>double</c> -> Scalar, e.g. the default <c>alpha = 1</c> of <c>Tensor.add(Tensor)</c>,
/// or the <c>num_batches_tracked.add_(1)</c> of <c>BatchNorm.forward</c>), directly or through another such method,
/// or as an override of a virtual method. Such a Scalar is only referenced by the value of its handle while libtorch
/// reads it, so the garbage collector may free it in the middle of the call.
/// </summary>
public sealed class TorchSharpTemporaries
{
    private readonly HashSet<string> _unsafe;
    private readonly HashSet<string> _unsafeVirtual;

    private TorchSharpTemporaries(HashSet<string> unsafeKeys, HashSet<string> unsafeVirtual, int methods)
    {
        _unsafe = unsafeKeys;
        _unsafeVirtual = unsafeVirtual;
        MethodCount = methods;
    }

    /// <summary>How many method bodies were read (a sanity figure for tests).</summary>
    public int MethodCount { get; }

    public IReadOnlyCollection<string> UnsafeKeys => _unsafe;

    /// <summary>
    /// True when calling the method with this key may leave an unreferenced native Scalar inside libtorch;
    /// <paramref name="isVirtual"/>: the call dispatches to overrides, one of which may.
    /// </summary>
    public bool IsUnsafe(string key, bool isVirtual) => _unsafe.Contains(key) || (isVirtual && _unsafeVirtual.Contains(Loose(key)));

    /// <summary>"Type::name(a,b)" as "Type::name/2".</summary>
    public static string Loose(string key)
    {
        int open = key.IndexOf('(', StringComparison.Ordinal);
        string inner = key[(open + 1)..^1];
        int count = inner.Length == 0 ? 0 : inner.Count(c => c == ',') + 1;
        return $"{key[..open]}/{count}";
    }

    /// <summary>"Namespace.Type+Nested::name(ParamType,ParamType)" with metadata type names (Int64, Tensor, Nullable`1, T[]).</summary>
    public static string Key(string declaringType, string name, IEnumerable<string> parameterTypes) =>
        $"{declaringType}::{name}({string.Join(",", parameterTypes)})";

    public static TorchSharpTemporaries Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var provider = new TypeNames(md);

        var keyOf = new Dictionary<MethodDefinitionHandle, string>();
        var typeOfMethod = new Dictionary<MethodDefinitionHandle, TypeDefinitionHandle>();
        foreach (var typeHandle in md.TypeDefinitions)
        {
            foreach (var methodHandle in md.GetTypeDefinition(typeHandle).GetMethods())
            {
                keyOf[methodHandle] = DefinitionKey(md, provider, methodHandle);
                typeOfMethod[methodHandle] = typeHandle;
            }
        }

        // direct facts and calls into the same assembly
        var creates = new HashSet<string>();
        var disposes = new HashSet<string>();
        var calls = new Dictionary<string, List<string>>();
        int bodies = 0;
        foreach (var (methodHandle, key) in keyOf)
        {
            var method = md.GetMethodDefinition(methodHandle);
            if (method.RelativeVirtualAddress == 0) continue;
            bodies++;
            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            var targets = new List<string>();
            foreach (var token in CallTargets(body.GetILReader()))
            {
                var (declaring, name, target) = Describe(md, provider, token);
                if (target is null) continue;
                if (declaring == "TorchSharp.Scalar" && name == "op_Implicit") creates.Add(key);
                else if (declaring == "TorchSharp.ScalarExtensionMethods" && name == "ToScalar") creates.Add(key);
                else if (declaring == "TorchSharp.Scalar" && name == "Dispose") disposes.Add(key);
                targets.Add(target);
            }
            calls[key] = targets;
        }

        var unsafeKeys = new HashSet<string>(creates.Where(k => !disposes.Contains(k)));

        // A call to a virtual method is unsafe when one of its overrides in TorchSharp is. Overrides are matched by
        // name and parameter count ("Type::name/2"), because a generic base declares forward(T), not forward(Tensor).
        var overridesOf = new Dictionary<string, List<string>>();
        foreach (var (methodHandle, key) in keyOf)
        {
            var method = md.GetMethodDefinition(methodHandle);
            if ((method.Attributes & System.Reflection.MethodAttributes.Virtual) == 0) continue;
            string suffix = Loose(key)[Loose(key).IndexOf("::", StringComparison.Ordinal)..];
            for (var baseType = BaseType(md, typeOfMethod[methodHandle]); baseType is { } b; baseType = BaseType(md, b))
            {
                string baseKey = provider.Name(b) + suffix;
                if (!overridesOf.TryGetValue(baseKey, out var list)) overridesOf[baseKey] = list = [];
                list.Add(key);
            }
        }

        var unsafeVirtual = new HashSet<string>();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var (key, targets) in calls)
            {
                if (unsafeKeys.Contains(key) || disposes.Contains(key)) continue;
                if (targets.Any(t => unsafeKeys.Contains(t) || unsafeVirtual.Contains(Loose(t))))
                    changed |= unsafeKeys.Add(key);
            }
            foreach (var (baseKey, overrides) in overridesOf)
            {
                if (!unsafeVirtual.Contains(baseKey) && overrides.Any(unsafeKeys.Contains))
                    changed |= unsafeVirtual.Add(baseKey);
            }
        }

        return new TorchSharpTemporaries(unsafeKeys, unsafeVirtual, bodies);
    }

    private static TypeDefinitionHandle? BaseType(MetadataReader md, TypeDefinitionHandle type)
    {
        var baseHandle = md.GetTypeDefinition(type).BaseType;
        if (baseHandle.IsNil) return null;
        if (baseHandle.Kind == HandleKind.TypeDefinition) return (TypeDefinitionHandle)baseHandle;
        if (baseHandle.Kind == HandleKind.TypeSpecification)
        {
            // a generic base such as Module<Tensor, Tensor>: its open definition
            var blob = md.GetBlobReader(md.GetTypeSpecification((TypeSpecificationHandle)baseHandle).Signature);
            if (blob.ReadSignatureTypeCode() == SignatureTypeCode.GenericTypeInstance)
            {
                blob.ReadCompressedInteger(); // class / valuetype
                var open = blob.ReadTypeHandle();
                if (open.Kind == HandleKind.TypeDefinition) return (TypeDefinitionHandle)open;
            }
        }
        return null;
    }

    private static string DefinitionKey(MetadataReader md, TypeNames provider, MethodDefinitionHandle handle)
    {
        var method = md.GetMethodDefinition(handle);
        var signature = method.DecodeSignature(provider, null);
        return Key(provider.Name(method.GetDeclaringType()), md.GetString(method.Name), signature.ParameterTypes);
    }

    /// <summary>The declaring type, name and key of a call target that lives in this assembly (key null otherwise).</summary>
    private static (string? Declaring, string? Name, string? Key) Describe(MetadataReader md, TypeNames provider, EntityHandle token)
    {
        switch (token.Kind)
        {
            case HandleKind.MethodDefinition:
            {
                var method = md.GetMethodDefinition((MethodDefinitionHandle)token);
                string declaring = provider.Name(method.GetDeclaringType());
                string name = md.GetString(method.Name);
                return (declaring, name, DefinitionKey(md, provider, (MethodDefinitionHandle)token));
            }
            case HandleKind.MethodSpecification:
                return Describe(md, provider, md.GetMethodSpecification((MethodSpecificationHandle)token).Method);
            case HandleKind.MemberReference:
            {
                var member = md.GetMemberReference((MemberReferenceHandle)token);
                if (member.GetKind() != MemberReferenceKind.Method) return (null, null, null);
                string? declaring = member.Parent.Kind switch
                {
                    HandleKind.TypeDefinition => provider.Name((TypeDefinitionHandle)member.Parent),
                    HandleKind.TypeSpecification => OpenGenericName(md, provider, (TypeSpecificationHandle)member.Parent),
                    _ => null,
                };
                if (declaring is null) return (null, null, null);
                string name = md.GetString(member.Name);
                var signature = member.DecodeMethodSignature(provider, null);
                return (declaring, name, Key(declaring, name, signature.ParameterTypes));
            }
            default:
                return (null, null, null);
        }
    }

    private static string? OpenGenericName(MetadataReader md, TypeNames provider, TypeSpecificationHandle handle)
    {
        var blob = md.GetBlobReader(md.GetTypeSpecification(handle).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
        blob.ReadCompressedInteger();
        var open = blob.ReadTypeHandle();
        return open.Kind == HandleKind.TypeDefinition ? provider.Name((TypeDefinitionHandle)open) : null;
    }

    /// <summary>Tokens of call, callvirt, newobj and ldftn in an IL stream.</summary>
    private static IEnumerable<EntityHandle> CallTargets(BlobReader il)
    {
        var found = new List<EntityHandle>();
        while (il.RemainingBytes > 0)
        {
            int code = il.ReadByte();
            if (code == 0xFE) code = 0xFE00 | il.ReadByte();
            switch (code)
            {
                case 0x28: // call
                case 0x6F: // callvirt
                case 0x73: // newobj
                case 0xFE06: // ldftn
                case 0xFE07: // ldvirtftn
                    found.Add(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                default:
                    SkipOperand(ref il, code);
                    break;
            }
        }
        return found;
    }

    private static void SkipOperand(ref BlobReader il, int code)
    {
        switch (code)
        {
            case 0x45: // switch
                int count = il.ReadInt32();
                il.Offset += count * 4;
                break;
            // 1-byte operands: short branches, ldarg.s, ldloc.s, starg.s, stloc.s, ldarga.s, ldloca.s, ldc.i4.s, unaligned.
            case 0x0E or 0x0F or 0x10 or 0x11 or 0x12 or 0x13 or 0x1F or (>= 0x2B and <= 0x37) or 0xDE or 0xFE12:
                il.Offset += 1;
                break;
            // 8-byte operands: ldc.i8, ldc.r8
            case 0x21 or 0x23:
                il.Offset += 8;
                break;
            // 4-byte operands: ldc.i4, ldc.r4, long branches, tokens, leave
            case 0x20 or 0x22 or (>= 0x38 and <= 0x44) or 0xDD or 0x29 or 0x70 or 0x71 or 0x72 or 0x74 or 0x75 or 0x79
                or 0x7B or 0x7C or 0x7D or 0x7E or 0x7F or 0x80 or 0x81 or 0x8C or 0x8D or 0x8F or 0xA3 or 0xA4 or 0xA5
                or 0xC2 or 0xC6 or 0xD0 or 0xFE15 or 0xFE16 or 0xFE1C or 0xFE19:
                il.Offset += 4;
                break;
            // 2-byte operands: ldarg, ldarga, starg, ldloc, ldloca, stloc
            case 0xFE09 or 0xFE0A or 0xFE0B or 0xFE0C or 0xFE0D or 0xFE0E:
                il.Offset += 2;
                break;
            default:
                break;
        }
    }

    /// <summary>Metadata type names: "TorchSharp.torch+Tensor", "Int64", "Nullable`1", "Tensor[]", "T" for generic parameters.</summary>
    private sealed class TypeNames(MetadataReader md) : ISignatureTypeProvider<string, object?>
    {
        public string Name(TypeDefinitionHandle handle)
        {
            var type = md.GetTypeDefinition(handle);
            string name = md.GetString(type.Name);
            if (type.GetDeclaringType() is { IsNil: false } outer) return Name(outer) + "+" + name;
            string ns = md.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.IntPtr => "IntPtr",
            PrimitiveTypeCode.UIntPtr => "UIntPtr",
            PrimitiveTypeCode.TypedReference => "TypedReference",
            _ => typeCode.ToString(),
        };

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType;

        public string GetGenericMethodParameter(object? genericContext, int index) => "T";

        public string GetGenericTypeParameter(object? genericContext, int index) => "T";

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType) => elementType;
    }
}
