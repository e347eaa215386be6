using AnalyticsHub.Storage.InMemory;
using FsCheck.Xunit;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.Storage.InMemory;

/// <summary>
/// A series numbers its fields in order of first write and publishes their names: a published names array never
/// changes afterwards (it may be the series' own array when that one is full), whatever fields later writes add or a
/// rejected write takes back.
/// </summary>
public class SeriesWriterFieldProperties
{
    private static readonly string[] Names = ["latency_ms", "ttft_ms", "tokens", "cost", "errors", "cache_hits", "retries"];

    [Property(MaxTest = 300)]
    public void PublishedFieldNames_NeverChangeAfterPublication(int seed)
    {
        var random = new Random(seed);
        var writer = new SeriesWriter(1, "llm_request", Tags(), TimeSpan.TicksPerHour, 64, seal: true);
        var max = random.Next(1, Names.Length + 1);
        var expected = new List<string>();
        var published = new List<(string[] Names, string[] Copy)>();
        for (var step = 0; step < 20; step++)
        {
            var names = Names.OrderBy(_ => random.Next()).Take(random.Next(1, Names.Length + 1)).ToArray();
            var accepted = writer.TryAddFields(names, max, out var over);
            var added = names.Where(n => !expected.Contains(n)).ToList();
            Assert.Equal(expected.Count + added.Count <= max, accepted);
            if (accepted)
            {
                expected.AddRange(added);
                Assert.Null(over);
            }

            Assert.Equal(expected.Count, writer.FieldCount);
            var fieldNames = writer.Publish().FieldNames;
            Assert.Equal(expected, fieldNames);
            published.Add((fieldNames, fieldNames.ToArray()));
            foreach (var (array, copy) in published)
            {
                Assert.Equal(copy, array);
            }
        }
    }
}
