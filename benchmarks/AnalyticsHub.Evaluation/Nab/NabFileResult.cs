namespace AnalyticsHub.Evaluation.Nab;

/// <summary>One file run through a detector: the scores it gave and their tally at the run's threshold.</summary>
public sealed record NabFileResult
{
    /// <summary>Gets the labelled series.</summary>
    public required NabSeries Series { get; init; }

    /// <summary>Gets the detector's score for every row, in row order.</summary>
    public required double[] Scores { get; init; }

    /// <summary>Gets the tally at the run's threshold.</summary>
    public required NabTally Tally { get; init; }
}
