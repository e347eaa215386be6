using AnalyticsHub.Correlation;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>
/// An aggregate series' move (<see cref="SeriesInvolvement.Moved"/>) judged against its deviations' autocorrelation
/// (<see cref="AggregateSeries.Inflation"/>): a request rate that wanders (AR(1) in log space, the simulator's wander at
/// noise 2) is not taken as moved for a stretch of its own wander, while a series of independent noise keeps the plain
/// |Σz| / √n. (Measured with the same generator, not asserted: the plain statistic takes 52 of 100 unchanged runs as
/// moved; the inflated one 0, but a rise by 1.72 times moves in 21 runs of 100 and a doubling in 51, against 98 and 99.)
/// </summary>
public class AggregateSeriesTests
{
    private const int Onset = 120;
    private const int Look = 30;

    [Fact]
    public void Moved_AWanderingRateWithNoChange_IsRarelyTakenAsMoved()
    {
        var moved = 0;
        for (var seed = 0; seed < 100; seed++)
        {
            moved += MovesAfterOnset(new Random(seed), wander: 0.24, factor: 1) ? 1 : 0;
        }

        // Without the autocorrelation, about half of these runs pass |Σz| / √n ≥ 3 within half an hour.
        Assert.InRange(moved, 0, 15);
    }

    [Fact]
    public void Inflation_IndependentNoise_StaysNearOne()
    {
        var series = new AggregateSeries(1);
        var random = new Random(7);
        for (var minute = 0; minute < Onset; minute++)
        {
            series.Add(Aggregate(minute, 120 + (11 * Normal(random))));
        }

        Assert.InRange(series.Inflation(0), 1, 1.5);
    }

    /// <summary>
    /// Feeds a rate of 120 requests a minute wandering by an AR(1) in log space (φ 0.95, stationary deviation
    /// <paramref name="wander"/>) with Poisson-like noise, multiplied by <paramref name="factor"/> from the onset on; whether
    /// the sum of deviations from the onset shows a move within <see cref="Look"/> windows.
    /// </summary>
    private static bool MovesAfterOnset(Random random, double wander, double factor)
    {
        var series = new AggregateSeries(1);
        var involvement = new SeriesInvolvement(1);
        var state = 0.0;
        for (var minute = 0; minute < Onset + Look; minute++)
        {
            state = (0.95 * state) + (0.3122 * wander * Normal(random));
            var rate = 120 * Math.Exp(state) * (minute >= Onset ? factor : 1);
            var z = series.Add(Aggregate(minute, Math.Max(0, rate + (Math.Sqrt(rate) * Normal(random)))));
            if (minute < Onset)
            {
                continue;
            }

            involvement.Add(z);
            if (involvement.Moved(upOnly: false, threshold: 3, [true], series))
            {
                return true;
            }
        }

        return false;
    }

    private static Evidence Aggregate(int minute, double requests) =>
        Evidence.Aggregate(
            IncidentBuilderTests.Event(minute + 1, minute, new ErrorRateMetrics { ModelId = "m", TotalRequests = 1, FailedRequests = 0, ErrorRatePercent = 0, WindowDurationSeconds = 60 }, SourceModule.LlmObservatory),
            "throughput",
            "m",
            [requests]);

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
