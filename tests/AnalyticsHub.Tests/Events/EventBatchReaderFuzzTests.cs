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

            // Memory: the read buffer plus the items' own objects, a bounded multiple of the input.
            Assert.InRange(allocated, 0, (64L * input.Length) + (256 * 1024));
        }

        Assert.InRange(accepted, 1, Documents * 3);
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
