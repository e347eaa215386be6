using AnalyticsHub.Events;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// A run of consecutively sequenced events (arrival order) with its own indexes: positions sorted by
/// (time, position), by (module, severity, time, position) and by (severity, time, position).
/// </summary>
/// <remarks>
/// <para>
/// While active, the indexes are kept sorted by insertion (events mostly arrive in time order, so the
/// insert is an append); sealing flattens the per-group lists into one array with run offsets. Positions
/// are 16-bit, so a block holds at most 65,536 events. Only the store's writer mutates a block, under the
/// store's write lock; readers use it under the read lock.
/// </para>
/// <para>
/// The store keeps its blocks as long as their events, so a block keeps only what its events need: the correlation and
/// sibling chains are allocated at the first event that has a link (most events have none), and arrival times, which
/// one append shares, are kept as runs (a position and its arrival per change) instead of one per event. Its arrays of
/// plain values (columns, link chains, sealed indexes) are allocated once per block where young collections do not
/// copy them (<see cref="KeptArrays"/>).
/// </para>
/// </remarks>
internal sealed class EventBlock
{
    public const int Severities = 5;
    public const int Groups = 7 * Severities;

    private const int ShortStep = 8;

    private ulong[]? _prevCorrelation;
    private ulong[]? _prevSibling;

    // Arrival runs: the run r covers positions _arrivalStarts[r] up to the next run's start, all arrived at _arrivals[r].
    private long[] _arrivals = new long[2];
    private ushort[] _arrivalStarts = new ushort[2];
    private int _arrivalRuns;

    private ushort[][]? _groupLists;
    private int[]? _groupCounts;
    private ushort[][]? _severityLists;
    private int[]? _severityCounts;

    public EventBlock(ulong firstSequence, int capacity)
    {
        FirstSequence = firstSequence;
        Capacity = capacity;
        Events = new AnalyticsEvent?[capacity];
        Ticks = KeptArrays.Allocate<long>(capacity);
        Types = KeptArrays.Allocate<byte>(capacity);
        ByTime = KeptArrays.Allocate<ushort>(capacity);
        _groupLists = new ushort[Groups][];
        _groupCounts = new int[Groups];
        _severityLists = new ushort[Severities][];
        _severityCounts = new int[Severities];
    }

    public ulong FirstSequence { get; }

    public int Capacity { get; }

    public int Count { get; private set; }

    public bool IsSealed { get; private set; }

    public long MinTicks { get; private set; } = long.MaxValue;

    public long MaxTicks { get; private set; } = long.MinValue;

    /// <summary>The events in arrival order; evicted slots are cleared.</summary>
    public AnalyticsEvent?[] Events { get; }

    /// <summary>Event time (UTC ticks) per position.</summary>
    public long[] Ticks { get; }

    /// <summary>Clock time (UTC ticks) of the newest append; the arrival of the block's last event.</summary>
    public long LastArrival => _arrivals[_arrivalRuns - 1];

    /// <summary>The event type per position (a residual filter checked without touching the event).</summary>
    public byte[] Types { get; }

    /// <summary>Positions sorted by (time, position); the first <see cref="Count"/> are valid.</summary>
    public ushort[] ByTime { get; }

    public ushort[]? ByGroup { get; private set; }

    public int[]? GroupStart { get; private set; }

    public ushort[]? BySeverity { get; private set; }

    public int[]? SeverityStart { get; private set; }

    public bool IsFull => Count == Capacity;

    public ulong EndSequence => FirstSequence + (ulong)Count;

    public int Add(AnalyticsEvent evt, long arrival, ulong prevCorrelation, ulong prevSibling)
    {
        var common = evt.Common;
        var position = Count;
        var ticks = common.Timestamp.UtcTicks;
        Events[position] = evt;
        Ticks[position] = ticks;
        AddArrival(position, arrival);
        if (prevCorrelation != 0)
        {
            (_prevCorrelation ??= KeptArrays.Allocate<ulong>(Capacity))[position] = prevCorrelation;
        }

        if (prevSibling != 0)
        {
            (_prevSibling ??= KeptArrays.Allocate<ulong>(Capacity))[position] = prevSibling;
        }

        Types[position] = (byte)common.EventType;
        if (ticks < MinTicks)
        {
            MinTicks = ticks;
        }

        if (ticks > MaxTicks)
        {
            MaxTicks = ticks;
        }

        var severity = (int)common.Severity;
        Insert(ByTime, position, ticks, position);
        var group = ((int)common.SourceModule * Severities) + severity;
        InsertInto(ref _groupLists![group], ref _groupCounts![group], ticks, position);
        InsertInto(ref _severityLists![severity], ref _severityCounts![severity], ticks, position);
        Count = position + 1;
        return position;
    }

    /// <summary>The sequence of the previous event of the same correlation, 0 for none.</summary>
    public ulong PrevCorrelation(int position) => _prevCorrelation is { } chain ? chain[position] : 0;

    /// <summary>The sequence of the previous event with the same parent, 0 for none.</summary>
    public ulong PrevSibling(int position) => _prevSibling is { } chain ? chain[position] : 0;

    /// <summary>Clock time (UTC ticks) of the append that stored the event at <paramref name="position"/>.</summary>
    public long ArrivalAt(int position) => _arrivals[ArrivalRun(position)];

    /// <summary>
    /// The first position from <paramref name="from"/> on whose event arrived at or after <paramref name="ticks"/>
    /// (arrivals never decrease), or <see cref="Count"/> when none did.
    /// </summary>
    public int FirstArrivedAtOrAfter(int from, long ticks)
    {
        for (var run = ArrivalRun(from); run < _arrivalRuns; run++)
        {
            if (_arrivals[run] >= ticks)
            {
                return Math.Max(from, _arrivalStarts[run]);
            }
        }

        return Count;
    }

    /// <summary>Gets the sorted positions of one group (module * 5 + severity).</summary>
    public void GroupRun(int group, out ushort[] positions, out int start, out int end)
    {
        if (IsSealed)
        {
            positions = ByGroup!;
            start = GroupStart![group];
            end = GroupStart[group + 1];
        }
        else
        {
            positions = _groupLists![group] ?? [];
            start = 0;
            end = _groupCounts![group];
        }
    }

    /// <summary>Gets the sorted positions of one severity.</summary>
    public void SeverityRun(int severity, out ushort[] positions, out int start, out int end)
    {
        if (IsSealed)
        {
            positions = BySeverity!;
            start = SeverityStart![severity];
            end = SeverityStart[severity + 1];
        }
        else
        {
            positions = _severityLists![severity] ?? [];
            start = 0;
            end = _severityCounts![severity];
        }
    }

    /// <summary>How many positions of a run have a (time, sequence) key below (<paramref name="ticks"/>, <paramref name="sequence"/>).</summary>
    public int LowerBound(ushort[] positions, int start, int end, long ticks, ulong sequence)
    {
        var lo = start;
        var hi = end;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var p = positions[mid];
            var t = Ticks[p];
            if (t < ticks || (t == ticks && FirstSequence + p < sequence))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    public void Seal()
    {
        ByGroup = Flatten(_groupLists!, _groupCounts!, Count, out var groupStart);
        GroupStart = groupStart;
        BySeverity = Flatten(_severityLists!, _severityCounts!, Count, out var severityStart);
        SeverityStart = severityStart;
        _groupLists = null;
        _groupCounts = null;
        _severityLists = null;
        _severityCounts = null;
        IsSealed = true;
    }

    private static ushort[] Flatten(ushort[][] lists, int[] counts, int total, out int[] starts)
    {
        var flat = KeptArrays.Allocate<ushort>(total);
        starts = KeptArrays.Allocate<int>(lists.Length + 1);
        var offset = 0;
        for (var i = 0; i < lists.Length; i++)
        {
            starts[i] = offset;
            if (counts[i] > 0)
            {
                Array.Copy(lists[i], 0, flat, offset, counts[i]);
                offset += counts[i];
            }
        }

        starts[lists.Length] = offset;
        return flat;
    }

    private void InsertInto(ref ushort[] list, ref int count, long ticks, int position)
    {
        if (list is null)
        {
            list = new ushort[Math.Min(16, Capacity)];
        }
        else if (count == list.Length)
        {
            Array.Resize(ref list, Math.Min(list.Length * 2, Capacity));
        }

        Insert(list, count, ticks, position);
        count++;
    }

    /// <summary>Inserts <paramref name="position"/> into the sorted first <paramref name="count"/> entries; positions only grow, so ties go last.</summary>
    /// <remarks>
    /// A late event is usually only a few entries late (jittered clocks): the place is found by stepping back from the
    /// end, and by binary search only past <see cref="ShortStep"/> entries.
    /// </remarks>
    private void Insert(ushort[] list, int count, long ticks, int position)
    {
        var at = count;
        var stop = Math.Max(0, count - ShortStep);
        while (at > stop && Ticks[list[at - 1]] > ticks)
        {
            at--;
        }

        if (at == stop && at > 0 && Ticks[list[at - 1]] > ticks)
        {
            var lo = 0;
            var hi = at;
            while (lo < hi)
            {
                var mid = (int)((uint)(lo + hi) >> 1);
                if (Ticks[list[mid]] <= ticks)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            at = lo;
        }

        if (at < count)
        {
            Array.Copy(list, at, list, at + 1, count - at);
        }

        list[at] = (ushort)position;
    }

    private void AddArrival(int position, long arrival)
    {
        if (_arrivalRuns > 0 && _arrivals[_arrivalRuns - 1] == arrival)
        {
            return;
        }

        if (_arrivalRuns == _arrivals.Length)
        {
            Array.Resize(ref _arrivals, _arrivals.Length * 2);
            Array.Resize(ref _arrivalStarts, _arrivalStarts.Length * 2);
        }

        _arrivals[_arrivalRuns] = arrival;
        _arrivalStarts[_arrivalRuns] = (ushort)position;
        _arrivalRuns++;
    }

    /// <summary>The run that holds <paramref name="position"/>: the last run starting at or before it.</summary>
    private int ArrivalRun(int position)
    {
        var lo = 0;
        var hi = _arrivalRuns - 1;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi + 1) >> 1);
            if (_arrivalStarts[mid] <= position)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    /// <summary>Clears the slot of an evicted event so the event can be collected.</summary>
    public void Clear(int position) => Events[position] = null;
}
