namespace AnalyticsHub.Anomalies;

/// <summary>One anomaly episode of one series: the anomalous points that merged into it, from the opening one to the last.</summary>
/// <remarks>Mutable while open; owned by its <see cref="AnomalyEpisodeTracker"/>, single writer.</remarks>
internal sealed class AnomalyEpisode
{
    /// <summary>The start of the window that opened the episode (UTC ticks).</summary>
    public required long StartTicks { get; init; }

    /// <summary>The end of the last window that was still anomalous (UTC ticks).</summary>
    public required long LastActiveEndTicks { get; set; }

    /// <summary>The detector's result for the opening point.</summary>
    public required AnomalyResult Opening { get; init; }

    /// <summary>The value of the opening point.</summary>
    public required double OpeningObserved { get; init; }

    /// <summary>The highest score of the episode.</summary>
    public required double PeakScore { get; set; }

    /// <summary>The value at the peak.</summary>
    public required double PeakObserved { get; set; }

    /// <summary>The expected value at the peak.</summary>
    public required double PeakExpected { get; set; }

    /// <summary>The start of the peak's window (UTC ticks).</summary>
    public required long PeakTicks { get; set; }

    /// <summary>The kind of the peak (the opening kind unless a later point scored higher above the threshold).</summary>
    public required AnomalyType PeakType { get; set; }

    /// <summary>The number of anomalous points (windows) merged into the episode.</summary>
    public int Points { get; set; } = 1;

    /// <summary>The number of anomalous windows whose departure the window's volume makes significant (see <see cref="VolumeEvidence"/>).</summary>
    public int EvidencedPoints { get; set; }

    /// <summary>The sum of the anomalous windows' evidence (sampling errors at each window's volume, <see cref="VolumeEvidence"/>), the opening's included.</summary>
    public double EvidenceSum { get; set; }

    /// <summary>
    /// The region that carried a model-level volume rise, decided when the episode is confirmed
    /// (<see cref="RegionalVolume.RegionThatCarried"/>); <see langword="null"/> when the episode is the series' as a whole.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// Whether a sustained rise over the day before opened the episode (<see cref="DailyVolumeRise"/>), not a detector
    /// alarm: it lasts while the rise does (or the detector alarms), never by the opening's band, which holds the usual
    /// value of one time of day only.
    /// </summary>
    public bool OpenedByRise { get; init; }

    /// <summary>Whether the episode has its minimum of anomalous windows and was reported as opened.</summary>
    public bool Confirmed { get; set; }

    /// <summary>The id of the event that reported the opening (the close event's parent).</summary>
    public Guid OpenEventId { get; set; }

    /// <summary>The correlation id the opening event carried, repeated on the close event.</summary>
    public Guid? CorrelationId { get; set; }

    /// <summary>The episode's duration: from the opening window's start to the last anomalous window's end.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(LastActiveEndTicks - StartTicks);
}
