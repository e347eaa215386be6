using System.Text;
using System.Text.Json;
using AnalyticsHub.Events;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Events;

/// <summary>Hostile batches: items over the size limit, scalars, broken structure, numbers that are not finite (issue 37).</summary>
public sealed class EventBatchReaderLimitsTests
{
    private const int MaxEventBytes = 64 * 1024;

    private readonly EventBatchReader _reader = new(new EventValidator(
        new EventValidationOptions { MaxEventBytes = MaxEventBytes }, new FakeTimeProvider(SampleEvents.Now)));

    private static string Good(int i) =>
        AnalyticsEventJson.Serialize(SampleEvents.Event(SampleEvents.Latency with { RequestId = "r" + i }) with
        {
            Common = SampleEvents.Event(SampleEvents.Latency).Common with { EventId = Guid.Parse($"00000000-0000-4000-8000-{i:D12}") },
        });

    private async Task<(List<EventItemResult> Results, long Allocated)> ReadStreamAsync(byte[] input)
    {
        // A MemoryStream completes every read synchronously, so the whole read runs on this thread and is measured.
        using var stream = new MemoryStream(input);
        var results = new List<EventItemResult>();
        var before = GC.GetAllocatedBytesForCurrentThread();
        await foreach (var item in _reader.ReadBatchAsync(stream))
        {
            results.Add(item);
        }

        return (results, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("{\"payload\":{\"note\":\"", "\"}}")]
    [InlineData("\"", "\"")]
    public async Task ReadBatchAsync_ArrayItemHoldingAHugeString_IsReportedSkippedUnbufferedAndTheNextItemRead(string open, string close)
    {
        var allocations = new List<long>();
        foreach (var megabytes in new[] { 2, 4 })
        {
            var input = Encoding.UTF8.GetBytes("[" + open + new string('a', megabytes << 20) + close + "," + Good(1) + "]");

            var (results, allocated) = await ReadStreamAsync(input);

            Assert.Equal(2, results.Count);
            Assert.Equal(ProblemCodes.EventTooLarge, Assert.Single(results[0].Problems).Code);
            Assert.Equal(EventItemStatus.Accepted, results[1].Status);
            Assert.Equal(1, results[1].Index);
            allocations.Add(allocated);
        }

        // The buffer never grows past the event limit plus one read: the same cost for 2 and 4 MiB, far below either.
        Assert.All(allocations, a => Assert.InRange(a, 0, 4 * MaxEventBytes));
    }

    [Fact]
    public async Task ReadBatchAsync_HugeLineThenAGoodOne_ReportsBothWithBoundedMemory()
    {
        var input = Encoding.UTF8.GetBytes(new string('x', 3 << 20) + "\n" + Good(2) + "\n");

        var (results, allocated) = await ReadStreamAsync(input);

        Assert.Equal([EventItemStatus.Invalid, EventItemStatus.Accepted], results.Select(r => r.Status));
        Assert.Equal([1L, 2L], results.Select(r => r.LineNumber ?? 0));
        Assert.InRange(allocated, 0, 4 * MaxEventBytes);
    }

    [Fact]
    public async Task ReadBatchAsync_MegabytesOfWhiteSpaceBeforeTheArray_AreDroppedNotBuffered()
    {
        var input = Encoding.UTF8.GetBytes(new string(' ', 3 << 20) + "[" + Good(3) + "]");

        var (results, allocated) = await ReadStreamAsync(input);

        Assert.Equal(EventItemStatus.Accepted, Assert.Single(results).Status);
        Assert.InRange(allocated, 0, 4 * MaxEventBytes);
    }

    [Fact]
    public void ReadBatch_MalformedItemInAnArray_SpoilsOnlyItself()
    {
        var results = _reader.ReadBatch(Encoding.UTF8.GetBytes("[{\"event_id\": oops}, " + Good(4) + "]"));

        Assert.Equal([EventItemStatus.Invalid, EventItemStatus.Accepted], results.Select(r => r.Status));
        Assert.Equal(ProblemCodes.InvalidJson, results[0].Problems[0].Code);
    }

    [Theory]
    [InlineData("[{} {}]")]
    [InlineData("[{},]")]
    [InlineData("[{}] x")]
    [InlineData("[{}")]
    public void ReadBatch_BrokenStructureBetweenItems_EndsWithAnInvalidJsonItem(string input)
    {
        var results = _reader.ReadBatch(Encoding.UTF8.GetBytes(input));

        Assert.Equal(ProblemCodes.InvalidJson, results[^1].Problems[0].Code);
        Assert.Equal("$", results[^1].Problems[0].Path);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890"
        + "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890"
        + "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890"
        + "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890")]
    public void ReadEvent_CustomDataWithANumberBeyondDouble_IsRefusedAtItsPath(string number)
    {
        var evt = SampleEvents.Event(new CustomPayload { CustomType = "note", Data = JsonDocument.Parse("{\"ok\":1}").RootElement });
        var json = AnalyticsEventJson.Serialize(evt).Replace("{\"ok\":1}", "{\"ok\":1,\"deep\":[{\"x\":" + number + "}]}", StringComparison.Ordinal);
        Assert.Contains(number, json, StringComparison.Ordinal);

        var result = _reader.ReadEvent(Encoding.UTF8.GetBytes(json));

        Assert.Equal(EventItemStatus.Invalid, result.Status);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(ProblemCodes.NonFiniteNumber, problem.Code);
        Assert.Equal("payload.data.data.deep[0].x", problem.Path);
    }
}
