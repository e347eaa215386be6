using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>
/// <c>nab-cv --data &lt;folder&gt; [--set Name=v1,v2,...]... [--detector &lt;name&gt;] [--json &lt;file&gt;]</c>:
/// leave-one-category-out cross-validation of the default detector's option grid (or of one registered
/// detector), the measurement every option and component is chosen by.
/// </summary>
internal static class NabCvCommand
{
    private const string Usage = """
        usage: nab-cv --data <folder> [--set <Option>=<v1>,<v2>,...]... [--detector <name>] [--profile <name>] [--json <file>]

          --data <folder>     a NAB-format folder: data/<category>/<name>.csv and windows.json
          --set <O>=<v>,...   grid axis for the default detector (options as in anomaly-tune); without any,
                              the grid is the frozen defaults alone
          --detector <name>   cross-validate one registered detector instead of a grid (no --set)
          --profile <name>    standard (default), reward_low_FP or reward_low_FN: the profile that selects and scores
          --json <file>       also write mean, worst and the folds as JSON

        Each category with windows is held out in turn: the configuration with the best mean per-category
        standard score on the others (at most 4 false-positive rows on the files without windows) is scored
        on it. The mean and worst of those held-out scores estimate how the choice does on unseen series.
        """;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        string? data = null;
        string? json = null;
        string? detector = null;
        var profile = NabProfile.Standard;
        var axes = new List<(string Name, string[] Values)>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (arg is not ("--data" or "--json" or "--set" or "--detector" or "--profile"))
            {
                return await FailAsync($"unknown argument '{arg}'.").ConfigureAwait(false);
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                return await FailAsync($"{arg} needs a value.").ConfigureAwait(false);
            }

            var value = args[++i];
            switch (arg)
            {
                case "--data":
                    data = value;
                    break;
                case "--json":
                    json = value;
                    break;
                case "--detector":
                    detector = value;
                    break;
                case "--profile":
                    NabProfile[] profiles = [NabProfile.Standard, NabProfile.RewardLowFalsePositives, NabProfile.RewardLowFalseNegatives];
                    if (profiles.FirstOrDefault(p => p.Name == value) is not { Name: not null } named)
                    {
                        return await FailAsync($"unknown profile '{value}' (standard, reward_low_FP or reward_low_FN).").ConfigureAwait(false);
                    }

                    profile = named;
                    break;
                default:
                    if (!AnomalyOptionGrid.TryParseAxis(value, out var axis))
                    {
                        return await FailAsync($"--set '{value}' is not <Option>=<v1>,<v2>,....").ConfigureAwait(false);
                    }

                    axes.Add(axis);
                    break;
            }
        }

        if (data is null)
        {
            return await FailAsync("--data is required.").ConfigureAwait(false);
        }

        if (detector is not null && axes.Count > 0)
        {
            return await FailAsync("--set varies the default detector's options; it cannot be combined with --detector.").ConfigureAwait(false);
        }

        List<StreamingAnomalyScorerRegistration> candidates;
        if (detector is not null)
        {
            if (!NabCommand.CreateRegistry().TryGet(detector, out var registration))
            {
                return await FailAsync($"unknown detector '{detector}'. Registered detectors: {string.Join(", ", NabCommand.CreateRegistry().Names)}.").ConfigureAwait(false);
            }

            candidates = [registration];
        }
        else
        {
            try
            {
                candidates = [.. AnomalyOptionGrid.Expand(axes).Select(static c =>
                    DefaultAnomalyDetectorRegistrations.Registration(c.Label.Length == 0 ? "defaults" : c.Label, c.Options, c.Label))];
            }
            catch (ArgumentException ex)
            {
                return await FailAsync(ex.Message).ConfigureAwait(false);
            }
        }

        if (!Directory.Exists(data))
        {
            return await FailAsync($"data folder '{data}' does not exist.").ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        NabCrossValidationResult result;
        try
        {
            result = NabCrossValidation.Run(NabLoader.Load(data), candidates, profile);
        }
        catch (Exception ex) when (ex is NabFormatException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"nab-cv: cannot load '{data}': {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"nab-cv: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Print(result, seconds);
        if (json is not null)
        {
            await WriteJsonAsync(json, result).ConfigureAwait(false);
            Console.WriteLine($"wrote {json}");
        }

        return 0;
    }

    private static async Task<int> FailAsync(string problem)
    {
        await Console.Error.WriteLineAsync($"nab-cv: {problem}{Environment.NewLine}{Usage}").ConfigureAwait(false);
        return 2;
    }

    private static void Print(NabCrossValidationResult result, double seconds)
    {
        Console.WriteLine(string.Create(Invariant, $"leave-one-category-out over {result.Folds.Count} categories, {result.Configurations} configuration(s)"));
        Console.WriteLine();
        Console.WriteLine($"{"held out",-24} {"score",7} {"inner",7} {"hit",7} {"FP ev",6} {"noFP",5}  selected on the others");
        foreach (var fold in result.Folds)
        {
            Console.WriteLine(string.Create(Invariant,
                $"{fold.HeldOut,-24} {fold.Score,7:F2} {fold.InnerMean,7:F2} {fold.WindowsHit,3}/{fold.Windows,-3} {fold.FalsePositiveEvents,6} {fold.NoAnomalyFalsePositiveRows,5}  {fold.Selected}"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(Invariant, $"cross-validated mean {result.Mean:F2}, worst fold {result.Worst:F2}"));
        Console.WriteLine(string.Create(Invariant,
            $"chosen on every category (to freeze): {result.FinalSelection} (in-sample category mean {result.FinalCategoryMean:F2}, {result.FinalNoAnomalyFalsePositiveRows} FP rows without anomalies)"));
        Console.WriteLine(string.Create(Invariant, $"wall time {seconds:F2} s"));
    }

    private static async Task WriteJsonAsync(string path, NabCrossValidationResult result)
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
                writer.WriteStartObject();
                writer.WriteNumber("mean", Math.Round(result.Mean, 4));
                writer.WriteNumber("worst", Math.Round(result.Worst, 4));
                writer.WriteNumber("configurations", result.Configurations);
                writer.WriteStartArray("folds");
                foreach (var fold in result.Folds)
                {
                    writer.WriteStartObject();
                    writer.WriteString("held_out", fold.HeldOut);
                    writer.WriteNumber("score", Math.Round(fold.Score, 4));
                    writer.WriteNumber("inner_mean", Math.Round(fold.InnerMean, 4));
                    writer.WriteString("selected", fold.Selected);
                    writer.WriteNumber("windows_hit", fold.WindowsHit);
                    writer.WriteNumber("windows", fold.Windows);
                    writer.WriteNumber("fp_events", fold.FalsePositiveEvents);
                    writer.WriteNumber("no_anomaly_fp_rows", fold.NoAnomalyFalsePositiveRows);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteStartObject("final");
                writer.WriteString("selected", result.FinalSelection);
                writer.WriteNumber("category_mean", Math.Round(result.FinalCategoryMean, 4));
                writer.WriteNumber("no_anomaly_fp_rows", result.FinalNoAnomalyFalsePositiveRows);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
        }
    }
}
