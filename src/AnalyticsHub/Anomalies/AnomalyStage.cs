using System.Globalization;
using System.Diagnostics.Metrics;
using System.Text.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;
using AnalyticsHub.Metrics;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Statistics;
using AnalyticsHub.TimeSeries;
using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Anomalies;

/// <summary>
/// The <c>anomalies</c> stage: one <see cref="DefaultAnomalyDetector"/> (frozen defaults) per watched metric, statistic and
/// tag set, created on demand up to <see cref="AnomalyStageOptions.MaxSeries"/>, fed one value per closed one-minute
/// window (<see cref="MetricsHandOffs.ClosedWindows"/>); each anomaly episode is reported as two derived events
/// (decision 16: custom payload <c>anomaly</c>, <c>event_type</c> <c>alert</c>), one when it opens and one when it closes.
/// </summary>
/// <remarks>
/// Detection runs on event time: windows close as event time advances, so a replay gives the same episodes (and, with
/// ids derived from the series and the episode start, the same event ids) as live traffic. Series of the hub's own
/// events (<c>source_module</c> <c>llm-analytics-hub</c>) are never watched. A rising episode of a model's volume (no
/// region in its series) is scoped, as it is confirmed, to the one region that carried the rise (<see cref="RegionalVolume"/>:
/// a <c>region</c> tag on both its events), so every reader takes its evidence in that region only. Runs on the
/// pipeline's single reader.
/// </remarks>
internal sealed partial class AnomalyStage : IIngestionStage
{
    /// <summary>The <c>custom_type</c> of the derived events.</summary>
    public const string CustomType = "anomaly";

    /// <summary>
    /// The tag that lists, comma-separated, the regions that carried a model-wide rise a busy region of the model stayed
    /// out of (<see cref="AnomalyEpisode.RiseRegions"/>; docs/anomalies.md, "The scope of a volume episode").
    /// </summary>
    public const string RiseRegionsTag = "rise_regions";

    private static readonly HandOff[] Consumed = [MetricsHandOffs.ClosedWindows, TimeSeriesHandOffs.Points];
    private static readonly DerivedIdSpace EpisodeIds = DerivedEvents.Space("anomaly_episode");
    private static readonly string HubModule = WireEnums.SourceModule.GetName(SourceModule.LlmAnalyticsHub);
    private const int SlotCount = 32;

    private readonly AnomalyStageOptions _options;
    private readonly Counter<long> _episodes;
    private readonly Counter<long> _untrackedWindows;
    private readonly Counter<long> _lateWindows;
    private readonly ILogger<AnomalyStage> _logger;
    private readonly Dictionary<string, AnomalySeriesRule[]> _rulesByMetric = new(StringComparer.Ordinal);
    private readonly Dictionary<(MetricKey Key, AnomalyStatistic Statistic), SeriesState> _series = [];
    // Per watched measurement, per point tag set, in the order first seen: the last events by minute (RememberEvents).
    private readonly Dictionary<string, Dictionary<TagSet, EventSlot[]>> _lastEvents = new(StringComparer.Ordinal);
    private int _lastEventSeries;
    // The measurement of the previous event and its table (null when not watched): consecutive events of one
    // measurement (the extractor's measurement strings are shared instances) skip hashing its name.
    private string? _lastMeasurement;
    private Dictionary<TagSet, EventSlot[]>? _lastMeasurementEvents;
    private readonly List<SeriesState> _open = [];
    private readonly RegionalVolume? _regionalVolume;
    // Each module's deliveries by minute: a sum or count series fills no minute of its module's silence with zero.
    private readonly ModuleDelivery? _delivery;
    // Per metric watched by a count rule and minute: the requests of every series of the metric (SumTraffic).
    private readonly Dictionary<(string Metric, long StartTicks), double> _traffic = [];
    private IngestionBatch? _batch;
    private bool _limitLogged;
    private long _watermarkTicks = long.MinValue;

    /// <param name="options">The detection series and the episode rules.</param>
    /// <param name="metricsLateness">The metrics stage's allowed lateness: the regional request counts skip the points its windows refuse as late.</param>
    /// <param name="meter">The hub's meter.</param>
    /// <param name="logger">The stage's logger.</param>
    public AnomalyStage(AnomalyStageOptions options, TimeSpan metricsLateness, HubMeter meter, ILogger<AnomalyStage> logger)
    {
        _options = options;
        _episodes = meter.Meter.CreateCounter<long>("analyticshub.anomalies.episodes", "{episode}", "Anomaly episodes reported by the anomalies stage, by phase (opened, closed).");
        _untrackedWindows = meter.Meter.CreateCounter<long>("analyticshub.anomalies.untracked_windows", "{window}", "Metric windows the anomalies stage did not score because its series cap was reached.");
        _lateWindows = meter.Meter.CreateCounter<long>("analyticshub.anomalies.late_windows", "{window}", "Metric windows the anomalies stage did not score because they start before a window of their series it already scored (event time rules: a late window changes no detector).");
        _logger = logger;
        foreach (var group in options.EffectiveSeries.GroupBy(rule => rule.Metric, StringComparer.Ordinal))
        {
            _rulesByMetric.Add(group.Key, [.. group]);
            _lastEvents.TryAdd(group.Key[..group.Key.IndexOf('.', StringComparison.Ordinal)], []);
        }

        // Requests are the points the request-count rules count: their regions scope a model-level volume episode.
        if (options.EffectiveSeries.FirstOrDefault(rule => rule.Statistic == AnomalyStatistic.Count) is { } requests)
        {
            _regionalVolume = new RegionalVolume(requests.Metric[..requests.Metric.IndexOf('.', StringComparison.Ordinal)], options.MaxSeries, metricsLateness);
        }

        if (options.MaxFillMinutes > 0 && options.EffectiveSeries.Any(rule => rule.Statistic is AnomalyStatistic.Sum or AnomalyStatistic.Count))
        {
            _delivery = new ModuleDelivery(options.MaxFillMinutes, metricsLateness);
        }
    }

    public string Name => "anomalies";

    /// <summary>The <c>metrics</c> stage's group: the detectors are the stage's own, and it reads the <c>metrics</c> stage's windows.</summary>
    public string? ConcurrencyGroup => MetricsStage.Group;

    public IReadOnlyList<HandOff> Consumes => Consumed;

    /// <summary>The number of detection series tracked.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>The number of windows not scored because a later window of their series was scored first.</summary>
    public long LateWindows { get; private set; }

    /// <summary>The number of episodes open now.</summary>
    public int OpenEpisodes => _open.Count;

    public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        RememberEvents(batch);
        var windows = batch.Get(MetricsHandOffs.ClosedWindows);
        if (windows.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        _batch = batch;
        try
        {
            SumTraffic(windows);
            var untracked = 0;
            foreach (var window in windows)
            {
                if (window.Window != TimeWindow.OneMinute || !_rulesByMetric.TryGetValue(window.Series.Name, out var rules)
                    || (window.Series.Tags.TryGetValue("source_module", out var module) && module == HubModule))
                {
                    continue;
                }

                _watermarkTicks = Math.Max(_watermarkTicks, window.End.UtcTicks);
                foreach (var rule in rules)
                {
                    if (!_series.TryGetValue((window.Series.Key, rule.Statistic), out var state))
                    {
                        if (_series.Count >= _options.MaxSeries)
                        {
                            untracked++;
                            continue;
                        }

                        state = new SeriesState(this, rule, window.Series);
                        _series.Add((window.Series.Key, rule.Statistic), state);
                    }

                    state.Add(window);
                }
            }

            if (untracked > 0)
            {
                _untrackedWindows.Add(untracked);
                if (!_limitLogged)
                {
                    _limitLogged = true;
                    AnomalySeriesLimitReached(_logger, _options.MaxSeries);
                }
            }

            for (var i = _open.Count - 1; i >= 0; i--)
            {
                _open[i].Tracker.Sweep(_watermarkTicks, _open[i]);
            }
        }
        finally
        {
            _batch = null;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The traffic of each metric watched by a <c>count</c> series, per minute, for the share of a slow move of traffic
    /// (<see cref="VolumeEvidence.ObserveRestOfTraffic"/>): the counts of every series of the metric whose window starts
    /// then. The metrics stage closes every window of a minute in the same pass, so a batch holds them all.
    /// </summary>
    private void SumTraffic(IReadOnlyList<ClosedWindow> windows)
    {
        _traffic.Clear();
        foreach (var window in windows)
        {
            if (window.Window != TimeWindow.OneMinute || !_rulesByMetric.TryGetValue(window.Series.Name, out var rules)
                || (window.Series.Tags.TryGetValue("source_module", out var module) && module == HubModule))
            {
                continue;
            }

            foreach (var rule in rules)
            {
                if (rule.Statistic == AnomalyStatistic.Count)
                {
                    var key = (window.Series.Name, window.Start.UtcTicks);
                    _traffic[key] = _traffic.GetValueOrDefault(key) + window.Stats.Count;
                }
            }
        }
    }

    /// <summary>Keeps, per measurement and tag set, the last event of each of the latest 32 minutes: the parent of an opening.</summary>
    private void RememberEvents(IngestionBatch batch)
    {
        var events = batch.Events;
        PointColumns? columns = null;
        for (var i = 0; i < events.Count; i++)
        {
            var evt = events[i];
            if (evt.SourceModule == SourceModule.LlmAnalyticsHub)
            {
                continue;
            }

            columns ??= batch.Get(TimeSeriesHandOffs.Points);
            var series = columns.SeriesOf(i);
            var measurement = columns.Measurement(series);
            var tags = columns.Tags(series);
            // Every producer event, in stream order: the regional counts and the delivered minutes judge lateness by the
            // newest event time.
            _regionalVolume?.Count(measurement, tags, evt.Timestamp.UtcTicks);
            _delivery?.Saw(evt.SourceModule, evt.Timestamp.UtcTicks);
            if (!ReferenceEquals(measurement, _lastMeasurement))
            {
                _lastMeasurement = measurement;
                _lastMeasurementEvents = _lastEvents.GetValueOrDefault(measurement);
            }

            if (_lastMeasurementEvents is not { } bySet)
            {
                continue;
            }

            if (!bySet.TryGetValue(tags, out var slots))
            {
                if (_lastEventSeries >= _options.MaxSeries)
                {
                    continue;
                }

                slots = new EventSlot[SlotCount];
                bySet.Add(tags, slots);
                _lastEventSeries++;
            }

            var minute = evt.Timestamp.UtcTicks / TimeSpan.TicksPerMinute;
            ref var slot = ref slots[(int)(minute % SlotCount)];
            if (minute >= slot.Minute)
            {
                slot = new EventSlot(minute, evt.EventId, evt.Common.CorrelationId);
            }
        }
    }

    private void Emit(AnalyticsEvent evt) => _batch!.Emit(evt);

    /// <summary>A deterministic id for an episode's event: the same series, episode start and phase give the same id.</summary>
    private static Guid EventIdOf(string identity, long startTicks, string phase) =>
        EpisodeIds.FromName(identity + "|" + startTicks.ToString(CultureInfo.InvariantCulture) + "|" + phase);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "The anomalies stage tracks its limit of {MaxSeries} series; windows of new series are not scored and are counted (analyticshub.anomalies.untracked_windows).")]
    private static partial void AnomalySeriesLimitReached(ILogger logger, int maxSeries);

    private static string Format(long ticks) =>
        new DateTimeOffset(ticks, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private readonly record struct EventSlot(long Minute, Guid EventId, Guid? CorrelationId);

    /// <summary>One detection series: its rule, tags, tracker, and the way its episodes become events.</summary>
    private sealed class SeriesState : IAnomalyEpisodeSink
    {
        private readonly AnomalyStage _stage;
        private readonly AnomalySeriesRule _rule;
        private readonly MetricSeries _series;
        private readonly string _measurement;
        private readonly SourceModule _module;
        private readonly string _environment;
        private readonly string _identity;
        private readonly bool _additive;
        private readonly string? _scopedModel;
        private readonly bool _modelVolume;
        // Whether a minute lies in a silence of the series' module (null: the series names no producer module).
        private readonly Func<long, bool>? _isGap;

        /// <summary>The end of the window being added (the window that confirms an episode opening now), or <see cref="long.MinValue"/> outside <see cref="Add"/>.</summary>
        private long _detectedTicks = long.MinValue;

        public SeriesState(AnomalyStage stage, AnomalySeriesRule rule, MetricSeries series)
        {
            _stage = stage;
            _rule = rule;
            _series = series;
            _measurement = series.Name[..series.Name.IndexOf('.', StringComparison.Ordinal)];
            _module = series.Tags.TryGetValue("source_module", out var name) && WireEnums.SourceModule.TryParse(name, out var module) ? module : SourceModule.LlmAnalyticsHub;
            _isGap = stage._delivery is { } delivery && _module != SourceModule.LlmAnalyticsHub ? minute => delivery.IsSilent(_module, minute) : null;
            _environment = series.Tags.TryGetValue("environment", out var environment) && environment.Length > 0 ? environment : "unknown";
            _identity = rule.SeriesName + series.ToString()[series.Name.Length..];
            _additive = rule.Statistic is AnomalyStatistic.Sum or AnomalyStatistic.Count;
            _modelVolume = IsModelVolume(rule, _measurement, series);
            _scopedModel = _modelVolume || IsModelMean(rule, series) ? series.Tags["model_id"] : null;
            Tracker = TrackerFor(stage._options, rule);
        }

        public AnomalyEpisodeTracker Tracker { get; }

        public void Add(in ClosedWindow window)
        {
            var start = window.Start.UtcTicks;
            _detectedTicks = window.End.UtcTicks;
            try
            {
                if (_additive)
                {
                    Tracker.FillZeros(start, _stage._options.MaxFillMinutes, _isGap, this);
                    ObserveRestOfTraffic(window);
                }

                if (!Tracker.Add(start, window.End.UtcTicks, ValueOf(window), window.Stats, this))
                {
                    _stage.LateWindows++;
                    _stage._lateWindows.Add(1);
                }
            }
            finally
            {
                _detectedTicks = long.MinValue;
                Tracker.EvidenceByVolume?.ForgetRestOfTraffic();
            }
        }

        /// <summary>Tells a request count the rest of its metric's traffic in the window's minute (the share of a slow move of traffic).</summary>
        private void ObserveRestOfTraffic(in ClosedWindow window)
        {
            if (_rule.Statistic == AnomalyStatistic.Count && Tracker.EvidenceByVolume is { } evidence
                && _stage._traffic.TryGetValue((_series.Name, window.Start.UtcTicks), out var traffic))
            {
                evidence.ObserveRestOfTraffic(traffic - window.Stats.Count);
            }
        }

        public void Opened(AnomalyEpisode episode)
        {
            _stage._open.Add(this);
            _stage._episodes.Add(1, new KeyValuePair<string, object?>("phase", "opened"));
            var parent = ParentOf(episode.StartTicks);
            var id = EventIdOf(_identity, episode.StartTicks, "open");
            episode.OpenEventId = id;
            episode.CorrelationId = parent?.CorrelationId;
            var opening = episode.Opening;
            var anomaly = AnomalyOf(id, opening.Type, opening.Score, opening.Expected, episode.OpeningObserved, episode.StartTicks);
            ScopeRise(episode);
            var tags = BaseTags("open", episode);
            tags["expected_lower"] = opening.Lower.ToString("R", CultureInfo.InvariantCulture);
            tags["expected_upper"] = opening.Upper.ToString("R", CultureInfo.InvariantCulture);
            if (_detectedTicks != long.MinValue)
            {
                tags["detected_at"] = Format(_detectedTicks);
            }

            _stage.Emit(Build(anomaly, episode.StartTicks, AnomalyEpisodeTracker.SeverityOf(opening.Score), tags, parent?.EventId, episode.CorrelationId));
        }

        public void Closed(AnomalyEpisode episode)
        {
            _stage._open.Remove(this);
            _stage._episodes.Add(1, new KeyValuePair<string, object?>("phase", "closed"));
            var id = EventIdOf(_identity, episode.StartTicks, "close");
            var anomaly = AnomalyOf(id, episode.PeakType, episode.PeakScore, episode.PeakExpected, episode.PeakObserved, episode.PeakTicks);
            var tags = BaseTags("close", episode);
            tags["episode_end"] = Format(episode.LastActiveEndTicks);
            tags["detected_at"] = Format(Tracker.CloseDecidedTicks(episode));
            tags["duration_seconds"] = ((long)episode.Duration.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            tags["peak_score"] = episode.PeakScore.ToString("0.####", CultureInfo.InvariantCulture);
            tags["points"] = episode.Points.ToString(CultureInfo.InvariantCulture);
            _stage.Emit(Build(anomaly, episode.LastActiveEndTicks, AnomalyEpisodeTracker.SeverityOf(episode.PeakScore), tags, episode.OpenEventId, episode.CorrelationId));
        }

        private AnomalyEvent AnomalyOf(Guid id, AnomalyType type, double score, double baseline, double observed, long ticks) => new()
        {
            EventId = id,
            SourceModule = _module,
            AnomalyType = type,
            AnomalyScore = score,
            Baseline = baseline,
            Observed = observed,
            Deviation = observed - baseline,
            Timestamp = new DateTimeOffset(ticks, TimeSpan.Zero),
            Metric = _rule.SeriesName,
        };

        private Dictionary<string, string> BaseTags(string phase, AnomalyEpisode episode)
        {
            var tags = new Dictionary<string, string>(_series.Tags.Count + 10, StringComparer.Ordinal);
            foreach (var (key, value) in _series.Tags)
            {
                tags[key] = value;
            }

            tags["anomaly_phase"] = phase;
            tags["metric"] = _series.Name;
            tags["statistic"] = AnomalySeriesRule.StatisticName(_rule.Statistic);
            tags["episode_start"] = Format(episode.StartTicks);
            if (episode.Region is { } region)
            {
                tags["region"] = region;
            }
            else if (episode.RiseRegions is { } regions)
            {
                tags[RiseRegionsTag] = string.Join(',', regions);
            }

            return tags;
        }

        /// <summary>
        /// Whether a series is a model's volume over all its regions: requests, tokens or spend (a count or a sum) or
        /// throughput, of a model, without a region. Its rising episodes are scoped to the region that carried the rise.
        /// </summary>
        private static bool IsModelVolume(AnomalySeriesRule rule, string measurement, MetricSeries series) =>
            (rule.Statistic is AnomalyStatistic.Sum or AnomalyStatistic.Count || measurement == "llm_throughput")
            && series.Tags.TryGetValue("model_id", out var model) && model.Length > 0 && !series.Tags.ContainsKey("region");

        /// <summary>
        /// Whether a series is a mean over a model's values in all its regions (latency, completion size, error rate): its
        /// rising episodes are scoped to a region only when the model's requests rose in that region alone at the same time.
        /// </summary>
        private static bool IsModelMean(AnomalySeriesRule rule, MetricSeries series) =>
            rule.Statistic is AnomalyStatistic.Mean
            && series.Tags.TryGetValue("model_id", out var model) && model.Length > 0 && !series.Tags.ContainsKey("region");

        /// <summary>
        /// Scopes a rising episode of a model's volume, as it is confirmed, from each region's requests over the episode's
        /// windows so far against the level before it: to the one region that carried the rise
        /// (<see cref="AnomalyEpisode.Region"/>, <see cref="RegionalVolume.RegionThatCarried"/>), else, when several
        /// regions carried it and a busy one stayed out, to those regions (<see cref="AnomalyEpisode.RiseRegions"/>,
        /// <see cref="RegionalVolume.RegionsThatCarriedAModelWideRise"/>). A rising mean of the model is scoped the same
        /// way, and only when the model's requests rose beyond their noise over the same minutes
        /// (<see cref="RegionalVolume.RequestsRose"/>): the mean moved where the new requests went. Neither is set when
        /// the episode is the model's as a whole.
        /// </summary>
        private void ScopeRise(AnomalyEpisode episode)
        {
            if (_scopedModel is null || _stage._regionalVolume is not { } volume || episode.Opening.Deviation <= 0 || _detectedTicks == long.MinValue)
            {
                return;
            }

            var environment = _series.Tags.TryGetValue("environment", out var e) ? e : string.Empty;
            if (!_modelVolume && !volume.RequestsRose(environment, _scopedModel, episode.StartTicks, _detectedTicks))
            {
                return;
            }

            episode.Region = volume.RegionThatCarried(environment, _scopedModel, episode.StartTicks, _detectedTicks);
            if (episode.Region is null)
            {
                // The regions travel comma-separated in one tag: a region whose name holds a comma cannot be listed, and
                // the episode stays the model's.
                var regions = volume.RegionsThatCarriedAModelWideRise(environment, _scopedModel, episode.StartTicks, _detectedTicks);
                episode.RiseRegions = regions is not null && !regions.Any(static r => r.Contains(',', StringComparison.Ordinal)) ? regions : null;
            }
        }

        private AnalyticsEvent Build(AnomalyEvent anomaly, long timestampTicks, Severity severity, Dictionary<string, string> tags, Guid? parent, Guid? correlation) => new()
        {
            Common = DerivedEvents.Common(anomaly.EventId, new DateTimeOffset(timestampTicks, TimeSpan.Zero), EventType.Alert, severity, _environment, tags, parent, correlation),
            Payload = new CustomPayload
            {
                CustomType = CustomType,
                Data = JsonSerializer.SerializeToElement(anomaly, AnomaliesJsonContext.Wire.AnomalyEvent),
            },
        };

        /// <summary>
        /// The last event of the series' measurement and tags in the opening minute (from the batch, else the latest 32
        /// minutes remembered per point tag set), else the newest one seen. A point belongs to the series when it carries
        /// every tag of the series (the metrics stage keeps only its configured dimensions).
        /// </summary>
        private EventSlot? ParentOf(long startTicks)
        {
            var minute = startTicks / TimeSpan.TicksPerMinute;
            var batch = _stage._batch!;
            var columns = batch.Get(TimeSeriesHandOffs.Points);
            for (var i = batch.Events.Count - 1; i >= 0; i--)
            {
                // Openings are rare: a scan of the batch finds the window's own last event when the batch holds it.
                var evt = batch.Events[i];
                if (evt.Timestamp.UtcTicks / TimeSpan.TicksPerMinute == minute && evt.SourceModule != SourceModule.LlmAnalyticsHub
                    && columns.Measurement(columns.SeriesOf(i)) == _measurement && Covers(columns.Tags(columns.SeriesOf(i))))
                {
                    return new EventSlot(minute, evt.EventId, evt.Common.CorrelationId);
                }
            }

            EventSlot? newest = null;
            foreach (var (tags, slots) in _stage._lastEvents.GetValueOrDefault(_measurement) ?? [])
            {
                if (!Covers(tags))
                {
                    continue;
                }

                var slot = slots[(int)(minute % SlotCount)];
                if (slot.Minute == minute && slot.EventId != Guid.Empty)
                {
                    return slot;
                }

                foreach (var candidate in slots)
                {
                    if (candidate.EventId != Guid.Empty && (newest is null || candidate.Minute > newest.Value.Minute))
                    {
                        newest = candidate;
                    }
                }
            }

            return newest;
        }

        private bool Covers(TagSet pointTags)
        {
            foreach (var (key, value) in _series.Tags)
            {
                if (!pointTags.TryGetValue(key, out var actual) || actual != value)
                {
                    return false;
                }
            }

            return true;
        }

        private double ValueOf(in ClosedWindow window) => AnomalyStage.ValueOf(_rule.Statistic, window);
    }

    /// <summary>The episode tracker of a new detection series of <paramref name="rule"/> (the frozen detector defaults unless <paramref name="detector"/> says otherwise).</summary>
    internal static AnomalyEpisodeTracker TrackerFor(AnomalyStageOptions options, AnomalySeriesRule rule, AnomalyDetectorOptions? detector = null)
    {
        detector ??= AnomalyDetectorOptions.Default;
        return TrackerFor(options, rule, new DefaultAnomalyDetector(detector), detector.Threshold);
    }

    /// <summary>The episode tracker of a new detection series of <paramref name="rule"/> around <paramref name="detector"/>, whose alarms are scores of at least <paramref name="threshold"/>.</summary>
    internal static AnomalyEpisodeTracker TrackerFor(AnomalyStageOptions options, AnomalySeriesRule rule, IStreamingAnomalyDetector detector, double threshold)
    {
        return new AnomalyEpisodeTracker(
            detector,
            threshold,
            options.MergeGap,
            options.MinimumSeverity,
            options.MinimumWindows,
            options.MinimumEvidence > 0 ? new VolumeEvidence(rule.Statistic, rule.RateWindowSeconds) : null,
            options.MinimumEvidence,
            DailyVolumeRise.Judges(rule) ? new DailyVolumeRise(rule.Statistic, rule.RateWindowSeconds) : null);
    }

    /// <summary>The value a detection series of <paramref name="statistic"/> scores for one closed window.</summary>
    internal static double ValueOf(AnomalyStatistic statistic, in ClosedWindow window) =>
        ValueOf(statistic, window.Stats, statistic == AnomalyStatistic.P95 && window.Sketch.Count > 0 ? window.Sketch.Quantile(0.95) : double.NaN);

    /// <summary>The value a detection series of <paramref name="statistic"/> scores for a window of <paramref name="stats"/> whose 95th percentile is <paramref name="p95"/>.</summary>
    internal static double ValueOf(AnomalyStatistic statistic, in StreamingStats stats, double p95) => statistic switch
    {
        AnomalyStatistic.Sum => stats.Sum,
        AnomalyStatistic.Count => stats.Count,
        AnomalyStatistic.Max => stats.Max,
        AnomalyStatistic.P95 => p95,
        _ => stats.Mean,
    };
}
