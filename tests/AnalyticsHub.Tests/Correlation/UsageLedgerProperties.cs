using AnalyticsHub.Correlation.Impact;
using AnalyticsHub.Events;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>The ledger's sparse buckets against the plain rule they implement: a ring of 360 minutes per series.</summary>
public sealed class UsageLedgerProperties
{
    private static readonly string[] Regions = ["r0", "r1", "r2"];

    /// <summary>
    /// Whatever the order and lateness of the events, every window sums what a dense ring of 360 one-minute slots per
    /// series (slot = minute mod 360; a later minute replaces its slot, an earlier one is dropped) holds for it.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property Sum_MatchesADenseRingOf360Minutes((ushort Minute, byte Series, byte Latency)[] requests, (ushort From, ushort Length)[] windows)
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        var rings = new Dictionary<string, (long Minute, long Requests, double Latency)[]>(StringComparer.Ordinal);
        foreach (var (minute, series, latency) in requests)
        {
            var region = Regions[series % Regions.Length];
            var evt = f.Make(minute % 1_500, new LatencyMetrics { ModelId = "m", RequestId = "r", TotalLatencyMs = latency }, SourceModule.LlmObservatory,
                ("region", region), ("tenant", "t"));
            ledger.Observe(evt);
            if (!rings.TryGetValue(region, out var ring))
            {
                ring = new (long, long, double)[UsageLedger.Minutes];
                Array.Fill(ring, (long.MinValue, 0L, 0.0));
                rings.Add(region, ring);
            }

            var at = evt.Timestamp.UtcTicks / TimeSpan.TicksPerMinute;
            ref var slot = ref ring[(int)(at % UsageLedger.Minutes)];
            if (slot.Minute < at)
            {
                slot = (at, 0, 0);
            }

            if (slot.Minute == at)
            {
                slot = (at, slot.Requests + 1, slot.Latency + latency);
            }
        }

        var origin = f.Make(0, new LatencyMetrics { ModelId = "m", RequestId = "r", TotalLatencyMs = 1 }, SourceModule.LlmObservatory).Timestamp.UtcTicks / TimeSpan.TicksPerMinute;
        var agree = true;
        foreach (var (fromOffset, length) in windows)
        {
            var from = origin + (fromOffset % 1_500);
            var to = from + (length % 400);
            foreach (var (region, ring) in rings)
            {
                long expectedRequests = 0;
                double expectedLatency = 0;
                for (var minute = Math.Max(from, to - UsageLedger.Minutes + 1); minute <= to; minute++)
                {
                    var slot = ring[(int)(minute % UsageLedger.Minutes)];
                    if (slot.Minute == minute)
                    {
                        expectedRequests += slot.Requests;
                        expectedLatency += slot.Latency;
                    }
                }

                var totals = ledger.Sum(UsageScope.Exactly("m", region, "t"), from, to);
                agree &= totals.Requests == expectedRequests && totals.LatencyMsSum.Equals(expectedLatency);
            }
        }

        return agree.ToProperty().Label($"{requests.Length} requests, {windows.Length} windows");
    }

    [Fact]
    public void EstimatedBytes_GrowWithTheMinutesSeen_NotASixHourRingPerSeries()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        for (var tenant = 0; tenant < 100; tenant++)
        {
            ledger.Observe(f.Make(0, new LatencyMetrics { ModelId = "m", RequestId = "r", TotalLatencyMs = 1 }, SourceModule.LlmObservatory,
                ("region", "r0"), ("tenant", "t" + tenant)));
        }

        Assert.Equal(100, ledger.SeriesCount);
        Assert.True(ledger.EstimatedBytes < 100 * UsageLedger.Minutes * 56 / 10, $"{ledger.EstimatedBytes} B for 100 series of one minute each");
    }
}
