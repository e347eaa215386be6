using AnalyticsHub.Correlation.RootCause;

namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>The library's <see cref="RootCauseRanker"/> (method <c>topology</c>, the default).</summary>
internal sealed class TopologyMethod(RootCauseRankerOptions options) : IPetShopMethod
{
    public const string MethodName = "topology";

    private readonly RootCauseRanker _ranker = new(options);

    public string Name => MethodName;

    public IReadOnlyList<string> Rank(PetShopCase @case) =>
        [.. _ranker.Explain(@case.Graph, @case.Target, @case.Normal, @case.Abnormal).Candidates.Select(c => c.Entity)];
}
