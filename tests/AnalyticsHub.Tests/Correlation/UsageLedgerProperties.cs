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

    /// <summary>
    /// Requests and the hub's priced costs mixed, in any order and lateness: every window's requests and spend (cost,
    /// failed cost, squares of succeeded costs) are those of a dense ring of 360 minutes per series in which requests and
    /// spend share a minute's slot, summed minute by minute as the ledger's one list of buckets did: the same decimals
    /// to the bit (scale included) and the same doubles, though the spend is now kept only for minutes that have some.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property Sum_RequestsAndSpend_MatchADenseRingOfSharedMinutes((ushort Minute, byte Series, byte Kind, ushort Cents)[] events, (ushort From, ushort Length)[] windows)
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        var rings = new Dictionary<string, DenseSlot[]>(StringComparer.Ordinal);
        foreach (var (minute, series, kind, cents) in events)
        {
            var region = Regions[series % Regions.Length];
            var failed = kind % 4 == 3;
            var isCost = kind % 2 == 1;
            var usd = cents / 1000.0;
            var tags = failed ? new[] { ("region", region), ("tenant", "t"), ("status", "error") } : [("region", region), ("tenant", "t")];
            var evt = isCost
                ? f.Make(minute % 1_500, new TokenCostEvent
                {
                    ModelId = "m", RequestId = "r", PromptTokens = 1, CompletionTokens = 1, TotalTokens = 2,
                    CostPerPromptToken = 0, CostPerCompletionToken = 0, TotalCostUsd = usd, Currency = "USD",
                }, SourceModule.LlmAnalyticsHub, tags)
                : f.Make(minute % 1_500, new LatencyMetrics { ModelId = "m", RequestId = "r", TotalLatencyMs = cents }, SourceModule.LlmObservatory, tags);
            ledger.Observe(evt);
            if (!rings.TryGetValue(region, out var ring))
            {
                ring = new DenseSlot[UsageLedger.Minutes];
                Array.Fill(ring, new DenseSlot { Minute = long.MinValue });
                rings.Add(region, ring);
            }

            var at = evt.Timestamp.UtcTicks / TimeSpan.TicksPerMinute;
            ref var slot = ref ring[(int)(at % UsageLedger.Minutes)];
            if (slot.Minute < at)
            {
                slot = new DenseSlot { Minute = at };
            }

            if (slot.Minute == at)
            {
                if (isCost)
                {
                    slot.Cost += (decimal)usd;
                    if (failed)
                    {
                        slot.FailedCost += (decimal)usd;
                    }
                    else
                    {
                        slot.Squares += usd * usd;
                    }
                }
                else
                {
                    slot.Requests++;
                    slot.Failures += failed ? 1 : 0;
                    slot.Latency += cents;
                }
            }
        }

        var origin = RootCauseFixture.T0.UtcTicks / TimeSpan.TicksPerMinute;
        var agree = true;
        foreach (var (fromOffset, length) in windows)
        {
            var from = origin + (fromOffset % 1_500);
            var to = from + (length % 400);
            foreach (var (region, ring) in rings)
            {
                var expected = default(DenseSlot);
                for (var minute = Math.Max(from, to - UsageLedger.Minutes + 1); minute <= to; minute++)
                {
                    var slot = ring[(int)(minute % UsageLedger.Minutes)];
                    if (slot.Minute == minute)
                    {
                        expected.Requests += slot.Requests;
                        expected.Failures += slot.Failures;
                        expected.Latency += slot.Latency;
                        expected.Cost += slot.Cost;
                        expected.FailedCost += slot.FailedCost;
                        expected.Squares += slot.Squares;
                    }
                }

                var totals = ledger.Sum(UsageScope.Exactly("m", region, "t"), from, to);
                agree &= totals.Requests == expected.Requests && totals.Failures == expected.Failures && totals.LatencyMsSum.Equals(expected.Latency)
                    && decimal.GetBits(totals.CostUsd).SequenceEqual(decimal.GetBits(expected.Cost))
                    && decimal.GetBits(totals.FailedCostUsd).SequenceEqual(decimal.GetBits(expected.FailedCost))
                    && totals.SucceededCostSquares.Equals(expected.Squares);
            }
        }

        return agree.ToProperty().Label($"{events.Length} events, {windows.Length} windows");
    }

    private static readonly string[] TagKeys = ["region", "tenant", "provider", "status", "Region", "STATUS", "model_id", "team", "env", "zone"];
    private static readonly string[] TagValues = ["error", "ok", "Error", "", "r0", "t1", "openai"];

    /// <summary>
    /// Whatever the tag table (its size, its keys, its values and its comparer: ordinal, the default, or one ignoring
    /// case), the ledger's one-pass read of an event's series tags equals one lookup per tag.
    /// </summary>
    [Property(MaxTest = 500)]
    public Property SeriesTags_OnePass_EqualsOneLookupPerTag((byte Key, byte Value)[] entries, byte comparerChoice)
    {
        IEqualityComparer<string>? comparer = (comparerChoice % 4) switch
        {
            0 => StringComparer.Ordinal,
            1 => null,
            2 => EqualityComparer<string>.Default,
            _ => StringComparer.OrdinalIgnoreCase,
        };
        var table = new Dictionary<string, string>(comparer);
        foreach (var (key, value) in entries)
        {
            table.TryAdd(TagKeys[key % TagKeys.Length], TagValues[value % TagValues.Length]);
        }

        var onePass = UsageLedger.SeriesTags.Of(table);
        var lookups = UsageLedger.SeriesTags.ByLookups(table);
        return (onePass == lookups).ToProperty().Label($"{table.Count} tags, comparer {comparerChoice % 4}: {onePass} vs {lookups}");
    }

    /// <summary>A small ordinal table is read without a lookup: a failed request in a named series, and the absent tags as the ledger keys them.</summary>
    [Fact]
    public void SeriesTags_SmallOrdinalTable_ReadsRegionTenantProviderAndStatus()
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["status"] = "error", ["region"] = "eu", ["provider"] = "p", ["tenant"] = "t" };
        Assert.Equal(new UsageLedger.SeriesTags("eu", "t", "p", true), UsageLedger.SeriesTags.Of(tags));
        Assert.Equal(new UsageLedger.SeriesTags(string.Empty, string.Empty, null, false), UsageLedger.SeriesTags.Of(new Dictionary<string, string>()));
    }

    [Fact]
    public void EstimatedBytes_RequestOnlyMinutes_CarryNoSpend()
    {
        var f = new RootCauseFixture();
        var requestsOnly = new UsageLedger();
        var withSpend = new UsageLedger();
        for (var minute = 0; minute < 100; minute++)
        {
            var request = f.Make(minute, new LatencyMetrics { ModelId = "m", RequestId = "r", TotalLatencyMs = 1 }, SourceModule.LlmObservatory, ("region", "r0"), ("tenant", "t"));
            requestsOnly.Observe(request);
            withSpend.Observe(request);
            withSpend.Observe(f.Make(minute, new TokenCostEvent
            {
                ModelId = "m", RequestId = "r", PromptTokens = 1, CompletionTokens = 1, TotalTokens = 2,
                CostPerPromptToken = 0, CostPerCompletionToken = 0, TotalCostUsd = 0.5, Currency = "USD",
            }, SourceModule.LlmAnalyticsHub, ("region", "r0"), ("tenant", "t")));
        }

        // 100 minutes in 128 buckets of 32 bytes, and with spend 128 slots of 40 more: 72 bytes a minute only with spend.
        Assert.Equal(160 + (128 * 32), requestsOnly.EstimatedBytes);
        Assert.Equal(160 + (128 * 32) + (128 * 40), withSpend.EstimatedBytes);
    }

    private struct DenseSlot
    {
        public long Minute;
        public long Requests;
        public long Failures;
        public double Latency;
        public decimal Cost;
        public decimal FailedCost;
        public double Squares;
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
