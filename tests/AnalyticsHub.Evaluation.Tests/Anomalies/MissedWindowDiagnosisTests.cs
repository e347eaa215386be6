using AnalyticsHub.Anomalies;
using AnalyticsHub.Evaluation.Anomalies;

namespace AnalyticsHub.Evaluation.Tests.Anomalies;

public sealed class MissedWindowDiagnosisTests
{
    private static readonly DateTimeOffset Origin = new(2025, 3, 10, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(5.0)]
    [InlineData(-3.0)]
    public void Effect_StepInNoise_IsTheStepInNoiseSigmas(double step)
    {
        var log = Log(i => Noise(i) + (i >= 120 ? step : 0.0));

        var effect = MissedWindowDiagnosis.Effect(log, At(120), At(150));

        // The hour's noise is estimated from 59 minute-to-minute changes: within about a third of the true sigma.
        Assert.InRange(effect / step, 0.7, 1.4);
    }

    [Fact]
    public void Effect_SlowRampWithoutStep_StaysBelowVisible()
    {
        // A daily ramp moves the level by 0.01 a minute; it must neither inflate the noise nor look like an effect.
        var log = Log(i => Noise(i) + (0.01 * i));

        var effect = MissedWindowDiagnosis.Effect(log, At(120), At(150));

        Assert.InRange(Math.Abs(effect), 0.0, AnomalyDetectorOptions.Default.MinimumDeviation / Math.Sqrt(AnomalyDetectorOptions.Default.ShortWindow));
    }

    [Fact]
    public void Effect_FlatHourThenStep_IsInfiniteInTheStepsDirection()
    {
        var log = Log(i => i >= 120 ? 2.0 : 0.0);

        Assert.Equal(double.PositiveInfinity, MissedWindowDiagnosis.Effect(log, At(120), At(150)));
    }

    [Fact]
    public void Effect_TooLittleHistory_IsNaN()
    {
        var log = Log(i => Noise(i));

        Assert.True(double.IsNaN(MissedWindowDiagnosis.Effect(log, At(5), At(30))));
    }

    private static WindowRecording.SeriesLog Log(Func<int, double> value)
    {
        var log = new WindowRecording.SeriesLog("llm_throughput.throughput", AnomalyStatistic.Mean, new Dictionary<string, string>(), []);
        for (var i = 0; i < 200; i++)
        {
            log.Points.Add(new WindowRecording.LoggedPoint(At(i).UtcTicks, value(i), 0, false, 0, true));
        }

        return log;
    }

    private static DateTimeOffset At(int minute) => Origin.AddMinutes(minute);

    /// <summary>Deterministic Gaussian noise of sigma 1 (Box-Muller over a seeded generator, one draw per minute).</summary>
    private static double Noise(int i)
    {
        var random = new Random(i + 1);
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
