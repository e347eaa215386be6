using AnalyticsHub.Events;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Anomalies;

/// <summary>
/// The episode state machine of one detection series: a detector scores each one-minute value; an alarm opens an
/// episode, anomalous points within the merge gap extend it, and the gap without one closes it. Never more than one
/// episode is open per series, and each episode is reported exactly twice (opened, closed).
/// </summary>
/// <remarks>
/// <para>A point opens an episode when the detector raises an alarm (<see cref="AnomalyResult.IsAnomaly"/>: score at
/// least the frozen threshold, outside the detector's suppression period) whose severity (<see cref="SeverityOf"/>)
/// reaches the minimum. While open, a point is anomalous when its score reaches the threshold or its value still lies
/// beyond the band of normal values the detector had at the opening, on the same side (the detector suppresses
/// repeated alarms and re-calibrates during a long deviation, so its score alone would end a sustained shift early).
/// The episode closes at the first point, or sweep, at least the merge gap after its last anomalous window.</para>
/// <para>With a minimum of n windows, an alarm opens a pending episode that is reported (opened, with the first
/// window's time) only once n of its windows were anomalous; a pending episode that ends sooner (a one-minute blip) is
/// dropped without an event.</para>
/// <para>With a <see cref="VolumeEvidence"/>, only anomalous windows whose departure from the expected value is at least
/// the minimum evidence (in sampling errors at the window's volume) count toward the n: a mean of four requests that
/// looks like a spike extends a pending episode but cannot confirm it. A pending episode is also confirmed once it has n
/// anomalous windows whose evidence together (Σz / √k over its k windows) reaches the minimum evidence × √n (pooled
/// evidence: a sustained small departure). The evidence learns the spread of single values
/// only from windows outside any episode.</para>
/// <para>Around a <see cref="DefaultAnomalyDetector"/>, the anomalous windows of an episode are marked in the detector, and
/// when a confirmed episode no longer than two hours closes, its self-calibration forgets their deviations: the same fault
/// on this series later is judged against what the series did outside the first one. A longer episode can be the series'
/// own daily rhythm before the daily profile knows it (a daily ramp is one episode of most of a day) and keeps its
/// deviations, like a blip's and any point's.</para>
/// <para>With a <see cref="DailyVolumeRise"/> (volume series), a minute whose last 45 minutes rose over the same minutes the
/// day before, beyond the ratio's usual wander and the minimum evidence in Poisson errors, also opens an episode when none is
/// open, extends an open rising one and counts as an evidenced window; an episode it opened lasts while the minutes rise or
/// the detector alarms, never by its opening band.</para>
/// <para>Time is event time (window starts); a point not after the previous one is ignored. Not thread-safe.</para>
/// </remarks>
internal sealed class AnomalyEpisodeTracker
{
    /// <summary>
    /// The longest episode whose deviations leave the detector's self-calibration when it closes: a fault's episode lasts
    /// minutes to an hour or so, while a daily rhythm the daily profile has not learnt yet is one episode of most of a day.
    /// </summary>
    internal static readonly TimeSpan LongestForgottenEpisode = TimeSpan.FromHours(2);

    private readonly IStreamingAnomalyDetector _detector;
    private readonly DefaultAnomalyDetector? _calibrated;
    private readonly double _threshold;
    private readonly long _mergeGapTicks;
    private readonly Severity _minimumSeverity;
    private readonly int _minimumWindows;
    private readonly VolumeEvidence? _evidence;
    private readonly double _minimumEvidence;
    private readonly DailyVolumeRise? _dailyRise;
    private long _lastStartTicks = long.MinValue;

    public AnomalyEpisodeTracker(
        IStreamingAnomalyDetector detector,
        double threshold,
        TimeSpan mergeGap,
        Severity minimumSeverity,
        int minimumWindows = 1,
        VolumeEvidence? evidence = null,
        double minimumEvidence = 0,
        DailyVolumeRise? dailyRise = null)
    {
        _evidence = evidence;
        _dailyRise = dailyRise;
        _minimumEvidence = minimumEvidence;
        _minimumWindows = Math.Max(1, minimumWindows);
        _detector = detector;
        _calibrated = detector as DefaultAnomalyDetector;
        _threshold = threshold;
        _mergeGapTicks = mergeGap.Ticks;
        _minimumSeverity = minimumSeverity;
    }

    /// <summary>The open episode, if any.</summary>
    public AnomalyEpisode? Open { get; private set; }

    /// <summary>The evidence by volume its anomalous windows need, if any (the stage tells it the rest of traffic).</summary>
    public VolumeEvidence? EvidenceByVolume => _evidence;

    /// <summary>The detector's state size and, for a volume series, its rise over the day before's, for memory accounting.</summary>
    public int StateSizeBytes => _detector.StateSizeBytes + (_dailyRise is null ? 0 : DailyVolumeRise.StateSizeBytes);

    /// <summary>The start of the last window scored (UTC ticks), or <see cref="long.MinValue"/> before the first.</summary>
    public long LastStartTicks => _lastStartTicks;

    /// <summary>The event severity of an anomaly score (decision 23's impact bands above the threshold): below 0.6 warning, below 0.8 error, else critical.</summary>
    public static Severity SeverityOf(double score) => score switch
    {
        < 0.6 => Severity.Warning,
        < 0.8 => Severity.Error,
        _ => Severity.Critical,
    };

    /// <summary>Scores the value of the window [<paramref name="startTicks"/>, <paramref name="endTicks"/>) and moves the episode state.</summary>
    /// <returns>Whether the point was scored (false when it is not after the previous one).</returns>
    public bool Add(long startTicks, long endTicks, double value, IAnomalyEpisodeSink sink) => Add(startTicks, endTicks, value, default, sink);

    /// <summary>
    /// Scores the value of the window [<paramref name="startTicks"/>, <paramref name="endTicks"/>), whose values are
    /// summarised by <paramref name="window"/> (its volume, for the evidence), and moves the episode state.
    /// </summary>
    /// <returns>Whether the point was scored (false when it is not after the previous one).</returns>
    public bool Add(long startTicks, long endTicks, double value, in StreamingStats window, IAnomalyEpisodeSink sink)
    {
        if (startTicks <= _lastStartTicks)
        {
            return false;
        }

        _lastStartTicks = startTicks;
        _evidence?.ObserveVolume(window);
        var result = _detector.Update(new DateTimeOffset(startTicks, TimeSpan.Zero), value);
        var rise = _dailyRise?.Observe(startTicks, value, window, _minimumEvidence);
        var open = Open;
        if (open is not null && startTicks >= open.LastActiveEndTicks + _mergeGapTicks)
        {
            Close(sink);
            open = null;
        }

        if (open is not null)
        {
            var rising = rise is not null && open.Opening.Deviation >= 0;
            if (rising || IsActive(open, result, value))
            {
                _calibrated?.MarkLatestInEpisode();
                open.LastActiveEndTicks = endTicks;
                open.Points++;
                var z = Evidence(value, result.Score >= _threshold ? result.Expected : open.Opening.Expected, window);
                if (rising)
                {
                    z = Math.Max(z, rise!.Value.Evidence);
                }

                open.EvidenceSum += z;
                if (z >= _minimumEvidence)
                {
                    open.EvidencedPoints++;
                }

                if (!open.Confirmed && (open.EvidencedPoints >= _minimumWindows || IsPooledEvidence(open)))
                {
                    open.Confirmed = true;
                    sink.Opened(open);
                }

                if (rising && rise!.Value.Score > Math.Max(result.Score, open.PeakScore))
                {
                    result = RiseResult(rise.Value);
                }

                if (result.Score > open.PeakScore)
                {
                    open.PeakScore = result.Score;
                    open.PeakObserved = value;
                    open.PeakExpected = result.Expected;
                    open.PeakTicks = startTicks;
                    if (result.Score >= _threshold)
                    {
                        open.PeakType = result.Type;
                    }
                }
            }
        }
        else if (OpensAnEpisode(result) || (rise is { } opening && SeverityOf(opening.Score) >= _minimumSeverity))
        {
            // A detector alarm of the minimum severity opens the episode; failing one, a sustained rise over the day
            // before does (its result stands for the opening: the usual value at the day-before ratio, the band of usual
            // ratios).
            _calibrated?.MarkLatestInEpisode();
            var openedByRise = !OpensAnEpisode(result);
            var z = openedByRise ? rise!.Value.Evidence : Evidence(value, result.Expected, window);
            if (openedByRise)
            {
                result = RiseResult(rise!.Value);
            }

            var evidenced = z >= _minimumEvidence ? 1 : 0;
            Open = new AnomalyEpisode
            {
                StartTicks = startTicks,
                LastActiveEndTicks = endTicks,
                Opening = result,
                OpeningObserved = value,
                PeakScore = result.Score,
                PeakObserved = value,
                PeakExpected = result.Expected,
                PeakTicks = startTicks,
                PeakType = result.Type,
                EvidencedPoints = evidenced,
                EvidenceSum = z,
                OpenedByRise = openedByRise,
                Confirmed = evidenced >= _minimumWindows,
            };
            if (Open.Confirmed)
            {
                sink.Opened(Open);
            }
        }

        if (Open is null)
        {
            // Only windows outside an episode teach the spread of single values: an anomaly's own values would widen
            // it and make the rest of the episode look like noise.
            _evidence?.Learn(window);
        }
        else
        {
            _evidence?.Interrupt();
        }

        return true;
    }

    /// <summary>
    /// The event time from which an episode's close is decided, whichever way it closes (a window that starts the merge
    /// gap past its last anomalous window, or a sweep with event time there): its last anomalous window's end plus the
    /// merge gap.
    /// </summary>
    public long CloseDecidedTicks(AnomalyEpisode episode) => episode.LastActiveEndTicks + _mergeGapTicks;

    /// <summary>
    /// Feeds zeros for the minutes between the last window and <paramref name="startTicks"/> (at most
    /// <paramref name="maxMinutes"/>, the latest ones) except those <paramref name="isGap"/> says are missing data (its
    /// source was silent; none when it is null): a gap has no value, so no episode opens, confirms or extends on it.
    /// </summary>
    public void FillZeros(long startTicks, int maxMinutes, Func<long, bool>? isGap, IAnomalyEpisodeSink sink)
    {
        if (_lastStartTicks == long.MinValue || maxMinutes <= 0)
        {
            return;
        }

        var first = Math.Max(_lastStartTicks + TimeSpan.TicksPerMinute, startTicks - (maxMinutes * TimeSpan.TicksPerMinute));
        for (var t = first; t < startTicks; t += TimeSpan.TicksPerMinute)
        {
            if (isGap is null || !isGap(t))
            {
                Add(t, t + TimeSpan.TicksPerMinute, 0.0, sink);
            }
        }
    }

    /// <summary>Closes the open episode when event time (<paramref name="watermarkTicks"/>) is the merge gap past its last anomalous window.</summary>
    /// <returns>Whether an episode closed.</returns>
    public bool Sweep(long watermarkTicks, IAnomalyEpisodeSink sink)
    {
        if (Open is { } open && watermarkTicks >= open.LastActiveEndTicks + _mergeGapTicks)
        {
            Close(sink);
            return true;
        }

        return false;
    }

    /// <summary>The evidence (in sampling errors) of the last window the tracker judged, for tracing; NaN when none was judged.</summary>
    internal double LastEvidence { get; private set; } = double.NaN;

    /// <summary>The window's departure in sampling errors; infinite without a <see cref="VolumeEvidence"/> (every window counts).</summary>
    private double Evidence(double value, double expected, in StreamingStats window)
    {
        LastEvidence = _evidence?.ZScore(value, expected, window) ?? double.NaN;
        return _evidence is null ? double.PositiveInfinity : LastEvidence;
    }

    /// <summary>
    /// Pooled evidence: the episode has its minimum of anomalous windows and their evidence together (Stouffer's Σz / √k
    /// over its k anomalous windows) reaches the level that minimum of windows reaches at exactly the minimum evidence
    /// each (<c>MinimumEvidence</c> × √<c>MinimumWindows</c>): a sustained small departure accumulates evidence that no
    /// single minute carries.
    /// </summary>
    private bool IsPooledEvidence(AnomalyEpisode open) =>
        open.Points >= _minimumWindows
        && open.EvidenceSum / Math.Sqrt(open.Points) >= _minimumEvidence * Math.Sqrt(_minimumWindows);

    /// <summary>Whether a detector's result opens an episode: an alarm of at least the minimum severity.</summary>
    private bool OpensAnEpisode(in AnomalyResult result) => result.IsAnomaly && SeverityOf(result.Score) >= _minimumSeverity;

    /// <summary>A rise over the day before as a detector's result: its calibrated score, the usual value and band, a distribution shift.</summary>
    private static AnomalyResult RiseResult(in DailyVolumeRise.Rise rise) =>
        new(rise.Score, true, rise.Expected, rise.Lower, rise.Upper, rise.Observed - rise.Expected, AnomalyType.DistributionShift);

    private bool IsActive(AnomalyEpisode open, in AnomalyResult result, double value)
    {
        if (result.Score >= _threshold)
        {
            return true;
        }

        if (open.OpenedByRise)
        {
            return false;
        }

        var opening = open.Opening;
        return opening.Deviation >= 0 ? value > opening.Upper : value < opening.Lower;
    }

    private void Close(IAnomalyEpisodeSink sink)
    {
        var open = Open!;
        Open = null;
        _calibrated?.EndEpisode(forgetItsPoints: open.Confirmed && open.LastActiveEndTicks - open.StartTicks <= LongestForgottenEpisode.Ticks);
        if (open.Confirmed)
        {
            sink.Closed(open);
        }
    }
}
