using System.Globalization;

namespace AnalyticsHub.Anomalies;

/// <summary>Settings of the default streaming detector; the defaults were chosen once by the leave-one-category-out cross-validated NAB score and are frozen (see docs/anomalies.md).</summary>
/// <remarks>Every series gets the same options; nothing is tuned per series by hand. Lengths are in points.</remarks>
public sealed record AnomalyDetectorOptions
{
    /// <summary>The frozen decision threshold: a point is an anomaly when its score reaches this.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>Gets the shared default options.</summary>
    public static AnomalyDetectorOptions Default { get; } = new();

    /// <summary>Gets the decision threshold in (0, 1]: a point is an anomaly when its score is at least this.</summary>
    public double Threshold { get; init; } = DefaultThreshold;

    /// <summary>Gets which components take part (<see cref="AnomalyDetectorComponents.Default"/>: level, daily profile, shift and neighbours).</summary>
    public AnomalyDetectorComponents Components { get; init; } = AnomalyDetectorComponents.Default;

    /// <summary>Gets the number of trailing points the level baseline (median, quartiles) covers.</summary>
    public int LongWindow { get; init; } = 1024;

    /// <summary>Gets the number of latest points the shift and activity components average.</summary>
    public int ShortWindow { get; init; } = 24;

    /// <summary>Gets the number of points seen before anything is scored (the warm-up).</summary>
    public int WarmUpPoints { get; init; } = 64;

    /// <summary>Gets the smallest standardized deviation that can count as anomalous, whatever the series' history.</summary>
    public double MinimumDeviation { get; init; } = 8.0;

    /// <summary>Gets the half-life, in points, of the memory of past deviations a new one must exceed.</summary>
    public int HistoryHalfLife { get; init; } = 4000;

    /// <summary>Gets the number of points after an alarm during which no new alarm is raised.</summary>
    public int SuppressionPoints { get; init; } = 50;

    /// <summary>Gets the width in seconds of one bucket of the daily profile (86,400 must be a multiple of it).</summary>
    public int SeasonalBucketSeconds { get; init; } = 300;

    /// <summary>Gets how fast a bucket of the daily profile follows new values, in (0, 1].</summary>
    public double SeasonalLearningRate { get; init; } = 0.25;

    /// <summary>Gets the factor that turns the log-ratio of the short-term rate of change to its usual value into a deviation.</summary>
    public double ActivityGain { get; init; } = 2.0;

    /// <summary>Lists every problem with these options.</summary>
    /// <returns>The problems, empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(Threshold > 0 && Threshold <= 1))
        {
            problems.Add(Problem($"Threshold {Threshold} must lie in (0, 1]."));
        }

        if ((Components & ~AnomalyDetectorComponents.All) != 0)
        {
            problems.Add(Problem($"Components {(int)Components} holds unknown flags."));
        }

        if (LongWindow is < 16 or > 65_536)
        {
            problems.Add(Problem($"LongWindow {LongWindow} must lie in 16..65536."));
        }

        if (ShortWindow < 2 || ShortWindow >= LongWindow)
        {
            problems.Add(Problem($"ShortWindow {ShortWindow} must be at least 2 and below LongWindow."));
        }

        if (WarmUpPoints < ShortWindow)
        {
            problems.Add(Problem($"WarmUpPoints {WarmUpPoints} must be at least ShortWindow."));
        }

        if (!(MinimumDeviation > 0) || !double.IsFinite(MinimumDeviation))
        {
            problems.Add(Problem($"MinimumDeviation {MinimumDeviation} must be positive and finite."));
        }

        if (HistoryHalfLife < 1)
        {
            problems.Add(Problem($"HistoryHalfLife {HistoryHalfLife} must be at least 1."));
        }

        if (SuppressionPoints < 0)
        {
            problems.Add(Problem($"SuppressionPoints {SuppressionPoints} must not be negative."));
        }

        if (SeasonalBucketSeconds < 1 || 86_400 % SeasonalBucketSeconds != 0)
        {
            problems.Add(Problem($"SeasonalBucketSeconds {SeasonalBucketSeconds} must divide 86400."));
        }

        if (!(SeasonalLearningRate > 0 && SeasonalLearningRate <= 1))
        {
            problems.Add(Problem($"SeasonalLearningRate {SeasonalLearningRate} must lie in (0, 1]."));
        }

        if (!(ActivityGain > 0) || !double.IsFinite(ActivityGain))
        {
            problems.Add(Problem($"ActivityGain {ActivityGain} must be positive and finite."));
        }

        return problems;
    }

    /// <summary>Throws when the options are invalid, listing every problem in one message.</summary>
    /// <exception cref="ArgumentException">At least one option is invalid.</exception>
    public void EnsureValid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid anomaly detector options: " + string.Join(" ", problems), nameof(AnomalyDetectorOptions));
        }
    }

    private static string Problem(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
