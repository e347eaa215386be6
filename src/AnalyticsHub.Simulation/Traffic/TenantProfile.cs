namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A tenant: its share of traffic, home region, users, feature mix, model choices and daily budget.</summary>
internal sealed class TenantProfile
{
    public required int Index { get; init; }

    public required string Id { get; init; }

    public required int Region { get; init; }

    public required double Share { get; init; }

    public required string[] Users { get; init; }

    /// <summary>Cumulative feature weights over the interactive features.</summary>
    public required double[] FeatureCdf { get; init; }

    /// <summary>The primary model per feature.</summary>
    public required int[] PrimaryModel { get; init; }

    /// <summary>The secondary model per feature (15% of its requests).</summary>
    public required int[] SecondaryModel { get; init; }

    public double DailyBudgetUsd { get; set; }

    public required string BudgetId { get; init; }
}
