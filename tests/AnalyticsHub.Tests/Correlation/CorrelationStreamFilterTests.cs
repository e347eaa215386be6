using System.Text.Json;
using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>Live subscriptions to the incident lifecycle events, filtered by type, strength and module.</summary>
public class CorrelationStreamFilterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    internal static AnalyticsEvent Lifecycle(int id, double strength, CorrelationType[] types, SourceModule memberModule, string customType = "correlation")
    {
        var correlation = new EventCorrelation
        {
            CorrelationId = PatternMatcherTests.Id(500 + id),
            CorrelationType = types[0],
            CorrelationTypes = types,
            Events =
            [
                new CorrelatedEvent
                {
                    EventId = PatternMatcherTests.Id(600 + id), SourceModule = memberModule, EventType = EventType.Telemetry, Severity = Severity.Warning,
                    Timestamp = T0, Role = EventRole.Effect, Summary = "member",
                },
            ],
            Strength = strength,
            Confidence = 0.5,
            TimeWindow = new TimeRange(T0, T0.AddMinutes(1)),
            DetectedAt = T0.AddMinutes(1),
        };
        return new AnalyticsEvent
        {
            Common = new CommonEventFields
            {
                EventId = PatternMatcherTests.Id(id), Timestamp = T0.AddMinutes(id), SourceModule = SourceModule.LlmAnalyticsHub, EventType = EventType.Audit,
                Severity = Severity.Info, Environment = "production", Tags = new Dictionary<string, string>(),
            },
            Payload = new CustomPayload { CustomType = customType, Data = JsonSerializer.SerializeToElement(correlation, CorrelationJsonContext.Wire.EventCorrelation) },
        };
    }

    [Fact]
    public void Matches_ReadsStrengthTypesAndModulesFromTheIncident()
    {
        var weak = Lifecycle(1, 0.5, [CorrelationType.Temporal, CorrelationType.Anomaly], SourceModule.LlmObservatory);
        var strong = Lifecycle(2, 0.9, [CorrelationType.CausalChain, CorrelationType.CostImpact], SourceModule.LlmCostOps);
        var analysis = Lifecycle(3, 0.9, [CorrelationType.CausalChain], SourceModule.LlmCostOps, customType: "anomaly_correlation");

        Assert.Equal([true, true, false], new[] { weak, strong, analysis }.Select(new CorrelationStreamFilter().Matches));
        Assert.Equal([false, true], new[] { weak, strong }.Select(new CorrelationStreamFilter { MinStrength = 0.8 }.Matches));
        Assert.Equal([true, false], new[] { weak, strong }.Select(new CorrelationStreamFilter { CorrelationTypes = [CorrelationType.Anomaly] }.Matches));
        Assert.Equal([false, true], new[] { weak, strong }.Select(new CorrelationStreamFilter { CorrelationTypes = [CorrelationType.CostImpact, CorrelationType.SecurityIncident] }.Matches));
        Assert.Equal([true, false], new[] { weak, strong }.Select(new CorrelationStreamFilter { IncludeModules = [SourceModule.LlmObservatory] }.Matches));
        Assert.Equal(new EventQuery { SourceModules = [SourceModule.LlmAnalyticsHub], PayloadType = PayloadType.Custom, Subtype = "correlation" }.Fingerprint(), CorrelationStreamFilter.ToEventQuery().Fingerprint());
    }

    [Fact]
    public void Validate_NamesEachBadFilterWithItsCode()
    {
        var problems = new CorrelationStreamFilter { MinStrength = 1.5, CorrelationTypes = [CorrelationType.Temporal, (CorrelationType)42], IncludeModules = [(SourceModule)42] }.Validate();

        Assert.Equal(
            [(ProblemCodes.NumberOutOfRange, "min_strength"), (ProblemCodes.InvalidEnumValue, "correlation_types[1]"), (ProblemCodes.InvalidEnumValue, "include_modules[0]")],
            problems.Select(p => (p.Code, p.Path)));
        Assert.Equal(ProblemCodes.NonFiniteNumber, Assert.Single(new CorrelationStreamFilter { MinStrength = double.NaN }.Validate()).Code);
    }

    [Fact]
    public async Task SubscribeCorrelations_DeliversOnlyTheMatchingLifecycleEvents_InOrder_AndRefusesABadFilter()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(T0.AddDays(1)));
        services.AddAnalyticsHub(o => o.Ingestion.RetryBaseDelay = TimeSpan.Zero);
        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        await using var strongOnly = hub.SubscribeCorrelations(new CorrelationStreamFilter { MinStrength = 0.8, IncludeModules = [SourceModule.LlmCostOps] });
        await using var security = hub.SubscribeCorrelations(new CorrelationStreamFilter { CorrelationTypes = [CorrelationType.SecurityIncident] });

        await hub.IngestAsync(
        [
            Lifecycle(1, 0.5, [CorrelationType.Temporal], SourceModule.LlmCostOps),
            Lifecycle(2, 0.9, [CorrelationType.CostImpact], SourceModule.LlmObservatory),
            Lifecycle(3, 0.9, [CorrelationType.CostImpact], SourceModule.LlmCostOps, customType: "anomaly_correlation"),
            PatternMatcherTests.Latency(4, 4, 100),
            Lifecycle(5, 0.85, [CorrelationType.CausalChain, CorrelationType.CostImpact], SourceModule.LlmCostOps),
            Lifecycle(6, 0.95, [CorrelationType.SecurityIncident], SourceModule.LlmCostOps),
        ]);
        await hub.FlushAsync();

        await using var frames = strongOnly.GetAsyncEnumerator();
        var received = new List<Guid>();
        while (received.Count < 2 && await frames.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)))
        {
            if (frames.Current.Data is { } evt)
            {
                received.Add(evt.EventId);
            }
        }

        await using var securityFrames = security.GetAsyncEnumerator();
        Assert.True(await securityFrames.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([PatternMatcherTests.Id(5), PatternMatcherTests.Id(6)], received);
        Assert.Equal(PatternMatcherTests.Id(6), securityFrames.Current.Data?.EventId);
        var refused = Assert.Throws<InvalidQueryException>(() => hub.SubscribeCorrelations(new CorrelationStreamFilter { MinStrength = -1 }));
        Assert.Equal("min_strength", Assert.Single(refused.Problems).Path);
    }
}
