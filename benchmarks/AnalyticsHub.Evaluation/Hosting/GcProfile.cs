using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace AnalyticsHub.Evaluation.Hosting;

/// <summary>
/// What the collector saw during a run, read in-process from the runtime's own events: the bytes allocated per type
/// (the runtime's allocation ticks, one sample about every 100 KB, so types below a few hundred KB in all are noise)
/// and the bytes each collection promoted out of gen0 and gen1. <c>hub-ingest … hub gc</c> prints it after each hub
/// run: promoted gen1 bytes are the mid-life objects, allocated once and collected only by a later gen1 or gen2.
/// </summary>
internal sealed class GcProfile : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int AllocationTickId = 10;
    private const int HeapStatsId = 4;

    private readonly ConcurrentDictionary<string, long> _byType = new(StringComparer.Ordinal);
    private long _promotedFromGen0;
    private long _promotedFromGen1;
    private int _heapStats;
    private volatile bool _recording;

    /// <summary>Starts counting (events before this call are ignored).</summary>
    public void Start() => _recording = true;

    /// <summary>Prints the totals per event: promoted bytes, then the types with the most sampled allocation.</summary>
    public void Print(int events, int top = 16)
    {
        _recording = false;
        var sampled = _byType.Values.Sum();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    promoted per event: gen0→gen1 {Interlocked.Read(ref _promotedFromGen0) / (double)events,8:F0} B, gen1→gen2 {Interlocked.Read(ref _promotedFromGen1) / (double)events,8:F0} B ({_heapStats} collections seen)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    sampled allocation by type ({sampled / (double)events:F0} B/event sampled):"));
        foreach (var (type, bytes) in _byType.OrderByDescending(p => p.Value).Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {bytes / (double)events,8:F1} B/event {100.0 * bytes / sampled,5:F1} %  {type}"));
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        if (eventData.EventId == AllocationTickId)
        {
            var type = Payload(eventData, "TypeName") as string ?? "?";
            var amount = Convert.ToInt64(Payload(eventData, "AllocationAmount64") ?? Payload(eventData, "AllocationAmount") ?? 0L, CultureInfo.InvariantCulture);
            _byType.AddOrUpdate(type, amount, (_, total) => total + amount);
        }
        else if (eventData.EventId == HeapStatsId)
        {
            Interlocked.Add(ref _promotedFromGen0, Convert.ToInt64(Payload(eventData, "TotalPromotedSize0") ?? 0L, CultureInfo.InvariantCulture));
            Interlocked.Add(ref _promotedFromGen1, Convert.ToInt64(Payload(eventData, "TotalPromotedSize1") ?? 0L, CultureInfo.InvariantCulture));
            Interlocked.Increment(ref _heapStats);
        }
    }

    private static object? Payload(EventWrittenEventArgs eventData, string name)
    {
        var index = eventData.PayloadNames!.IndexOf(name);
        return index >= 0 ? eventData.Payload![index] : null;
    }
}
