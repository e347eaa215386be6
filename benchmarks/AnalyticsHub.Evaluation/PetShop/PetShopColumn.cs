namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>A column of a metrics file: the component, and the metric key <c>metric/statistic</c> the ranker compares.</summary>
internal sealed record PetShopColumn(string Component, string Metric, string Statistic)
{
    public string Key => MetricKey(Metric, Statistic);

    public static string MetricKey(string metric, string statistic) => $"{metric}/{statistic}";
}
