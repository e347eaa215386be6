using System.Globalization;
using System.Runtime.InteropServices;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Events.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Metrics;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Evaluation.Anomalies;

/// <summary>
/// The one-minute windows the <c>anomalies</c> stage scores in one simulator run, in the order the stage saw them, kept
/// so that detector and episode variants can be replayed over them in seconds instead of re-running the whole hub
/// (<c>anomaly-windows --record</c> / <c>--replay</c>). A tuning aid: reported numbers come from the full run.
/// </summary>
internal sealed class WindowRecording
{
    private const int Version = 1;

    public List<(string Name, KeyValuePair<string, string>[] Tags)> Series { get; } = [];

    public List<Row> Rows { get; } = [];

    /// <summary>One closed window: its series (index into <see cref="Series"/>), span, statistics and p95.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Row
    {
        public int Series;
        public long StartTicks;
        public long EndTicks;
        public double P95;
        public StreamingStats Stats;
    }

    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(Version);
        writer.Write(Series.Count);
        foreach (var (name, tags) in Series)
        {
            writer.Write(name);
            writer.Write(tags.Length);
            foreach (var (key, value) in tags)
            {
                writer.Write(key);
                writer.Write(value);
            }
        }

        writer.Write(Rows.Count);
        writer.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(Rows)));
    }

    public static WindowRecording Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        if (reader.ReadInt32() != Version)
        {
            throw new InvalidDataException($"{path} is not a window recording of version {Version}.");
        }

        var recording = new WindowRecording();
        var series = reader.ReadInt32();
        for (var i = 0; i < series; i++)
        {
            var name = reader.ReadString();
            var tags = new KeyValuePair<string, string>[reader.ReadInt32()];
            for (var t = 0; t < tags.Length; t++)
            {
                tags[t] = new(reader.ReadString(), reader.ReadString());
            }

            recording.Series.Add((name, tags));
        }

        var rows = reader.ReadInt32();
        CollectionsMarshal.SetCount(recording.Rows, rows);
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(recording.Rows)));
        return recording;
    }

    /// <summary>
    /// Replays the windows through one tracker per series and statistic, built as the stage builds them
    /// (<c>AnomalyStage.TrackerFor</c>), and returns every confirmed episode (open ones end at <paramref name="end"/>).
    /// </summary>
    /// <remarks>With <paramref name="trace"/>, every point of the series whose name (statistic, metric and tags) contains it is printed with the detector's result, and, while an episode is pending or open, the window's evidence.</remarks>
    /// <remarks>With <paramref name="logs"/>, every point each detector scores is kept there per series (for <c>--diagnose</c>).</remarks>
    public List<ReplayedEpisode> Replay(AnomalyStageOptions options, AnomalyDetectorOptions detector, DateTimeOffset end, string? trace = null, List<SeriesLog>? logs = null)
    {
        var traced = new Dictionary<(int Series, AnomalyStatistic Statistic), (string Name, DefaultAnomalyDetector Detector)>();
        var rules = options.EffectiveSeries.ToLookup(r => r.Metric, StringComparer.Ordinal);
        var trackers = new Dictionary<(int Series, AnomalyStatistic Statistic), (AnomalyEpisodeTracker Tracker, Sink Sink)>();
        var episodes = new List<ReplayedEpisode>();
        var traffic = new Dictionary<(string Metric, long StartTicks), double>();
        foreach (var row in Rows)
        {
            // The stage's traffic per metric and minute (every window of a minute closes in the same batch).
            var name = Series[row.Series].Name;
            foreach (var rule in rules[name])
            {
                if (rule.Statistic == AnomalyStatistic.Count)
                {
                    var key = (name, row.StartTicks);
                    traffic[key] = traffic.GetValueOrDefault(key) + row.Stats.Count;
                }
            }
        }

        long watermark = long.MinValue;
        foreach (var row in Rows)
        {
            var (name, tags) = Series[row.Series];
            foreach (var rule in rules[name])
            {
                if (!trackers.TryGetValue((row.Series, rule.Statistic), out var state))
                {
                    var tracker = logs is null
                        ? AnomalyStage.TrackerFor(options, rule, detector)
                        : AnomalyStage.TrackerFor(options, rule, new LoggingDetector(detector, Log(logs, name, rule.Statistic, tags)), detector.Threshold);
                    state = (tracker, new Sink(name, rule.Statistic, tags, episodes));
                    trackers.Add((row.Series, rule.Statistic), state);
                }

                if (rule.Statistic is AnomalyStatistic.Sum or AnomalyStatistic.Count)
                {
                    state.Tracker.FillZeros(row.StartTicks, options.MaxFillMinutes, null, state.Sink);
                }

                var stats = row.Stats;
                var value = AnomalyStage.ValueOf(rule.Statistic, stats, row.P95);
                if (rule.Statistic == AnomalyStatistic.Count)
                {
                    state.Tracker.EvidenceByVolume?.ObserveRestOfTraffic(traffic[(name, row.StartTicks)] - value);
                }

                if (trace is not null)
                {
                    Trace(trace, detector, traced, (row.Series, rule.Statistic), rule, tags, row.StartTicks, value, stats.Count);
                }

                state.Tracker.Add(row.StartTicks, row.EndTicks, value, stats, state.Sink);
                state.Tracker.EvidenceByVolume?.ForgetRestOfTraffic();
                if (trace is not null && traced.TryGetValue((row.Series, rule.Statistic), out var t) && t.Detector is not null && state.Tracker.Open is { } open)
                {
                    // The episode the traced point extends or opens: the window's evidence and the count toward confirmation.
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  evidence z={state.Tracker.LastEvidence:F2} points={open.Points} evidenced={open.EvidencedPoints} confirmed={open.Confirmed}"));
                }
            }

            if (row.EndTicks > watermark)
            {
                watermark = row.EndTicks;
                foreach (var (tracker, sink) in trackers.Values)
                {
                    tracker.Sweep(watermark, sink);
                }
            }
        }

        foreach (var (tracker, sink) in trackers.Values)
        {
            if (tracker.Open is { Confirmed: true } open)
            {
                sink.Add(open, end.UtcTicks);
            }
        }

        return episodes;
    }

    private static void Trace(
        string trace,
        AnomalyDetectorOptions options,
        Dictionary<(int Series, AnomalyStatistic Statistic), (string Name, DefaultAnomalyDetector Detector)> traced,
        (int Series, AnomalyStatistic Statistic) key,
        AnomalySeriesRule rule,
        KeyValuePair<string, string>[] tags,
        long startTicks,
        double value,
        ulong count)
    {
        if (!traced.TryGetValue(key, out var state))
        {
            var name = rule.SeriesName + " " + string.Join(",", tags.Select(t => t.Key + "=" + t.Value));
            state = (name, name.Contains(trace, StringComparison.Ordinal) ? new DefaultAnomalyDetector(options) : null!);
            traced.Add(key, state);
        }

        if (state.Detector is null)
        {
            return;
        }

        var r = state.Detector.Update(new DateTimeOffset(startTicks, TimeSpan.Zero), value);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trace {state.Name} {new DateTimeOffset(startTicks, TimeSpan.Zero):dd HH:mm} n={count} x={value:G5} exp={r.Expected:G5} [{r.Lower:G5},{r.Upper:G5}] score={r.Score:F3}{(r.IsAnomaly ? " ALARM" : "")} {r.Type}"));
    }

    private static SeriesLog Log(List<SeriesLog> logs, string metric, AnomalyStatistic statistic, KeyValuePair<string, string>[] tags)
    {
        var log = new SeriesLog(metric, statistic, tags.ToDictionary(StringComparer.Ordinal), []);
        logs.Add(log);
        return log;
    }

    /// <summary>Every point one detection series scored in a replay.</summary>
    public sealed record SeriesLog(string Metric, AnomalyStatistic Statistic, IReadOnlyDictionary<string, string> Tags, List<LoggedPoint> Points);

    /// <summary>
    /// One scored point: its value, the detector's score and alarm, the score of the same detector without alarm
    /// suppression (<c>Raw</c>: suppression changes no state, so the two differ only where an alarm was suppressed),
    /// whether the detector was past its warm-up, and the ticks of the series' first point.
    /// </summary>
    public readonly record struct LoggedPoint(long Ticks, double Value, double Score, bool IsAnomaly, double Raw, bool Warm);

    /// <summary>The default detector, logging each point with the score an unsuppressed twin gives it.</summary>
    private sealed class LoggingDetector(AnomalyDetectorOptions options, SeriesLog log) : IStreamingAnomalyDetector
    {
        private readonly DefaultAnomalyDetector _detector = new(options);
        private readonly DefaultAnomalyDetector _unsuppressed = new(options with { SuppressionPoints = 0 });

        public long PointsSeen => _detector.PointsSeen;

        public int StateSizeBytes => _detector.StateSizeBytes;

        public AnomalyResult Update(DateTimeOffset timestamp, double value)
        {
            var warm = _detector.PointsSeen >= options.WarmUpPoints;
            var result = _detector.Update(timestamp, value);
            var raw = _unsuppressed.Update(timestamp, value);
            log.Points.Add(new LoggedPoint(timestamp.UtcTicks, value, result.Score, result.IsAnomaly, raw.Score, warm));
            return result;
        }

        public void Reset()
        {
            _detector.Reset();
            _unsuppressed.Reset();
            log.Points.Clear();
        }
    }

    /// <summary>An episode of the replay: series, statistic, type at the peak, span, peak score and how it opened and was evidenced (<see cref="HowOf"/>).</summary>
    public sealed record ReplayedEpisode(string Metric, AnomalyStatistic Statistic, KeyValuePair<string, string>[] Tags, AnomalyType Type, long StartTicks, long EndTicks, double Peak, string How = "");

    /// <summary>How an episode opened (a detector alarm or a rise over the day before) and its evidence: evidenced windows of all its windows, pooled Σz / √k.</summary>
    internal static string HowOf(AnomalyEpisode episode) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"[{(episode.OpenedByRise ? "rise" : "alarm")} ev {episode.EvidencedPoints}/{episode.Points} pooled {episode.EvidenceSum / Math.Sqrt(episode.Points):F1}]");

    private sealed class Sink(string metric, AnomalyStatistic statistic, KeyValuePair<string, string>[] tags, List<ReplayedEpisode> episodes) : IAnomalyEpisodeSink
    {
        public void Opened(AnomalyEpisode episode)
        {
        }

        public void Closed(AnomalyEpisode episode) => Add(episode, episode.LastActiveEndTicks);

        public void Add(AnomalyEpisode episode, long endTicks) =>
            episodes.Add(new ReplayedEpisode(metric, statistic, tags, episode.PeakType, episode.StartTicks, endTicks, episode.PeakScore, HowOf(episode)));
    }

    /// <summary>The stage that records: it reads the closed windows as the <c>anomalies</c> stage does and keeps the one-minute windows of watched metrics.</summary>
    public sealed class Recorder(WindowRecording recording, AnomalyStageOptions options) : IIngestionStage
    {
        private static readonly HandOff[] Consumed = [MetricsHandOffs.ClosedWindows];
        private static readonly string HubModule = WireEnums.SourceModule.GetName(SourceModule.LlmAnalyticsHub);
        private readonly HashSet<string> _metrics = [.. options.EffectiveSeries.Select(r => r.Metric)];
        private readonly Dictionary<MetricKey, int> _index = [];

        public string Name => "anomaly_recorder";

        public IReadOnlyList<HandOff> Consumes => Consumed;

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            foreach (var window in batch.Get(MetricsHandOffs.ClosedWindows))
            {
                if (window.Window != TimeWindow.OneMinute || !_metrics.Contains(window.Series.Name)
                    || (window.Series.Tags.TryGetValue("source_module", out var module) && module == HubModule))
                {
                    continue;
                }

                if (!_index.TryGetValue(window.Series.Key, out var series))
                {
                    series = recording.Series.Count;
                    recording.Series.Add((window.Series.Name, [.. window.Series.Tags]));
                    _index.Add(window.Series.Key, series);
                }

                recording.Rows.Add(new Row
                {
                    Series = series,
                    StartTicks = window.Start.UtcTicks,
                    EndTicks = window.End.UtcTicks,
                    P95 = AnomalyStage.ValueOf(AnomalyStatistic.P95, window),
                    Stats = window.Stats,
                });
            }

            return ValueTask.CompletedTask;
        }
    }
}
