namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>An issue's violated target and its true root cause.</summary>
internal sealed record PetShopTarget(string Node, string Metric, string Statistic, DateTimeOffset Time, string RootCause);
