using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.Evaluation.Incidents;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Traffic;

/// <summary>
/// <c>volume-truth [--seed &lt;n&gt;] [--scenarios &lt;k&gt;] [--tier easy|medium|hard]</c>: checks the truth's
/// volume series against the generated data. For every (model, region) series a rate-boosting incident (the
/// marketing surge, the leaked key's attacker) adds traffic to, it prints the traffic model's expectation, the
/// rise observed in the series' `throughput` aggregates, and whether the previous truth (primary and attacker
/// series only) and the current truth (material rises, <see cref="TrafficModel.IsMaterial"/>) list it.
/// </summary>
/// <remarks>
/// The scenarios are the <c>incidents</c> command's (same shortening and end). The observed rise compares the
/// mean requests per aggregate interval in the incident's plateau with the hour before its start, scaled by the
/// traffic model's daily shape between the two (the count the plateau would have had without the incident);
/// a series rose when that excess over the plateau is at least <see cref="TrafficModel.MaterialZ"/> standard
/// deviations of the same variation the rule uses (Poisson over the plateau and the rate's wander).
/// </remarks>
internal static class VolumeTruthCommand
{
    private const string Usage = """
        usage: volume-truth [--seed <n>] [--scenarios <k>] [--tier easy|medium|hard]

          --seed <n>        first seed (default 1)
          --scenarios <k>   how many scenarios (default 1)
          --tier <name>     a built-in preset (default hard)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        ulong seed = 1;
        var scenarios = 1;
        var tier = "hard";
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (args[i] is not ("--seed" or "--scenarios" or "--tier") || i + 1 >= args.Length)
            {
                await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
                return 2;
            }

            var value = args[++i];
            var valid = args[i - 1] switch
            {
                "--seed" => ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seed),
                "--scenarios" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out scenarios) && scenarios is >= 1 and <= 100,
                _ => (tier = value) is "easy" or "medium" or "hard",
            };
            if (!valid)
            {
                await Console.Error.WriteLineAsync($"volume-truth: '{value}' is not a valid value for {args[i - 1]}.").ConfigureAwait(false);
                return 2;
            }
        }

        var template = ScenarioConfig.ForTier(tier);
        var shortened = IncidentsCommand.Shorten(template, Math.Min(template.DurationHours, IncidentsCommand.DefaultHours));
        var tally = new int[2, 2, 2];
        Console.WriteLine("seed | incident | model | region | scope | expected rps | expected rise | z | observed per interval (before, plateau) | observed rise (shape-adjusted) | observed z | rose | old truth | new truth");
        for (var s = 0; s < scenarios; s++)
        {
            var config = shortened with { Seed = seed + (ulong)s, End = template.End ?? IncidentsCommand.DefaultEnd };
            var simulation = new TrafficSimulation(config);
            var candidates = simulation.PlannedVolumeCandidates();
            if (candidates.Count == 0)
            {
                continue;
            }

            var world = World.Build(config);
            var traffic = TrafficModel.For(config, world);
            var counts = CountRequests(simulation, config.World.AggregateIntervalSeconds);
            var interval = config.World.AggregateIntervalSeconds * TimeSpan.TicksPerSecond;
            foreach (var c in candidates)
            {
                var incidentStart = c.IncidentStart;
                var before = MeanCount(counts, c.Model, c.Region, incidentStart - TimeSpan.TicksPerHour, incidentStart, interval);
                var plateau = MeanCount(counts, c.Model, c.Region, c.PlateauStart, c.PlateauEnd, interval);
                var middle = c.PlateauStart + ((c.PlateauEnd - c.PlateauStart) / 2);
                var shape = traffic.SeriesRate(c.Model, c.Region, middle) / Math.Max(1e-12, traffic.SeriesRate(c.Model, c.Region, incidentStart - (TimeSpan.TicksPerHour / 2)));
                var without = before * shape;
                var intervals = Math.Max(1, (c.PlateauEnd - c.PlateauStart) / interval);
                var spread = traffic.RateWander * without * intervals;
                var observedZ = (plateau - without) * intervals / Math.Sqrt(Math.Max(without * intervals, 1) + (spread * spread));
                var rose = observedZ >= TrafficModel.MaterialZ;
                var old = c.Scope != "secondary";
                tally[0, old ? 1 : 0, rose ? 1 : 0]++;
                tally[1, c.Listed ? 1 : 0, rose ? 1 : 0]++;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{config.Seed} | {c.IncidentId} | {world.Models[c.Model].Id} | {World.Regions[c.Region]} | {c.Scope} | {c.BaselinePerSecond:F3} | {c.AddedPerSecond / Math.Max(1e-12, c.BaselinePerSecond):F2} | {c.Z:F1} | {before:F1}, {plateau:F1} | {plateau / Math.Max(1e-12, without):F2} | {observedZ:F1} | {(rose ? "yes" : "no")} | {(old ? "listed" : "-")} | {(c.Listed ? "listed" : "-")}"));
            }
        }

        for (var t = 0; t < 2; t++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(t == 0 ? "old" : "new")} truth: listed and rose {tally[t, 1, 1]}, listed and did not rise {tally[t, 1, 0]}, rose but not listed {tally[t, 0, 1]}, neither {tally[t, 0, 0]}; agrees on {tally[t, 1, 1] + tally[t, 0, 0]} of {tally[t, 0, 0] + tally[t, 0, 1] + tally[t, 1, 0] + tally[t, 1, 1]}"));
        }

        return 0;
    }

    /// <summary>Requests per aggregate, keyed by (model id, region) and the aggregate's end (event time), duplicates counted once.</summary>
    private static Dictionary<(string Model, string Region), SortedDictionary<long, double>> CountRequests(TrafficSimulation simulation, int intervalSeconds)
    {
        var seen = new HashSet<Guid>();
        var counts = new Dictionary<(string Model, string Region), SortedDictionary<long, double>>();
        foreach (var evt in simulation.Generate())
        {
            if (evt.Payload is not ThroughputMetrics throughput || !evt.Common.Tags.TryGetValue("region", out var region) || !seen.Add(evt.Common.EventId))
            {
                continue;
            }

            var key = (throughput.ModelId, region);
            if (!counts.TryGetValue(key, out var series))
            {
                counts[key] = series = [];
            }

            series[evt.Common.Timestamp.UtcTicks] = throughput.RequestsPerSecond * intervalSeconds;
        }

        return counts;
    }

    /// <summary>The mean count per aggregate ending in (from, to]; an interval with no aggregate (no traffic) counts 0.</summary>
    private static double MeanCount(Dictionary<(string Model, string Region), SortedDictionary<long, double>> counts, int model, int region, long from, long to, long interval)
    {
        var intervals = Math.Max(1, (to - from) / interval);
        if (!counts.TryGetValue((World.CatalogModels[model].Id, World.Regions[region]), out var series))
        {
            return 0;
        }

        var sum = 0.0;
        foreach (var (end, count) in series)
        {
            if (end > from && end <= to)
            {
                sum += count;
            }
        }

        return sum / intervals;
    }
}
