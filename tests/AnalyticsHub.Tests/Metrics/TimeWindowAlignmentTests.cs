using System.Globalization;
using AnalyticsHub.Metrics;

namespace AnalyticsHub.Tests.Metrics;

public class TimeWindowAlignmentTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Theory]
    [InlineData(TimeWindow.OneMinute, "2024-01-15T10:30:59.9999999Z", "2024-01-15T10:30:00Z", "2024-01-15T10:31:00Z")]
    [InlineData(TimeWindow.OneMinute, "2024-01-15T10:31:00Z", "2024-01-15T10:31:00Z", "2024-01-15T10:32:00Z")]
    [InlineData(TimeWindow.FiveMinutes, "2024-01-15T10:34:59Z", "2024-01-15T10:30:00Z", "2024-01-15T10:35:00Z")]
    [InlineData(TimeWindow.FifteenMinutes, "2024-01-15T10:44:00Z", "2024-01-15T10:30:00Z", "2024-01-15T10:45:00Z")]
    [InlineData(TimeWindow.OneHour, "2024-01-15T10:00:00Z", "2024-01-15T10:00:00Z", "2024-01-15T11:00:00Z")]
    [InlineData(TimeWindow.SixHours, "2024-01-15T05:59:59Z", "2024-01-15T00:00:00Z", "2024-01-15T06:00:00Z")]
    [InlineData(TimeWindow.SixHours, "2024-01-15T18:00:00Z", "2024-01-15T18:00:00Z", "2024-01-16T00:00:00Z")]
    [InlineData(TimeWindow.OneDay, "2024-01-15T23:59:59Z", "2024-01-15T00:00:00Z", "2024-01-16T00:00:00Z")]
    [InlineData(TimeWindow.OneDay, "1969-12-31T12:00:00Z", "1969-12-31T00:00:00Z", "1970-01-01T00:00:00Z")]
    public void GetWindowRange_FixedWindows_AlignToUnixEpoch(TimeWindow window, string instant, string start, string end)
    {
        var range = window.GetWindowRange(At(instant));
        Assert.Equal(At(start), range.Start);
        Assert.Equal(At(end), range.End);
        Assert.Equal(At(start), window.GetWindowStart(At(instant)));
    }

    [Theory]
    [InlineData("1970-01-01T00:00:00Z", "1969-12-29T00:00:00Z")] // a Thursday: its week began the Monday before
    [InlineData("1970-01-04T23:59:59Z", "1969-12-29T00:00:00Z")] // Sunday: still the same week
    [InlineData("1970-01-05T00:00:00Z", "1970-01-05T00:00:00Z")] // the first Monday after the epoch
    [InlineData("2024-01-15T00:00:00Z", "2024-01-15T00:00:00Z")] // a Monday
    [InlineData("2024-01-14T23:59:59.9999999Z", "2024-01-08T00:00:00Z")] // the Sunday before
    [InlineData("2024-03-01T12:00:00Z", "2024-02-26T00:00:00Z")] // a week across a month end
    public void GetWindowRange_OneWeek_StartsMondayUtc(string instant, string start)
    {
        var range = TimeWindow.OneWeek.GetWindowRange(At(instant));
        Assert.Equal(At(start), range.Start);
        Assert.Equal(DayOfWeek.Monday, range.Start.DayOfWeek);
        Assert.Equal(TimeSpan.FromDays(7), range.Duration);
    }

    [Theory]
    [InlineData("2024-02-29T23:59:59Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", 29)] // leap February
    [InlineData("2023-02-28T00:00:00Z", "2023-02-01T00:00:00Z", "2023-03-01T00:00:00Z", 28)]
    [InlineData("2100-02-15T00:00:00Z", "2100-02-01T00:00:00Z", "2100-03-01T00:00:00Z", 28)] // not a leap year
    [InlineData("2000-02-15T00:00:00Z", "2000-02-01T00:00:00Z", "2000-03-01T00:00:00Z", 29)] // a leap year
    [InlineData("2024-12-31T23:59:59Z", "2024-12-01T00:00:00Z", "2025-01-01T00:00:00Z", 31)]
    [InlineData("2024-04-01T00:00:00Z", "2024-04-01T00:00:00Z", "2024-05-01T00:00:00Z", 30)]
    public void GetWindowRange_OneMonth_IsCalendarMonthUtc(string instant, string start, string end, int days)
    {
        var range = TimeWindow.OneMonth.GetWindowRange(At(instant));
        Assert.Equal(At(start), range.Start);
        Assert.Equal(At(end), range.End);
        Assert.Equal(days, range.Duration.TotalDays);
    }

    [Fact]
    public void GetWindowStart_OffsetInput_AlignsInUtc()
    {
        var local = new DateTimeOffset(2024, 1, 15, 1, 30, 0, TimeSpan.FromHours(2)); // 2024-01-14T23:30Z
        Assert.Equal(At("2024-01-14T00:00:00Z"), TimeWindow.OneDay.GetWindowStart(local));
        Assert.Equal(TimeSpan.Zero, TimeWindow.OneDay.GetWindowStart(local).Offset);
    }

    [Theory]
    [InlineData(TimeWindow.OneMinute, TimeWindow.FiveMinutes, true)]
    [InlineData(TimeWindow.OneDay, TimeWindow.OneMonth, true)]
    [InlineData(TimeWindow.OneDay, TimeWindow.OneWeek, true)]
    [InlineData(TimeWindow.OneWeek, TimeWindow.OneMonth, false)]
    [InlineData(TimeWindow.OneHour, TimeWindow.OneMinute, false)]
    [InlineData(TimeWindow.OneHour, TimeWindow.OneHour, false)]
    public void NestsIn_Pairs_FollowDecision15(TimeWindow inner, TimeWindow outer, bool nests) => Assert.Equal(nests, inner.NestsIn(outer));

    [Fact]
    public void NestsIn_EveryNestingPair_InnerWindowsTileOuterWindow()
    {
        var instant = At("2024-02-29T13:37:00Z");
        foreach (var outer in TimeWindowExtensions.All)
        {
            foreach (var inner in TimeWindowExtensions.All)
            {
                if (!inner.NestsIn(outer))
                {
                    continue;
                }

                var outerRange = outer.GetWindowRange(instant);
                var cursor = outerRange.Start;
                while (cursor < outerRange.End)
                {
                    var innerRange = inner.GetWindowRange(cursor);
                    Assert.Equal(cursor, innerRange.Start);
                    Assert.True(innerRange.End <= outerRange.End, $"{inner} at {cursor:O} crosses the end of {outer}");
                    cursor = innerRange.End;
                }

                Assert.Equal(outerRange.End, cursor);
            }
        }
    }
}
