using AnalyticsHub.Hosting;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace AnalyticsHub.Tests;

/// <summary>
/// The layering of docs/architecture.md, checked on the compiled core assembly: every type reference (signatures,
/// fields, attributes, method bodies) between its folders. Folders are the namespaces under <c>AnalyticsHub.</c>
/// (sub-namespaces count with their folder), except the in-memory backends, <c>Storage.InMemory</c>, a layer of their
/// own above the domains whose store contracts they implement; DI registration (<c>Microsoft.Extensions.DependencyInjection</c>)
/// counts as Hosting.
/// </summary>
public class ArchitectureTests
{
    private static readonly Lazy<Dictionary<(string From, string To), string>> Edges = new(ReadEdges);

    [Fact]
    public void NoFolderBelowHosting_ReferencesHosting()
    {
        var offending = Edges.Value.Where(e => e.Key.To == "Hosting" && e.Key.From != "Hosting").Select(e => $"{e.Key.From} -> Hosting ({e.Value})").ToList();

        Assert.True(offending.Count == 0, "Folders that reference Hosting:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void FolderReferences_HaveNoCycle()
    {
        var graph = Edges.Value.Keys.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToHashSet());
        var cycle = FindCycle(graph);

        Assert.True(cycle is null, "Folder cycle: " + (cycle is null ? string.Empty : string.Join(" -> ", cycle) + "\n" + string.Join("\n", cycle.Zip(cycle.Skip(1)).Select(p => $"{p.First} -> {p.Second}: {Edges.Value[(p.First, p.Second)]}"))));
    }

    [Fact]
    public void Layers_AreTheDocumentedOnes()
    {
        // The few edges that define the shape: a change here is a change to docs/architecture.md.
        var edges = Edges.Value.Keys.ToHashSet();
        Assert.Contains(("Metrics", "TimeSeries"), edges);
        Assert.Contains(("TimeSeries", "Statistics"), edges);
        Assert.Contains(("Anomalies", "Pipeline"), edges);
        Assert.Contains(("Storage.InMemory", "TimeSeries"), edges);
        Assert.DoesNotContain(("Storage", "TimeSeries"), edges);
        Assert.DoesNotContain(("Statistics", "Metrics"), edges);
        Assert.DoesNotContain(("Pipeline", "Metrics"), edges);
        Assert.DoesNotContain(("Events", "Pipeline"), edges);
    }

    [Fact]
    public void StorageContracts_BuildNoApiEnvelope()
    {
        // API envelopes are built from problems in Api only; the store contracts may use pagination and stream types.
        string[] envelopes = ["AnalyticsHub.Api.ApiError", "AnalyticsHub.Api.ApiResponse", "AnalyticsHub.Api.PaginatedResponse", "AnalyticsHub.Api.BatchResponse"];
        using var module = ModuleDefinition.ReadModule(typeof(IAnalyticsHub).Assembly.Location);
        var offending = module.GetTypes()
            .Where(t => Outermost(t).Namespace == "AnalyticsHub.Storage")
            .SelectMany(t => References(t).Select(r => (Type: t, Referenced: Outermost(r))))
            .Where(p => envelopes.Any(e => p.Referenced.FullName == e || p.Referenced.FullName.StartsWith(e + "`", StringComparison.Ordinal)))
            .Select(p => $"{p.Type.FullName} uses {p.Referenced.FullName}")
            .Distinct()
            .ToList();

        Assert.True(offending.Count == 0, "Storage builds API envelopes:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void FindCycle_FindsAPlantedCycle()
    {
        var graph = new Dictionary<string, HashSet<string>> { ["a"] = ["b"], ["b"] = ["c"], ["c"] = ["a"], ["d"] = ["a"] };

        var cycle = FindCycle(graph);

        Assert.NotNull(cycle);
        Assert.Equal(cycle[0], cycle[^1]);
        Assert.Equal(4, cycle.Count);
    }

    internal static string? FolderOf(string ns)
    {
        if (ns == "Microsoft.Extensions.DependencyInjection")
        {
            return "Hosting";
        }

        if (!ns.StartsWith("AnalyticsHub.", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = ns.Split('.');
        return parts.Length > 2 && parts[1] == "Storage" && parts[2] == "InMemory" ? "Storage.InMemory" : parts[1];
    }

    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(start) is { } found)
            {
                return found;
            }
        }

        return null;

        List<string>? Visit(string node)
        {
            state.TryGetValue(node, out var seen);
            if (seen == 1)
            {
                return [.. path.Skip(path.IndexOf(node)), node];
            }

            if (seen == 2)
            {
                return null;
            }

            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node, []).Order(StringComparer.Ordinal))
            {
                if (Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
    }

    /// <summary>Every folder-to-folder reference of the core assembly, with one example per edge.</summary>
    private static Dictionary<(string From, string To), string> ReadEdges()
    {
        using var module = ModuleDefinition.ReadModule(typeof(IAnalyticsHub).Assembly.Location);
        var edges = new Dictionary<(string, string), string>();
        foreach (var type in module.GetTypes())
        {
            if (FolderOf(Outermost(type).Namespace) is not { } from)
            {
                continue;
            }

            foreach (var referenced in References(type))
            {
                var target = Outermost(referenced);
                if (target.Scope != module && target.Module != module)
                {
                    continue;
                }

                if (FolderOf(target.Namespace) is { } to && to != from)
                {
                    edges.TryAdd((from, to), $"{type.FullName} uses {referenced.FullName}");
                }
            }
        }

        return edges;
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static IEnumerable<TypeReference> References(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? reference)
        {
            switch (reference)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    foreach (var argument in generic.GenericArguments)
                    {
                        Add(argument);
                    }

                    return;
                case TypeSpecification specification:
                    Add(specification.ElementType);
                    return;
                case GenericParameter:
                    return;
                default:
                    found.Add(reference);
                    return;
            }
        }

        void AddMember(MemberReference? member)
        {
            switch (member)
            {
                case TypeReference typeReference:
                    Add(typeReference);
                    break;
                case MethodReference method:
                    Add(method.DeclaringType);
                    Add(method.ReturnType);
                    foreach (var parameter in method.Parameters)
                    {
                        Add(parameter.ParameterType);
                    }

                    if (method is GenericInstanceMethod genericMethod)
                    {
                        foreach (var argument in genericMethod.GenericArguments)
                        {
                            Add(argument);
                        }
                    }

                    break;
                case FieldReference field:
                    Add(field.DeclaringType);
                    Add(field.FieldType);
                    break;
            }
        }

        void AddAttributes(ICustomAttributeProvider provider)
        {
            foreach (var attribute in provider.CustomAttributes)
            {
                Add(attribute.AttributeType);
                foreach (var argument in attribute.ConstructorArguments)
                {
                    if (argument.Value is TypeReference typeArgument)
                    {
                        Add(typeArgument);
                    }
                }
            }
        }

        Add(type.BaseType);
        AddAttributes(type);
        foreach (var implemented in type.Interfaces)
        {
            Add(implemented.InterfaceType);
        }

        foreach (var field in type.Fields)
        {
            Add(field.FieldType);
            AddAttributes(field);
        }

        foreach (var property in type.Properties)
        {
            Add(property.PropertyType);
            AddAttributes(property);
        }

        foreach (var method in type.Methods)
        {
            AddMember(method);
            AddAttributes(method);
            if (!method.HasBody)
            {
                continue;
            }

            foreach (var variable in method.Body.Variables)
            {
                Add(variable.VariableType);
            }

            foreach (var instruction in method.Body.Instructions)
            {
                AddMember(instruction.Operand as MemberReference);
            }
        }

        return found;
    }
}
