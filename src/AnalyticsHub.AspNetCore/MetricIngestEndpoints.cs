using System.Buffers;
using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.AspNetCore;

/// <summary>
/// <c>POST /metrics</c>: metric wire objects (counter, gauge, histogram, summary; spec 1.4) as a JSON array or NDJSON,
/// into <see cref="IAnalyticsHub.IngestMetricsAsync"/>, answered like <c>POST /events</c> (same envelope, codes, paths).
/// </summary>
internal static class MetricIngestEndpoints
{
    public static void Map(RouteGroupBuilder ingest) =>
        ingest.MapPost("/metrics", IngestAsync)
            .WithOperationId("IngestMetrics")
            .WithSummary("Ingests metrics (counter, gauge, histogram, summary) as a JSON array or NDJSON (one metric per line); they go through the hub's stages like events' points.")
            .Accepts<Metric>("application/json", "application/x-ndjson")
            .ProducesIngestAnswers();

    private static async Task<IResult> IngestAsync(
        HttpContext context,
        IAnalyticsHub hub,
        IOptions<AnalyticsHubHttpOptions> options,
        IOptions<AnalyticsHubOptions> hubOptions,
        TimeProvider clock)
    {
        var settings = options.Value;
        if (IngestEndpoints.OpenBody(context, hub, settings, clock, out var body) is { } refused)
        {
            return refused;
        }

        // Metrics are small and few per request: the body is read whole (within the limit), then framed.
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(64 * 1024, settings.MaxRequestBodySize + 1));
        int read;
        while ((read = await body.ReadAsync(buffer.GetMemory(16 * 1024), context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Advance(read);
        }

        if (body.Exceeded)
        {
            return ApiResults.Error(
                ApiError.PayloadTooLarge($"The body exceeds {settings.MaxRequestBodySize} bytes; no metric was ingested. Split it into several requests.", clock),
                clock);
        }

        var validation = hubOptions.Value.Validation;
        var items = MetricBatchReader.Read(buffer.WrittenSpan, validation.MaxBatchItems, validation.MaxEventBytes);
        var readable = new List<Metric>(items.Count);
        var positions = new List<int>(items.Count);
        foreach (var item in items)
        {
            if (item.Metric is { } metric)
            {
                readable.Add(metric);
                positions.Add(item.Index);
            }
        }

        MetricIngestResult? result = null;
        if (readable.Count > 0)
        {
            try
            {
                result = await hub.IngestMetricsAsync(readable, context.RequestAborted).ConfigureAwait(false);
            }
            catch (InvalidOperationException) when (!hub.IsRunning)
            {
                return ApiResults.Unavailable(context, "The analytics hub is not running (not started yet, or stopping).", settings.RetryAfter, clock);
            }
        }

        var offered = Merge(items, result?.Items, positions);
        return await IngestEndpoints.RespondAsync(
            context,
            hub,
            settings,
            clock,
            offered,
            async () => Merge(items, result is null ? null : await result.Completion.ConfigureAwait(false), positions),
            bodyExceeded: false,
            MetricBatchReader.ReachedItemLimit(items),
            "metrics").ConfigureAwait(false);
    }

    /// <summary>
    /// Per item of the body, in order: the reader's refusal, or the hub's answer for its metric with the problem paths made
    /// relative to the item (<c>$[3].tags.environment</c> becomes <c>tags.environment</c>), as <c>POST /events</c> reports them.
    /// </summary>
    private static EventItemResult[] Merge(List<MetricBatchReader.Item> items, IReadOnlyList<MetricItemResult>? ingested, List<int> positions)
    {
        var merged = new EventItemResult[items.Count];
        foreach (var item in items)
        {
            merged[item.Index] = new EventItemResult(item.Index, item.LineNumber, null, EventItemStatus.Invalid, null, item.Problems);
        }

        for (var i = 0; i < (ingested?.Count ?? 0); i++)
        {
            var result = ingested![i];
            var index = positions[i];
            var prefix = $"$[{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}]";
            var problems = result.Problems.Select(p => p with { Path = ItemPath(p.Path, prefix) }).ToArray();
            merged[index] = new EventItemResult(index, items[index].LineNumber, null, result.Status, null, problems, result.Reason);
        }

        return merged;
    }

    private static string ItemPath(string path, string prefix) =>
        !path.StartsWith(prefix, StringComparison.Ordinal) ? path
        : path.Length == prefix.Length ? "$"
        : path[(prefix.Length + (path[prefix.Length] == '.' ? 1 : 0))..];
}
