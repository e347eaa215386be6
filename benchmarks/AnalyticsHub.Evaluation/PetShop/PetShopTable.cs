namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>One metrics file: the rows' times and, per column (component, metric, statistic), its values (NaN when empty).</summary>
internal sealed record PetShopTable(
    string Path,
    DateTimeOffset[] Times,
    IReadOnlyList<PetShopColumn> Columns,
    double[][] Values);
