using AnalyticsHub.Evaluation.Nab;
using FsCheck;
using FsCheck.Xunit;

namespace AnalyticsHub.Evaluation.Tests.Nab;

public class ZScoreAnomalyScorerProperties
{
    [Property(MaxTest = 200)]
    public bool Update_AnySeries_MatchesTwoPassComputationOverTrailingWindow(NonEmptyArray<NormalFloat> input, PositiveInt size)
    {
        var window = 2 + (size.Get % 9);
        var values = input.Get.Select(v => Math.Round(v.Get % 1000.0, 3)).ToArray();
        var scorer = new ZScoreAnomalyScorer(window);
        for (var i = 0; i < values.Length; i++)
        {
            var actual = scorer.Update(NabTestData.Origin, values[i]).Score;
            var expected = Slow(values.AsSpan(Math.Max(0, i - window), Math.Min(i, window)), values[i]);
            if (Math.Abs(actual - expected) > 1e-6)
            {
                return false;
            }
        }

        return true;
    }

    private static double Slow(ReadOnlySpan<double> previous, double value)
    {
        if (previous.Length < 2)
        {
            return 0.0;
        }

        var mean = 0.0;
        foreach (var v in previous)
        {
            mean += v;
        }

        mean /= previous.Length;
        var variance = 0.0;
        foreach (var v in previous)
        {
            variance += (v - mean) * (v - mean);
        }

        var sd = Math.Sqrt(variance / previous.Length);
        var tolerance = 1e-10 * (1.0 + Math.Abs(mean));
        if (sd <= tolerance)
        {
            return Math.Abs(value - mean) <= tolerance ? 0.0 : 1.0;
        }

        var z = (value - mean) / sd;
        return 1.0 - Math.Exp(-z * z / 8.0);
    }
}
