using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>
/// <c>nab --data &lt;folder&gt; [--detector &lt;name&gt;] [--threshold &lt;t&gt;] [--json &lt;out.json&gt;] [--sweep]</c>:
/// runs a streaming detector over a NAB-format folder, a fresh instance per file, and scores it with
/// NAB's rule at the detector's frozen threshold (or the one given).
/// </summary>
internal static class NabCommand
{
    private const string Usage = """
        usage: nab --data <folder> [--detector <name>] [--threshold <t>] [--json <out.json>] [--sweep]

          --data <folder>     a NAB-format folder: data/<category>/<name>.csv and windows.json
          --detector <name>   the detector to run (default: 'default', the hub's detector)
          --threshold <t>     score at this threshold instead of the detector's frozen one (finite number)
          --json <out.json>   also write the results as JSON to this file
          --sweep             also report the best threshold for this folder (hindsight: tuned on the data it scores)
        """;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var options, out var problem))
        {
            await Console.Error.WriteLineAsync(problem is null ? Usage : $"nab: {problem}{Environment.NewLine}{Usage}").ConfigureAwait(false);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var registry = CreateRegistry();
        if (!registry.TryGet(options.Detector, out var detector))
        {
            var known = string.Join(", ", registry.Names);
            var message = string.Equals(options.Detector, StreamingAnomalyScorerRegistry.DefaultName, StringComparison.OrdinalIgnoreCase)
                ? $"nab: detector 'default' (the hub's own streaming detector) is not registered yet; it is added when the hub's anomaly detectors exist. Registered detectors: {known}."
                : $"nab: unknown detector '{options.Detector}'. Registered detectors: {known}.";
            await Console.Error.WriteLineAsync(message + Environment.NewLine + Usage).ConfigureAwait(false);
            return 2;
        }

        if (!Directory.Exists(options.Data))
        {
            await Console.Error.WriteLineAsync($"nab: data folder '{options.Data}' does not exist.{Environment.NewLine}{Usage}").ConfigureAwait(false);
            return 2;
        }

        var started = Stopwatch.GetTimestamp();
        NabCorpus corpus;
        try
        {
            corpus = NabLoader.Load(options.Data);
        }
        catch (Exception ex) when (ex is NabFormatException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"nab: cannot load '{options.Data}': {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        var loadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var run = NabRunner.Run(corpus, detector, options.Threshold);
        NabSweepResult? sweep = options.Sweep ? run.Sweep(NabProfile.Standard) : null;
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        Print(corpus, run, detector, options.Threshold is not null, sweep, seconds, loadSeconds);

        if (options.Json is { } jsonPath)
        {
            await WriteJsonAsync(jsonPath, corpus, run, sweep, seconds, loadSeconds).ConfigureAwait(false);
            Console.WriteLine($"wrote {jsonPath}");
        }

        return 0;
    }

    /// <summary>The detectors the command knows; the hub's detector registers here under <c>default</c>.</summary>
    internal static StreamingAnomalyScorerRegistry CreateRegistry()
    {
        var registry = StreamingAnomalyScorerRegistry.CreateWithBaselines();
        DefaultAnomalyDetectorRegistrations.RegisterDefaults(registry);
        return registry;
    }

    internal static bool TryParse(string[] args, out NabOptions options, out string? problem)
    {
        options = new NabOptions();
        problem = null;
        string? data = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    options = options with { Help = true };
                    return true;
                case "--sweep":
                    options = options with { Sweep = true };
                    continue;
                case "--data" or "--detector" or "--threshold" or "--json":
                    if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        problem = $"{arg} needs a value.";
                        return false;
                    }

                    var value = args[++i];
                    switch (arg)
                    {
                        case "--data":
                            data = value;
                            break;
                        case "--detector":
                            options = options with { Detector = value };
                            break;
                        case "--json":
                            options = options with { Json = value };
                            break;
                        default:
                            if (!double.TryParse(value, NumberStyles.Float, Invariant, out var threshold) || !double.IsFinite(threshold))
                            {
                                problem = $"--threshold '{value}' is not a finite number.";
                                return false;
                            }

                            options = options with { Threshold = threshold };
                            break;
                    }

                    continue;
                default:
                    problem = $"unknown argument '{arg}'.";
                    return false;
            }
        }

        if (data is null)
        {
            problem = "--data is required.";
            return false;
        }

        options = options with { Data = data };
        return true;
    }

    private static void Print(
        NabCorpus corpus,
        NabRun run,
        StreamingAnomalyScorerRegistration detector,
        bool thresholdGiven,
        NabSweepResult? sweep,
        double seconds,
        double loadSeconds)
    {
        var total = run.Total;
        Console.WriteLine(string.Create(Invariant,
            $"NAB {corpus.Root}: {total.Files} files, {total.Rows:N0} rows, {total.Windows} windows"));
        Console.WriteLine(string.Create(Invariant,
            $"detector {detector.Name} at threshold {run.Threshold:R} ({(thresholdGiven ? "given" : "frozen default")})"));
        Console.WriteLine();
        Console.WriteLine($"{"category",-24} {"files",5} {"windows",7} {"hit",5} {"FP events",9} {"FP rows",8} {"standard",9} {"raw",9}");
        foreach (var category in run.ByCategory())
        {
            Console.WriteLine(Row(category.Category, category.Tally));
        }

        Console.WriteLine(new string('-', 82));
        Console.WriteLine(Row("total", total));
        Console.WriteLine();
        Console.WriteLine(string.Create(Invariant,
            $"standard {Format(total.Normalised(NabProfile.Standard))} (raw {total.Raw(NabProfile.Standard):F3}), reward_low_FP {Format(total.Normalised(NabProfile.RewardLowFalsePositives))}, reward_low_FN {Format(total.Normalised(NabProfile.RewardLowFalseNegatives))}"));
        Console.WriteLine(string.Create(Invariant,
            $"windows hit {total.WindowsHit}/{total.Windows}; window precision {Format(total.WindowPrecision, "F3")}, recall {Format(total.WindowRecall, "F3")}, F1 {Format(total.WindowF1, "F3")}; FP rows on files without windows {total.NoAnomalyFalsePositiveRows}"));
        if (sweep is { } best)
        {
            Console.WriteLine(string.Create(Invariant,
                $"sweep (HINDSIGHT, tuned on this folder): best standard {Format(best.Normalised)} (raw {best.Raw:F3}) at threshold {best.Threshold:R}"));
        }

        Console.WriteLine(string.Create(Invariant, $"wall time {seconds:F2} s (load {loadSeconds:F2} s)"));
    }

    private static string Row(string name, NabTally tally) => string.Create(Invariant,
        $"{name,-24} {tally.Files,5} {tally.Windows,7} {tally.WindowsHit,5} {tally.FalsePositiveEvents,9} {tally.FalsePositiveRows,8} {Format(tally.Normalised(NabProfile.Standard)),9} {tally.Raw(NabProfile.Standard),9:F3}");

    private static string Format(double? value, string format = "F2") =>
        value is { } v ? v.ToString(format, Invariant) : "n/a";

    private static async Task WriteJsonAsync(string path, NabCorpus corpus, NabRun run, NabSweepResult? sweep, double seconds, double loadSeconds)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            await using (writer.ConfigureAwait(false))
            {
                var total = run.Total;
                writer.WriteStartObject();
                writer.WriteString("data", corpus.Root);
                writer.WriteString("detector", run.Detector);
                writer.WriteNumber("threshold", run.Threshold);
                WriteScores(writer, total);
                writer.WriteNumber("seconds", Math.Round(seconds, 3));
                writer.WriteNumber("load_seconds", Math.Round(loadSeconds, 3));
                writer.WriteStartArray("categories");
                foreach (var category in run.ByCategory())
                {
                    writer.WriteStartObject();
                    writer.WriteString("category", category.Category);
                    WriteScores(writer, category.Tally);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                if (sweep is { } best)
                {
                    writer.WriteStartObject("sweep");
                    writer.WriteNumber("threshold", best.Threshold);
                    WriteNullable(writer, "standard", best.Normalised);
                    writer.WriteNumber("standard_raw", best.Raw);
                    writer.WriteBoolean("hindsight", true);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }
        }
    }

    private static void WriteScores(Utf8JsonWriter writer, NabTally tally)
    {
        WriteNullable(writer, "standard", tally.Normalised(NabProfile.Standard));
        WriteNullable(writer, "reward_low_fp", tally.Normalised(NabProfile.RewardLowFalsePositives));
        WriteNullable(writer, "reward_low_fn", tally.Normalised(NabProfile.RewardLowFalseNegatives));
        writer.WriteNumber("standard_raw", tally.Raw(NabProfile.Standard));
        writer.WriteNumber("reward_low_fp_raw", tally.Raw(NabProfile.RewardLowFalsePositives));
        writer.WriteNumber("reward_low_fn_raw", tally.Raw(NabProfile.RewardLowFalseNegatives));
        WriteNullable(writer, "window_precision", tally.WindowPrecision);
        WriteNullable(writer, "window_recall", tally.WindowRecall);
        WriteNullable(writer, "window_f1", tally.WindowF1);
        writer.WriteNumber("no_anomaly_fp_rows", tally.NoAnomalyFalsePositiveRows);
        writer.WriteNumber("windows_hit", tally.WindowsHit);
        writer.WriteNumber("windows", tally.Windows);
        writer.WriteNumber("fp_events", tally.FalsePositiveEvents);
        writer.WriteNumber("fp_rows", tally.FalsePositiveRows);
        writer.WriteNumber("files", tally.Files);
        writer.WriteNumber("rows", tally.Rows);
        writer.WriteNumber("scored_rows", tally.ScoredRows);
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    internal sealed record NabOptions
    {
        public string Data { get; init; } = string.Empty;

        public string Detector { get; init; } = StreamingAnomalyScorerRegistry.DefaultName;

        public double? Threshold { get; init; }

        public string? Json { get; init; }

        public bool Sweep { get; init; }

        public bool Help { get; init; }
    }
}
