namespace AnalyticsHub.Evaluation.Nab;

/// <summary>A NAB application profile: the weights of a true positive, a false positive and a false negative.</summary>
/// <param name="Name">The profile's name as NAB spells it, for example <c>standard</c>.</param>
/// <param name="TruePositiveWeight">The weight of a detected window (A_TP).</param>
/// <param name="FalsePositiveWeight">The weight of a detection outside every window (A_FP).</param>
/// <param name="FalseNegativeWeight">The weight of a missed window (A_FN).</param>
public readonly record struct NabProfile(string Name, double TruePositiveWeight, double FalsePositiveWeight, double FalseNegativeWeight)
{
    /// <summary>Gets NAB's standard profile (1.0, 0.11, 1.0).</summary>
    public static NabProfile Standard { get; } = new("standard", 1.0, 0.11, 1.0);

    /// <summary>Gets NAB's reward_low_FP profile (1.0, 0.22, 1.0).</summary>
    public static NabProfile RewardLowFalsePositives { get; } = new("reward_low_FP", 1.0, 0.22, 1.0);

    /// <summary>Gets NAB's reward_low_FN profile (1.0, 0.11, 2.0).</summary>
    public static NabProfile RewardLowFalseNegatives { get; } = new("reward_low_FN", 1.0, 0.11, 2.0);
}
