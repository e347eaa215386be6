using AnalyticsHub.Correlation.Topology;

namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>One metrics file: the rows' times and, per column (component, metric, statistic), its values (NaN when empty).</summary>
internal sealed record PetShopTable(
    string Path,
    DateTimeOffset[] Times,
    IReadOnlyList<PetShopColumn> Columns,
    double[][] Values);

/// <summary>A column of a metrics file: the component, and the metric key <c>metric/statistic</c> the ranker compares.</summary>
internal sealed record PetShopColumn(string Component, string Metric, string Statistic)
{
    public string Key => MetricKey(Metric, Statistic);

    public static string MetricKey(string metric, string statistic) => $"{metric}/{statistic}";
}

/// <summary>An issue's violated target and its true root cause.</summary>
internal sealed record PetShopTarget(string Node, string Metric, string Statistic, DateTimeOffset Time, string RootCause);

/// <summary>One issue: its split (<c>train</c> or <c>test</c>), folder name, metrics and target.</summary>
internal sealed record PetShopIssue(string Split, string Name, PetShopTable Metrics, PetShopTarget Target);

/// <summary>A scenario: the call graph, the normal metrics and the issues of the selected splits.</summary>
internal sealed record PetShopScenario(string Name, DependencyGraph Graph, PetShopTable Normal, IReadOnlyList<PetShopIssue> Issues);
