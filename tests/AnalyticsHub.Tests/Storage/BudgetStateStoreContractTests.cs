using AnalyticsHub.Cost;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IBudgetStateStore"/> backend shares. A backend's test class derives from this and says
/// how to make an empty store.
/// </summary>
public abstract class BudgetStateStoreContractTests
{
    protected static readonly DateTimeOffset Day = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Makes an empty store.</summary>
    protected abstract IBudgetStateStore CreateStore();

    protected static BudgetPeriodState State(string budget, int day, double spend, double[]? crossed = null, bool forecastWarned = false) => new()
    {
        BudgetId = budget,
        PeriodStart = Day.AddDays(day),
        PeriodEnd = Day.AddDays(day + 1),
        SpendUsd = spend,
        FirstCostAt = Day.AddDays(day).AddTicks(1),
        LastCostAt = Day.AddDays(day).AddHours(5).AddTicks(7),
        ThresholdsCrossed = crossed ?? [],
        ForecastWarned = forecastWarned,
    };

    private static void AssertSame(BudgetPeriodState expected, BudgetPeriodState actual)
    {
        Assert.Equal(expected.BudgetId, actual.BudgetId);
        Assert.Equal(expected.PeriodStart.UtcTicks, actual.PeriodStart.UtcTicks);
        Assert.Equal(TimeSpan.Zero, actual.PeriodStart.Offset);
        Assert.Equal(expected.PeriodEnd.UtcTicks, actual.PeriodEnd.UtcTicks);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.SpendUsd), BitConverter.DoubleToInt64Bits(actual.SpendUsd));
        Assert.Equal(expected.FirstCostAt.UtcTicks, actual.FirstCostAt.UtcTicks);
        Assert.Equal(expected.LastCostAt.UtcTicks, actual.LastCostAt.UtcTicks);
        Assert.Equal(expected.ThresholdsCrossed, actual.ThresholdsCrossed);
        Assert.Equal(expected.ForecastWarned, actual.ForecastWarned);
    }

    [Fact]
    public async Task LoadAsync_EmptyStore_ReturnsNothing() =>
        Assert.Empty(await CreateStore().LoadAsync());

    [Fact]
    public async Task SaveAsync_ThenLoad_RoundTripsEveryField_ToTheTick()
    {
        var store = CreateStore();
        var state = State("b1", 0, 0.1 + 0.2, [50, 80], forecastWarned: true) with
        {
            PeriodStart = new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.FromHours(1)),
            PeriodEnd = new DateTimeOffset(2026, 3, 3, 1, 0, 0, TimeSpan.FromHours(1)),
        };

        await store.SaveAsync([state]);

        AssertSame(state, Assert.Single(await store.LoadAsync()));
    }

    [Fact]
    public async Task SaveAsync_SameBudgetAndPeriod_ReplacesTheStoredState()
    {
        var store = CreateStore();
        await store.SaveAsync([State("b1", 0, 10, [50])]);

        await store.SaveAsync([State("b1", 0, 90, [50, 80])]);

        AssertSame(State("b1", 0, 90, [50, 80]), Assert.Single(await store.LoadAsync()));
    }

    [Fact]
    public async Task SaveAsync_SameKeyTwiceInOneCall_TheLaterWins()
    {
        var store = CreateStore();

        await store.SaveAsync([State("b1", 0, 10), State("b1", 0, 20, [50])]);

        AssertSame(State("b1", 0, 20, [50]), Assert.Single(await store.LoadAsync()));
    }

    [Fact]
    public async Task LoadAsync_OrdersByBudgetIdOrdinalThenPeriodStart()
    {
        var store = CreateStore();
        await store.SaveAsync([State("b", 1, 1), State("B", 0, 2), State("a", 2, 3), State("b", 0, 4), State("a", 0, 5)]);

        var loaded = await store.LoadAsync();

        Assert.Equal([("B", 0), ("a", 0), ("a", 2), ("b", 0), ("b", 1)], loaded.Select(s => (s.BudgetId, (int)(s.PeriodStart - Day).TotalDays)));
    }

    [Fact]
    public async Task SaveAsync_OneInvalidState_StoresNothingAndNamesItsPath()
    {
        var store = CreateStore();
        await store.SaveAsync([State("b1", 0, 1)]);

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await store.SaveAsync([State("b1", 0, 99), State("b2", 0, double.NaN)]));

        Assert.Contains("[1].spend_usd", ex.Message, StringComparison.Ordinal);
        AssertSame(State("b1", 0, 1), Assert.Single(await store.LoadAsync()));
    }

    [Theory]
    [InlineData("budget_id")]
    [InlineData("period_end")]
    [InlineData("last_cost_at")]
    [InlineData("thresholds_crossed[1]")]
    [InlineData("null")]
    public async Task SaveAsync_InvalidState_IsRefusedWithItsPath(string problem)
    {
        var store = CreateStore();
        var good = State("b1", 0, 1, [50, 80]);
        BudgetPeriodState? bad = problem switch
        {
            "budget_id" => good with { BudgetId = "" },
            "period_end" => good with { PeriodEnd = good.PeriodStart },
            "last_cost_at" => good with { LastCostAt = good.FirstCostAt.AddTicks(-1) },
            "thresholds_crossed[1]" => good with { ThresholdsCrossed = [80, 50] },
            _ => null,
        };

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await store.SaveAsync([good, bad!]));

        Assert.Contains(problem == "null" ? "[1]: null" : "[1]." + problem, ex.Message, StringComparison.Ordinal);
        Assert.Empty(await store.LoadAsync());
    }

    [Fact]
    public async Task SaveAsync_Concurrent_EveryStateStored()
    {
        var store = CreateStore();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.SaveAsync([State("b" + i, 0, i), State("b" + i, 1, i)]).AsTask()));

        Assert.Equal(16, (await store.LoadAsync()).Count);
    }

    [Fact]
    public async Task Tracker_RestoredFromTheStore_DoesNotAlertACrossedThresholdAgain()
    {
        var store = CreateStore();
        var budget = new BudgetDefinition { Id = "b1", LimitUsd = 100, Period = BudgetPeriod.Day, Forecast = false };
        var first = new BudgetTracker([budget]);
        var alerts = new List<AnalyticsEvent>();
        first.Track(Cost(60, Day.AddHours(1), "r1"), alerts);
        await store.SaveAsync(first.TakeChanges());
        Assert.Single(alerts);

        var restarted = new BudgetTracker([budget]);
        Assert.Equal(1, restarted.Restore(await store.LoadAsync()));
        alerts.Clear();
        restarted.Track(Cost(25, Day.AddHours(2), "r2"), alerts);

        Assert.Equal([80.0], alerts.Select(a => ((BudgetAlertEvent)a.Payload).ThresholdPercent));
        Assert.Equal(85, restarted.GetStates()[0].SpendUsd, 9);
    }

    private static AnalyticsEvent Cost(double usd, DateTimeOffset at, string request) =>
        global::AnalyticsHub.Tests.Cost.CostTestData.Cost(usd, at, request);
}
