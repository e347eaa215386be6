using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using AnalyticsHub.Evaluation.Nab;
using AnalyticsHub.Events;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Traffic;

/// <summary>
/// <c>simulate (--config &lt;file.json&gt; | --tier easy|medium|hard) [--seed &lt;n&gt;] [--end &lt;instant&gt;] --out &lt;folder&gt; [--nab &lt;folder&gt;]</c>:
/// generates a scenario and writes its events as NDJSON, its ground truth as truth.json and the
/// effective config as config.json (end instant included, so the run can be repeated), and optionally
/// the affected series as a NAB folder for the <c>nab</c> command.
/// </summary>
internal static class SimulateCommand
{
    private const string Usage = """
        usage: simulate (--config <file.json> | --tier easy|medium|hard) [--seed <n>] [--end <instant>] --out <folder> [--nab <folder>]
               simulate (--config <file.json> | --tier ...) [--seed <n>] --bench
               simulate (--config <file.json> | --tier ...) --print-config

          --config <file>   a scenario config (JSON, see docs/simulation.md)
          --tier <name>     a built-in preset: easy, medium or hard
          --seed <n>        override the config's seed
          --end <instant>   end of the timeline, RFC 3339 (default: now)
          --out <folder>    write events.ndjson, truth.json and config.json here
          --nab <folder>    also write the affected series as a NAB folder (data/<category>/<name>.csv + windows.json)
          --bench           generate without writing and report events per second
          --print-config    print the effective config as JSON and stop
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        string? configPath = null, tier = null, output = null, nab = null, seedText = null, endText = null;
        var bench = false;
        var print = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (arg == "--bench")
            {
                bench = true;
                continue;
            }

            if (arg == "--print-config")
            {
                print = true;
                continue;
            }

            if (arg is not ("--config" or "--tier" or "--out" or "--nab" or "--seed" or "--end") || i + 1 >= args.Length)
            {
                return await FailAsync(arg.StartsWith("--", StringComparison.Ordinal) && i + 1 >= args.Length ? $"{arg} needs a value." : $"unknown argument '{arg}'.").ConfigureAwait(false);
            }

            var value = args[++i];
            switch (arg)
            {
                case "--config": configPath = value; break;
                case "--tier": tier = value; break;
                case "--out": output = value; break;
                case "--nab": nab = value; break;
                case "--seed": seedText = value; break;
                default: endText = value; break;
            }
        }

        if ((configPath is null) == (tier is null))
        {
            return await FailAsync("give exactly one of --config and --tier.").ConfigureAwait(false);
        }

        if (output is null && !bench && !print)
        {
            return await FailAsync("--out is required (or --bench).").ConfigureAwait(false);
        }

        ScenarioConfig config;
        try
        {
            config = configPath is not null ? ScenarioConfigJson.Load(configPath) : ScenarioConfig.ForTier(tier!);
        }
        catch (Exception ex) when (ex is ScenarioConfigException or ArgumentException or IOException)
        {
            await Console.Error.WriteLineAsync($"simulate: {ex.Message}").ConfigureAwait(false);
            return ex is ScenarioConfigException ? 1 : 2;
        }

        if (seedText is not null)
        {
            if (!ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
            {
                return await FailAsync($"--seed '{seedText}' is not a non-negative integer.").ConfigureAwait(false);
            }

            config.Seed = seed;
        }

        if (endText is not null)
        {
            if (!DateTimeOffset.TryParse(endText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end))
            {
                return await FailAsync($"--end '{endText}' is not an instant.").ConfigureAwait(false);
            }

            config.End = end;
        }

        if (print)
        {
            Console.WriteLine(ScenarioConfigJson.Write(config));
            return 0;
        }

        var simulation = new TrafficSimulation(config);
        config.End = simulation.End;
        Console.WriteLine($"scenario {config.Name}, seed {config.Seed}, {simulation.Start:O} .. {simulation.End:O}, {config.Incidents.Count} incidents");

        var started = Stopwatch.GetTimestamp();
        long count;
        NabSeriesExporter? exporter = nab is not null ? new NabSeriesExporter(simulation.PlannedGroundTruth()) : null;
        if (output is null)
        {
            count = 0;
            foreach (var evt in simulation.Generate())
            {
                exporter?.Observe(evt);
                count++;
            }
        }
        else
        {
            Directory.CreateDirectory(output);
            count = WriteEvents(Path.Combine(output, "events.ndjson"), simulation, exporter);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var truth = simulation.GroundTruth;
        if (output is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(output, "truth.json"), GroundTruthJson.Write(truth)).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(output, "config.json"), ScenarioConfigJson.Write(config)).ConfigureAwait(false);
        }

        if (exporter is not null)
        {
            Directory.CreateDirectory(nab!);
            exporter.Write(nab!);
            Console.WriteLine($"wrote {exporter.SeriesCount} series to {nab}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count:N0} events ({truth.Delivery.DuplicatesEmitted:N0} duplicates, {truth.Delivery.EventsDropped:N0} dropped) in {seconds:F2} s: {count / seconds:N0} events/s{(output is null ? " (generation only)" : " (generated and written)")}"));
        foreach (var incident in truth.Incidents)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {incident.Id,-32} {incident.Start:HH:mm}..{incident.End:HH:mm} root {incident.Root?.Kind ?? "none",-8} members {incident.Members.Count,4} extra ${incident.Impact.AdditionalCostUsd:F2} affected {incident.Impact.AffectedRequests:N0}"));
        }

        if (output is not null)
        {
            Console.WriteLine($"wrote {output}/events.ndjson, truth.json, config.json");
        }

        return 0;
    }

    private static long WriteEvents(string path, TrafficSimulation simulation, NabSeriesExporter? exporter)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        long count = 0;
        foreach (var evt in simulation.Generate())
        {
            exporter?.Observe(evt);
            AnalyticsEventJson.Write(writer, evt);
            writer.Flush();
            file.WriteByte((byte)'\n');
            writer.Reset();
            count++;
        }

        return count;
    }

    private static async Task<int> FailAsync(string problem)
    {
        await Console.Error.WriteLineAsync($"simulate: {problem}{Environment.NewLine}{Usage}").ConfigureAwait(false);
        return 2;
    }
}
