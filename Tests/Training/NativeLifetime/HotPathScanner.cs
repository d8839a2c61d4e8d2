using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DigitMl.Tests.Training.NativeLifetime;

/// <summary>
/// Compiles source files with Roslyn and lists every place where a native TorchSharp object could be freed while
/// libtorch still reads it: an implicit conversion that makes a temporary <c>Scalar</c> or <c>Tensor</c>, and every
/// call into a TorchSharp method that makes one internally (<see cref="TorchSharpTemporaries"/>).
/// </summary>
public static class HotPathScanner
{
    public sealed record Finding(string File, int Line, string What)
    {
        public override string ToString() => $"{File}:{Line}: {What}";
    }

    public static IReadOnlyList<Finding> Scan(IReadOnlyList<string> files, string root, TorchSharpTemporaries torchSharp, IEnumerable<string> extraSources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, path: f))
            .Concat(extraSources.Select(s => CSharpSyntaxTree.ParseText(s, parse)))
            .ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => a.Location))
            .Where(p => !Path.GetFileNameWithoutExtension(p).Equals("DigitMl.Training", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("HotPathScan", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

        // CS8795: a [GeneratedRegex] partial method, whose other half a source generator writes at build time
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795").Take(5).ToList();
        if (errors.Count > 0)
            throw new InvalidOperationException("the scanned sources do not compile:\n" + string.Join("\n", errors));

        var findings = new List<Finding>();
        foreach (var tree in trees.Where(t => t.FilePath.Length > 0))
        {
            var model = compilation.GetSemanticModel(tree);
            string file = Path.GetRelativePath(root, tree.FilePath);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is not ExpressionSyntax expression) continue;
                int line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                var conversion = model.GetConversion(expression);
                if (conversion is { IsUserDefined: true, IsImplicit: true, MethodSymbol: { } converter } && IsNative(converter.ReturnType))
                    findings.Add(new Finding(file, line, $"implicit {converter.Parameters[0].Type.ToDisplayString()} -> {converter.ReturnType.Name} makes a temporary native object"));
                var operation = model.GetOperation(expression);
                switch (operation)
                {
                    // module factories (nn.Conv2d(...), nn.ModuleList(...)) run once when a model is built, not per step
                    case IInvocationOperation invocation when !MakesModule(invocation.TargetMethod) && IsUnsafeCall(invocation.TargetMethod, invocation.IsVirtual, torchSharp):
                        findings.Add(new Finding(file, line, $"{Describe(invocation.TargetMethod)} makes a temporary native Scalar internally"));
                        break;
                    case IBinaryOperation { OperatorMethod: { } op } when IsUnsafeCall(op, false, torchSharp):
                        findings.Add(new Finding(file, line, $"operator {Describe(op)} makes a temporary native Scalar internally"));
                        break;
                    case IUnaryOperation { OperatorMethod: { } op } when IsUnsafeCall(op, false, torchSharp):
                        findings.Add(new Finding(file, line, $"operator {Describe(op)} makes a temporary native Scalar internally"));
                        break;
                    case ICompoundAssignmentOperation { OperatorMethod: { } op } when IsUnsafeCall(op, false, torchSharp):
                        findings.Add(new Finding(file, line, $"operator {Describe(op)} makes a temporary native Scalar internally"));
                        break;
                }
            }
        }

        return findings.Distinct().ToList();
    }

    private static bool MakesModule(IMethodSymbol method)
    {
        for (var type = method.ReturnType as INamedTypeSymbol; type is not null; type = type.BaseType)
            if (type.ContainingAssembly?.Name == "TorchSharp" && type.Name == "Module") return true;
        return false;
    }

    private static bool IsNative(ITypeSymbol type) =>
        type.ContainingAssembly?.Name == "TorchSharp" && type.Name is "Scalar" or "Tensor";

    private static bool IsUnsafeCall(IMethodSymbol method, bool dispatchesVirtually, TorchSharpTemporaries torchSharp)
    {
        var definition = method.ReducedFrom ?? method;
        definition = definition.OriginalDefinition;
        if (definition.ContainingAssembly?.Name != "TorchSharp") return false;
        bool isVirtual = dispatchesVirtually && (definition.IsVirtual || definition.IsAbstract || definition.IsOverride);
        return torchSharp.IsUnsafe(KeyOf(definition), isVirtual);
    }

    public static string KeyOf(IMethodSymbol method) =>
        TorchSharpTemporaries.Key(TypeName(method.ContainingType), method.MetadataName, method.Parameters.Select(p => ParameterType(p.Type) + (p.RefKind == RefKind.None ? "" : "&")));

    private static string TypeName(INamedTypeSymbol type)
    {
        if (type.ContainingType is { } outer) return TypeName(outer) + "+" + type.MetadataName;
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        return ns + type.MetadataName;
    }

    private static string ParameterType(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => ParameterType(array.ElementType) + "[" + new string(',', array.Rank - 1) + "]",
        IPointerTypeSymbol pointer => ParameterType(pointer.PointedAtType) + "*",
        ITypeParameterSymbol => "T",
        INamedTypeSymbol named => named.OriginalDefinition.MetadataName,
        _ => type.MetadataName,
    };

    private static string Describe(IMethodSymbol method) =>
        $"{method.ContainingType.Name}.{method.Name}({string.Join(", ", method.Parameters.Select(p => p.Type.Name))})";
}
