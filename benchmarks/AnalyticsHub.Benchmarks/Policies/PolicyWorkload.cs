using System.Globalization;
using AnalyticsHub.Metadata;
using AnalyticsHub.Policies;
using AnalyticsHub.Storage.InMemory;

namespace AnalyticsHub.Benchmarks.Policies;

/// <summary>
/// The policies of the policy benchmarks: 100 active ones with one blocking rule each, of which 10 apply to a request or
/// event of team <c>search</c> (5 global, 5 scoped to that team) and 90 are scoped to other teams, users and models.
/// </summary>
internal static class PolicyWorkload
{
    /// <summary>A registry holding the 100 policies; rule <c>i</c>'s condition is <c>conditions[i % n]</c> with <c>{0}</c> = 1000 + i.</summary>
    public static PolicyRegistry HundredPolicies(string[] conditions)
    {
        var registry = new PolicyRegistry(new InMemoryMetadataStore());
        for (var i = 0; i < 100; i++)
        {
            var (scope, targets) = (i % 10) switch
            {
                0 when i < 50 => (ScopeType.Global, Array.Empty<string>()),
                1 when i < 50 => (ScopeType.Team, new[] { "search" }),
                2 or 3 or 4 => (ScopeType.Team, new[] { "team-" + i }),
                5 or 6 => (ScopeType.User, new[] { "user-" + i }),
                _ => (ScopeType.Resource, new[] { "model-" + i }),
            };
            var condition = string.Format(CultureInfo.InvariantCulture, conditions[i % conditions.Length], 1000 + i);
            var result = registry.Policies.CreateAsync(new PolicyDefinition
            {
                PolicyId = "p" + i.ToString("D3", CultureInfo.InvariantCulture),
                Name = "policy " + i,
                Description = "benchmark",
                Version = "1",
                PolicyType = PolicyType.Usage,
                Rules = [new PolicyRule { RuleId = "r", Name = "rule", Condition = condition, Action = PolicyAction.Block, Severity = RuleSeverity.High, Enabled = true }],
                Enforcement = EnforcementMode.Active,
                Scope = new PolicyScope { ScopeType = scope, Targets = targets },
                Owner = new OwnerInfo { UserId = "u", Username = "u" },
                CreatedAt = DateTimeOffset.UnixEpoch,
                UpdatedAt = DateTimeOffset.UnixEpoch,
                Status = PolicyStatus.Active,
            }).AsTask().GetAwaiter().GetResult();
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException(string.Join("; ", result.Problems));
            }
        }

        return registry;
    }
}
