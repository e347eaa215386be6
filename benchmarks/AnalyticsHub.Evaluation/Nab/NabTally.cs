namespace AnalyticsHub.Evaluation.Nab;

/// <summary>The profile-independent outcome of scoring one or more files at one threshold; tallies add up across files.</summary>
/// <remarks>
/// The weighted sums are kept unweighted so one tally serves every <see cref="NabProfile"/>:
/// raw = tp * <see cref="TruePositiveSum"/> + fp * <see cref="FalsePositiveSum"/> - fn * (windows - hit).
/// </remarks>
public readonly record struct NabTally
{
    /// <summary>Gets the number of files.</summary>
    public int Files { get; init; }

    /// <summary>Gets the number of rows, probation included.</summary>
    public long Rows { get; init; }

    /// <summary>Gets the number of rows after probation, the ones that are scored.</summary>
    public long ScoredRows { get; init; }

    /// <summary>Gets the number of labelled windows.</summary>
    public int Windows { get; init; }

    /// <summary>Gets the number of windows with at least one detection on a scored row.</summary>
    public int WindowsHit { get; init; }

    /// <summary>Gets the sum over hit windows of sigma(y)/sigma(-1) for the best (earliest) detection in each.</summary>
    public double TruePositiveSum { get; init; }

    /// <summary>Gets the sum over detections outside windows of their unweighted value (-1 before the first window, sigma(y) after one).</summary>
    public double FalsePositiveSum { get; init; }

    /// <summary>Gets the number of scored rows that are detections outside every window.</summary>
    public long FalsePositiveRows { get; init; }

    /// <summary>Gets the number of maximal runs of consecutive scored detections outside windows.</summary>
    public long FalsePositiveEvents { get; init; }

    /// <summary>Gets the false-positive rows on files that have no window at all.</summary>
    public long NoAnomalyFalsePositiveRows { get; init; }

    /// <summary>Gets the number of windows with no detection.</summary>
    public int WindowsMissed => Windows - WindowsHit;

    /// <summary>Gets the window-level precision: hit / (hit + false-positive events), or <see langword="null"/> when both are zero.</summary>
    public double? WindowPrecision => WindowsHit + FalsePositiveEvents == 0 ? null : (double)WindowsHit / (WindowsHit + FalsePositiveEvents);

    /// <summary>Gets the window-level recall: hit / windows, or <see langword="null"/> when there is no window.</summary>
    public double? WindowRecall => Windows == 0 ? null : (double)WindowsHit / Windows;

    /// <summary>Gets the harmonic mean of window precision and recall (0 when either is 0), or <see langword="null"/> when either is undefined.</summary>
    public double? WindowF1
    {
        get
        {
            if (WindowPrecision is not { } p || WindowRecall is not { } r)
            {
                return null;
            }

            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /// <summary>Adds two tallies, as for two disjoint sets of files.</summary>
    /// <param name="left">The first tally.</param>
    /// <param name="right">The second tally.</param>
    /// <returns>The combined tally.</returns>
    public static NabTally operator +(NabTally left, NabTally right) => new()
    {
        Files = left.Files + right.Files,
        Rows = left.Rows + right.Rows,
        ScoredRows = left.ScoredRows + right.ScoredRows,
        Windows = left.Windows + right.Windows,
        WindowsHit = left.WindowsHit + right.WindowsHit,
        TruePositiveSum = left.TruePositiveSum + right.TruePositiveSum,
        FalsePositiveSum = left.FalsePositiveSum + right.FalsePositiveSum,
        FalsePositiveRows = left.FalsePositiveRows + right.FalsePositiveRows,
        FalsePositiveEvents = left.FalsePositiveEvents + right.FalsePositiveEvents,
        NoAnomalyFalsePositiveRows = left.NoAnomalyFalsePositiveRows + right.NoAnomalyFalsePositiveRows,
    };

    /// <summary>Adds two tallies, as for two disjoint sets of files.</summary>
    /// <param name="left">The first tally.</param>
    /// <param name="right">The second tally.</param>
    /// <returns>The combined tally.</returns>
    public static NabTally Add(NabTally left, NabTally right) => left + right;

    /// <summary>Computes the raw score S under a profile.</summary>
    /// <param name="profile">The weights.</param>
    /// <returns>tp * TP sum + fp * FP sum - fn * missed windows.</returns>
    public double Raw(NabProfile profile) =>
        (profile.TruePositiveWeight * TruePositiveSum)
        + (profile.FalsePositiveWeight * FalsePositiveSum)
        - (profile.FalseNegativeWeight * WindowsMissed);

    /// <summary>Computes the normalised score 100 * (S - S_null) / (S_perfect - S_null) under a profile.</summary>
    /// <param name="profile">The weights.</param>
    /// <returns>The score (null detector 0, perfect 100), or <see langword="null"/> when there is no window to normalise by.</returns>
    public double? Normalised(NabProfile profile) => NabScorer.Normalise(Raw(profile), Windows, profile);
}
