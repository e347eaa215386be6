using AnalyticsHub.Cost;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Cost;

public class BudgetTrackerTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static BudgetDefinition Daily(double limit = 100, bool forecast = false, string zone = "UTC") =>
        new() { Id = "b1", Name = "daily", LimitUsd = limit, Period = BudgetPeriod.Day, TimeZone = zone, Forecast = forecast };

    private static List<AnalyticsEvent> TrackAll(BudgetTracker tracker, IEnumerable<AnalyticsEvent> events)
    {
        var alerts = new List<AnalyticsEvent>();
        foreach (var evt in events)
        {
            tracker.Track(evt, alerts);
        }

        return alerts;
    }

    private static BudgetAlertEvent Payload(AnalyticsEvent alert) => (BudgetAlertEvent)alert.Payload;

    [Fact]
    public void Track_CrossingEveryThreshold_OneAlertEach_WithTheDecision16Mapping()
    {
        var tracker = new BudgetTracker([Daily()]);
        var events = Enumerable.Range(0, 30).Select(i => CostTestData.Cost(5, Monday.AddMinutes(i * 10), request: "r" + i)).ToList();

        var alerts = TrackAll(tracker, events);

        Assert.Equal([50.0, 80, 95, 100], alerts.Select(a => Payload(a).ThresholdPercent));
        Assert.Equal([BudgetAlertType.Warning, BudgetAlertType.Warning, BudgetAlertType.Critical, BudgetAlertType.Exceeded], alerts.Select(a => Payload(a).AlertType));
        Assert.Equal([Severity.Warning, Severity.Warning, Severity.Error, Severity.Critical], alerts.Select(a => a.Severity));
        var first = alerts[0];
        Assert.Equal(SourceModule.LlmAnalyticsHub, first.SourceModule);
        Assert.Equal(events[9].EventId, first.Common.ParentEventId);   // the 10th $5 cost makes $50
        Assert.Equal(events[9].Timestamp, first.Timestamp);
        Assert.Equal(50, Payload(first).CurrentSpendUsd);
        Assert.Equal(100, Payload(first).BudgetLimitUsd);
        Assert.Equal("b1", first.Common.Tags["budget_id"]);
        Assert.Equal("2026-03-02", first.Common.Tags["budget_period"]);
        Assert.False(first.Common.Tags.ContainsKey("forecast"));
        Assert.Equal(4, alerts.Select(a => a.EventId).Distinct().Count());
    }

    [Fact]
    public void Track_OneEventCrossingSeveralThresholds_AlertsEachOnce()
    {
        var tracker = new BudgetTracker([Daily()]);

        var alerts = TrackAll(tracker, [CostTestData.Cost(96, Monday, "a"), CostTestData.Cost(1, Monday, "b"), CostTestData.Cost(10, Monday, "c")]);

        Assert.Equal([50.0, 80, 95, 100], alerts.Select(a => Payload(a).ThresholdPercent));
    }

    [Fact]
    public void Track_NextPeriod_StartsAtZeroAndAlertsAgain()
    {
        var tracker = new BudgetTracker([Daily()]);

        var alerts = TrackAll(tracker, [CostTestData.Cost(60, Monday.AddHours(23.9), "a"), CostTestData.Cost(40, Monday.AddHours(24), "b"), CostTestData.Cost(20, Monday.AddHours(30), "c")]);

        Assert.Equal(["2026-03-02/50", "2026-03-03/50"], alerts.Select(a => $"{a.Common.Tags["budget_period"]}/{Payload(a).ThresholdPercent}"));
        var state = Assert.Single(tracker.GetStates());
        Assert.Equal(60, state.SpendUsd);
        Assert.Equal(Monday.AddDays(1), state.PeriodStart);
        Assert.Equal([50.0], state.ThresholdsCrossed);
    }

    [Theory]
    [InlineData(BudgetPeriod.Week, "2026-03-02", "2026-03-09")]
    [InlineData(BudgetPeriod.Month, "2026-03-01", "2026-04-01")]
    public void GetStates_WeekAndMonth_PeriodBoundaries(BudgetPeriod period, string start, string end)
    {
        var tracker = new BudgetTracker([new BudgetDefinition { Id = "b", LimitUsd = 10, Period = period }]);

        TrackAll(tracker, [CostTestData.Cost(1, new DateTimeOffset(2026, 3, 4, 15, 0, 0, TimeSpan.Zero))]);

        var state = Assert.Single(tracker.GetStates());
        Assert.Equal(DateTimeOffset.Parse(start + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), state.PeriodStart);
        Assert.Equal(DateTimeOffset.Parse(end + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), state.PeriodEnd);
    }

    [Fact]
    public void PeriodOf_DaylightSavingDays_Last23And25Hours()
    {
        var zone = CostTestData.UsEastern;

        var spring = BudgetCalendar.PeriodOf(new DateTimeOffset(2026, 3, 8, 12, 0, 0, TimeSpan.Zero), BudgetPeriod.Day, zone);
        var autumn = BudgetCalendar.PeriodOf(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero), BudgetPeriod.Day, zone);

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 5, 0, 0, TimeSpan.Zero), spring.Start);   // midnight EST
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 4, 0, 0, TimeSpan.Zero), spring.End);     // midnight EDT
        Assert.Equal(TimeSpan.FromHours(23), spring.End - spring.Start);
        Assert.Equal(TimeSpan.FromHours(25), autumn.End - autumn.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 4, 0, 0, TimeSpan.Zero), autumn.Start);
    }

    [Fact]
    public void PeriodOf_MidnightSkippedByTheClock_StartsWhenTheClockResumes()
    {
        // A zone whose clocks jump from 00:00 to 01:00 (as some do): the day starts at 01:00 local.
        var zone = TimeZoneInfo.CreateCustomTimeZone("Test/MidnightJump", TimeSpan.FromHours(-3), "jump", "jump", "jump summer",
        [
            TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(new DateTime(2000, 1, 1), DateTime.MaxValue.Date, TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1, 0, 0, 0), 9, 6),
                TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1, 0, 0, 0), 4, 5)),
        ]);

        var period = BudgetCalendar.PeriodOf(new DateTimeOffset(2026, 9, 6, 12, 0, 0, TimeSpan.Zero), BudgetPeriod.Day, zone);

        Assert.Equal(new DateTimeOffset(2026, 9, 6, 3, 0, 0, TimeSpan.Zero), period.Start);   // 01:00 at UTC-2 = 00:00 at UTC-3
        Assert.Equal(TimeSpan.FromHours(23), period.End - period.Start);
    }

    [Fact]
    public void Track_TimeZoneBudget_CountsByLocalDayAcrossUtcMidnightAndDst_OutOfOrder()
    {
        var budget = new BudgetDefinition { Id = "ny", LimitUsd = 10, Period = BudgetPeriod.Day, Forecast = false, Zone = CostTestData.UsEastern };
        var tracker = new BudgetTracker([budget]);

        // Saturday 22:00 EST, Sunday 00:00 EST, Sunday 23:30 EDT (after the spring change), Monday 00:00 EDT; replayed newest first.
        var alerts = TrackAll(tracker, new[]
        {
            CostTestData.Cost(6, new DateTimeOffset(2026, 3, 8, 3, 0, 0, TimeSpan.Zero), "a"),
            CostTestData.Cost(6, new DateTimeOffset(2026, 3, 8, 5, 0, 0, TimeSpan.Zero), "b"),
            CostTestData.Cost(6, new DateTimeOffset(2026, 3, 9, 3, 30, 0, TimeSpan.Zero), "c"),
            CostTestData.Cost(6, new DateTimeOffset(2026, 3, 9, 4, 0, 0, TimeSpan.Zero), "d"),
        }.Reverse());

        Assert.Equal(
            ["2026-03-07/50", "2026-03-08/100", "2026-03-08/50", "2026-03-08/80", "2026-03-08/95", "2026-03-09/50"],
            alerts.Select(a => $"{a.Common.Tags["budget_period"]}/{Payload(a).ThresholdPercent}").Order(StringComparer.Ordinal));
        var state = Assert.Single(tracker.GetStates());
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 4, 0, 0, TimeSpan.Zero), state.PeriodStart);
        Assert.Equal(6, state.SpendUsd);
    }

    [Fact]
    public void Track_OutOfOrderReplay_SameAlertsPerPeriodAndThreshold_AndSameSpend()
    {
        var rng = new Random(7);
        var events = Enumerable.Range(0, 400)
            .Select(i => CostTestData.Cost(Math.Round(rng.NextDouble() * 2, 6), Monday.AddMinutes(i * 17), request: "r" + i))
            .ToList();
        var inOrder = new BudgetTracker([Daily(limit: 90)]);
        var shuffled = new BudgetTracker([Daily(limit: 90)]);

        var expected = TrackAll(inOrder, events);
        var actual = TrackAll(shuffled, events.OrderBy(_ => rng.Next()));

        static string Key(AnalyticsEvent a) => $"{a.Common.Tags["budget_period"]}/{((BudgetAlertEvent)a.Payload).ThresholdPercent}";
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(Key).Order(), actual.Select(Key).Order());
        Assert.Equal(expected.Select(a => a.EventId).Order(), actual.Select(a => a.EventId).Order());
        Assert.Equal(actual.Count, actual.Select(Key).Distinct().Count());
        Assert.Equal(inOrder.GetStates()[0].SpendUsd, shuffled.GetStates()[0].SpendUsd, 9);
    }

    [Fact]
    public void Track_LateEventOlderThanEveryKeptPeriod_IsDroppedAndCounted()
    {
        var tracker = new BudgetTracker([Daily()]);
        var alerts = TrackAll(tracker, Enumerable.Range(0, BudgetTracker.MaxPeriods).Select(d => CostTestData.Cost(1, Monday.AddDays(d + 1), "r" + d)));

        TrackAll(tracker, [CostTestData.Cost(80, Monday, "late")]);

        Assert.Empty(alerts);
        Assert.Equal(1, tracker.GetStates()[0].LateEventsDropped);
    }

    [Fact]
    public void Track_PreferHub_ProducerThenHub_CountsTheHubPriceOnce()
    {
        var tracker = new BudgetTracker([Daily()]);

        Assert.Equal(40, tracker.Track(CostTestData.Cost(40, Monday, "r1"), []));
        Assert.Equal(-10, tracker.Track(CostTestData.Cost(30, Monday, "r1", fromHub: true), []));

        Assert.Equal(30, tracker.GetStates()[0].SpendUsd);
    }

    [Fact]
    public void Track_PreferHub_HubThenProducer_IgnoresTheProducer()
    {
        var tracker = new BudgetTracker([Daily()]);

        tracker.Track(CostTestData.Cost(30, Monday, "r1", fromHub: true), []);
        Assert.Equal(0, tracker.Track(CostTestData.Cost(40, Monday, "r1"), []));

        Assert.Equal(30, tracker.GetStates()[0].SpendUsd);
    }

    [Fact]
    public void Track_PreferHub_AnnouncedHubPrice_ProducerCostFirstIsNotCounted_NoAlertOnIt()
    {
        var tracker = new BudgetTracker([Daily(limit: 50)]);
        var usage = (TokenUsageMetrics)CostTestData.Usage("acme-large", 100, 50, Monday, request: "r1").Payload;

        tracker.ExpectHubCost(usage, Monday);
        var alerts = new List<AnalyticsEvent>();
        Assert.Equal(0, tracker.Track(CostTestData.Cost(40, Monday, "r1"), alerts));
        Assert.Equal(20, tracker.Track(CostTestData.Cost(20, Monday, "r1", fromHub: true), alerts));

        Assert.Empty(alerts);
        Assert.Equal(20, tracker.GetStates()[0].SpendUsd);
    }

    [Fact]
    public void Track_PreferHub_RetriesWithTheSameRequestIdAndCounts_CountEachCall()
    {
        var tracker = new BudgetTracker([Daily()]);

        var events = new[]
        {
            CostTestData.Cost(4, Monday, "r1"), CostTestData.Cost(3, Monday, "r1", fromHub: true),
            CostTestData.Cost(4, Monday.AddSeconds(5), "r1"), CostTestData.Cost(3, Monday.AddSeconds(5), "r1", fromHub: true),
            CostTestData.Cost(7, Monday.AddSeconds(9), "r1", completion: 999),
        };
        TrackAll(tracker, events);

        Assert.Equal(3 + 3 + 7, tracker.GetStates()[0].SpendUsd);
    }

    [Fact]
    public void Track_PreferHub_AfterTheMatchWindow_TheRequestIsForgotten()
    {
        var tracker = new BudgetTracker([Daily(limit: 1000)], requestMatchWindow: TimeSpan.FromMinutes(5));

        TrackAll(tracker, [CostTestData.Cost(4, Monday, "r1"), CostTestData.Cost(1, Monday.AddMinutes(30), "other"), CostTestData.Cost(3, Monday, "r1", fromHub: true)]);

        Assert.Equal(4 + 1 + 3, tracker.GetStates()[0].SpendUsd);
    }

    [Theory]
    [InlineData(BudgetCostSource.Hub, 30)]
    [InlineData(BudgetCostSource.Producer, 40)]
    [InlineData(BudgetCostSource.PreferHub, 30)]
    public void Track_CostSource_ChoosesWhichCostsCount(BudgetCostSource source, double expected)
    {
        var tracker = new BudgetTracker([Daily()], source);

        TrackAll(tracker, [CostTestData.Cost(40, Monday, "r1"), CostTestData.Cost(30, Monday, "r1", fromHub: true)]);

        Assert.Equal(expected, tracker.GetStates()[0].SpendUsd);
    }

    [Fact]
    public void Track_Scope_TenantTeamModelAliasEnvironmentAndTags()
    {
        var budget = new BudgetDefinition
        {
            Id = "scoped", LimitUsd = 100, Period = BudgetPeriod.Day, Tenant = "t1", Team = "search", Model = "acme-large",
            Environment = "production", Tags = new() { ["region"] = "eu" }, Forecast = false,
        };
        var tracker = new BudgetTracker([budget], priceTable: CostTestData.Table);
        var tags = new Dictionary<string, string> { ["tenant"] = "t1", ["team"] = "search", ["region"] = "eu" };

        TrackAll(tracker,
        [
            CostTestData.Cost(1, Monday, "a", tags: tags),
            CostTestData.Cost(2, Monday, "b", tags: tags, model: "acme-large-2025-12-01"),
            CostTestData.Cost(4, Monday, "c", tags: tags, model: "acme-think"),
            CostTestData.Cost(8, Monday, "d", tags: tags, environment: "staging"),
            CostTestData.Cost(16, Monday, "e", tags: new Dictionary<string, string>(tags) { ["tenant"] = "t2" }),
            CostTestData.Cost(32, Monday, "f", tags: new Dictionary<string, string>(tags) { ["region"] = "us" }),
            CostTestData.Cost(64, Monday, "g"),
        ]);

        Assert.Equal(3, tracker.GetStates()[0].SpendUsd);
    }

    [Fact]
    public void Track_CustomThresholds_AboveAHundredAreExceededAlerts()
    {
        var tracker = new BudgetTracker([new BudgetDefinition { Id = "b", LimitUsd = 10, Period = BudgetPeriod.Day, Thresholds = [120, 25], Forecast = false }]);

        var alerts = TrackAll(tracker, [CostTestData.Cost(3, Monday, "a"), CostTestData.Cost(10, Monday, "b")]);

        Assert.Equal([(25.0, BudgetAlertType.Warning), (120.0, BudgetAlertType.Exceeded)], alerts.Select(a => (Payload(a).ThresholdPercent, Payload(a).AlertType)));
    }

    [Fact]
    public void Track_NonCostEvents_AreIgnored()
    {
        var tracker = new BudgetTracker([Daily()]);

        Assert.Equal(0, tracker.Track(CostTestData.Usage("acme-large", 1, 1, Monday), []));
        Assert.Equal(0, tracker.GetStates()[0].SpendUsd);
        Assert.Null(tracker.GetStates()[0].PeriodStart);
    }

    [Fact]
    public void Constructor_InvalidBudget_ListsEveryProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BudgetTracker([new BudgetDefinition { LimitUsd = -1, TimeZone = "Nowhere/Atlantis", Thresholds = [50, 50, -3] }]));

        Assert.Contains("Id is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("LimitUsd", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nowhere/Atlantis", ex.Message, StringComparison.Ordinal);
        Assert.Contains("twice", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-3", ex.Message, StringComparison.Ordinal);
    }

    private static BudgetPeriodState Saved(string budget, DateTimeOffset start, double spend, double[] crossed, TimeSpan? length = null) => new()
    {
        BudgetId = budget,
        PeriodStart = start,
        PeriodEnd = start + (length ?? TimeSpan.FromDays(1)),
        SpendUsd = spend,
        FirstCostAt = start,
        LastCostAt = start.AddHours(1),
        ThresholdsCrossed = crossed,
        ForecastWarned = false,
    };

    [Fact]
    public void Restore_SkipsUnknownBudgetsMisalignedPeriodsAndPeriodsAlreadyHeld()
    {
        var tracker = new BudgetTracker([Daily()]);

        var restored = tracker.Restore([
            Saved("other", Monday, 10, []),
            Saved("b1", Monday.AddHours(3), 10, []),             // not a day start in UTC: the calendar changed
            Saved("b1", Monday, 10, [], TimeSpan.FromDays(7)),    // a week: the period kind changed
            Saved("b1", Monday, 60, [50]),
            Saved("b1", Monday, 99, [50, 80, 95]),                // the same period again: the first one stays
        ]);

        Assert.Equal(1, restored);
        var state = Assert.Single(tracker.GetStates());
        Assert.Equal(60, state.SpendUsd);
        Assert.Equal([50.0], state.ThresholdsCrossed);
    }

    [Fact]
    public void Restore_ThresholdNoLongerDefined_IsDropped_AndTheRestAreNotAlertedAgain()
    {
        var tracker = new BudgetTracker([new BudgetDefinition { Id = "b1", LimitUsd = 100, Period = BudgetPeriod.Day, Forecast = false, Thresholds = [80, 100] }]);
        tracker.Restore([Saved("b1", Monday, 85, [50, 80])]);

        var alerts = TrackAll(tracker, [CostTestData.Cost(20, Monday.AddHours(2), "a")]);

        Assert.Equal([100.0], alerts.Select(a => Payload(a).ThresholdPercent));
        Assert.Equal([80.0, 100], tracker.GetStates()[0].ThresholdsCrossed);
    }

    [Fact]
    public void TakeChanges_GivesOnlyThePeriodsChangedSinceTheLastCall()
    {
        var tracker = new BudgetTracker([Daily()]);
        TrackAll(tracker, [CostTestData.Cost(60, Monday, "a"), CostTestData.Cost(1, Monday.AddDays(1), "b")]);

        var first = tracker.TakeChanges();
        TrackAll(tracker, [CostTestData.Cost(1, Monday.AddDays(1).AddHours(1), "c")]);
        var second = tracker.TakeChanges();

        Assert.Equal([Monday, Monday.AddDays(1)], first.Select(s => s.PeriodStart));
        Assert.Equal([50.0], first[0].ThresholdsCrossed);
        var only = Assert.Single(second);
        Assert.Equal(Monday.AddDays(1), only.PeriodStart);
        Assert.Equal(2, only.SpendUsd, 9);
        Assert.Empty(tracker.TakeChanges());
    }
}
