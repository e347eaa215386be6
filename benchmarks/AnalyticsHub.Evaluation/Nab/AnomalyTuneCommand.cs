using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.Anomalies;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>
/// <c>anomaly-tune --data &lt;folder&gt; [--set Name=v1,v2,...]...</c>: runs the default detector over a NAB
/// folder for every combination of the given option values and prints each one's scores at its own
/// threshold and the hindsight sweep, so defaults are chosen by measurement.
/// </summary>
internal static class AnomalyTuneCommand
{
    private const string Usage = """
        usage: anomaly-tune --data <folder> [--set <Option>=<v1>,<v2>,...]...

          options: Threshold, Components (flags, e.g. Level|Seasonal), LongWindow, ShortWindow, WarmUpPoints,
                   MinimumDeviation, HistoryHalfLife, SuppressionPoints, SeasonalBucketSeconds,
                   SeasonalLearningRate, ActivityGain
        """;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        string? data = null;
        var perFile = false;
        var grid = new List<(string Name, string[] Values)>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--files")
            {
                perFile = true;
            }
            else if (args[i] == "--data" && i + 1 < args.Length)
            {
                data = args[++i];
            }
            else if (args[i] == "--set" && i + 1 < args.Length && AnomalyOptionGrid.TryParseAxis(args[i + 1], out var axis))
            {
                grid.Add(axis);
                i++;
            }
            else
            {
                await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
                return 2;
            }
        }

        if (data is null)
        {
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        IReadOnlyList<(string Label, AnomalyDetectorOptions Options)> configurations;
        try
        {
            configurations = AnomalyOptionGrid.Expand(grid);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"anomaly-tune: {ex.Message}{Environment.NewLine}{Usage}").ConfigureAwait(false);
            return 2;
        }

        var corpus = NabLoader.Load(data);
        Console.WriteLine($"{"configuration",-60} {"std",6} {"lowFP",6} {"lowFN",6} {"hit",4} {"FPev",5} {"noFP",5} {"sweep",6} {"at",8} {"s",5}");
        foreach (var (label, options) in configurations)
        {
            var started = Stopwatch.GetTimestamp();
            var run = NabRunner.Run(corpus, DefaultAnomalyDetectorRegistrations.Registration("tune", options, label));
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var sweep = run.Sweep(NabProfile.Standard);
            var total = run.Total;
            Console.WriteLine(string.Create(Invariant,
                $"{label,-60} {total.Normalised(NabProfile.Standard),6:F2} {total.Normalised(NabProfile.RewardLowFalsePositives),6:F2} {total.Normalised(NabProfile.RewardLowFalseNegatives),6:F2} {total.WindowsHit,4} {total.FalsePositiveEvents,5} {total.NoAnomalyFalsePositiveRows,5} {sweep.Normalised,6:F2} {sweep.Threshold,8:F4} {seconds,5:F2}"));
            if (perFile)
            {
                foreach (var file in run.Files)
                {
                    var t = file.Tally;
                    Console.WriteLine(string.Create(Invariant, $"    {file.Series.Name,-50} win {t.Windows} hit {t.WindowsHit} fp {t.FalsePositiveEvents} tp {t.TruePositiveSum:F2} fpsum {t.FalsePositiveSum:F2}"));
                }
            }
        }

        return 0;
    }
}
