using System.Text;
using AnalyticsHub.Events;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Events;

public class EventBatchReaderTests
{
    private readonly EventBatchReader _reader = new(new EventValidator(timeProvider: new FakeTimeProvider(SampleEvents.Now)));

    private static string Json(EventPayload payload) => AnalyticsEventJson.Serialize(SampleEvents.Event(payload) with { });

    private static string Good(int i) =>
        AnalyticsEventJson.Serialize(SampleEvents.Event(SampleEvents.Latency with { RequestId = "r" + i }) with
        {
            Common = SampleEvents.Event(SampleEvents.Latency).Common with { EventId = Guid.Parse($"00000000-0000-4000-8000-{i:D12}") },
        });

    private const string NotJson = "{\"event_id\": oops}";

    private static string Warned() => Json(SampleEvents.TokenUsage with { TotalTokens = 1 });

    private static string Invalid() => Json(SampleEvents.Latency with { TotalLatencyMs = -5 });

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private async Task<List<EventItemResult>> ReadStream(string text, int chunk = 7)
    {
        var results = new List<EventItemResult>();
        await foreach (var item in _reader.ReadBatchAsync(new ChunkedStream(Bytes(text), chunk)))
        {
            results.Add(item);
        }

        return results;
    }

    private static void AssertMixed(IReadOnlyList<EventItemResult> results, bool lines)
    {
        Assert.Equal(4, results.Count);
        Assert.Equal([0, 1, 2, 3], results.Select(r => r.Index));

        Assert.True(results[0].IsAccepted);
        Assert.Equal(Guid.Parse("00000000-0000-4000-8000-000000000001"), results[0].EventId);
        Assert.Empty(results[0].Problems);

        Assert.False(results[1].IsAccepted);
        Assert.Equal(ProblemCodes.InvalidJson, Assert.Single(results[1].Problems).Code);
        Assert.Null(results[1].Event);

        Assert.True(results[2].IsAccepted);
        Assert.Equal(ProblemCodes.TokenTotalMismatch, Assert.Single(results[2].Problems).Code);

        Assert.False(results[3].IsAccepted);
        var problem = Assert.Single(results[3].Problems);
        Assert.Equal(ProblemCodes.NegativeValue, problem.Code);
        Assert.Equal("payload.data.total_latency_ms", problem.Path);
        Assert.Equal(SampleEvents.Event(SampleEvents.Latency).EventId, results[3].EventId);

        if (lines)
        {
            Assert.Equal([1L, 3L, 4L, 6L], results.Select(r => r.LineNumber!.Value));
        }
    }

    private static string MixedLines(string newline) =>
        string.Join(newline, Good(1), "", NotJson, Warned(), "   ", Invalid()) + newline + newline;

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void ReadBatch_NdjsonMixingGoodAndBad_ReportsEachItemWithItsLine(string newline)
    {
        AssertMixed(_reader.ReadBatch(Bytes(MixedLines(newline))), lines: true);
    }

    [Theory]
    [InlineData("\n", 1)]
    [InlineData("\r\n", 7)]
    [InlineData("\n", 4096)]
    public async Task ReadBatchAsync_NdjsonInChunks_EqualsByteResult(string newline, int chunk)
    {
        AssertMixed(await ReadStream(MixedLines(newline), chunk), lines: true);
    }

    [Fact]
    public void ReadBatch_NdjsonWithoutFinalNewline_ReadsLastLine()
    {
        var results = _reader.ReadBatch(Bytes(Good(1) + "\n" + Good(2)));
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.IsAccepted));
    }

    [Fact]
    public void ReadBatch_JsonArrayWithInvalidItems_OnlyRejectsThem()
    {
        var text = $"[{Good(1)}, 42, {Warned()},\n {Invalid()}]";
        var results = _reader.ReadBatch(Bytes(text));
        Assert.Equal(4, results.Count);
        Assert.True(results[0].IsAccepted);
        Assert.Equal(ProblemCodes.InvalidType, Assert.Single(results[1].Problems).Code);
        Assert.True(results[2].IsAccepted);
        Assert.False(results[3].IsAccepted);
        Assert.All(results, r => Assert.Null(r.LineNumber));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(100_000)]
    public async Task ReadBatchAsync_JsonArray_EqualsByteResult(int chunk)
    {
        var text = $"  [{Good(1)}, 42, {Warned()},\n {Invalid()}]  ";
        var expected = _reader.ReadBatch(Bytes(text));
        var actual = await ReadStream(text, chunk);
        Assert.Equal(expected.Select(Describe), actual.Select(Describe));
    }

    private static string Describe(EventItemResult r) =>
        $"{r.Index}:{r.Status}:{r.EventId}:{string.Join(",", r.Problems.Select(p => p.Code + "@" + p.Path + "#" + p.ByteOffset))}";

    [Fact]
    public void ReadBatch_ArrayWithSyntaxError_KeepsEarlierItemsAndReportsTheError()
    {
        var results = _reader.ReadBatch(Bytes($"[{Good(1)}, {{\"a\": }}]"));
        Assert.Equal(2, results.Count);
        Assert.True(results[0].IsAccepted);
        Assert.Equal(ProblemCodes.InvalidJson, Assert.Single(results[1].Problems).Code);
    }

    [Fact]
    public async Task ReadBatchAsync_UnclosedArray_ReportsInvalidJson()
    {
        var results = await ReadStream($"[{Good(1)}, {Good(2)}");
        Assert.Equal(3, results.Count);
        Assert.True(results[1].IsAccepted);
        Assert.Equal(ProblemCodes.InvalidJson, Assert.Single(results[2].Problems).Code);
    }

    [Fact]
    public void ReadBatch_ProblemOffsets_AreAbsoluteInTheBatch()
    {
        var first = Good(1);
        var text = first + "\n" + Invalid();
        var results = _reader.ReadBatch(Bytes(text));
        var bad = Bytes(Invalid());
        var offset = results[1].Problems.Single().ByteOffset;
        Assert.Null(offset); // validation problems have no offset: they are about values, not bytes

        var syntax = _reader.ReadBatch(Bytes(first + "\n{\"event_id\": x}"));
        var syntaxOffset = Assert.Single(syntax[1].Problems).ByteOffset;
        Assert.Equal(Bytes(first).Length + 1 + 13, syntaxOffset);
        Assert.NotEmpty(bad);
    }

    [Fact]
    public void ReadBatch_LineOverSizeLimit_IsRejectedAndOthersRead()
    {
        var reader = new EventBatchReader(new EventValidator(new EventValidationOptions { MaxEventBytes = 2048 }, new FakeTimeProvider(SampleEvents.Now)));
        var huge = Json(SampleEvents.Latency with { RequestId = new string('x', 4000) });
        var results = reader.ReadBatch(Bytes(Good(1) + "\n" + huge + "\n" + Good(2) + "\n"));
        Assert.Equal(3, results.Count);
        Assert.True(results[0].IsAccepted);
        Assert.Equal(ProblemCodes.EventTooLarge, Assert.Single(results[1].Problems).Code);
        Assert.Equal(2, results[1].LineNumber);
        Assert.True(results[2].IsAccepted);
    }

    [Fact]
    public async Task ReadBatchAsync_LineOverSizeLimit_IsDroppedWithoutBufferingItWhole()
    {
        var reader = new EventBatchReader(new EventValidator(new EventValidationOptions { MaxEventBytes = 2048 }, new FakeTimeProvider(SampleEvents.Now)));
        var huge = Json(SampleEvents.Latency with { RequestId = new string('x', 200_000) });
        var stream = new ChunkedStream(Bytes(Good(1) + "\n" + huge + "\n" + Good(2) + "\n"), 1000);
        var results = new List<EventItemResult>();
        await foreach (var item in reader.ReadBatchAsync(stream))
        {
            results.Add(item);
        }

        Assert.Equal(3, results.Count);
        Assert.Equal(ProblemCodes.EventTooLarge, Assert.Single(results[1].Problems).Code);
        Assert.Equal(2, results[1].LineNumber);
        Assert.True(results[2].IsAccepted);
        Assert.Equal(3, results[2].LineNumber);
    }

    [Fact]
    public async Task ReadBatchAsync_ArrayElementOverSizeLimit_IsSkipped()
    {
        var reader = new EventBatchReader(new EventValidator(new EventValidationOptions { MaxEventBytes = 2048 }, new FakeTimeProvider(SampleEvents.Now)));
        var big = Json(SampleEvents.Latency with { ModelId = string.Join("", Enumerable.Repeat("a", 100)) }).Replace("\"tags\":{", "\"tags\":{" + string.Join(",", Enumerable.Range(0, 200).Select(i => $"\"k{i}\":\"v\"")) + ",", StringComparison.Ordinal);
        var stream = new ChunkedStream(Bytes($"[{Good(1)},{big},{Good(2)}]"), 100);
        var results = new List<EventItemResult>();
        await foreach (var item in reader.ReadBatchAsync(stream))
        {
            results.Add(item);
        }

        Assert.Equal(3, results.Count);
        Assert.True(results[0].IsAccepted);
        Assert.Equal(ProblemCodes.EventTooLarge, Assert.Single(results[1].Problems).Code);
        Assert.True(results[2].IsAccepted);
    }

    [Fact]
    public void ReadEvent_SingleValidEvent_IsAccepted()
    {
        var result = _reader.ReadEvent(Bytes(Good(7)));
        Assert.True(result.IsAccepted);
        Assert.Equal(Guid.Parse("00000000-0000-4000-8000-000000000007"), result.Event!.EventId);
    }

    [Fact]
    public async Task ReadBatchAsync_EmptyStream_YieldsNothing()
    {
        Assert.Empty(await ReadStream(""));
        Assert.Empty(await ReadStream(" \n\r\n "));
    }

    [Fact]
    public async Task ReadBatchAsync_ManyEvents_StreamsWithBoundedBuffer()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            builder.Append(Good(i)).Append('\n');
        }

        var results = await ReadStream(builder.ToString(), 8192);
        Assert.Equal(2000, results.Count);
        Assert.All(results, r => Assert.True(r.IsAccepted));
        Assert.Equal(Enumerable.Range(0, 2000), results.Select(r => r.Index));
    }

    private static string Pretty(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            document.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public async Task ReadBatch_OnePrettyPrintedEvent_IsOneEvent(int chunk)
    {
        var text = "\n  " + Pretty(Good(1)) + "\n";
        Assert.Contains('\n', text.Trim());

        foreach (var results in new[] { _reader.ReadBatch(Bytes(text)), await ReadStream(text, chunk) })
        {
            var item = Assert.Single(results);
            Assert.True(item.IsAccepted);
            Assert.Empty(item.Problems);
            Assert.Equal(Guid.Parse("00000000-0000-4000-8000-000000000001"), item.EventId);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(100_000)]
    public async Task ReadBatch_PrettyPrintedEventsOneAfterAnother_EachIsAnItem_BadOnesAlone(int chunk)
    {
        var text = Pretty(Good(1)) + "\n" + Pretty(Invalid()) + "  {\"event_id\":\n oops}\n\n" + Pretty(Good(2));
        var expected = _reader.ReadBatch(Bytes(text));
        Assert.Equal(4, expected.Count);
        Assert.Equal([true, false, false, true], expected.Select(r => r.IsAccepted));
        Assert.Equal(ProblemCodes.NegativeValue, Assert.Single(expected[1].Problems).Code);
        Assert.Equal(ProblemCodes.InvalidJson, Assert.Single(expected[2].Problems).Code);
        Assert.All(expected, r => Assert.Null(r.LineNumber));
        Assert.Equal(expected.Select(Describe), (await ReadStream(text, chunk)).Select(Describe));
    }

    [Fact]
    public void ReadBatch_CommaBetweenPrettyPrintedEvents_KeepsTheFirstAndSaysWhatToSend()
    {
        var results = _reader.ReadBatch(Bytes(Pretty(Good(1)) + ",\n" + Pretty(Good(2))));
        Assert.Equal(2, results.Count);
        Assert.True(results[0].IsAccepted);
        var problem = Assert.Single(results[1].Problems);
        Assert.Equal(ProblemCodes.InvalidJson, problem.Code);
        Assert.Contains("JSON array", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatch_FirstValueEndsOnItsLine_StaysNdjson_WithLineRecovery()
    {
        // A value spread over lines after a one-line first value is NDJSON's broken lines, each reported on its own.
        var results = _reader.ReadBatch(Bytes(Good(1) + "\n{\"event_id\":\n" + Good(2) + "\n"));
        Assert.Equal([true, false, true], results.Select(r => r.IsAccepted));
        Assert.Equal([1L, 2L, 3L], results.Select(r => r.LineNumber!.Value));
    }

    [Fact]
    public async Task ReadBatchAsync_PrettyPrintedEventOverSizeLimit_IsSkippedAndTheNextRead()
    {
        var reader = new EventBatchReader(new EventValidator(new EventValidationOptions { MaxEventBytes = 2048 }, timeProvider: new FakeTimeProvider(SampleEvents.Now)));
        var big = Pretty(Json(SampleEvents.Latency with { RequestId = new string('x', 4000) }));
        var results = new List<EventItemResult>();
        await foreach (var item in reader.ReadBatchAsync(new ChunkedStream(Bytes(big + "\n" + Pretty(Good(1))), 512)))
        {
            results.Add(item);
        }

        Assert.Equal(2, results.Count);
        Assert.Equal(ProblemCodes.EventTooLarge, Assert.Single(results[0].Problems).Code);
        Assert.True(results[1].IsAccepted);
    }

    /// <summary>A stream that hands out at most <c>chunk</c> bytes per read, like a socket.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
