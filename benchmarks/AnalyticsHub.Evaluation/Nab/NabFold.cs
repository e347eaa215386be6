namespace AnalyticsHub.Evaluation.Nab;

/// <summary>One fold of a leave-one-category-out cross-validation: the configuration chosen without a category, scored on it.</summary>
public sealed record NabFold
{
    /// <summary>Gets the category left out of the selection and scored.</summary>
    public required string HeldOut { get; init; }

    /// <summary>Gets the name (grid label) of the configuration chosen on the other categories.</summary>
    public required string Selected { get; init; }

    /// <summary>Gets the chosen configuration's mean standard score over the training categories (the inner folds).</summary>
    public required double InnerMean { get; init; }

    /// <summary>Gets the chosen configuration's standard score on the held-out category.</summary>
    public required double Score { get; init; }

    /// <summary>Gets the held-out category's windows hit.</summary>
    public required int WindowsHit { get; init; }

    /// <summary>Gets the held-out category's windows.</summary>
    public required int Windows { get; init; }

    /// <summary>Gets the held-out category's false-positive events.</summary>
    public required long FalsePositiveEvents { get; init; }

    /// <summary>Gets the chosen configuration's false-positive rows on the files without anomalies.</summary>
    public required long NoAnomalyFalsePositiveRows { get; init; }
}
