namespace AnalyticsHub.Evaluation.Nab;

/// <summary>The outcome of a leave-one-category-out cross-validation (<see cref="NabCrossValidation"/>).</summary>
public sealed record NabCrossValidationResult
{
    /// <summary>Gets the folds, one per category with windows, in category order.</summary>
    public required IReadOnlyList<NabFold> Folds { get; init; }

    /// <summary>Gets the number of configurations the selection chose from.</summary>
    public required int Configurations { get; init; }

    /// <summary>Gets the configuration the same rule chooses on every category: the one to freeze.</summary>
    public required string FinalSelection { get; init; }

    /// <summary>Gets that configuration's mean standard score over every category with windows (in-sample).</summary>
    public required double FinalCategoryMean { get; init; }

    /// <summary>Gets that configuration's false-positive rows on the files without anomalies.</summary>
    public required long FinalNoAnomalyFalsePositiveRows { get; init; }

    /// <summary>Gets the cross-validated mean: the mean of the held-out scores.</summary>
    public double Mean => Folds.Average(static f => f.Score);

    /// <summary>Gets the worst held-out score.</summary>
    public double Worst => Folds.Min(static f => f.Score);
}
