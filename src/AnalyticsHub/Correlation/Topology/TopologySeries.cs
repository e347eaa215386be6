namespace AnalyticsHub.Correlation.Topology;

/// <summary>
/// One metric of one entity over time: what the <see cref="RootCause.RootCauseRanker.Explain"/> reads, for the normal period and
/// for the abnormal one.
/// </summary>
/// <remarks>
/// <see cref="Times"/> and <see cref="Values"/> have the same length; times ascend strictly. A missing value is
/// <see cref="double.NaN"/>. <see cref="Metric"/> is any name the host uses consistently, e.g.
/// <c>latency/Average</c>: the ranker compares the target's metric with the same metric of the other entities.
/// </remarks>
public sealed record TopologySeries
{
    /// <summary>Creates a series, checking that the times ascend strictly and match the values one to one.</summary>
    /// <param name="entity">The entity (service) the series belongs to.</param>
    /// <param name="metric">The metric's name.</param>
    /// <param name="times">The observation times, strictly ascending.</param>
    /// <param name="values">The values, one per time; <see cref="double.NaN"/> for a missing one.</param>
    /// <exception cref="ArgumentException">A name is empty, the lengths differ, a time does not ascend or a value is infinite.</exception>
    public TopologySeries(string entity, string metric, IReadOnlyList<DateTimeOffset> times, IReadOnlyList<double> values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entity);
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(values);
        if (times.Count != values.Count)
        {
            throw new ArgumentException($"Series {entity}/{metric} has {times.Count} times but {values.Count} values.", nameof(values));
        }

        for (var i = 0; i < times.Count; i++)
        {
            if (i > 0 && times[i] <= times[i - 1])
            {
                throw new ArgumentException($"Series {entity}/{metric}: time {i} ({times[i]:O}) does not follow {times[i - 1]:O}.", nameof(times));
            }

            if (double.IsInfinity(values[i]))
            {
                throw new ArgumentException($"Series {entity}/{metric}: value {i} is infinite.", nameof(values));
            }
        }

        Entity = entity;
        Metric = metric;
        Times = times;
        Values = values;
    }

    /// <summary>Gets the entity (service) the series belongs to.</summary>
    public string Entity { get; }

    /// <summary>Gets the metric's name.</summary>
    public string Metric { get; }

    /// <summary>Gets the observation times, strictly ascending.</summary>
    public IReadOnlyList<DateTimeOffset> Times { get; }

    /// <summary>Gets the values, one per time; <see cref="double.NaN"/> for a missing one.</summary>
    public IReadOnlyList<double> Values { get; }
}
