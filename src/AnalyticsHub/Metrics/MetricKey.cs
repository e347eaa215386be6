namespace AnalyticsHub.Metrics;

/// <summary>
/// A compact handle to an interned metric series (name + tag set) of one
/// <see cref="WindowedAggregator"/>: recording by key hashes nothing and allocates nothing.
/// </summary>
/// <remarks>Obtain it from <see cref="WindowedAggregator.TryGetKey"/>; a key is only meaningful to the aggregator that issued it. <c>default</c> is no key.</remarks>
public readonly record struct MetricKey
{
    private readonly int _idPlusOne;

    internal MetricKey(int id) => _idPlusOne = id + 1;

    /// <summary>Gets the dense series id (0, 1, 2, ... in registration order), or -1 for <c>default</c>.</summary>
    public int Id => _idPlusOne - 1;

    /// <summary>Gets a value indicating whether this key was issued by an aggregator (is not <c>default</c>).</summary>
    public bool IsValid => _idPlusOne > 0;
}
