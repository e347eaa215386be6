using AnalyticsHub.Cost;
using AnalyticsHub.Metadata;
using AnalyticsHub.Policies;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Tests.Metadata;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Policies;

public class PolicyEvaluatorTests
{
    private static readonly PolicyRequest Request = new()
    {
        Model = "gpt-4o",
        Provider = "openai",
        Tenant = "acme",
        User = "u-1",
        Feature = "chat",
        EstimatedPromptTokens = 1200,
        EstimatedCostUsd = 0.02,
        Tags = new Dictionary<string, string> { ["team"] = "team-a", ["project"] = "search", ["region"] = "eu-west-1" },
    };

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private async Task<PolicyEvaluator> Evaluator(PolicyHubState? hub, params PolicyDefinition[] policies)
    {
        var registry = new PolicyRegistry(new InMemoryMetadataStore(_clock), _clock);
        foreach (var policy in policies)
        {
            var result = await registry.Policies.CreateAsync(policy);
            Assert.True(result.IsSuccess, string.Join("; ", result.Problems));
        }

        return new PolicyEvaluator(registry, hub);
    }

    private static PolicyDefinition Global(string id, string condition, PolicyAction action, EnforcementMode mode = EnforcementMode.Active) =>
        PolicyRegistryTests.With(id, ScopeType.Global, [], (condition, action)) with { Enforcement = mode };

    [Theory]
    [InlineData(PolicyAction.Block, PolicyOutcome.Block)]
    [InlineData(PolicyAction.RequireApproval, PolicyOutcome.RequireApproval)]
    [InlineData(PolicyAction.Warn, PolicyOutcome.Warn)]
    [InlineData(PolicyAction.Log, PolicyOutcome.Allow)]
    [InlineData(PolicyAction.AutoRemediate, PolicyOutcome.Allow)]
    public async Task Evaluate_AMatchedActiveRule_DecidesByItsAction(PolicyAction action, PolicyOutcome expected)
    {
        var evaluator = await Evaluator(null, Global("p", "request.model == \"gpt-4o\"", action));

        var decision = evaluator.Evaluate(Request);

        Assert.Equal(expected, decision.Outcome);
        var match = Assert.Single(decision.Matches);
        Assert.Equal(("p", "r0", action, true), (match.PolicyId, match.RuleId, match.Action, match.IsEnforced));
    }

    [Fact]
    public async Task Evaluate_TheStrongestOutcomeWins_AndEveryMatchIsListed()
    {
        var evaluator = await Evaluator(
            null,
            Global("a", "request.prompt_tokens > 1000", PolicyAction.Warn),
            Global("b", "request.cost_usd > 0.01", PolicyAction.RequireApproval),
            Global("c", "request.feature == \"batch\"", PolicyAction.Block));

        var decision = evaluator.Evaluate(Request);

        Assert.Equal(PolicyOutcome.RequireApproval, decision.Outcome);
        Assert.False(decision.IsAllowed);
        Assert.Equal(["a", "b"], decision.Matches.Select(m => m.PolicyId));
        Assert.Equal(3, decision.RulesEvaluated);
    }

    [Fact]
    public async Task Evaluate_MonitorMode_RecordsButDoesNotEnforce()
    {
        var evaluator = await Evaluator(null, Global("m", "true", PolicyAction.Block, EnforcementMode.Monitor));

        var decision = evaluator.Evaluate(Request);

        Assert.Equal(PolicyOutcome.Allow, decision.Outcome);
        var match = Assert.Single(decision.Matches);
        Assert.False(match.IsEnforced);
        Assert.Equal(EnforcementMode.Monitor, match.Enforcement);
    }

    [Fact]
    public async Task Evaluate_DisabledPolicies_DraftsAndDisabledRules_AreNotEvaluated()
    {
        var disabledRule = Global("r", "true", PolicyAction.Block);
        disabledRule = disabledRule with { Rules = [disabledRule.Rules[0] with { Enabled = false }] };
        var evaluator = await Evaluator(
            null,
            Global("d", "true", PolicyAction.Block, EnforcementMode.Disabled),
            Global("s", "true", PolicyAction.Block) with { Status = PolicyStatus.Draft },
            disabledRule);

        var decision = evaluator.Evaluate(Request);

        Assert.Equal((PolicyOutcome.Allow, 0, 0), (decision.Outcome, decision.Matches.Count, decision.RulesEvaluated));
    }

    [Theory]
    [InlineData(ScopeType.Organization, "acme", true)]
    [InlineData(ScopeType.Organization, "globex", false)]
    [InlineData(ScopeType.Team, "team-a", true)]
    [InlineData(ScopeType.Team, "team-b", false)]
    [InlineData(ScopeType.Project, "search", true)]
    [InlineData(ScopeType.User, "u-1", true)]
    [InlineData(ScopeType.User, "u-2", false)]
    [InlineData(ScopeType.Resource, "gpt-4o", true)]
    [InlineData(ScopeType.Resource, "claude-3", false)]
    public async Task Evaluate_OnlyRulesWhoseScopeApplies_AreTested(ScopeType type, string target, bool applies)
    {
        var evaluator = await Evaluator(null, PolicyRegistryTests.With("p", type, ["other", target], ("true", PolicyAction.Warn)));

        var decision = evaluator.Evaluate(Request);

        Assert.Equal(applies ? 1 : 0, decision.RulesEvaluated);
        Assert.Equal(applies ? PolicyOutcome.Warn : PolicyOutcome.Allow, decision.Outcome);
    }

    [Fact]
    public async Task Evaluate_Exclusions_TakeARequestOutOfScope()
    {
        var team = PolicyRegistryTests.With("t", ScopeType.Team, ["team-a"], ("true", PolicyAction.Block));
        var global = Global("g", "true", PolicyAction.Warn);
        var evaluator = await Evaluator(
            null,
            team with { Scope = team.Scope with { Exclusions = ["user:u-1"] } },
            global with { Scope = global.Scope with { Exclusions = ["organization:acme"] } });

        Assert.Equal((PolicyOutcome.Allow, 0), (evaluator.Evaluate(Request).Outcome, evaluator.Evaluate(Request).RulesEvaluated));
        Assert.Equal(PolicyOutcome.Block, evaluator.Evaluate(Request with { User = "u-2" }).Outcome);
        Assert.Equal(PolicyOutcome.Warn, evaluator.Evaluate(Request with { User = "u-2", Tenant = "globex", Tags = new Dictionary<string, string>() }).Outcome);
    }

    [Fact]
    public async Task Evaluate_BudgetVariables_ReadTheCostMonitor_RefreshedByTheClock()
    {
        var costs = new Budgets();
        costs.Set("team_a", spend: 50, limit: 100);
        var hub = new PolicyHubState(costs, null, _clock);
        var evaluator = await Evaluator(hub, Global("b", "budget.team_a.percent >= 100", PolicyAction.Block), Global("w", "budget.team_a.spend_usd >= 0.8 * budget.team_a.limit_usd", PolicyAction.Warn));
        Assert.Equal(PolicyOutcome.Allow, evaluator.Evaluate(Request).Outcome);

        costs.Set("team_a", spend: 90, limit: 100);
        Assert.Equal(PolicyOutcome.Allow, evaluator.Evaluate(Request).Outcome);
        _clock.Advance(hub.BudgetRefresh);
        Assert.Equal(PolicyOutcome.Warn, evaluator.Evaluate(Request).Outcome);

        costs.Set("team_a", spend: 100, limit: 100);
        _clock.Advance(hub.BudgetRefresh);
        Assert.Equal(PolicyOutcome.Block, evaluator.Evaluate(Request).Outcome);
    }

    [Fact]
    public async Task Evaluate_AnUnknownBudget_IsNull_SoTheRuleDoesNotMatch()
    {
        var evaluator = await Evaluator(new PolicyHubState(new Budgets(), null, _clock), Global("b", "budget.nosuch.percent >= 0", PolicyAction.Block), Global("n", "budget.nosuch.percent == null", PolicyAction.Warn));

        Assert.Equal(PolicyOutcome.Warn, evaluator.Evaluate(Request).Outcome);
    }

    [Fact]
    public async Task Evaluate_ModelStatus_ReadsTheRegistry()
    {
        var metadata = new MetadataRegistry(new InMemoryMetadataStore(_clock), null, _clock, new CostCalculator(PriceTable.Default));
        var asset = MetadataValidationTests.Model with { AssetId = "m", Name = "gpt-4o", Status = AssetStatus.Deprecated };
        await metadata.Assets.CreateAsync(asset);
        var evaluator = await Evaluator(new PolicyHubState(null, metadata, _clock), Global("dep", "model.status == \"deprecated\"", PolicyAction.Warn), Global("arc", "model.status == \"archived\"", PolicyAction.Block));

        Assert.Equal(PolicyOutcome.Warn, evaluator.Evaluate(Request).Outcome);
        Assert.Equal(PolicyOutcome.Warn, evaluator.Evaluate(Request with { Model = "gpt-4o-2024-08-06" }).Outcome);
        Assert.Equal(PolicyOutcome.Allow, evaluator.Evaluate(Request with { Model = "unregistered" }).Outcome);
    }

    [Fact]
    public async Task Evaluate_RequestTags_AndRegionRule()
    {
        var evaluator = await Evaluator(null, Global("residency", "request.tags.region in [\"eu-west-1\", \"eu-central-1\"] && request.provider != \"eu-openai\"", PolicyAction.Block));

        Assert.Equal(PolicyOutcome.Block, evaluator.Evaluate(Request).Outcome);
        Assert.Equal(PolicyOutcome.Allow, evaluator.Evaluate(Request with { Tags = new Dictionary<string, string> { ["region"] = "us-east-1" } }).Outcome);
        Assert.Equal(PolicyOutcome.Allow, evaluator.Evaluate(Request with { Tags = new Dictionary<string, string>() }).Outcome);
    }

    [Fact]
    public async Task Evaluate_PayloadNarrowedPolicies_DoNotApplyToRequests()
    {
        var evaluator = await Evaluator(null, Global("c", "total_cost_usd > 0 || true", PolicyAction.Block) with { Metadata = new Dictionary<string, string> { ["payload_kind"] = "cost" } });

        Assert.Equal((PolicyOutcome.Allow, 0), (evaluator.Evaluate(Request).Outcome, evaluator.Evaluate(Request).RulesEvaluated));
    }

    [Fact]
    public async Task Evaluate_SeesAChangeAtOnce()
    {
        var registry = new PolicyRegistry(new InMemoryMetadataStore(_clock), _clock);
        var evaluator = new PolicyEvaluator(registry);
        Assert.Equal(PolicyOutcome.Allow, evaluator.Evaluate(Request).Outcome);

        var created = await registry.Policies.CreateAsync(Global("p", "true", PolicyAction.Warn));
        var first = evaluator.Evaluate(Request);
        await registry.Policies.UpdateAsync(Global("p", "true", PolicyAction.Block), created.Entry!.Revision);
        var second = evaluator.Evaluate(Request);

        Assert.Equal(PolicyOutcome.Warn, first.Outcome);
        Assert.Equal(PolicyOutcome.Block, second.Outcome);
        Assert.True(second.SnapshotVersion > first.SnapshotVersion);
        Assert.Equal(2, second.Matches[0].Revision);
    }

    [Fact]
    public async Task Evaluate_LoadsStoredPolicies_OnFirstUse()
    {
        var store = new InMemoryMetadataStore(_clock);
        await new PolicyRegistry(store, _clock).Policies.CreateAsync(Global("p", "true", PolicyAction.Block));

        var decision = new PolicyEvaluator(new PolicyRegistry(store, _clock)).Evaluate(Request);

        Assert.Equal(PolicyOutcome.Block, decision.Outcome);
    }

    [Fact]
    public async Task Evaluate_WithoutAMatch_AllocatesNothing()
    {
        var costs = new Budgets();
        costs.Set("team_a", spend: 10, limit: 100);
        var policies = Enumerable.Range(0, 20).Select(i => PolicyRegistryTests.With("p" + i, ScopeType.Team, ["team-" + i], ("budget.team_a.percent >= 100 && request.tags.region == \"us\"", PolicyAction.Block)))
            .Append(Global("g", "model.status == \"archived\" || request.cost_usd > 5", PolicyAction.Warn))
            .ToArray();
        var evaluator = await Evaluator(new PolicyHubState(costs, null, _clock), policies);
        var request = Request with { Tags = new Dictionary<string, string> { ["team"] = "team-3" } };
        Assert.Equal(2, evaluator.Evaluate(request).RulesEvaluated);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            evaluator.Evaluate(request);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private sealed class Budgets : ICostMonitor
    {
        private readonly Dictionary<string, BudgetState> _states = [];

        public CostCalculator Calculator { get; } = new(PriceTable.Default);

        public CostStatistics Statistics => throw new NotSupportedException("The policy tests read budgets only.");

        public void Set(string name, double spend, double limit) => _states[name] = new BudgetState
        {
            BudgetId = "id-" + name,
            BudgetName = name,
            Period = BudgetPeriod.Month,
            LimitUsd = limit,
            SpendUsd = spend,
            ThresholdsCrossed = [],
            ForecastWarned = false,
            LateEventsDropped = 0,
        };

        public IReadOnlyList<BudgetState> GetBudgetStates() => [.. _states.Values];
    }
}
