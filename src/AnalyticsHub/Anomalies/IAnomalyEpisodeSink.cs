namespace AnalyticsHub.Anomalies;

/// <summary>Receives the openings and closings of the episodes an <see cref="AnomalyEpisodeTracker"/> finds.</summary>
internal interface IAnomalyEpisodeSink
{
    /// <summary>An episode opened (its first anomalous point).</summary>
    void Opened(AnomalyEpisode episode);

    /// <summary>An episode closed: no anomalous point for the merge gap.</summary>
    void Closed(AnomalyEpisode episode);
}
