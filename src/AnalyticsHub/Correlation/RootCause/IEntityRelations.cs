namespace AnalyticsHub.Correlation.RootCause;

/// <summary>
/// How strongly a change to one entity can move another: the seam through which a dependency graph between entities
/// (a service that calls a model, a gateway in front of a provider) enters root-cause ranking. Entities are the
/// evidence keys, <c>name=value</c> (<c>model_id=gpt-4o</c>), or the services of a metric violation's graph.
/// </summary>
/// <remarks>
/// Three implementations: <see cref="SameEntityRelations"/> (no graph), <see cref="GraphRelations"/> (a host's graph,
/// for incidents) and <see cref="DeviationRelations"/> (a graph and the deviations of one metric, for a violation).
/// </remarks>
internal interface IEntityRelations
{
    /// <summary>How strongly a change to <paramref name="cause"/> moves <paramref name="effect"/>, in [0, 1]; 0 when unrelated.</summary>
    double Relatedness(string cause, string effect);

    /// <summary>The entities <paramref name="entity"/> depends on directly (its callees); empty without a graph.</summary>
    IReadOnlyList<string> Upstream(string entity);
}

/// <summary>The relations without a dependency graph: an entity moves only itself.</summary>
internal sealed class SameEntityRelations : IEntityRelations
{
    /// <summary>The one instance.</summary>
    public static SameEntityRelations Instance { get; } = new();

    /// <inheritdoc/>
    public double Relatedness(string cause, string effect) => string.Equals(cause, effect, StringComparison.Ordinal) ? 1 : 0;

    /// <inheritdoc/>
    public IReadOnlyList<string> Upstream(string entity) => [];
}
