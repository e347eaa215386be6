using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AnalyticsHub.Events;
using AnalyticsHub.Metadata;

namespace AnalyticsHub.Policies;

/// <summary>Policies: filters <c>policy_type</c>, <c>status</c>, <c>enforcement</c>, <c>scope_type</c>, <c>owner</c>, <c>team</c> and <c>target.&lt;value&gt;</c>.</summary>
/// <param name="variables">The catalog the rule conditions are compiled against when a policy is validated.</param>
internal sealed class PolicyDocumentType(PolicyVariables variables) : MetadataDocumentType<PolicyDefinition>
{
    private static readonly HashSet<string> Keys = ["policy_type", "status", "enforcement", "scope_type", "owner", "team"];

    public override MetadataKind Kind => MetadataKind.Policy;

    public override JsonTypeInfo<PolicyDefinition> Json => PolicyJsonContext.Default.PolicyDefinition;

    public override string IdField => "policy_id";

    public override IReadOnlySet<string> FilterKeys => Keys;

    public override IReadOnlyList<string> FilterPrefixes { get; } = ["target."];

    public override string IdOf(PolicyDefinition item) => item.PolicyId;

    public override void Validate(PolicyDefinition item, MetadataValidator validator, List<Problem> problems) => PolicyValidator.Validate(item, variables, problems);

    public override Dictionary<string, string> Index(PolicyDefinition item)
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["policy_type"] = Name(item.PolicyType.ToString()),
            ["status"] = Name(item.Status.ToString()),
            ["enforcement"] = Name(item.Enforcement.ToString()),
            ["scope_type"] = Name(item.Scope.ScopeType.ToString()),
        };
        IndexOwner(index, item.Owner);
        foreach (var target in item.Scope.Targets)
        {
            index["target." + target] = "true";
        }

        return index;
    }

    public override PolicyDefinition Stamp(PolicyDefinition item, PolicyDefinition? previous, DateTimeOffset now) =>
        item with { CreatedAt = previous?.CreatedAt ?? now, UpdatedAt = now };

    private static string Name(string member) => JsonNamingPolicy.SnakeCaseLower.ConvertName(member);
}
