using System.Collections.Frozen;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;
using AnalyticsHub.Expressions;
using AnalyticsHub.Metadata;

namespace AnalyticsHub.Policies;

/// <summary>
/// An immutable view of the policies in force: every enabled rule of every active (or monitored) policy, compiled and
/// indexed by scope (global, then per scope key and target) and payload family, so a request or an event meets only the
/// rules that can apply. A change builds a new snapshot; evaluations hold one for their whole run.
/// </summary>
internal sealed class PolicySnapshot
{
    private readonly FrozenDictionary<string, PolicyRuleSet>[] _byKey;

    private PolicySnapshot(long version, PolicyRuleSet global, FrozenDictionary<string, PolicyRuleSet>[] byKey, int policies, int rules, IReadOnlyList<Problem> problems)
    {
        Version = version;
        Global = global;
        _byKey = byKey;
        PolicyCount = policies;
        RuleCount = rules;
        Problems = problems;
    }

    /// <summary>The empty snapshot before anything is loaded.</summary>
    public static PolicySnapshot Empty { get; } = new(0, PolicyRuleSet.Empty, [.. PolicyScopeKeys.Keyed.Select(_ => FrozenDictionary<string, PolicyRuleSet>.Empty)], 0, 0, []);

    /// <summary>Grows with every rebuild.</summary>
    public long Version { get; }

    /// <summary>The rules of global policies.</summary>
    public PolicyRuleSet Global { get; }

    /// <summary>How many policies are evaluated.</summary>
    public int PolicyCount { get; }

    /// <summary>How many rules are evaluated.</summary>
    public int RuleCount { get; }

    /// <summary>Rules left out because they no longer compile (e.g. a store written by an older version), with their paths.</summary>
    public IReadOnlyList<Problem> Problems { get; }

    /// <summary>The rules of policies scoped to <paramref name="value"/> of the keyed scope type at <paramref name="keyIndex"/> (of <see cref="PolicyScopeKeys.Keyed"/>).</summary>
    public PolicyRuleSet? For(int keyIndex, string? value) =>
        value is not null && _byKey[keyIndex].TryGetValue(value, out var set) ? set : null;

    /// <summary>Whether some policy is scoped by the keyed scope type at <paramref name="keyIndex"/>.</summary>
    public bool HasKey(int keyIndex) => _byKey[keyIndex].Count > 0;

    /// <summary>Compiles and indexes the live, active or monitored policies among <paramref name="entries"/>.</summary>
    public static PolicySnapshot Build(IEnumerable<MetadataEntry<PolicyDefinition>> entries, PolicyVariables variables, long version)
    {
        var global = new List<(CompiledPolicyRule, PayloadType?)>();
        var byKey = PolicyScopeKeys.Keyed.Select(_ => new Dictionary<string, List<(CompiledPolicyRule, PayloadType?)>>(StringComparer.Ordinal)).ToArray();
        var problems = new List<Problem>();
        int policies = 0, rules = 0;
        foreach (var entry in entries.OrderBy(e => e.Item.PolicyId, StringComparer.Ordinal))
        {
            var policy = entry.Item;
            if (entry.IsDeleted || policy.Status != PolicyStatus.Active || policy.Enforcement == EnforcementMode.Disabled)
            {
                continue;
            }

            policies++;
            var (family, variant) = PayloadKind(policy.Metadata.GetValueOrDefault(PolicyValidator.PayloadKindKey));
            var options = new CompileOptions { Variables = variables, PayloadKind = family is null ? null : policy.Metadata[PolicyValidator.PayloadKindKey] };
            var exclusions = policy.Scope.Exclusions.Select(e => PolicyValidator.Exclusion(e, policy.Scope.ScopeType)).Where(e => e.Type != ScopeType.Global).ToArray();
            for (var i = 0; i < policy.Rules.Count; i++)
            {
                var rule = policy.Rules[i];
                if (!rule.Enabled)
                {
                    continue;
                }

                var compiled = CompiledExpression.Compile(rule.Condition, options);
                if (!compiled.Succeeded)
                {
                    problems.AddRange(compiled.Errors.Select(e => PolicyValidator.Located(e, $"policies[{policy.PolicyId}].rules[{i}].condition")));
                    continue;
                }

                var match = new PolicyMatch
                {
                    PolicyId = policy.PolicyId,
                    PolicyName = policy.Name,
                    PolicyVersion = policy.Version,
                    Revision = entry.Revision,
                    RuleId = rule.RuleId,
                    RuleName = rule.Name,
                    Action = rule.Action,
                    Severity = rule.Severity,
                    Enforcement = policy.Enforcement,
                };
                var item = (new CompiledPolicyRule(match, compiled.Value, exclusions, variant) { Policy = policy }, family);
                rules++;
                if (policy.Scope.ScopeType == ScopeType.Global)
                {
                    global.Add(item);
                    continue;
                }

                var index = Array.IndexOf(PolicyScopeKeys.Keyed, policy.Scope.ScopeType);
                foreach (var target in policy.Scope.Targets.Distinct(StringComparer.Ordinal))
                {
                    if (!byKey[index].TryGetValue(target, out var list))
                    {
                        byKey[index][target] = list = [];
                    }

                    list.Add(item);
                }
            }
        }

        return new(
            version,
            PolicyRuleSet.Build(global),
            [.. byKey.Select(d => d.ToFrozenDictionary(p => p.Key, p => PolicyRuleSet.Build(p.Value), StringComparer.Ordinal))],
            policies,
            rules,
            problems);
    }

    /// <summary>The payload family a <c>payload_kind</c> names, and the variant when it names one.</summary>
    private static (PayloadType? Family, string? Variant) PayloadKind(string? kind)
    {
        if (kind is null)
        {
            return (null, null);
        }

        foreach (var variant in PayloadCatalog.Variants)
        {
            if (variant.FamilyName == kind)
            {
                return (variant.Family, null);
            }
        }

        foreach (var variant in PayloadCatalog.Variants)
        {
            if (variant.Variant == kind)
            {
                return (variant.Family, kind);
            }
        }

        return (null, null);
    }
}
