using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Metrics;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>
/// <c>incidents --seed &lt;n&gt; --scenarios &lt;k&gt; [--config &lt;file.json&gt; | --tier easy|medium|hard] [--hours &lt;h&gt;] [--json &lt;out.json&gt;]</c>:
/// generates k scenarios (seeds n, n+1, ...), runs every registered incident engine on each and prints
/// and optionally writes their scores.
/// </summary>
internal static class IncidentsCommand
{
    /// <summary>The default length of a scenario, so that the command stays well under a minute.</summary>
    public const double DefaultHours = 6;

    /// <summary>The default end of every timeline (a Wednesday afternoon), so runs repeat exactly.</summary>
    public static readonly DateTimeOffset DefaultEnd = new(2025, 3, 12, 16, 0, 0, TimeSpan.Zero);

    private const string Usage = """
        usage: incidents [--seed <n>] [--scenarios <k>] [--config <file.json> | --tier easy|medium|hard] [--hours <h>] [--end <instant>] [--json <out.json>] [--report <out.txt>] [--dimension <tag>]...

          --seed <n>        seed of the first scenario; the others use n+1, n+2, ... (default 1)
          --scenarios <k>   how many scenarios (default 5)
          --config <file>   a scenario config (JSON, see docs/simulation.md); easy, medium or hard name a tier
          --tier <name>     a built-in preset (default hard)
          --hours <h>       scenario length in hours (default: the config's, at most 6)
          --end <instant>   end of every timeline, RFC 3339 (default: the config's, else 2025-03-12T16:00:00Z)
          --json <file>     write {"engines": {"<name>": {<metrics>}}} here
          --report <file>   write each engine's per-incident breakdown here (how each true incident spread over
                            the engine's incidents, what each of those holds besides, and where the
                            grouping F1 loses its pairs)
          --dimension <tag> add a point tag (e.g. region) to the hub's metric dimensions (repeatable)
        """;

    // Point tags added to the hub engine's metric dimensions (--dimension).
    private static readonly List<string> _dimensions = [];

    /// <summary>The engines the command runs: the baselines, the oracle and the hub.</summary>
    public static IncidentEngineRegistry Engines { get; } = CreateEngines();

    /// <summary>The baselines and the oracle, plus the real hub as <c>hub</c>.</summary>
    internal static IncidentEngineRegistry CreateEngines()
    {
        var registry = IncidentEngineRegistry.CreateWithBaselines();
        registry.Register(new IncidentEngineRegistration
        {
            Name = IncidentEngineRegistry.HubName,
            Create = static scenario => new HubIncidentEngine(scenario, _dimensions.Count == 0 ? null : o => o.Metrics.Dimensions = [.. MetricsStageOptions.DefaultDimensions, .. _dimensions]),
            Description = "the real hub: the incidents its correlation stage reports (lifecycle events read back from its store)",
        });
        return registry;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        string? configPath = null, tier = null, json = null, report = null, hoursText = null, endText = null;
        ulong seed = 1;
        var scenarios = 5;
        _dimensions.Clear();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (arg is not ("--seed" or "--scenarios" or "--config" or "--tier" or "--hours" or "--end" or "--json" or "--report" or "--dimension") || i + 1 >= args.Length)
            {
                return await FailAsync(arg.StartsWith("--", StringComparison.Ordinal) && i + 1 >= args.Length ? $"{arg} needs a value." : $"unknown argument '{arg}'.").ConfigureAwait(false);
            }

            var value = args[++i];
            switch (arg)
            {
                case "--seed":
                    if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
                    {
                        return await FailAsync($"--seed '{value}' is not a non-negative integer.").ConfigureAwait(false);
                    }

                    break;
                case "--scenarios":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out scenarios) || scenarios < 1 || scenarios > 1000)
                    {
                        return await FailAsync($"--scenarios '{value}' is not an integer in 1..1000.").ConfigureAwait(false);
                    }

                    break;
                case "--config": configPath = value; break;
                case "--tier": tier = value; break;
                case "--hours": hoursText = value; break;
                case "--end": endText = value; break;
                case "--report": report = value; break;
                case "--dimension": _dimensions.Add(value); break;
                default: json = value; break;
            }
        }

        if (configPath is not null && tier is not null)
        {
            return await FailAsync("give at most one of --config and --tier.").ConfigureAwait(false);
        }

        if (configPath is "easy" or "medium" or "hard" && !File.Exists(configPath))
        {
            (tier, configPath) = (configPath, null);
        }

        ScenarioConfig template;
        try
        {
            template = configPath is not null ? ScenarioConfigJson.Load(configPath) : ScenarioConfig.ForTier(tier ?? "hard");
        }
        catch (Exception ex) when (ex is ScenarioConfigException or ArgumentException or IOException)
        {
            await Console.Error.WriteLineAsync($"incidents: {ex.Message}").ConfigureAwait(false);
            return ex is ScenarioConfigException ? 1 : 2;
        }

        var hours = Math.Min(template.DurationHours, DefaultHours);
        if (hoursText is not null && (!double.TryParse(hoursText, NumberStyles.Float, CultureInfo.InvariantCulture, out hours) || !(hours is >= 0.25 and <= 2160)))
        {
            return await FailAsync($"--hours '{hoursText}' is not a number in 0.25..2160.").ConfigureAwait(false);
        }

        var end = template.End ?? DefaultEnd;
        if (endText is not null && !DateTimeOffset.TryParse(endText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out end))
        {
            return await FailAsync($"--end '{endText}' is not an instant.").ConfigureAwait(false);
        }

        var shortened = Shorten(template, hours);
        var configs = new List<ScenarioConfig>(scenarios);
        for (var i = 0; i < scenarios; i++)
        {
            configs.Add(shortened with { Seed = seed + (ulong)i, End = end });
        }

        try
        {
            configs[0].EnsureValid();
        }
        catch (ScenarioConfigException ex)
        {
            await Console.Error.WriteLineAsync($"incidents: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scenario {template.Name}: {scenarios} x {hours:0.##} h ending {end:O}, seeds {seed}..{seed + (ulong)scenarios - 1}, engines {string.Join(", ", Engines.Registrations.Select(r => r.Name))}"));
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<IncidentEngineReport> reports;
        using (var breakdown = report is null ? null : new StreamWriter(report))
        {
            reports = IncidentBenchmark.Run(configs, Engines.Registrations, breakdown: breakdown);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        PrintTable(reports);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall time {seconds:F1} s (generation, labelling, engines and scoring)"));
        if (json is not null)
        {
            await File.WriteAllBytesAsync(json, ToJson(reports)).ConfigureAwait(false);
            Console.WriteLine($"wrote {json}");
        }

        return 0;
    }

    /// <summary>Writes <c>{"engines": {"&lt;name&gt;": {&lt;metrics&gt;}}}</c> with snake_case keys; undefined metrics are <c>null</c>.</summary>
    internal static byte[] ToJson(IReadOnlyList<IncidentEngineReport> reports)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("engines");
            foreach (var report in reports)
            {
                var s = report.Score;
                writer.WriteStartObject(report.Name);
                Number(writer, "root_cause_ac1", s.RootCauseAc1);
                Number(writer, "root_cause_ac3", s.RootCauseAc3);
                Number(writer, "grouping_f1", s.GroupingF1);
                Number(writer, "type_f1", s.TypeF1);
                Number(writer, "distractor_rate", s.DistractorRate);
                Number(writer, "distractor_alone_rate", s.DistractorAloneRate);
                writer.WriteNumber("negative_control_roots", s.NegativeControlRoots);
                Number(writer, "impact_cost_median_rel_error", s.ImpactCostMedianRelError);
                Number(writer, "events_per_second", s.EventsPerSecond);
                writer.WriteNumber("scenarios", s.Scenarios);
                writer.WriteNumber("true_incidents", s.TrueIncidents);
                writer.WriteNumber("rooted_incidents", s.RootedIncidents);
                writer.WriteNumber("predicted_incidents", s.PredictedIncidents);
                writer.WriteNumber("matched_incidents", s.MatchedIncidents);
                writer.WriteNumber("distractor_events", s.DistractorEvents);
                writer.WriteNumber("distractor_events_merged", s.DistractorEventsMerged);
                writer.WriteNumber("distractor_events_alone", s.DistractorEventsAlone);
                writer.WriteNumber("events_observed", s.EventsObserved);
                writer.WriteNumber("engine_seconds", s.EngineSeconds);
                writer.WriteStartArray("seeds");
                foreach (var seed in s.Seeds)
                {
                    writer.WriteNumberValue(seed);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("scenario_grouping_f1");
                foreach (var f1 in s.ScenarioGroupingF1)
                {
                    writer.WriteNumberValue(f1);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// The config with a timeline of <paramref name="hours"/>: every start offset (incidents with a fixed
    /// start, gaps, the silent module) is scaled by the same factor; durations are kept, and cut at the end.
    /// </summary>
    internal static ScenarioConfig Shorten(ScenarioConfig config, double hours)
    {
        if (hours == config.DurationHours)
        {
            return config;
        }

        var factor = hours / config.DurationHours;
        var minutes = hours * 60;
        var knobs = config.Knobs with
        {
            Gaps = [.. config.Knobs.Gaps.Select(g => g with { StartMinutes = g.StartMinutes * factor, DurationMinutes = Math.Min(g.DurationMinutes, minutes - (g.StartMinutes * factor)) })],
            SilentModule = config.Knobs.SilentModule is { } silent
                ? silent with { StartMinutes = silent.StartMinutes * factor, DurationMinutes = Math.Min(silent.DurationMinutes, minutes - (silent.StartMinutes * factor)) }
                : null,
        };
        return config with
        {
            DurationHours = hours,
            Incidents = [.. config.Incidents.Select(c => c.StartMinutes is { } start ? c with { StartMinutes = start * factor } : c)],
            Knobs = knobs,
        };
    }

    private static void PrintTable(IReadOnlyList<IncidentEngineReport> reports)
    {
        Console.WriteLine("engine        matched   AC@1   AC@3  group F1  type F1  distr merged  distr alone  NC roots  cost err     events/s");
        foreach (var report in reports)
        {
            var s = report.Score;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{report.Name,-12} {s.MatchedIncidents,4}/{s.TrueIncidents,-4} {F(s.RootCauseAc1),6} {F(s.RootCauseAc3),6} {F(s.GroupingF1),9} {F(s.TypeF1),8} {F(s.DistractorRate),13} {F(s.DistractorAloneRate),12} {s.NegativeControlRoots,9} {F(s.ImpactCostMedianRelError),9} {(s.EventsPerSecond is { } eps ? eps.ToString("N0", CultureInfo.InvariantCulture) : "-"),12}"));
        }
    }

    private static string F(double? value, int digits = 3) => value switch
    {
        null => "-",
        // Tiny but non-zero values (a baseline's grouping F1) would print as zero in fixed notation.
        { } v when v != 0 && Math.Abs(v) < 0.001 => v.ToString("0.00E+0", CultureInfo.InvariantCulture),
        { } v => v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
    };

    private static void Number(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static async Task<int> FailAsync(string problem)
    {
        await Console.Error.WriteLineAsync($"incidents: {problem}{Environment.NewLine}{Usage}").ConfigureAwait(false);
        return 2;
    }
}
