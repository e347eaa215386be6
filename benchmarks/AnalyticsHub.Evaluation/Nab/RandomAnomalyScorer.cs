namespace AnalyticsHub.Evaluation.Nab;

/// <summary>The random baseline: scores every point with a uniform draw from [0, 1), from a seeded generator.</summary>
/// <remarks>Two instances with the same seed give the same scores in the same order, on every platform (SplitMix64).</remarks>
public sealed class RandomAnomalyScorer : IStreamingAnomalyScorer
{
    /// <summary>The seed used when none is given.</summary>
    public const ulong DefaultSeed = 20141231;

    private ulong _state;

    /// <summary>Creates a random scorer.</summary>
    /// <param name="seed">The generator's seed.</param>
    public RandomAnomalyScorer(ulong seed = DefaultSeed)
    {
        _state = seed;
    }

    /// <inheritdoc />
    public double Score(DateTime timestamp, double value)
    {
        // SplitMix64 (Steele, Lea, Flood 2014): tiny state, passes BigCrush, identical everywhere.
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
