using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Events;

namespace AnalyticsHub.Metrics;

/// <summary>
/// Reads a batch of metric wire objects (spec 1.4), framed as the events' reader frames a batch: a JSON array; NDJSON
/// (one metric per line) when the input does not start with <c>[</c> and its first value ends on its first line; JSON
/// values one after another (pretty-printed) otherwise; with a result per item. The JSON form only: <see cref="MetricPoints.Validate"/> checks the
/// values afterwards.
/// </summary>
/// <remarks>
/// Like the events' reader: one bad item never spoils the others, an NDJSON item names its line, a syntax error between
/// array items ends the array, an item over the size limit is refused (<c>event_too_large</c>) and the items past the
/// item limit are not read (one <c>too_many_items</c> item ends the batch). Problem paths are relative to the item
/// (<c>$</c> for the item itself, <c>value</c>, <c>stats.p95</c>).
/// </remarks>
internal static class MetricBatchReader
{
    /// <summary>One item of the batch: its metric, or why it could not be read.</summary>
    internal readonly record struct Item(int Index, long? LineNumber, Metric? Metric, IReadOnlyList<Problem> Problems);

    public static List<Item> Read(ReadOnlySpan<byte> utf8, int maxItems, int maxItemBytes)
    {
        var items = new List<Item>();
        var first = utf8.IndexOfAnyExcept(" \t\r\n"u8);
        if (first >= 0 && utf8[first] == '[')
        {
            ReadFramed(utf8, items, maxItems, maxItemBytes, valueSequence: false);
        }
        else if (first >= 0 && JsonFramer.FirstValueSpansLines(utf8[first..], eof: true) == true)
        {
            ReadFramed(utf8, items, maxItems, maxItemBytes, valueSequence: true);
        }
        else
        {
            ReadLines(utf8, items, maxItems, maxItemBytes);
        }

        return items;
    }

    /// <summary>Whether reading stopped at the item limit (the last item is the <c>too_many_items</c> one).</summary>
    public static bool ReachedItemLimit(List<Item> items) =>
        items.Count > 0 && items[^1].Problems is [{ Code: ProblemCodes.TooManyItems }];

    private static void ReadLines(ReadOnlySpan<byte> utf8, List<Item> items, int maxItems, int maxItemBytes)
    {
        var offset = 0;
        var line = 0L;
        while (offset < utf8.Length)
        {
            line++;
            var rest = utf8[offset..];
            var newline = rest.IndexOf((byte)'\n');
            var content = rest[..(newline < 0 ? rest.Length : newline)].Trim(" \t\r"u8);
            if (!content.IsEmpty)
            {
                if (items.Count >= maxItems)
                {
                    items.Add(TooManyItems(items.Count, line, maxItems));
                    return;
                }

                items.Add(ReadItem(content, items.Count, line, maxItemBytes));
            }

            offset += newline < 0 ? rest.Length : newline + 1;
        }
    }

    private static void ReadFramed(ReadOnlySpan<byte> utf8, List<Item> items, int maxItems, int maxItemBytes, bool valueSequence)
    {
        foreach (var item in JsonFramer.Items(utf8, valueSequence))
        {
            if (item.Error is { } error)
            {
                items.Add(new Item(items.Count, null, null, [new Problem(ProblemCodes.InvalidJson, ProblemSeverity.Error, "$", error, item.End)]));
                return;
            }

            if (items.Count >= maxItems)
            {
                items.Add(TooManyItems(items.Count, null, maxItems));
                return;
            }

            items.Add(ReadItem(utf8[item.Start..item.End], items.Count, null, maxItemBytes));
        }
    }

    private static Item ReadItem(ReadOnlySpan<byte> utf8, int index, long? line, int maxItemBytes)
    {
        if (utf8.Length > maxItemBytes)
        {
            return Invalid(index, line, ProblemCodes.EventTooLarge, "$", $"The metric has {utf8.Length} bytes; at most {maxItemBytes} are allowed (Validation.MaxEventBytes).");
        }

        try
        {
            return JsonSerializer.Deserialize(utf8, MetricsJsonContext.Default.Metric) is { } metric
                ? new Item(index, line, metric, [])
                : Invalid(index, line, ProblemCodes.NullNotAllowed, "$", "A metric is a JSON object, not null.");
        }
        catch (JsonException exception)
        {
            var path = exception.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : "$";
            // Syntax errors come from the reader (JsonReaderException, internal to System.Text.Json); the rest are shapes.
            var code = IsSyntaxError(exception) ? ProblemCodes.InvalidJson
                : exception.Message.Contains("missing required properties", StringComparison.Ordinal) ? ProblemCodes.MissingField
                : ProblemCodes.InvalidType;
            return Invalid(index, line, code, path, exception.Message);
        }
        catch (NotSupportedException)
        {
            // The source-generated reader cannot build the abstract Metric without its discriminator.
            return Invalid(index, line, ProblemCodes.MissingField, "metric_type", "A metric needs metric_type: counter, gauge, histogram or summary.");
        }
    }

    private static bool IsSyntaxError(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e.GetType().Name == "JsonReaderException")
            {
                return true;
            }
        }

        return false;
    }

    private static Item TooManyItems(int index, long? line, int maxItems) =>
        Invalid(index, line, ProblemCodes.TooManyItems, "$", string.Create(CultureInfo.InvariantCulture, $"The request holds more than {maxItems} items (Validation.MaxBatchItems); this item and the rest were not read."));

    private static Item Invalid(int index, long? line, string code, string path, string message) =>
        new(index, line, null, [new Problem(code, path, message)]);
}
