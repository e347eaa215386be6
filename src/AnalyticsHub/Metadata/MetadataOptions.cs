namespace AnalyticsHub.Metadata;

/// <summary>Settings of the metadata registry, in a shape that binds from configuration.</summary>
public sealed class MetadataOptions
{
    /// <summary>
    /// Measurements a widget or saved query may name besides the ones the hub writes (the payload catalog's, e.g.
    /// <c>llm_latency</c>) — those a host writes to the time-series store itself; none by default.
    /// </summary>
    public List<string> Measurements { get; set; } = [];

    /// <summary>Adds every problem of these options to <paramref name="problems"/>.</summary>
    internal void Validate(List<string> problems)
    {
        for (var i = 0; i < Measurements.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Measurements[i]))
            {
                problems.Add($"Metadata.Measurements[{i}] is empty.");
            }
        }
    }
}
