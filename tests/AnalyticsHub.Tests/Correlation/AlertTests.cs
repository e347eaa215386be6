using AnalyticsHub.Alerts;
using AnalyticsHub.Correlation;
using AnalyticsHub.Correlation.Alerts;
using AnalyticsHub.Pipeline;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>Alerts: one per incident and severity step, across updates, out-of-order updates and replays; never waited for.</summary>
public class AlertTests
{
    [Fact]
    public void Gate_AlertsEachStepOnce_AndNeverBelowAStepAlready()
    {
        var gate = new AlertGate(new AlertThresholds());
        var id = Guid.NewGuid();

        Assert.Equal(ImpactSeverity.Low, gate.Decide(id, 0.9, 0.8, 0.3));
        Assert.Null(gate.Decide(id, 0.9, 0.8, 0.35));
        Assert.Equal(ImpactSeverity.Medium, gate.Decide(id, 0.9, 0.8, 0.5));
        Assert.Null(gate.Decide(id, 0.9, 0.8, 0.3));
        Assert.Equal(ImpactSeverity.High, gate.Decide(id, 0.9, 0.8, 0.85));
        Assert.Equal(ImpactSeverity.Critical, gate.Decide(id, 0.9, 0.8, 0.95));
        Assert.Null(gate.Decide(id, 0.9, 0.8, 0.99));
    }

    [Fact]
    public void Gate_ThresholdsDecide()
    {
        var gate = new AlertGate(new AlertThresholds());

        Assert.Null(gate.Decide(Guid.NewGuid(), 0.7, 0.9, 0.7));
        Assert.Null(gate.Decide(Guid.NewGuid(), 0.9, 0.5, 0.7));
        Assert.Null(gate.Decide(Guid.NewGuid(), 0.9, 0.9, 0.1));
        Assert.Equal(ImpactSeverity.High, gate.Decide(Guid.NewGuid(), 0.9, null, 0.7));
        Assert.Equal(ImpactSeverity.Critical, gate.Decide(Guid.NewGuid(), 0.1, 0.1, 0.92));
    }

    [Fact]
    public void Gate_ReplayedInAnyOrder_RaisesTheSameStepsOnce()
    {
        var rng = new Random(7);
        var updates = Enumerable.Range(0, 40).Select(i => (Id: new Guid(i % 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), Score: rng.NextDouble())).ToList();
        var gate = new AlertGate(new AlertThresholds());
        var raised = new List<(Guid, ImpactSeverity)>();
        foreach (var round in new[] { updates, [.. updates.OrderBy(_ => rng.Next())], updates })
        {
            foreach (var (id, score) in round)
            {
                if (gate.Decide(id, 0.95, 0.95, score) is { } step)
                {
                    raised.Add((id, step));
                }
            }
        }

        Assert.Equal(raised.Count, raised.Distinct().Count());
        foreach (var group in raised.GroupBy(r => r.Item1))
        {
            var steps = group.Select(r => r.Item2).ToList();
            Assert.Equal(steps.Order(), steps);
            Assert.Equal(ImpactAssessment.SeverityOf(updates.Where(u => u.Id == group.Key).Max(u => u.Score)) switch
            {
                ImpactSeverity.Critical when updates.Where(u => u.Id == group.Key).Max(u => u.Score) < 0.9 => ImpactSeverity.High,
                var s => s,
            }, steps[^1]);
        }
    }

    [Fact]
    public async Task Dispatcher_ASlowSinkNeverBlocksTheWriter_TheOverflowIsDroppedAndCounted()
    {
        var release = new TaskCompletionSource();
        var sink = new BlockingSink(release.Task);
        using var meter = new HubMeter();
        using var dispatcher = new AlertDispatcher([sink], new AlertDeliveryOptions { QueueCapacity = 2 }, meter);

        var started = DateTime.UtcNow;
        for (var i = 0; i < 10; i++)
        {
            dispatcher.Offer(MakeAlert(i));
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
        Assert.Equal(10, dispatcher.Raised);
        Assert.InRange(dispatcher.Dropped, 7, 8);
        release.SetResult();
        await dispatcher.DrainAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(10 - dispatcher.Dropped, sink.Received.Count);
        Assert.Equal(sink.Received.Order(), sink.Received);
    }

    [Fact]
    public async Task Dispatcher_ASinkThatThrows_IsCountedAndTheNextAlertStillGoesOut()
    {
        var sink = new ThrowingOnceSink();
        using var meter = new HubMeter();
        using var dispatcher = new AlertDispatcher([sink], new AlertDeliveryOptions { QueueCapacity = 16 }, meter);

        dispatcher.Offer(MakeAlert(0));
        dispatcher.Offer(MakeAlert(1));
        await dispatcher.DrainAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, dispatcher.SinkFailures);
        Assert.Equal([1], sink.Received);
    }

    private static CorrelationAlert MakeAlert(int n)
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var correlation = new EventCorrelation
        {
            CorrelationId = new Guid(n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), CorrelationType = CorrelationType.CausalChain, Events = [], Strength = 0.9, Confidence = 0.9,
            TimeWindow = new AnalyticsHub.Events.TimeRange(at, at), DetectedAt = at,
        };
        return new CorrelationAlert
        {
            AlertId = correlation.CorrelationId, Timestamp = at, CorrelationId = correlation.CorrelationId, Severity = ImpactSeverity.High, ImpactScore = 0.7, Correlation = correlation,
            Analysis = new AnomalyCorrelation
            {
                CorrelationId = correlation.CorrelationId, Anomalies = [], Strength = 0.9, DetectedAt = at,
                Impact = new ImpactAssessment { Severity = ImpactSeverity.High, AffectedModules = [] },
            },
            Summary = "alert " + n,
        };
    }

    private sealed class BlockingSink(Task release) : IAlertSink
    {
        public List<int> Received { get; } = [];

        public async ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
        {
            await release.WaitAsync(cancellationToken);
            Received.Add(int.Parse(alert.Summary[6..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private sealed class ThrowingOnceSink : IAlertSink
    {
        public List<int> Received { get; } = [];

        public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
        {
            if (alert.Summary == "alert 0")
            {
                throw new InvalidOperationException("pager down");
            }

            Received.Add(1);
            return ValueTask.CompletedTask;
        }
    }
}
