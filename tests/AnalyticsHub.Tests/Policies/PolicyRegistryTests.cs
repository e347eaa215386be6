using AnalyticsHub.Events;
using AnalyticsHub.Metadata;
using AnalyticsHub.Policies;
using AnalyticsHub.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Policies;

public class PolicyRegistryTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    internal static PolicyDefinition With(string id, ScopeType scope, string[] targets, params (string Condition, PolicyAction Action)[] rules) => PolicyJsonTests.Policy with
    {
        PolicyId = id,
        Name = id,
        Scope = new PolicyScope { ScopeType = scope, Targets = targets },
        Rules = [.. rules.Select((r, i) => new PolicyRule { RuleId = "r" + i, Name = "rule " + i, Condition = r.Condition, Action = r.Action, Severity = RuleSeverity.High, Enabled = true })],
    };

    private PolicyRegistry Create() => new(new InMemoryMetadataStore(_clock), _clock);

    [Fact]
    public async Task Create_StoresRevisionOne_StampedByTheClock()
    {
        var registry = Create();

        var result = await registry.Policies.CreateAsync(PolicyJsonTests.Policy);

        Assert.True(result.IsSuccess, string.Join("; ", result.Problems));
        Assert.Equal(1, result.Entry!.Revision);
        Assert.Equal(_clock.GetUtcNow(), result.Entry.Item.CreatedAt);
        Assert.Equal(MetadataKind.Policy, registry.Policies.Kind);
    }

    [Fact]
    public async Task Create_ConditionThatDoesNotCompile_IsRefusedWithPathAndPosition()
    {
        var registry = Create();
        var policy = With("p", ScopeType.Global, [], ("severity >= \"warning\" && nosuch > 1", PolicyAction.Warn));

        var result = await registry.Policies.CreateAsync(policy);

        Assert.Equal(MetadataWriteStatus.Invalid, result.Status);
        var problem = Assert.Single(result.Problems);
        Assert.Equal((ProblemCodes.UnknownField, "rules[0].condition"), (problem.Code, problem.Path));
        Assert.Equal(new TextLocation(25, 1, 26), problem.Location);
        Assert.Contains("line 1, column 26", problem.Message, StringComparison.Ordinal);
        Assert.Null(await registry.Policies.GetAsync("p"));
    }

    [Theory]
    [InlineData("severity >= ", ProblemCodes.UnexpectedEnd)]
    [InlineData("budget.team_a.percentage > 1", ProblemCodes.UnknownField)]
    [InlineData("request.tags.a.b == \"x\"", ProblemCodes.UnknownField)]
    [InlineData("severity >= \"high\"", ProblemCodes.UnknownEnumValue)]
    public async Task Create_BadConditions_AreRefused(string condition, string code)
    {
        var result = await Create().Policies.CreateAsync(With("p", ScopeType.Global, [], (condition, PolicyAction.Warn)));

        Assert.Equal(MetadataWriteStatus.Invalid, result.Status);
        Assert.Equal(code, Assert.Single(result.Problems).Code);
        Assert.Equal("rules[0].condition", result.Problems[0].Path);
    }

    [Fact]
    public async Task Create_HubVariables_Compile()
    {
        var policy = With(
            "p",
            ScopeType.Global,
            [],
            ("budget[\"team-a.eu\"].percent >= 100 && budget.x.spend_usd > budget.x.limit_usd", PolicyAction.Block),
            ("model.status == \"deprecated\" && request.tags.team == \"ml\" && request.prompt_tokens > 1000 && request.cost_usd > 0.1", PolicyAction.Warn),
            ("request.model == \"gpt-4o\" && request.provider == \"openai\" && request.tenant != null && request.user != null && request.feature == \"chat\"", PolicyAction.Log));

        var result = await Create().Policies.CreateAsync(policy);

        Assert.True(result.IsSuccess, string.Join("; ", result.Problems));
    }

    [Theory]
    [InlineData(ScopeType.Global, new[] { "a" }, new string[0], ProblemCodes.InvalidScope, "scope.targets")]
    [InlineData(ScopeType.Team, new string[0], new string[0], ProblemCodes.InvalidScope, "scope.targets")]
    [InlineData(ScopeType.Team, new[] { " " }, new string[0], ProblemCodes.EmptyValue, "scope.targets[0]")]
    [InlineData(ScopeType.Global, new string[0], new[] { "research" }, ProblemCodes.InvalidScope, "scope.exclusions[0]")]
    [InlineData(ScopeType.Team, new[] { "a" }, new[] { "user:" }, ProblemCodes.EmptyValue, "scope.exclusions[0]")]
    public async Task Create_BadScopes_AreRefused(ScopeType type, string[] targets, string[] exclusions, string code, string path)
    {
        var policy = With("p", type, targets, ("true", PolicyAction.Log)) with { Scope = new PolicyScope { ScopeType = type, Targets = targets, Exclusions = exclusions } };

        var result = await Create().Policies.CreateAsync(policy);

        Assert.Equal(MetadataWriteStatus.Invalid, result.Status);
        Assert.Contains(result.Problems, p => p.Code == code && p.Path == path);
    }

    [Fact]
    public async Task Create_OtherBadFields_AreRefusedEachAtItsPath()
    {
        var policy = With("p", ScopeType.Global, [], ("true", PolicyAction.Log), ("false", PolicyAction.Log)) with
        {
            PolicyId = " p",
            Version = "",
            Metadata = new Dictionary<string, string> { ["payload_kind"] = "costs" },
        };
        policy = policy with { Rules = [policy.Rules[0], policy.Rules[1] with { RuleId = "r0" }] };

        var result = await Create().Policies.CreateAsync(policy);

        Assert.Equal(
            [(ProblemCodes.InvalidId, "policy_id"), (ProblemCodes.EmptyValue, "version"), (ProblemCodes.UnknownPayloadKind, "metadata.payload_kind"), (ProblemCodes.DuplicateId, "rules[1].rule_id")],
            result.Problems.Select(p => (p.Code, p.Path)));
        Assert.Equal(MetadataWriteStatus.Invalid, (await Create().Policies.CreateAsync(policy with { PolicyId = "p", Version = "1", Metadata = new Dictionary<string, string>(), Rules = [] })).Status);
    }

    [Fact]
    public async Task PayloadKind_NarrowsTheFieldsAConditionMayName()
    {
        var registry = Create();
        var cost = new Dictionary<string, string> { ["payload_kind"] = "token_cost" };

        var ok = await registry.Policies.CreateAsync(With("a", ScopeType.Global, [], ("total_cost_usd > 1", PolicyAction.Warn)) with { Metadata = cost });
        var bad = await registry.Policies.CreateAsync(With("b", ScopeType.Global, [], ("latency_ms > 1", PolicyAction.Warn)) with { Metadata = cost });

        Assert.True(ok.IsSuccess);
        Assert.Equal(ProblemCodes.UnknownField, Assert.Single(bad.Problems).Code);
    }

    [Fact]
    public async Task Writes_ChangeTheSnapshot_WithoutARestart()
    {
        var registry = Create();
        Assert.Equal((0, 0), registry.InForce);

        var created = await registry.Policies.CreateAsync(PolicyJsonTests.Policy);
        var v1 = registry.SnapshotVersion;
        Assert.Equal((1, 1), registry.InForce);

        var updated = await registry.Policies.UpdateAsync(PolicyJsonTests.Policy with { Rules = [.. PolicyJsonTests.Policy.Rules.Select(r => r with { Enabled = true })] }, created.Entry!.Revision);
        Assert.Equal((1, 2), registry.InForce);
        Assert.True(registry.SnapshotVersion > v1);

        await registry.Policies.UpdateAsync(updated.Entry!.Item with { Status = PolicyStatus.Suspended }, updated.Entry.Revision);
        Assert.Equal((0, 0), registry.InForce);

        var history = await registry.Policies.GetHistoryAsync("budget-guard");
        Assert.Equal([1L, 2L, 3L], history.Select(h => h.Revision));
    }

    [Fact]
    public async Task Delete_TakesThePolicyOutOfForce_AndRestoreBringsItBack()
    {
        var registry = Create();
        var created = await registry.Policies.CreateAsync(PolicyJsonTests.Policy);

        var deleted = await registry.Policies.DeleteAsync("budget-guard", created.Entry!.Revision);
        Assert.Equal((0, 0), registry.InForce);
        await registry.Policies.RestoreAsync("budget-guard", deleted.Entry!.Revision);

        Assert.Equal((1, 1), registry.InForce);
    }

    [Fact]
    public async Task Refresh_SeesAnotherRegistrysWritesToASharedStore()
    {
        var store = new InMemoryMetadataStore(_clock);
        var reader = new PolicyRegistry(store, _clock);
        var writer = new PolicyRegistry(store, _clock);
        Assert.Equal((0, 0), reader.InForce);
        _ = reader.Snapshot;

        await writer.Policies.CreateAsync(PolicyJsonTests.Policy);
        Assert.Equal((0, 0), reader.InForce);
        await reader.RefreshAsync();

        Assert.Equal((1, 1), reader.InForce);
    }

    [Fact]
    public async Task List_FiltersByPolicyFields()
    {
        var registry = Create();
        await registry.Policies.CreateAsync(PolicyJsonTests.Policy);
        await registry.Policies.CreateAsync(With("g", ScopeType.Global, [], ("true", PolicyAction.Log)) with { PolicyType = PolicyType.Security });

        var cost = await registry.Policies.ListAsync(new Dictionary<string, string> { ["policy_type"] = "cost_control" });
        var team = await registry.Policies.ListAsync(new Dictionary<string, string> { ["scope_type"] = "team", ["target.team-a"] = "true", ["enforcement"] = "active" });
        var bad = await registry.Policies.ListAsync(new Dictionary<string, string> { ["colour"] = "red" });

        Assert.Equal(["budget-guard"], cost.Items.Select(i => i.Item.PolicyId));
        Assert.Equal(["budget-guard"], team.Items.Select(i => i.Item.PolicyId));
        Assert.Equal((ProblemCodes.UnknownFilter, "filters.colour"), (bad.Problems[0].Code, bad.Problems[0].Path));
    }
}
