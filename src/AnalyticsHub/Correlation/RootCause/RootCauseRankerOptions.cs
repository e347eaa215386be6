namespace AnalyticsHub.Correlation.RootCause;

/// <summary>
/// The knobs of <see cref="RootCauseRanker.Explain"/>, which explains a metric violation over a dependency graph; the
/// defaults are the ones docs/correlation.md scores on PetShop.
/// </summary>
public sealed record RootCauseRankerOptions
{
    /// <summary>
    /// Gets the deviation, in robust standard deviations of the normal period, from which an observation is anomalous.
    /// 5 by default.
    /// </summary>
    public double AnomalyThreshold { get; init; } = 5;

    /// <summary>
    /// Gets how far either side of the target's observation the ranker looks: the observations before it (within the
    /// window) give each series' level just before the violation, the ones from it on (within the window) are analysed.
    /// 15 minutes by default (three 5-minute observations).
    /// </summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets the fewest normal values a series needs to be scored; a series with fewer is left out. 10 by default.</summary>
    public int MinimumNormalValues { get; init; } = 10;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is not positive and finite, the window is negative, or the minimum is below 2.</exception>
    public void Validate()
    {
        if (!double.IsFinite(AnomalyThreshold) || AnomalyThreshold <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(AnomalyThreshold), AnomalyThreshold, "The anomaly threshold must be positive and finite.");
        }

        if (Window < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "The window cannot be negative.");
        }

        if (MinimumNormalValues < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumNormalValues), MinimumNormalValues, "At least 2 normal values are needed.");
        }
    }
}
