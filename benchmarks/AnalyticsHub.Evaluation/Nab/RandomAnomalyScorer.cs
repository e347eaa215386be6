using AnalyticsHub.Anomalies;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>The random baseline: scores every point with a uniform draw from [0, 1), from a seeded generator.</summary>
/// <remarks>
/// Two instances with the same seed give the same scores in the same order, on every platform (SplitMix64).
/// A non-finite value scores 0 without a draw. Like every baseline it reports a score only:
/// <see cref="AnomalyResult.IsAnomaly"/> is always false (the harness applies the registration's threshold)
/// and the expected value and band are the observed value.
/// </remarks>
public sealed class RandomAnomalyScorer : IStreamingAnomalyDetector
{
    /// <summary>The seed used when none is given.</summary>
    public const ulong DefaultSeed = 20141231;

    private readonly ulong _seed;
    private ulong _state;
    private long _pointsSeen;

    /// <summary>Creates a random scorer.</summary>
    /// <param name="seed">The generator's seed.</param>
    public RandomAnomalyScorer(ulong seed = DefaultSeed)
    {
        _seed = seed;
        _state = seed;
    }

    /// <inheritdoc />
    public long PointsSeen => _pointsSeen;

    /// <inheritdoc />
    public int StateSizeBytes => (2 * sizeof(ulong)) + sizeof(long);

    /// <inheritdoc />
    public AnomalyResult Update(DateTimeOffset timestamp, double value)
    {
        if (!double.IsFinite(value))
        {
            return new AnomalyResult(0.0, false, value, value, value, 0.0, AnomalyType.Spike);
        }

        _pointsSeen++;

        // SplitMix64 (Steele, Lea, Flood 2014): tiny state, passes BigCrush, identical everywhere.
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return new AnomalyResult((z >> 11) * (1.0 / (1UL << 53)), false, value, value, value, 0.0, AnomalyType.Spike);
    }

    /// <inheritdoc />
    public void Reset()
    {
        _state = _seed;
        _pointsSeen = 0;
    }
}
