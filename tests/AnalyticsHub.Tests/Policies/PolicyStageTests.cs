using System.Collections.Concurrent;
using AnalyticsHub.Alerts;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Policies;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Policies;

public class PolicyStageTests
{
    private readonly FakeTimeProvider _clock = new(SampleEvents.Now);

    private static AnalyticsEvent Cost(int n, double usd, string team = "ml") => SampleEvents.Event(SampleEvents.TokenCost with { TotalCostUsd = usd, RequestId = "r" + n }) with
    {
        Common = SampleEvents.Event(SampleEvents.TokenCost).Common with { EventId = new Guid(n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), Tags = new Dictionary<string, string> { ["team"] = team, ["user_id"] = "u-" + n } },
    };

    private static PolicyDefinition CostCap(EnforcementMode mode = EnforcementMode.Active) =>
        PolicyRegistryTests.With("cost-cap", ScopeType.Team, ["ml"], ("total_cost_usd > 0.01", PolicyAction.Block), ("total_cost_usd > 0.001", PolicyAction.Warn)) with
        {
            Enforcement = mode,
            Metadata = new Dictionary<string, string> { ["payload_kind"] = "token_cost" },
        };

    private async Task<(PolicyStage Stage, PolicyRegistry Registry)> Stage(params PolicyDefinition[] policies)
    {
        var registry = new PolicyRegistry(new InMemoryMetadataStore(_clock), _clock);
        foreach (var policy in policies)
        {
            Assert.True((await registry.Policies.CreateAsync(policy)).IsSuccess);
        }

        return (new PolicyStage(registry, PolicyHubState.None, new HubMeter()), registry);
    }

    [Fact]
    public async Task Process_AMatchedEvent_RaisesOneViolationPerPolicy()
    {
        var (stage, _) = await Stage(CostCap());
        var trigger = Cost(1, 0.05);
        var batch = new IngestionBatch([trigger, Cost(2, 0.0001), Cost(3, 0.05, team: "other"), SampleEvents.Event(SampleEvents.Latency)]);

        await stage.ProcessAsync(batch, default);

        var violation = Assert.Single(batch.Derived);
        Assert.Equal((SourceModule.LlmAnalyticsHub, EventType.Governance, Severity.Error, trigger.EventId), (violation.SourceModule, violation.Common.EventType, violation.Severity, violation.Common.ParentEventId));
        var payload = Assert.IsType<PolicyViolationEvent>(violation.Payload);
        Assert.Equal(("cost-cap", "cost-cap", "u-1", PolicyViolationSeverity.High, false), (payload.PolicyId, payload.PolicyName, payload.UserId, payload.Severity, payload.AutoRemediated));
        Assert.Equal(["r0", "r1"], payload.ViolatedRules);
        Assert.Equal("gpt-4o", payload.ResourceId);
        Assert.Equal(("block", "active", "cost-cap", "ml"), (violation.Common.Tags["policy_action"], violation.Common.Tags["policy_enforcement"], violation.Common.Tags["policy_id"], violation.Common.Tags["team"]));
        Assert.Contains("action block", payload.ViolationDescription, StringComparison.Ordinal);
        Assert.DoesNotContain(new EventValidator(timeProvider: _clock).Validate(violation), p => p.IsError);
    }

    [Fact]
    public async Task Process_MonitoredPolicies_RaiseViolationsTaggedMonitor()
    {
        var (stage, _) = await Stage(CostCap(EnforcementMode.Monitor));
        var batch = new IngestionBatch([Cost(1, 0.005)]);

        await stage.ProcessAsync(batch, default);

        var violation = Assert.Single(batch.Derived);
        Assert.Equal(("warn", "monitor"), (violation.Common.Tags["policy_action"], violation.Common.Tags["policy_enforcement"]));
        Assert.Equal(["r1"], ((PolicyViolationEvent)violation.Payload).ViolatedRules);
    }

    [Fact]
    public async Task Process_SameTriggerAndPolicy_GivesTheSameId_AndOwnViolationsAreNotEvaluatedAgain()
    {
        var global = PolicyRegistryTests.With("all", ScopeType.Global, [], ("true", PolicyAction.Log));
        var (stage, _) = await Stage(global);
        var a = new IngestionBatch([Cost(1, 0.05)]);
        var b = new IngestionBatch([Cost(1, 0.05)]);
        await stage.ProcessAsync(a, default);
        await stage.ProcessAsync(b, default);

        var again = new IngestionBatch([a.Derived[0]]);
        await stage.ProcessAsync(again, default);

        Assert.Equal(a.Derived[0].EventId, b.Derived[0].EventId);
        Assert.Empty(again.Derived);
    }

    [Fact]
    public async Task Process_PromptInjectionRule_ReadsSecurityPayloads()
    {
        var policy = PolicyRegistryTests.With("injection", ScopeType.Global, [], ("threat_type == \"prompt_injection\" && threat_level >= \"high\"", PolicyAction.Block)) with
        {
            PolicyType = PolicyType.Security,
            Metadata = new Dictionary<string, string> { ["payload_kind"] = "security" },
        };
        var (stage, _) = await Stage(policy);
        var threat = SampleEvents.AllPayloads().OfType<ThreatEvent>().First();
        var batch = new IngestionBatch([SampleEvents.Event(threat), SampleEvents.Event(threat with { ThreatLevel = ThreatLevel.Low }), Cost(1, 1)]);

        await stage.ProcessAsync(batch, default);

        var violation = Assert.Single(batch.Derived);
        Assert.Equal("injection", ((PolicyViolationEvent)violation.Payload).PolicyId);
    }

    [Fact]
    public async Task Process_SeesPolicyChanges_BetweenBatches()
    {
        var (stage, registry) = await Stage();
        var first = new IngestionBatch([Cost(1, 0.05)]);
        await stage.ProcessAsync(first, default);

        await registry.Policies.CreateAsync(CostCap());
        var second = new IngestionBatch([Cost(2, 0.05)]);
        await stage.ProcessAsync(second, default);

        Assert.Empty(first.Derived);
        Assert.Single(second.Derived);
    }

    [Fact]
    public async Task Hub_StoresViolations_OfItsPolicies()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddAnalyticsHub(o => o.Ingestion.RetryBaseDelay = TimeSpan.Zero);
        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<PolicyRegistry>();
        await registry.Policies.CreateAsync(PolicyRegistryTests.With("big", ScopeType.Team, ["ml"], ("total_tokens > 100", PolicyAction.Warn)) with
        {
            Metadata = new Dictionary<string, string> { ["payload_kind"] = "token_usage" },
        });
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        await hub.IngestAsync([SampleEvents.Event(SampleEvents.TokenUsage)]);
        await hub.FlushAsync();

        var violations = await hub.QueryEventsAsync(new EventQuery { Subtype = "policy_violation" });
        Assert.Equal("big", ((PolicyViolationEvent)Assert.Single(violations.Events).Payload).PolicyId);
        Assert.Equal(PolicyOutcome.Allow, provider.GetRequiredService<IPolicyEvaluator>().Evaluate(new PolicyRequest { Model = "gpt-4o" }).Outcome);
    }

    [Fact]
    public async Task Process_AnActiveBlock_IsOfferedToTheSinks_WarnAndMonitoredBlocksAreNot()
    {
        var sink = new RecordingSink();
        using var meter = new HubMeter();
        using var alerts = new AlertDispatcher([sink], new AlertDeliveryOptions(), meter);
        var registry = new PolicyRegistry(new InMemoryMetadataStore(_clock), _clock);
        Assert.True((await registry.Policies.CreateAsync(CostCap())).IsSuccess);
        Assert.True((await registry.Policies.CreateAsync(CostCap(EnforcementMode.Monitor) with { PolicyId = "cost-cap-monitor", Name = "cost-cap-monitor" })).IsSuccess);
        var stage = new PolicyStage(registry, PolicyHubState.None, meter, alerts);
        var trigger = Cost(1, 0.05);
        var batch = new IngestionBatch([trigger, Cost(2, 0.005)]);

        await stage.ProcessAsync(batch, default);
        await stage.CompleteAsync(batch, default);

        Assert.Equal(4, batch.Derived.Count);
        var alert = Assert.IsType<PolicyAlert>(Assert.Single(sink.Alerts));
        var violation = batch.Derived.Single(v => v.Common.ParentEventId == trigger.EventId && v.Common.Tags["policy_enforcement"] == "active");
        Assert.Equal((AlertKind.PolicyViolation, violation.EventId, "cost-cap", PolicyAction.Block, RuleSeverity.High, trigger.EventId, trigger.Timestamp),
            (alert.Kind, alert.AlertId, alert.PolicyId, alert.Action, alert.Severity, alert.TriggerEventId, alert.Timestamp));
        Assert.Same(violation, alert.Violation);
        Assert.StartsWith("block: policy 'cost-cap' (cost-cap) matched event " + trigger.EventId.ToString("D"), alert.Summary, StringComparison.Ordinal);
        Assert.Equal(1, alerts.Raised);
    }

    [Fact]
    public async Task Hub_ABlockOnTheStream_ReachesTheHostsSink_AndAFailingSinkIsCountedWithoutStoppingThePipeline()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        var failing = new FailingSink();
        var sink = new RecordingSink();
        services.AddAnalyticsHub(o => o.Ingestion.RetryBaseDelay = TimeSpan.Zero).AddAlertSink(failing).AddAlertSink(sink);
        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<PolicyRegistry>();
        Assert.True((await registry.Policies.CreateAsync(CostCap())).IsSuccess);
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        await hub.IngestAsync([Cost(1, 0.05), Cost(2, 0.07)]);
        await hub.FlushAsync();
        await hub.IngestAsync([Cost(3, 0.09)]);
        await hub.FlushAsync();
        await hub.StopAsync();

        // The correlation stage may alert on the violations too: the policy alerts are the ones of kind policy_violation.
        var alerts = sink.Alerts.OfType<PolicyAlert>().ToList();
        Assert.Equal([1, 2, 3], alerts.Select(a => (int)a.TriggerEventId.ToByteArray()[0]));
        long delivered = sink.Alerts.Count;
        Assert.Equal(delivered, failing.Calls);
        var dispatcher = provider.GetRequiredService<AlertDispatcher>();
        Assert.Equal((delivered, delivered, 0L), (dispatcher.Raised, dispatcher.SinkFailures, dispatcher.Dropped));
        var violations = await hub.QueryEventsAsync(new EventQuery { Subtype = "policy_violation" });
        Assert.Equal(3, violations.Events.Count);
        Assert.Equal(alerts.Select(a => a.AlertId).Order(), violations.Events.Select(e => e.EventId).Order());
    }

    private sealed class RecordingSink : IAlertSink
    {
        private readonly ConcurrentQueue<Alert> _alerts = new();

        public List<Alert> Alerts => [.. _alerts];

        public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
        {
            _alerts.Enqueue(alert);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FailingSink : IAlertSink
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException("pager down");
        }
    }
}
