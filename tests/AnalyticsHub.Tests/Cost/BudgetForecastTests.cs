using AnalyticsHub.Cost;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Cost;

public class BudgetForecastTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Business hours 09–17 cost $3/h, the rest $0.25/h: $28 a day.</summary>
    private static double Cycle(int hour) => hour is >= 9 and < 17 ? 3 : 0.25;

    private static List<AnalyticsEvent> Burn(DateTimeOffset day, Func<int, double> perHour, int fromHour = 0, int toHour = 24)
    {
        var events = new List<AnalyticsEvent>();
        for (var h = fromHour; h < toHour; h++)
        {
            for (var slot = 0; slot < 6; slot++)
            {
                // At the end of each ten-minute slot (still inside its hour), so spend so far is exact at any slot.
                var at = day.AddHours(h).AddMinutes((slot + 1) * 10).AddTicks(-1);
                events.Add(CostTestData.Cost(perHour(h) / 6, at, $"{at:O}"));
            }
        }

        return events;
    }

    private static (List<AnalyticsEvent> Alerts, BudgetTracker Tracker) Run(double limit, IEnumerable<AnalyticsEvent> events)
    {
        var tracker = new BudgetTracker([new BudgetDefinition { Id = "b", LimitUsd = limit, Period = BudgetPeriod.Day }]);
        var alerts = new List<AnalyticsEvent>();
        foreach (var evt in events)
        {
            tracker.Track(evt, alerts);
        }

        return (alerts, tracker);
    }

    private static List<AnalyticsEvent> Forecasts(IEnumerable<AnalyticsEvent> alerts) =>
        [.. alerts.Where(a => a.Common.Tags.TryGetValue("forecast", out var f) && f == "true")];

    [Fact]
    public void Flat_UnderTheLimit_NoForecastWarning()
    {
        var (alerts, tracker) = Run(30, Burn(Monday, _ => 1));

        Assert.Empty(Forecasts(alerts));
        Assert.Equal(24, tracker.GetStates()[0].SpendUsd, 9);
    }

    [Fact]
    public void Flat_OverTheLimit_WarnsOnceEarly_WithTheProjectedPercentage()
    {
        var (alerts, _) = Run(20, Burn(Monday, _ => 1));

        var forecast = Assert.Single(Forecasts(alerts));
        var payload = (BudgetAlertEvent)forecast.Payload;
        Assert.Equal(BudgetAlertType.Warning, payload.AlertType);
        // Linear from the first cost: at the first chance (1.2 h seen), 9 slots = $1.50 in 1 h 20 min → $27 = 135%.
        Assert.InRange(payload.ThresholdPercent, 120, 140);
        Assert.True(forecast.Timestamp < Monday.AddHours(3));          // linear, once 5% of the day is seen
        Assert.True(forecast.Timestamp < alerts.First(a => Forecasts([a]).Count == 0).Timestamp);
    }

    [Fact]
    public void DailyCycle_LearnedProfile_NoFalseWarningOnANormalDay()
    {
        var events = Burn(Monday, Cycle).Concat(Burn(Monday.AddDays(1), Cycle));

        var (alerts, tracker) = Run(32, events);

        // A straight line from the busy afternoon of the first day overshoots; from the second day on the profile does not.
        Assert.All(Forecasts(alerts), a => Assert.True(a.Timestamp < Monday.AddDays(1)));
        var linear = BudgetForecast.Project(23.25, Monday, Monday.AddDays(1), Monday, Monday.AddHours(16), new Dictionary<DateOnly, double[]>(), TimeZoneInfo.Utc);
        Assert.Equal(BudgetForecast.Linear, linear!.Value.Method);
        Assert.True(linear.Value.Projected > 32);
        var state = tracker.GetStates()[0];
        Assert.Equal(28, state.SpendUsd, 9);
    }

    [Fact]
    public void DailyCycle_MiddayProjection_IsTheProfilesDayTotal()
    {
        var (_, tracker) = Run(32, Burn(Monday, Cycle).Concat(Burn(Monday.AddDays(1), Cycle, toHour: 13)));

        var state = tracker.GetStates()[0];

        Assert.Equal(BudgetForecast.HourlyProfile, state.ForecastMethod);
        Assert.Equal(28, state.ProjectedSpendUsd!.Value, 6);
        Assert.False(state.ForecastWarned);
    }

    [Fact]
    public void DailyCycle_SustainedIncrease_WarnsBeforeTheLimitIsReached()
    {
        var events = Burn(Monday, Cycle).Concat(Burn(Monday.AddDays(1), h => Cycle(h) * 1.5));

        var (alerts, _) = Run(32, events);

        var forecast = Assert.Single(Forecasts(alerts.Where(a => a.Timestamp >= Monday.AddDays(1))));
        var exceeded = alerts.Single(a => ((BudgetAlertEvent)a.Payload).AlertType == BudgetAlertType.Exceeded && a.Timestamp >= Monday.AddDays(1));
        Assert.True(forecast.Timestamp < exceeded.Timestamp);
        Assert.InRange(((BudgetAlertEvent)forecast.Payload).ThresholdPercent, 100, 42.0 / 32 * 100 * 1.1);
    }

    [Fact]
    public void DailyCycle_OneSpike_DoesNotScaleTheRestOfTheDay()
    {
        // Day two adds $3 in the 10:00 hour only: $31 in all, under the $32 limit.
        var events = Burn(Monday, Cycle).Concat(Burn(Monday.AddDays(1), h => Cycle(h) + (h == 10 ? 3 : 0)));

        var (alerts, tracker) = Run(32, events);

        Assert.Empty(Forecasts(alerts.Where(a => a.Timestamp >= Monday.AddDays(1))));
        Assert.Equal(31, tracker.GetStates()[0].SpendUsd, 9);
    }

    [Fact]
    public void Project_DaylightSavingDay_ProjectsItsTwentyThreeHours()
    {
        var zone = CostTestData.UsEastern;
        var (start, end) = BudgetCalendar.PeriodOf(new DateTimeOffset(2026, 3, 8, 16, 0, 0, TimeSpan.Zero), BudgetPeriod.Day, zone);
        var previous = new Dictionary<DateOnly, double[]> { [new DateOnly(2026, 3, 7)] = [.. Enumerable.Repeat(1.0, 24)] };

        // Local noon on the 23-hour day: 11 hours have passed at $1/h, 12 remain.
        var projection = BudgetForecast.Project(11, start, end, start, new DateTimeOffset(2026, 3, 8, 16, 0, 0, TimeSpan.Zero), previous, zone);

        Assert.Equal(BudgetForecast.HourlyProfile, projection!.Value.Method);
        Assert.Equal(23, projection.Value.Projected, 9);
    }

    [Fact]
    public void Project_TooEarlyWithoutHistory_MakesNoForecast()
    {
        Assert.Null(BudgetForecast.Project(5, Monday, Monday.AddDays(1), Monday, Monday.AddMinutes(50), new Dictionary<DateOnly, double[]>(), TimeZoneInfo.Utc));
    }
}
