using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metrics;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Simulation.Traffic;
using AnalyticsHub.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.Evaluation.Anomalies;

/// <summary>
/// <c>anomaly-windows [--tier easy|medium|hard]... [--config &lt;scenario config file&gt;]... [--seed &lt;n&gt;]</c>: replays simulator scenarios through a hub with every stage on
/// (defaults) and scores the anomaly episodes the <c>anomalies</c> stage reported against the ground truth's anomaly
/// windows: window recall and episode precision per incident template. <c>--seed</c> replaces the tier's own seed
/// (1001, 2002, 3003), so options can be tuned on one seed and reported on others. <c>--dimension &lt;tag&gt;</c> adds a
/// point tag (e.g. <c>region</c>) to the metrics stage's dimensions, so the detectors watch finer series;
/// <c>--without &lt;series&gt;</c> (e.g. <c>count(llm_latency.latency_ms)</c>) leaves a default series unwatched.
/// </summary>
/// <remarks>
/// An episode hits a truth window when its series has the truth series' measurement, agrees with every truth tag
/// its series carries (a tag the series does not keep, e.g. <c>feature</c>, or <c>tenant</c> under the default metric
/// dimensions, matches anything), and [start, end] overlaps the window extended by five minutes at its end.
/// Precision per template: of the episodes that start within the incident's span (+10 min), the share that hit one of
/// its windows. Overall precision: the share of all episodes that hit any incident or distractor window.
/// </remarks>
internal static class AnomalyWindowsCommand
{
    private static readonly DateTimeOffset End = new(2025, 3, 12, 16, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Slack = TimeSpan.FromMinutes(5);
    private static readonly string[] ShownTags = ["model_id", "region", "tenant", "policy_id"];

    private static readonly List<string> _disabled = [];
    private static readonly List<string> _dimensions = [];
    private static readonly List<string> _without = [];
    private static bool _list;
    private static bool _diagnose;
    private static Severity _minimumSeverity = Severity.Warning;
    private static ulong? _seed;
    private static double? _hours;
    private static double? _minimumEvidence;
    private static string? _record;
    private static string? _replay;
    private static string? _trace;
    private static AnomalyDetectorOptions _detector = AnomalyDetectorOptions.Default;

    public static async Task<int> RunAsync(string[] args)
    {
        var tiers = new List<string>();
        var configs = new List<string>();
        _dimensions.Clear();
        _without.Clear();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--tier" && i + 1 < args.Length)
            {
                tiers.Add(args[++i]);
            }
            else if (args[i] == "--config" && i + 1 < args.Length)
            {
                configs.Add(args[++i]);
            }
            else if (args[i] == "--disable" && i + 1 < args.Length)
            {
                _disabled.Add(args[++i]);
            }
            else if (args[i] == "--dimension" && i + 1 < args.Length)
            {
                _dimensions.Add(args[++i]);
            }
            else if (args[i] == "--without" && i + 1 < args.Length)
            {
                var series = args[++i];
                if (!AnomalyStageOptions.DefaultSeries.Any(r => r.SeriesName == series))
                {
                    Console.Error.WriteLine($"anomaly-windows: --without '{series}' is not a default series ({string.Join(", ", AnomalyStageOptions.DefaultSeries.Select(r => r.SeriesName))}).");
                    return 2;
                }

                _without.Add(series);
            }
            else if (args[i] == "--seed" && i + 1 < args.Length && ulong.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
            {
                _seed = seed;
                i++;
            }
            else if (args[i] == "--hours" && i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var hours) && hours is >= 0.25 and <= 2160)
            {
                _hours = hours;
                i++;
            }
            else if (args[i] == "--min-evidence" && i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var evidence))
            {
                _minimumEvidence = evidence;
                i++;
            }
            else if (args[i] is "--record" or "--replay" && i + 1 < args.Length)
            {
                if (args[i] == "--record")
                {
                    _record = args[++i];
                }
                else
                {
                    _replay = args[++i];
                }
            }
            else if (args[i] == "--trace" && i + 1 < args.Length)
            {
                _trace = args[++i];
            }
            else if (args[i] == "--set" && i + 1 < args.Length && args[i + 1].Split('=', 2) is [var name, var value])
            {
                _detector = Nab.AnomalyOptionGrid.Apply(_detector, name, value);
                i++;
            }
            else if (args[i] == "--list")
            {
                _list = true;
            }
            else if (args[i] == "--diagnose")
            {
                _diagnose = true;
            }
            else if (args[i] == "--min-severity" && i + 1 < args.Length && Enum.TryParse<Severity>(args[i + 1], ignoreCase: true, out var severity))
            {
                _minimumSeverity = severity;
                i++;
            }
            else
            {
                Console.Error.WriteLine("usage: anomaly-windows [--tier easy|medium|hard]... [--config <file>]... [--seed <n>] [--hours <h>] [--min-evidence <z>] [--min-severity warning|error|critical] [--disable <stage>]... [--dimension <tag>]... [--without <series>]... [--list] [--record <dir> | --replay <dir> [--set <option>=<value>]... [--trace <series text>] [--diagnose]] (default: easy and medium, every severity)");
                return 2;
            }
        }

        if (tiers.Count == 0 && configs.Count == 0)
        {
            tiers = ["easy", "medium"];
        }

        var loaded = new List<ScenarioConfig>(configs.Count);
        foreach (var path in configs)
        {
            try
            {
                loaded.Add(ScenarioConfigJson.Load(path));
            }
            catch (Exception ex) when (ex is ScenarioConfigException or ArgumentException or IOException)
            {
                Console.Error.WriteLine($"anomaly-windows: {ex.Message}");
                return 2;
            }
        }

        foreach (var tier in tiers)
        {
            await RunTierAsync(tier, ScenarioConfig.ForTier(tier)).ConfigureAwait(false);
        }

        foreach (var config in loaded)
        {
            await RunTierAsync(config.Name, config).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task RunTierAsync(string tier, ScenarioConfig config)
    {
        if (_hours is { } hours)
        {
            // The incidents harness's timeline: the tier shortened the same way, so its incidents can be traced here.
            config = Incidents.IncidentsCommand.Shorten(config, hours);
            tier += string.Create(CultureInfo.InvariantCulture, $"-{hours:0.##}h");
        }

        config.End = End;
        if (_seed is { } seed)
        {
            config.Seed = seed;
        }

        if (_replay is not null)
        {
            Replay(tier, config.Seed);
            return;
        }

        var stageOptions = StageOptions();
        var recording = _record is null ? null : new WindowRecording();
        var clock = new FixedClock(End);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);

        // Room for every event and everything the hub derives (the hard tier passes the default 1 M), so no anomaly
        // event is evicted before it is counted.
        services.AddSingleton<IEventStore>(new AnalyticsHub.Storage.InMemory.InMemoryEventStore(
            new AnalyticsHub.Storage.InMemory.InMemoryEventStoreOptions { MaxEvents = 10_000_000, MaxAge = null }, clock));
        services.AddAnalyticsHub(o =>
        {
            o.Anomalies.MinimumSeverity = stageOptions.MinimumSeverity;
            o.Anomalies.MinimumEvidence = stageOptions.MinimumEvidence;
            o.Anomalies.Series = stageOptions.Series;
            o.DisabledStages = [.. _disabled];
            if (_dimensions.Count > 0)
            {
                o.Metrics.Dimensions = [.. MetricsStageOptions.DefaultDimensions, .. _dimensions];
            }
        });
        if (recording is not null)
        {
            services.AddSingleton<IIngestionStage>(new WindowRecording.Recorder(recording, stageOptions));
        }

        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync().ConfigureAwait(false);
        var stageSeconds = new Dictionary<string, double>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "AnalyticsHub" && instrument.Name == "analyticshub.stage.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "stage" && tag.Value is string name)
                {
                    lock (stageSeconds)
                    {
                        stageSeconds[name] = stageSeconds.GetValueOrDefault(name) + value;
                    }
                }
            }
        });
        listener.Start();
        var simulation = new TrafficSimulation(config, clock);
        var watch = Stopwatch.StartNew();
        var events = 0;
        foreach (var chunk in simulation.Generate().Chunk(1_000))
        {
            await hub.IngestAsync(chunk).ConfigureAwait(false);
            events += chunk.Length;
        }

        await hub.FlushAsync().ConfigureAwait(false);
        var seconds = watch.Elapsed.TotalSeconds;
        var truth = simulation.GroundTruth;
        var episodes = await EpisodesAsync(hub, truth.End).ConfigureAwait(false);

        var tracked = provider.GetServices<IIngestionStage>().OfType<AnomalyStage>().FirstOrDefault()?.SeriesCount ?? 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== {tier} (seed {config.Seed}): {events:N0} events, {seconds:F1} s, {tracked:N0} detection series, {episodes.Count} episodes =="));
        lock (stageSeconds)
        {
            Console.WriteLine("stage time (s): " + string.Join(", ", stageSeconds.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:F2}"))));
        }

        if (recording is not null)
        {
            Directory.CreateDirectory(_record!);
            recording.Save(RecordingPath(tier, config.Seed, "windows"));
            await File.WriteAllTextAsync(RecordingPath(tier, config.Seed, "truth.json"), GroundTruthJson.Write(truth)).ConfigureAwait(false);
        }

        Score(truth, episodes);
    }

    private static AnomalyStageOptions StageOptions()
    {
        var options = new AnomalyStageOptions { MinimumSeverity = _minimumSeverity };
        if (_without.Count > 0)
        {
            options.Series = [.. AnomalyStageOptions.DefaultSeries.Where(r => !_without.Contains(r.SeriesName))];
        }

        if (_minimumEvidence is { } evidence)
        {
            options.MinimumEvidence = evidence;
        }

        return options;
    }

    private static string RecordingPath(string tier, ulong seed, string kind) =>
        Path.Combine(_record ?? _replay!, string.Create(CultureInfo.InvariantCulture, $"{tier}-{seed}.{kind}"));

    /// <summary>Replays a recorded run's windows through fresh trackers (with the <c>--set</c> detector options) and scores them.</summary>
    private static void Replay(string tier, ulong seed)
    {
        var recording = WindowRecording.Load(RecordingPath(tier, seed, "windows"));
        var truth = GroundTruthJson.Read(File.ReadAllText(RecordingPath(tier, seed, "truth.json")));
        var watch = Stopwatch.StartNew();
        var logs = _diagnose ? new List<WindowRecording.SeriesLog>() : null;
        var episodes = recording.Replay(StageOptions(), _detector, truth.End, _trace, logs)
            .Select(e =>
            {
                var tags = e.Tags.ToDictionary(StringComparer.Ordinal);
                return new Episode(e.Metric, AnomalySeriesRule.StatisticName(e.Statistic), tags, DescribeTags(tags), e.Type,
                    new DateTimeOffset(e.StartTicks, TimeSpan.Zero), new DateTimeOffset(e.EndTicks, TimeSpan.Zero), e.Peak, e.How);
            })
            .OrderBy(e => e.Start)
            .ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== {tier} (seed {seed}, replayed): {recording.Rows.Count:N0} windows, {watch.Elapsed.TotalSeconds:F1} s, {episodes.Count} episodes =="));
        Score(truth, episodes);
        if (logs is not null)
        {
            MissedWindowDiagnosis.Print(truth, [.. episodes.Select(e => new MissedWindowDiagnosis.Found(e.Metric, e.SeriesTags, e.Start, e.End, e.Statistic))], logs, _detector, Slack);
        }
    }

    private static void Score(GroundTruth truth, List<Episode> episodes)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"template",-26} {"windows",7} {"hit",4} {"recall",7} {"episodes",8} {"matched",7} {"precision",9}"));
        var matchedAny = new HashSet<Episode>();
        var missed = new List<string>();
        foreach (var group in truth.Incidents.Select(i => (i.Template, i.Start, i.End, i.AffectedSeries))
            .Concat(truth.Distractors.Select(d => ("distractor", d.Start, d.End, d.AffectedSeries)))
            .GroupBy(x => x.Item1, StringComparer.Ordinal))
        {
            int windows = 0, hit = 0, near = 0, matched = 0;
            foreach (var (_, start, end, series) in group)
            {
                foreach (var s in series)
                {
                    foreach (var w in s.Windows)
                    {
                        windows++;
                        var hits = episodes.Where(e => Matches(e, s) && e.Start <= w.End + Slack && e.End >= w.Start).ToList();
                        if (hits.Count > 0)
                        {
                            hit++;
                        }
                        else
                        {
                            missed.Add(string.Create(CultureInfo.InvariantCulture, $"  missed window {group.Key} {s.Measurement} {string.Join(",", s.Tags.Select(t => t.Key + "=" + t.Value))} {w.Start:dd HH:mm}-{w.End:dd HH:mm}"));
                        }

                        matchedAny.UnionWith(hits);
                    }
                }

                foreach (var e in episodes.Where(e => e.Start >= start && e.Start <= end + TimeSpan.FromMinutes(10)))
                {
                    near++;
                    if (series.Any(s => Matches(e, s) && s.Windows.Any(w => e.Start <= w.End + Slack && e.End >= w.Start)))
                    {
                        matched++;
                    }
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{group.Key,-26} {windows,7} {hit,4} {Ratio(hit, windows),7} {near,8} {matched,7} {Ratio(matched, near),9}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overall precision {Ratio(matchedAny.Count, episodes.Count)} ({matchedAny.Count} of {episodes.Count} episodes hit a truth window)"));
        if (_list)
        {
            foreach (var (template, start, end) in truth.Incidents.Select(i => (i.Template, i.Start, i.End)))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  incident {template} {start:dd HH:mm}-{end:dd HH:mm}"));
            }

            missed.ForEach(Console.WriteLine);
            foreach (var e in episodes)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(matchedAny.Contains(e) ? "hit " : "miss")} {e.Statistic}({e.Metric}) {e.Tags} {e.Type} {e.Start:dd HH:mm}-{e.End:dd HH:mm} peak {e.Peak:F2}{(e.How.Length > 0 ? " " + e.How : string.Empty)}"));
            }
        }

        Console.WriteLine();
    }

    private static string Ratio(int a, int b) => b == 0 ? "-" : ((double)a / b).ToString("F2", CultureInfo.InvariantCulture);

    private static readonly Dictionary<string, string> Measurements = new(StringComparer.Ordinal)
    {
        ["latency"] = "llm_latency",
        ["error_rate"] = "llm_error_rate",
        ["throughput"] = "llm_throughput",
        ["token_usage"] = "llm_token_usage",
        ["token_cost"] = "cost_token",
        ["auth"] = "security_auth",
        ["policy_violation"] = "governance_policy_violation",
        ["threat"] = "security_threat",
    };

    private static bool Matches(Episode episode, AffectedSeries series) => Matches(episode.Metric, episode.SeriesTags, series);

    /// <summary>Whether a hub series (metric and tags) is one the truth's affected series names.</summary>
    internal static bool Matches(string metric, IReadOnlyDictionary<string, string> seriesTags, AffectedSeries series)
    {
        if (!Measurements.TryGetValue(series.Measurement, out var measurement) || !metric.StartsWith(measurement + ".", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var (key, value) in series.Tags)
        {
            // A tag the hub's series does not keep (feature is never a point tag; region and tenant are not metric
            // dimensions by default) matches anything: the coarser series contains the truth's.
            if (seriesTags.TryGetValue(key, out var actual) && actual != value)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<List<Episode>> EpisodesAsync(IAnalyticsHub hub, DateTimeOffset end)
    {
        var all = new List<AnalyticsEvent>();
        for (uint page = 1; ; page++)
        {
            var result = await hub.QueryEventsAsync(new EventQuery { SourceModules = [SourceModule.LlmAnalyticsHub], Subtype = "anomaly", PerPage = 1000, Page = page }).ConfigureAwait(false);
            all.AddRange(result.Events.Where(e => e.Payload is CustomPayload { CustomType: "anomaly" }));
            if (result.Events.Count < 1000)
            {
                break;
            }
        }

        var closes = all.Where(e => e.Common.Tags["anomaly_phase"] == "close" && e.Common.ParentEventId is not null)
            .ToDictionary(e => e.Common.ParentEventId!.Value);
        var episodes = new List<Episode>();
        foreach (var open in all.Where(e => e.Common.Tags["anomaly_phase"] == "open"))
        {
            var data = ((CustomPayload)open.Payload).Data.Deserialize(AnomaliesJsonContext.Default.AnomalyEvent)!;
            var close = closes.GetValueOrDefault(open.EventId);
            var closing = close is null ? data : ((CustomPayload)close.Payload).Data.Deserialize(AnomaliesJsonContext.Default.AnomalyEvent)!;
            var tags = open.Common.Tags;
            episodes.Add(new Episode(
                tags["metric"], tags["statistic"], open.Common.Tags, DescribeTags(tags), closing.AnomalyType, data.Timestamp, close?.Timestamp ?? end, closing.AnomalyScore));
        }

        return [.. episodes.OrderBy(e => e.Start)];
    }

    private static string DescribeTags(IReadOnlyDictionary<string, string> tags) =>
        string.Join(",", ShownTags.Where(tags.ContainsKey).Select(k => k + "=" + tags[k]));

    private sealed record Episode(string Metric, string Statistic, IReadOnlyDictionary<string, string> SeriesTags, string Tags, AnomalyType Type, DateTimeOffset Start, DateTimeOffset End, double Peak, string How = "");

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
