using System.Text;
using AnalyticsHub.Events;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Events;

/// <summary>
/// Valid producer documents, mutated at random (bytes flipped, cut, repeated, structural bytes inserted), through the
/// batch reader as bytes and as a stream in small chunks: it never throws, never accepts what the validator refuses,
/// gives the same answers both ways, and its memory stays bounded by the largest item (issue 37).
/// </summary>
public sealed class EventBatchReaderFuzzTests
{
    private const int Documents = 400;
    private static readonly byte[] Structural = "{}[]\",:\\\n 0e-"u8.ToArray();

    private readonly EventValidator _validator = new(timeProvider: new FakeTimeProvider(SampleEvents.Now));

    [Fact]
    public async Task ReadBatch_MutatedProducerDocuments_NeverThrowNorAcceptWhatTheValidatorRefuses()
    {
        var reader = new EventBatchReader(_validator);
        var random = new Random(37);
        var seeds = SampleEvents.AllPayloads().Select(p => AnalyticsEventJson.Serialize(SampleEvents.Event(p))).ToArray();
        var accepted = 0;
        for (var n = 0; n < Documents; n++)
        {
            var items = Enumerable.Range(0, random.Next(1, 4)).Select(_ => seeds[random.Next(seeds.Length)]).ToArray();
            var text = random.Next(2) == 0 ? "[" + string.Join(",", items) + "]" : string.Join("\n", items);
            var input = Mutate(Encoding.UTF8.GetBytes(text), random);

            var fromBytes = reader.ReadBatch(input);
            var fromStream = new List<EventItemResult>();
            using var stream = new ChunkedStream(input, 1 + random.Next(64));
            var before = GC.GetAllocatedBytesForCurrentThread();
            await foreach (var item in reader.ReadBatchAsync(stream))
            {
                fromStream.Add(item);
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(fromBytes.Select(Outcome), fromStream.Select(Outcome));
            foreach (var item in fromBytes.Where(i => i.IsAccepted))
            {
                accepted++;
                Assert.DoesNotContain(_validator.Validate(item.Event!), p => p.IsError);
                Assert.NotNull(AnalyticsEventJson.Read(AnalyticsEventJson.SerializeToUtf8Bytes(item.Event!)).Event);
            }

            // Memory: the read buffer plus the items' own objects, a bounded multiple of the input; the buffer itself
            // never grows past its first size for items this small.
            Assert.InRange(allocated, 0, (64L * input.Length) + (256 * 1024));
            Assert.InRange(reader.PeakBufferBytes, 1, InitialBuffer);
        }

        Assert.InRange(accepted, 1, Documents * 3);
    }

    private const int InitialBuffer = 64 * 1024;
    private const int ReadRoom = 16 * 1024;

    [Theory]
    [InlineData("ndjson", 100_000)]
    [InlineData("ndjson", 300_000)]
    [InlineData("ndjson", 900_000)]
    [InlineData("array", 300_000)]
    [InlineData("pretty", 300_000)]
    public async Task ReadBatchAsync_TheReadBuffer_IsBoundedByTheLargestItem_NotTheStream(string shape, int largest)
    {
        var reader = new EventBatchReader(new EventValidator(new EventValidationOptions { MaxEventBytes = 2 << 20 }, new FakeTimeProvider(SampleEvents.Now)));
        var small = AnalyticsEventJson.Serialize(SampleEvents.Event(SampleEvents.Latency));
        var big = AnalyticsEventJson.Serialize(SampleEvents.Event(SampleEvents.Latency with { RequestId = new string('r', largest - small.Length) }));
        var items = Enumerable.Repeat(small, 3_000).Append(big).Concat(Enumerable.Repeat(small, 3_000)).ToArray();
        var text = shape switch
        {
            "array" => "[" + string.Join(",", items) + "]",
            "pretty" => string.Join("\n", items.Select(i => i.Replace(",\"", ",\n\"", StringComparison.Ordinal))),
            _ => string.Join("\n", items),
        };

        var count = 0;
        await foreach (var item in reader.ReadBatchAsync(new ChunkedStream(Encoding.UTF8.GetBytes(text), 4096)))
        {
            Assert.True(item.IsAccepted, string.Join(", ", item.Problems));
            count++;
        }

        // The input is 6,001 items and several MB; the buffer doubles from 64 KiB only until the largest item fits.
        Assert.Equal(items.Length, count);
        Assert.True(text.Length > 4 * largest);
        Assert.InRange(reader.PeakBufferBytes, 1, Math.Max(InitialBuffer, 2 * (largest + ReadRoom)));
    }

    [Fact]
    public async Task ReadBatchAsync_ALineFarOverTheLimit_NeverGrowsTheBufferPastTheLimit()
    {
        const int limit = 256 * 1024;
        var reader = new EventBatchReader(new EventValidator(new EventValidationOptions { MaxEventBytes = limit }, new FakeTimeProvider(SampleEvents.Now)));
        var small = AnalyticsEventJson.Serialize(SampleEvents.Event(SampleEvents.Latency));
        var text = small + "\n" + new string('x', 8 << 20) + "\n" + small;

        var results = new List<EventItemResult>();
        await foreach (var item in reader.ReadBatchAsync(new ChunkedStream(Encoding.UTF8.GetBytes(text), 64 * 1024)))
        {
            results.Add(item);
        }

        Assert.Equal([true, false, true], results.Select(r => r.IsAccepted));
        Assert.Equal(ProblemCodes.EventTooLarge, results[1].Problems[0].Code);
        Assert.InRange(reader.PeakBufferBytes, 1, 2 * (limit + 2 + ReadRoom));
    }

    private static string Outcome(EventItemResult item) =>
        $"{item.Index}:{item.Status}:{item.LineNumber}:{string.Join(",", item.Problems.Select(p => p.Code + "@" + p.Path))}";

    private static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = new List<byte>(input);
        for (var m = random.Next(0, 4); m > 0 && bytes.Count > 1; m--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 40)));
                    break;
                case 2:
                    var length = Math.Min(bytes.Count - at, random.Next(1, 80));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                case 3:
                    bytes.Insert(at, Structural[random.Next(Structural.Length)]);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
