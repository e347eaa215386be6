using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.Evaluation.Hosting;

/// <summary>
/// <c>http-ingest --url &lt;api base&gt; [--connections 8] [--events-per-request 1000] [--requests 400] [--seconds 60] [--in-process]</c>:
/// the loopback NDJSON load generator for the HTTP API target (PERFORMANCE.md).
/// </summary>
/// <remarks>
/// It builds the pinned mix once, as NDJSON bodies of <c>events-per-request</c> events with distinct ids, then posts them
/// to <c>&lt;url&gt;/events</c> over <c>connections</c> concurrent connections until every body is sent or the time
/// bound passes, and prints events per second (stored events over wall time), the status codes, and request latency
/// percentiles. Run the host in another process, e.g.
/// <c>dotnet samples/WebHost/bin/Release/net10.0/WebHost.dll --urls http://127.0.0.1:5080</c>, then
/// <c>http-ingest --url http://127.0.0.1:5080/api/v1</c>. With <c>--in-process</c> it instead ingests the same bodies
/// through <see cref="IAnalyticsHub.IngestAsync(Stream, CancellationToken)"/> of a hub in its own process, with the same
/// concurrency and waiting for storage as the endpoint does: the peer of the comparison. Timing belongs on a quiet
/// machine (load below 1); this command only measures, it asserts nothing.
/// </remarks>
internal static class HttpIngestCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync("usage: http-ingest --url <api base> [--connections 8] [--events-per-request 1000] [--requests 400] [--seconds 60] [--in-process]").ConfigureAwait(false);
            return 2;
        }

        var bodies = Bodies(options.Requests, options.EventsPerRequest);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bodies.Length} bodies of {options.EventsPerRequest} events, {bodies.Sum(b => (long)b.Length) / bodies.Length:N0} B each; {options.Connections} connections; at most {options.Seconds} s"));
        return options.InProcess ? await InProcessAsync(options, bodies).ConfigureAwait(false) : await OverHttpAsync(options, bodies).ConfigureAwait(false);
    }

    private static async Task<int> OverHttpAsync(Options options, byte[][] bodies)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, UseProxy = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(options.Url!.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(options.Seconds + 30) };
        var latencies = new long[bodies.Length];
        var statuses = new int[bodies.Length];
        var stored = new long[bodies.Length];
        var next = -1;
        var deadline = Stopwatch.GetTimestamp() + (long)(options.Seconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, options.Connections).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Length && Stopwatch.GetTimestamp() < deadline)
            {
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new("application/x-ndjson");
                var begin = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("events", content).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                latencies[i] = Stopwatch.GetTimestamp() - begin;
                statuses[i] = (int)response.StatusCode;
                stored[i] = SuccessCount(body);
            }
        }).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var sent = Math.Min(bodies.Length, next);
        Report("http", stored.Sum(), elapsed, latencies[..sent]);
        foreach (var group in statuses[..sent].GroupBy(s => s).OrderBy(g => g.Key))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  HTTP {group.Key}: {group.Count()} requests"));
        }

        return statuses[..sent].All(s => s == (int)HttpStatusCode.OK) ? 0 : 1;
    }

    private static async Task<int> InProcessAsync(Options options, byte[][] bodies)
    {
        var services = new ServiceCollection();
        services.AddAnalyticsHub();
        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync().ConfigureAwait(false);
        var latencies = new long[bodies.Length];
        var stored = new long[bodies.Length];
        var next = -1;
        var deadline = Stopwatch.GetTimestamp() + (long)(options.Seconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, options.Connections).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Length && Stopwatch.GetTimestamp() < deadline)
            {
                var begin = Stopwatch.GetTimestamp();
                using var stream = new MemoryStream(bodies[i], writable: false);
                var result = await hub.IngestAsync(stream).ConfigureAwait(false);
                var final = await result.Completion.ConfigureAwait(false);
                latencies[i] = Stopwatch.GetTimestamp() - begin;
                stored[i] = final.Count(item => item.Status == EventItemStatus.Stored);
            }
        })).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        await hub.StopAsync().ConfigureAwait(false);
        Report("in-process", stored.Sum(), elapsed, latencies[..Math.Min(bodies.Length, next)]);
        return 0;
    }

    private static void Report(string mode, long events, TimeSpan elapsed, long[] latencies)
    {
        Array.Sort(latencies);
        double Percentile(double q) => latencies.Length == 0 ? 0 : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{mode}: {events:N0} events stored in {elapsed.TotalSeconds:F2} s = {events / elapsed.TotalSeconds:N0} events/s; {latencies.Length} requests, latency p50 {Percentile(0.50):F1} ms, p99 {Percentile(0.99):F1} ms, max {Percentile(1.0):F1} ms"));
    }

    private static long SuccessCount(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("success_count", out var count)
            ? count.GetInt64()
            : 0;
    }

    /// <summary>The pinned mix as NDJSON bodies; every event has its own id, so nothing is a duplicate.</summary>
    private static byte[][] Bodies(int requests, int eventsPerRequest)
    {
        var events = PinnedMixWorkload.Create(requests * eventsPerRequest, DateTimeOffset.UtcNow.AddMinutes(-1));
        var bodies = new byte[requests][];
        var builder = new StringBuilder();
        for (var r = 0; r < requests; r++)
        {
            builder.Clear();
            for (var e = 0; e < eventsPerRequest; e++)
            {
                builder.Append(JsonSerializer.Serialize(events[(r * eventsPerRequest) + e], AnalyticsHubJsonContext.Default.AnalyticsEvent)).Append('\n');
            }

            bodies[r] = Encoding.UTF8.GetBytes(builder.ToString());
        }

        return bodies;
    }

    private static Options? Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--url":
                    options.Url = Value();
                    break;
                case "--connections":
                    options.Connections = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--events-per-request":
                    options.EventsPerRequest = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--requests":
                    options.Requests = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--seconds":
                    options.Seconds = double.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--in-process":
                    options.InProcess = true;
                    break;
                default:
                    return null;
            }
        }

        return (options.Url is null && !options.InProcess) || options.Connections < 1 || options.EventsPerRequest < 1 || options.Requests < 1 || options.Seconds <= 0 ? null : options;
    }

    private sealed class Options
    {
        public string? Url { get; set; }

        public int Connections { get; set; } = 8;

        public int EventsPerRequest { get; set; } = 1000;

        public int Requests { get; set; } = 400;

        public double Seconds { get; set; } = 60;

        public bool InProcess { get; set; }
    }
}
