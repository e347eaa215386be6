using System.Text.Json;
using AnalyticsHub.Policies;

namespace AnalyticsHub.Tests.Policies;

public class PolicyJsonTests
{
    internal const string Golden =
        """{"policy_id":"budget-guard","name":"Budget guard","description":"Stop spending when the team budget is gone","version":"1.2.0","policy_type":"cost_control","rules":[{"rule_id":"spent","name":"Budget spent","condition":"budget.team_a.percent >= 100","action":"block","severity":"critical","enabled":true},{"rule_id":"near","name":"Budget nearly spent","condition":"budget.team_a.percent >= 80","action":"warn","severity":"medium","enabled":false}],"enforcement":"active","scope":{"scope_type":"team","targets":["team-a"],"exclusions":["user:u-ops"]},"owner":{"user_id":"u-17","username":"mara","email":null,"team":"platform","department":null},"created_at":"2026-01-10T09:00:00Z","updated_at":"2026-03-01T12:30:00.5Z","status":"active","metadata":{"ticket":"FIN-12"}}""";

    internal static PolicyDefinition Policy => JsonSerializer.Deserialize(Golden, PolicyJsonContext.Default.PolicyDefinition)!;

    [Fact]
    public void Golden_ReadsEveryField()
    {
        var policy = Policy;

        Assert.Equal(("budget-guard", "1.2.0", PolicyType.CostControl, EnforcementMode.Active, PolicyStatus.Active), (policy.PolicyId, policy.Version, policy.PolicyType, policy.Enforcement, policy.Status));
        Assert.Equal(2, policy.Rules.Count);
        Assert.Equal(("spent", "budget.team_a.percent >= 100", PolicyAction.Block, RuleSeverity.Critical, true), (policy.Rules[0].RuleId, policy.Rules[0].Condition, policy.Rules[0].Action, policy.Rules[0].Severity, policy.Rules[0].Enabled));
        Assert.False(policy.Rules[1].Enabled);
        Assert.Equal(ScopeType.Team, policy.Scope.ScopeType);
        Assert.Equal(["team-a"], policy.Scope.Targets);
        Assert.Equal(["user:u-ops"], policy.Scope.Exclusions);
        Assert.Equal("platform", policy.Owner.Team);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 30, 0, 500, TimeSpan.Zero), policy.UpdatedAt);
        Assert.Equal("FIN-12", policy.Metadata["ticket"]);
    }

    [Fact]
    public void Golden_WritesBackByteForByte()
    {
        var written = JsonSerializer.Serialize(Policy, PolicyJsonContext.Wire.PolicyDefinition);

        Assert.Equal(Golden.Replace("12:30:00.5Z", "12:30:00.500Z", StringComparison.Ordinal), written);
    }

    [Theory]
    [InlineData("security", PolicyType.Security)]
    [InlineData("compliance", PolicyType.Compliance)]
    [InlineData("performance", PolicyType.Performance)]
    [InlineData("data_governance", PolicyType.DataGovernance)]
    [InlineData("usage", PolicyType.Usage)]
    public void PolicyType_ReadsItsWireName(string name, PolicyType expected) =>
        Assert.Equal(expected, JsonSerializer.Deserialize(Golden.Replace("\"cost_control\"", $"\"{name}\"", StringComparison.Ordinal), PolicyJsonContext.Default.PolicyDefinition)!.PolicyType);

    [Theory]
    [InlineData("\"block\"", "\"require_approval\"", PolicyAction.RequireApproval)]
    [InlineData("\"block\"", "\"auto_remediate\"", PolicyAction.AutoRemediate)]
    [InlineData("\"block\"", "\"log\"", PolicyAction.Log)]
    public void PolicyAction_ReadsItsWireName(string from, string to, PolicyAction expected) =>
        Assert.Equal(expected, JsonSerializer.Deserialize(Golden.Replace(from, to, StringComparison.Ordinal), PolicyJsonContext.Default.PolicyDefinition)!.Rules[0].Action);

    [Fact]
    public void EnumsAndScope_WriteSnakeCase()
    {
        var policy = Policy with { Enforcement = EnforcementMode.Monitor, Status = PolicyStatus.Suspended, Scope = new PolicyScope { ScopeType = ScopeType.Organization, Targets = ["acme"] } };

        var json = JsonSerializer.Serialize(policy, PolicyJsonContext.Wire.PolicyDefinition);

        Assert.Contains("\"enforcement\":\"monitor\"", json, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"suspended\"", json, StringComparison.Ordinal);
        Assert.Contains("\"scope\":{\"scope_type\":\"organization\",\"targets\":[\"acme\"],\"exclusions\":[]}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultedFields_MayBeAbsent()
    {
        var json = Golden.Replace(",\"metadata\":{\"ticket\":\"FIN-12\"}", string.Empty, StringComparison.Ordinal).Replace(",\"exclusions\":[\"user:u-ops\"]", string.Empty, StringComparison.Ordinal);

        var policy = JsonSerializer.Deserialize(json, PolicyJsonContext.Default.PolicyDefinition)!;

        Assert.Empty(policy.Metadata);
        Assert.Empty(policy.Scope.Exclusions);
    }

    [Theory]
    [InlineData("\"metadata\":{\"ticket\":\"FIN-12\"}", "\"metadata\":null")]
    [InlineData("\"exclusions\":[\"user:u-ops\"]", "\"exclusions\":null")]
    [InlineData("\"severity\":\"critical\"", "\"severity\":\"severe\"")]
    [InlineData("\"enforcement\":\"active\"", "\"enforcement\":\"enforced\"")]
    [InlineData("\"rule_id\":\"spent\",", "")]
    [InlineData("\"policy_id\":\"budget-guard\"", "\"policy_id\":\"budget-guard\",\"policy_id\":\"again\"")]
    [InlineData("\"created_at\":\"2026-01-10T09:00:00Z\"", "\"created_at\":\"2026-01-10T09:00:00\"")]
    public void BadJson_IsRefused(string from, string to)
    {
        var json = Golden.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Golden, json);

        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, PolicyJsonContext.Default.PolicyDefinition));
    }

    [Fact]
    public void RuleSeverity_IsOrdered() =>
        Assert.True(RuleSeverity.Low < RuleSeverity.Medium && RuleSeverity.Medium < RuleSeverity.High && RuleSeverity.High < RuleSeverity.Critical);
}
