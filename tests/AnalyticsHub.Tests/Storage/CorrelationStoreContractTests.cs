using AnalyticsHub.Correlation;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="ICorrelationStore"/> backend shares. A backend's test class derives from this and says
/// how to make an empty store.
/// </summary>
public abstract class CorrelationStoreContractTests
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Makes an empty store.</summary>
    protected abstract ICorrelationStore CreateStore();

    protected static Guid Id(int n) => new(n, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8);

    protected static Guid EventId(int n) => new(n, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8);

    /// <summary>An incident of members <paramref name="members"/> (event numbers, one minute apart from <paramref name="minute"/>).</summary>
    protected static EventCorrelation Incident(int id, double minute, double strength, int[] members, CorrelationType type = CorrelationType.Temporal,
        CorrelationType[]? types = null, SourceModule module = SourceModule.LlmObservatory, double detectedMinute = double.NaN) => new()
        {
            CorrelationId = Id(id),
            CorrelationType = type,
            CorrelationTypes = types ?? [type],
            Events = [.. members.Select((m, i) => new CorrelatedEvent
            {
                EventId = EventId(m),
                SourceModule = i == 0 ? module : SourceModule.LlmObservatory,
                EventType = EventType.Telemetry,
                Severity = Severity.Warning,
                Timestamp = T0.AddMinutes(minute + i),
                Role = i == 0 ? EventRole.RootCause : EventRole.Effect,
                Summary = "member " + m,
            })],
            Strength = strength,
            Confidence = 0.8,
            TimeWindow = new TimeRange(T0.AddMinutes(minute), T0.AddMinutes(minute + Math.Max(1, members.Length - 1))),
            DetectedAt = T0.AddMinutes(double.IsNaN(detectedMinute) ? minute + members.Length : detectedMinute),
        };

    /// <summary>Equal as the wire sees them: a backend that stores the JSON gives back equal values in new lists, which record equality would call different.</summary>
    protected static void AssertSameIncident(EventCorrelation expected, EventCorrelation? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(expected, CorrelationJsonContext.Default.EventCorrelation),
            System.Text.Json.JsonSerializer.Serialize(actual, CorrelationJsonContext.Default.EventCorrelation));
    }

    private async Task<ICorrelationStore> StoreWith(params EventCorrelation[] correlations)
    {
        var store = CreateStore();
        foreach (var correlation in correlations)
        {
            Assert.True(await store.WriteAsync(correlation));
        }

        return store;
    }

    private static CorrelationQuery Recent(long minutes = 60, double minStrength = 0.7) =>
        new() { SeedEventId = Guid.Empty, TimeWindowMinutes = minutes, MinStrength = minStrength };

    private static CorrelationQuery Seeded(int seed, uint depth = 5, long minutes = 120) =>
        new() { SeedEventId = EventId(seed), TimeWindowMinutes = minutes, MaxDepth = depth };

    private static async Task<Guid[]> IdsAsync(ICorrelationStore store, CorrelationQuery query)
    {
        var result = await store.QueryAsync(query);
        Assert.True(result.IsSuccess, string.Join("; ", result.Problems));
        return [.. result.Correlations.Select(c => c.CorrelationId)];
    }

    // ---- writes and reads -----------------------------------------------------------------------------

    [Fact]
    public async Task GetAsync_AfterWrite_ReturnsTheIncident()
    {
        var incident = Incident(1, 0, 0.9, [1, 2]);
        var store = await StoreWith(incident);

        AssertSameIncident(incident, await store.GetAsync(Id(1)));
        Assert.Null(await store.GetAsync(Id(2)));
    }

    [Fact]
    public async Task WriteAsync_LaterState_ReplacesTheStoredOne()
    {
        var store = await StoreWith(Incident(1, 0, 0.6, [1, 2]));
        var update = Incident(1, 0, 0.9, [1, 2, 3]);

        Assert.True(await store.WriteAsync(update));

        AssertSameIncident(update, await store.GetAsync(Id(1)));
    }

    [Fact]
    public async Task WriteAsync_EarlierState_IsIgnored()
    {
        var latest = Incident(1, 0, 0.9, [1, 2, 3]);
        var store = await StoreWith(latest);

        Assert.False(await store.WriteAsync(Incident(1, 0, 0.6, [1, 2])));

        AssertSameIncident(latest, await store.GetAsync(Id(1)));
    }

    [Fact]
    public async Task WriteAsync_SameDetection_TheLaterWriteWins()
    {
        var store = await StoreWith(Incident(1, 0, 0.6, [1, 2], detectedMinute: 10));
        var close = Incident(1, 0, 0.7, [1, 2], detectedMinute: 10);

        Assert.True(await store.WriteAsync(close));

        Assert.Equal(0.7, (await store.GetAsync(Id(1)))!.Strength);
    }

    [Theory]
    [InlineData(1.5, 0.5)]
    [InlineData(-0.1, 0.5)]
    [InlineData(double.NaN, 0.5)]
    [InlineData(0.5, double.PositiveInfinity)]
    public async Task WriteAsync_ScoreOutsideZeroToOne_ThrowsAndStoresNothing(double strength, double confidence)
    {
        var store = CreateStore();

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.WriteAsync(Incident(1, 0, 0.5, [1]) with { Strength = strength, Confidence = confidence }));

        Assert.Null(await store.GetAsync(Id(1)));
    }

    // ---- queries without a seed -------------------------------------------------------------------------

    [Fact]
    public async Task QueryAsync_NoSeed_StrengthAtLeast08InTheLastHour()
    {
        // The newest detection is minute 180, so the last hour is minutes 120 to 180.
        var store = await StoreWith(
            Incident(1, 150, 0.9, [1, 2], detectedMinute: 170),
            Incident(2, 160, 0.75, [3, 4], detectedMinute: 180),
            Incident(3, 30, 0.95, [5, 6], detectedMinute: 40),
            Incident(4, 100, 0.85, [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27], detectedMinute: 125));

        var result = await store.QueryAsync(Recent(60, 0.8));

        Assert.Equal([Id(1), Id(4)], result.Correlations!.Select(c => c.CorrelationId));
        Assert.Equal(new TimeRange(T0.AddMinutes(120), T0.AddMinutes(180)), result.Window);
        Assert.False(result.Truncated);
    }

    [Fact]
    public async Task QueryAsync_NoSeed_DefaultsToStrength07_StrongestFirst()
    {
        var store = await StoreWith(
            Incident(1, 0, 0.75, [1, 2]),
            Incident(2, 5, 0.95, [3, 4]),
            Incident(3, 10, 0.69, [5, 6]));

        Assert.Equal([Id(2), Id(1)], await IdsAsync(store, new CorrelationQuery { SeedEventId = Guid.Empty, TimeWindowMinutes = 60 }));
    }

    [Fact]
    public async Task QueryAsync_EqualStrength_LatestDetectedFirst()
    {
        var store = await StoreWith(
            Incident(1, 0, 0.8, [1, 2], detectedMinute: 5),
            Incident(2, 0, 0.8, [3, 4], detectedMinute: 9));

        Assert.Equal([Id(2), Id(1)], await IdsAsync(store, Recent()));
    }

    [Fact]
    public async Task QueryAsync_EmptyStore_ReturnsNothing()
    {
        var result = await CreateStore().QueryAsync(Recent());

        Assert.True(result.IsSuccess);
        Assert.Empty(result.Correlations);
        Assert.Null(result.Window);
    }

    [Fact]
    public async Task QueryAsync_ByType_MatchesThePrimaryOrAnyOfTheTypes()
    {
        var store = await StoreWith(
            Incident(1, 0, 0.9, [1, 2], CorrelationType.CausalChain, [CorrelationType.CausalChain, CorrelationType.PerformanceDegradation]),
            Incident(2, 0, 0.8, [3, 4], CorrelationType.CostImpact),
            Incident(3, 0, 0.85, [5, 6], CorrelationType.PerformanceDegradation, types: []));
        var query = Recent();
        query = query with { CorrelationTypes = [CorrelationType.PerformanceDegradation] };

        Assert.Equal([Id(1), Id(3)], await IdsAsync(store, query));
    }

    [Fact]
    public async Task QueryAsync_ByModule_MatchesIncidentsWithAMemberFromTheModule()
    {
        var store = await StoreWith(
            Incident(1, 0, 0.9, [1, 2], module: SourceModule.LlmRegistry),
            Incident(2, 0, 0.8, [3, 4], module: SourceModule.LlmCostOps));
        var query = Recent() with { IncludeModules = [SourceModule.LlmRegistry, SourceModule.LlmSentinel] };

        Assert.Equal([Id(1)], await IdsAsync(store, query));
    }

    [Fact]
    public async Task QueryAsync_MoreMatchesThanTheBound_ReturnsTheFirstAndSaysTruncated()
    {
        var store = CreateStore();
        for (var i = 1; i <= CorrelationQueryPlan.MaxResults + 1; i++)
        {
            await store.WriteAsync(Incident(i, 0, 0.7 + (0.2 * i / (CorrelationQueryPlan.MaxResults + 1)), [i]));
        }

        var result = await store.QueryAsync(Recent());

        Assert.True(result.Truncated);
        Assert.Equal(CorrelationQueryPlan.MaxResults, result.Correlations!.Count);
        Assert.Equal(Id(CorrelationQueryPlan.MaxResults + 1), result.Correlations[0].CorrelationId);
        Assert.DoesNotContain(result.Correlations, c => c.CorrelationId == Id(1));
    }

    // ---- queries from a seed event ----------------------------------------------------------------------

    private Task<ICorrelationStore> ChainAsync(double middleStrength = 0.8) => StoreWith(
        Incident(1, 0, 0.9, [1, 2]),
        Incident(2, 5, middleStrength, [2, 3]),
        Incident(3, 10, 0.9, [3, 4]),
        Incident(4, 12, 0.9, [8, 9]));

    [Theory]
    [InlineData(1u, new[] { 1 })]
    [InlineData(2u, new[] { 1, 2 })]
    [InlineData(3u, new[] { 1, 2, 3 })]
    [InlineData(5u, new[] { 1, 2, 3 })]
    public async Task QueryAsync_Seed_FollowsSharedMembersUpToMaxDepth(uint depth, int[] expected)
    {
        var store = await ChainAsync();

        Assert.Equal(expected.Select(Id), await IdsAsync(store, Seeded(1, depth)));
    }

    [Fact]
    public async Task QueryAsync_Seed_CloserIncidentsComeFirst()
    {
        var store = await ChainAsync();

        Assert.Equal([Id(3), Id(2), Id(1)], await IdsAsync(store, Seeded(3, 2)));
    }

    [Fact]
    public async Task QueryAsync_Seed_AWeakIncidentIsNoLink()
    {
        var store = await ChainAsync(middleStrength: 0.5);

        Assert.Equal([Id(1)], await IdsAsync(store, Seeded(1)));
    }

    [Fact]
    public async Task QueryAsync_Seed_OnlyIncidentsWithinTheWindowAroundTheSeed()
    {
        var store = await StoreWith(
            Incident(1, 0, 0.9, [1, 2]),
            Incident(2, 200, 0.9, [2, 3]));

        var result = await store.QueryAsync(Seeded(1, minutes: 60));

        Assert.Equal([Id(1)], result.Correlations!.Select(c => c.CorrelationId));
        Assert.Equal(new TimeRange(T0.AddMinutes(-60), T0.AddMinutes(60)), result.Window);
    }

    [Fact]
    public async Task QueryAsync_UnknownSeed_ReturnsNothing()
    {
        var store = await ChainAsync();

        Assert.Empty(await IdsAsync(store, Seeded(77)));
    }

    [Fact]
    public async Task QueryAsync_Seed_FollowsTheLatestMembers()
    {
        var store = await StoreWith(Incident(1, 0, 0.9, [1, 2]));
        await store.WriteAsync(Incident(1, 0, 0.9, [2, 5], detectedMinute: 30));

        Assert.Equal([Id(1)], await IdsAsync(store, Seeded(5)));
        Assert.Empty(await IdsAsync(store, Seeded(1)));
    }

    // ---- refused queries --------------------------------------------------------------------------------

    private static readonly Dictionary<string, CorrelationQuery> Bad = new()
    {
        ["strength above 1"] = Recent() with { MinStrength = 1.5 },
        ["negative strength"] = Recent() with { MinStrength = -0.1 },
        ["NaN strength"] = Recent() with { MinStrength = double.NaN },
        ["empty window"] = Recent(0),
        ["negative window"] = Recent(-5),
        ["window above 31 days"] = Recent(CorrelationQueryPlan.MaxWindowMinutes + 1),
        ["depth 0"] = Seeded(1, 0),
        ["depth above the bound"] = Seeded(1, CorrelationQueryPlan.MaxDepth + 1),
        ["unknown type"] = Recent() with { CorrelationTypes = [CorrelationType.Temporal, (CorrelationType)99] },
        ["unknown module"] = Recent() with { IncludeModules = [(SourceModule)99] },
    };

    [Theory]
    [InlineData("strength above 1", ProblemCodes.NumberOutOfRange, "$.min_strength")]
    [InlineData("negative strength", ProblemCodes.NumberOutOfRange, "$.min_strength")]
    [InlineData("NaN strength", ProblemCodes.NonFiniteNumber, "$.min_strength")]
    [InlineData("empty window", ProblemCodes.NumberOutOfRange, "$.time_window_minutes")]
    [InlineData("negative window", ProblemCodes.NumberOutOfRange, "$.time_window_minutes")]
    [InlineData("window above 31 days", ProblemCodes.NumberOutOfRange, "$.time_window_minutes")]
    [InlineData("depth 0", ProblemCodes.NumberOutOfRange, "$.max_depth")]
    [InlineData("depth above the bound", ProblemCodes.NumberOutOfRange, "$.max_depth")]
    [InlineData("unknown type", ProblemCodes.InvalidEnumValue, "$.correlation_types[1]")]
    [InlineData("unknown module", ProblemCodes.InvalidEnumValue, "$.include_modules[0]")]
    public async Task QueryAsync_BadQuery_IsRefusedWithCodeAndPath(string name, string code, string path)
    {
        var store = await ChainAsync();

        var result = await store.QueryAsync(Bad[name]);

        Assert.False(result.IsSuccess);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(code, problem.Code);
        Assert.Equal(path, problem.Path);
    }
}
