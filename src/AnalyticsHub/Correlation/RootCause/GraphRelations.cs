using AnalyticsHub.Correlation.Topology;

namespace AnalyticsHub.Correlation.RootCause;

/// <summary>
/// The relations a host's <see cref="DependencyGraph"/> gives the incidents' root-cause ranking: an entity moves itself
/// (1) and every entity that depends on it, directly (0.75) or through others (0.75 per call, so two calls away 0.56,
/// three 0.42: from three calls away an effect no longer counts as related).
/// </summary>
/// <remarks>
/// The graph's services are entity keys as the evidence names them (<c>model_id=gpt-4o</c>, <c>provider=openai</c>,
/// <c>feature=chat</c>); a key the graph does not hold relates to itself only. Read on every lifecycle event; the graph
/// must not change while the hub runs.
/// </remarks>
internal sealed class GraphRelations(DependencyGraph graph) : IEntityRelations
{
    /// <summary>How much of a change passes along one call.</summary>
    public const double PerCall = 0.75;

    /// <inheritdoc/>
    public double Relatedness(string cause, string effect)
    {
        if (string.Equals(cause, effect, StringComparison.Ordinal))
        {
            return 1;
        }

        var hops = graph.Hops(effect, cause);
        return hops < 0 ? 0 : Math.Round(Math.Pow(PerCall, hops), 6);
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Upstream(string entity) => graph.CalleesOf(entity);
}
