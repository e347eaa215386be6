using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Anomalies;

/// <summary>
/// The requests per minute of each (environment, model, region) over the latest <see cref="RingMinutes"/> minutes of
/// event time, counted from the request points (the measurement the request-count rules count), and the rule that names
/// the region a model-level volume rise lies in (docs/anomalies.md, "The scope of a volume episode").
/// </summary>
/// <remarks>
/// <para>
/// Bounded: one ring of <see cref="RingMinutes"/> counts per (environment, model, region), at most
/// <see cref="AnomalyStageOptions.MaxSeries"/> of them and as many point tag sets remembered; points older than the ring
/// are not counted. Single writer (the pipeline's reader).
/// </para>
/// <para>
/// Counts do not depend on how the stream is cut into batches. A point is counted only when its minute is not yet
/// closed by the metrics stage's rule (the newest event time seen, in stream order, less the allowed lateness): a
/// point that arrives after its minute's window closed is late there and is not counted here either. A decision reads
/// only minutes whose windows have closed, so by then every point it reads has been counted, however the batches fell.
/// </para>
/// </remarks>
internal sealed class RegionalVolume
{
    /// <summary>
    /// The minutes each region's counts are kept: the level span and the onset up to the confirming window (at most
    /// <see cref="MaxOnsetMinutes"/>), with room for a batch that runs an hour past the confirming window.
    /// </summary>
    public const int RingMinutes = 128;

    /// <summary>The longest onset a decision reads (from the episode's start to its confirming window's end).</summary>
    public const int MaxOnsetMinutes = 33;

    /// <summary>The minutes before an episode's start over which each region's level is measured.</summary>
    public const int LevelMinutes = 30;

    /// <summary>The share of the rise a region would carry in proportion to its traffic that it must carry to be named.</summary>
    public const double ProportionalShare = 0.5;

    /// <summary>How many Poisson sampling errors a model's requests must rise by for a rising mean of the model to be scoped (<see cref="RequestsRose"/>).</summary>
    public const double NoiseMultiple = 3;

    /// <summary>How many Poisson sampling errors of its rise a region's share of a model's rise must reach for the region to be busy (<see cref="RegionTheRiseIsConcentratedIn"/>).</summary>
    public const double BusyErrors = 2;

    /// <summary>
    /// How many Poisson sampling errors of its rise a region's traffic share of a model-wide rise must reach for the region
    /// to have stayed out of the rise when it took less than <see cref="ProportionalShare"/> of that share
    /// (<see cref="RegionsThatCarriedAModelWideRise"/>); a region whose share is within one error of nothing is kept.
    /// </summary>
    public const double ShortfallErrors = 1;

    /// <summary>The most of its traffic share of a model's rise a busy region may take and still have stayed out of a rise concentrated elsewhere (<see cref="RegionTheRiseIsConcentratedIn"/>).</summary>
    public const double LaggedShare = 0.25;

    /// <summary>The most regions of one model whose rises are read on the stack; a model seen in more is read into arrays.</summary>
    private const int MaxStackRegions = 64;

    private readonly string _measurement;
    private readonly int _maxSeries;
    private readonly long _latenessTicks;
    private long _newestTicks = long.MinValue;
    private readonly Dictionary<TagSet, RegionCounts?> _byTags = [];
    private readonly Dictionary<(string Environment, string Model), List<RegionCounts>> _byModel = [];
    private int _regions;
    private readonly Dictionary<(string Environment, string Model), ModelRise> _rises = [];

    /// <param name="measurement">The measurement whose points are requests (one point per request).</param>
    /// <param name="maxSeries">The most (environment, model, region) rings and point tag sets kept.</param>
    /// <param name="lateness">The metrics stage's allowed lateness: a point whose minute is older than the newest event time less this is late.</param>
    public RegionalVolume(string measurement, int maxSeries, TimeSpan lateness)
    {
        _measurement = measurement;
        _maxSeries = maxSeries;
        _latenessTicks = lateness.Ticks;
    }

    /// <summary>
    /// Sees one producer event at <paramref name="ticks"/>, in stream order, and counts it when it is a point of the
    /// request measurement (<paramref name="measurement"/>, <paramref name="tags"/>) whose minute is not yet closed.
    /// </summary>
    public void Count(string measurement, TagSet tags, long ticks)
    {
        _newestTicks = Math.Max(_newestTicks, ticks);
        if (measurement != _measurement
            || ticks / TimeSpan.TicksPerMinute < (_newestTicks - _latenessTicks) / TimeSpan.TicksPerMinute)
        {
            return;
        }

        if (!_byTags.TryGetValue(tags, out var counts))
        {
            if (_byTags.Count >= _maxSeries)
            {
                return;
            }

            counts = CountsOf(tags);
            _byTags.Add(tags, counts);
        }

        counts?.Add(ticks / TimeSpan.TicksPerMinute);
    }

    /// <summary>
    /// The one region that carried a model's rise at an episode's onset, or <see langword="null"/> when the rise is the
    /// model's as a whole (several regions carried it and the rise is not concentrated in one of them, no region rose,
    /// or the model is seen in one region only). Per
    /// region, the rise is the mean requests per minute over the onset [<paramref name="startTicks"/>,
    /// <paramref name="onsetEndTicks"/>) less the mean over the <see cref="LevelMinutes"/> minutes before it; a region
    /// carried the rise when its rise is at least <see cref="ProportionalShare"/> of the share it would carry if the
    /// model's rise (the regions' positive rises together) were spread in proportion to the regions' levels. A surge that
    /// raises every region's traffic by one factor keeps every region; one tenant's own rise keeps its region only. When
    /// several regions carried it, the rise may still be concentrated in one (<see cref="RegionTheRiseIsConcentratedIn"/>:
    /// a quiet region's noise passed the test, while a busy region stayed flat).
    /// </summary>
    public string? RegionThatCarried(string environment, string model, long startTicks, long onsetEndTicks)
    {
        if (!_byModel.TryGetValue((environment, model), out var regions) || regions.Count < 2)
        {
            return null;
        }

        var start = startTicks / TimeSpan.TicksPerMinute;
        var onsetMinutes = Math.Clamp((onsetEndTicks / TimeSpan.TicksPerMinute) - start, 1, MaxOnsetMinutes);
        Span<double> levels = regions.Count <= MaxStackRegions ? stackalloc double[regions.Count] : new double[regions.Count];
        Span<double> rises = regions.Count <= MaxStackRegions ? stackalloc double[regions.Count] : new double[regions.Count];
        var (total, totalLevel) = ReadRises(regions, start, onsetMinutes, levels, rises);
        string? carried = null;
        for (var r = 0; r < regions.Count; r++)
        {
            var proportional = totalLevel > 0 ? levels[r] / totalLevel : 0;
            if (rises[r] > 0 && rises[r] >= ProportionalShare * proportional * total)
            {
                if (carried is not null)
                {
                    return RegionTheRiseIsConcentratedIn(regions, levels, rises, onsetMinutes);
                }

                carried = regions[r].Region;
            }
        }

        return carried;
    }

    /// <summary>
    /// When several regions passed the proportional test, the one region the rise is concentrated in, or
    /// <see langword="null"/> when the rise is proportional. The rise is concentrated in the region whose rise exceeds its
    /// traffic share of the model's rise by the most, when that region took at least its whole share, some other busy
    /// region took less than <see cref="LaggedShare"/> of its share, and no other busy region took that much. A
    /// region is busy when its share of the rise would stand out of the Poisson noise of its counts over the onset
    /// (<see cref="BusyErrors"/> sampling errors of its rise, √(level · (1 / onset minutes + 1 / <see cref="LevelMinutes"/>)));
    /// a quiet region's counts over a short onset can say neither that it rose nor that it lagged, so they are not read.
    /// A surge that raises every region by one factor has its busy regions rising with it and stays the model's; one
    /// tenant's rise in one region leaves the busy regions elsewhere flat.
    /// </summary>
    private static string? RegionTheRiseIsConcentratedIn(List<RegionCounts> regions, ReadOnlySpan<double> levels, ReadOnlySpan<double> rises, long onsetMinutes)
    {
        double total = 0, totalLevel = 0;
        for (var r = 0; r < regions.Count; r++)
        {
            total += Math.Max(0, rises[r]);
            totalLevel += levels[r];
        }

        if (totalLevel <= 0 || total <= 0)
        {
            return null;
        }

        var top = -1;
        var topExcess = double.NegativeInfinity;
        for (var r = 0; r < regions.Count; r++)
        {
            var excess = rises[r] - (levels[r] / totalLevel * total);
            if (excess > topExcess)
            {
                (top, topExcess) = (r, excess);
            }
        }

        if (topExcess < 0)
        {
            return null;
        }

        var busyLagged = false;
        for (var r = 0; r < regions.Count; r++)
        {
            var share = levels[r] / totalLevel * total;
            var error = RiseError(levels[r], onsetMinutes);
            if (r == top || share < BusyErrors * error)
            {
                continue;
            }

            if (rises[r] >= LaggedShare * share)
            {
                return null;
            }

            busyLagged = true;
        }

        return busyLagged ? regions[top].Region : null;
    }

    /// <summary>
    /// The regions that carried a model's rise as a whole, decided for an episode of that rise confirmed over
    /// [<paramref name="startTicks"/>, <paramref name="onsetEndTicks"/>): <see langword="null"/> when every region carried
    /// it (or none can be told apart). The verdict is the model's rise's, not the one episode's: a model's rising episodes
    /// (its latency, throughput, tokens, confirmed minutes apart) are one rise while each begins within
    /// <see cref="LevelMinutes"/> of the latest onset read for it (<see cref="ModelRise"/>), and each reads the regions
    /// from the rise's first start — its level the <see cref="LevelMinutes"/> before that start, its onset every minute
    /// since, up to <see cref="MaxOnsetMinutes"/> — so a later episode reads more minutes than an earlier one; an episode
    /// confirmed past the longest onset keeps the rise's latest verdict and does not extend the rise. Read as in
    /// <see cref="CarriedBy"/>. Only the episodes that reach this test share the verdict: the stage first judges each
    /// episode over its own onset (a mean whose model's requests did not rise there stays the model's,
    /// <see cref="RequestsRose"/>; a rise one region carried is scoped to it, <see cref="RegionThatCarried"/>), and an
    /// episode's regions are written when it is confirmed and not revised, so an earlier episode keeps the verdict of its
    /// fewer minutes, and which of two episodes confirmed in one batch starts the rise follows the order they are confirmed in.
    /// </summary>
    public IReadOnlyList<string>? RegionsThatCarriedAModelWideRise(string environment, string model, long startTicks, long onsetEndTicks)
    {
        if (!_byModel.TryGetValue((environment, model), out var regions) || regions.Count < 3)
        {
            return null;
        }

        var start = startTicks / TimeSpan.TicksPerMinute;
        var end = onsetEndTicks / TimeSpan.TicksPerMinute;
        if (!_rises.TryGetValue((environment, model), out var rise) || start > rise.LastOnsetEnd + LevelMinutes)
        {
            rise = new ModelRise { Start = start };
            _rises[(environment, model)] = rise;
        }

        var from = Math.Min(rise.Start, start);
        if (end - from <= MaxOnsetMinutes)
        {
            rise.LastOnsetEnd = Math.Max(rise.LastOnsetEnd, end);
            rise.Start = from;
            rise.Regions = CarriedBy(regions, from, end);
        }

        return rise.Regions;
    }

    /// <summary>
    /// The regions that carried a model-wide rise over the onset [<paramref name="start"/>, <paramref name="end"/>) (in
    /// minutes), when the rise is the model's across several regions but some busy region stayed out of it;
    /// <see langword="null"/> when every region carried it (or none can be told apart). Read with the same rises and
    /// levels as <see cref="RegionThatCarried"/>: a region carried the rise when its rise is positive and at least
    /// <see cref="ProportionalShare"/> of its traffic share of the model's rise; a region stayed out of it only when it
    /// fell short of that and its share of the rise is at least <see cref="ShortfallErrors"/> Poisson sampling error of
    /// its rise, √(level · (1 / onset minutes + 1 / <see cref="LevelMinutes"/>)); a region whose share is within its noise,
    /// whose counts over a short onset can say neither, is kept. A surge whose tenants call a model in two regions raises
    /// both, while the model's busy third region, whose traffic other tenants send, barely moves: the rise is the model's
    /// in the two, and the third's added demand is no material share of its series. The regions come back in ordinal order.
    /// </summary>
    private static List<string>? CarriedBy(List<RegionCounts> regions, long start, long end)
    {
        var onsetMinutes = Math.Clamp(end - start, 1, MaxOnsetMinutes);
        Span<double> levels = regions.Count <= MaxStackRegions ? stackalloc double[regions.Count] : new double[regions.Count];
        Span<double> rises = regions.Count <= MaxStackRegions ? stackalloc double[regions.Count] : new double[regions.Count];
        var (total, totalLevel) = ReadRises(regions, start, onsetMinutes, levels, rises);
        if (totalLevel <= 0 || total <= 0)
        {
            return null;
        }

        List<string>? carried = null;
        var stayedOut = false;
        for (var r = 0; r < regions.Count; r++)
        {
            var share = levels[r] / totalLevel * total;
            var error = RiseError(levels[r], onsetMinutes);
            if ((rises[r] > 0 && rises[r] >= ProportionalShare * share) || share < ShortfallErrors * error)
            {
                (carried ??= []).Add(regions[r].Region);
            }
            else
            {
                stayedOut = true;
            }
        }

        if (!stayedOut || carried is not { Count: > 1 })
        {
            return null;
        }

        carried.Sort(StringComparer.Ordinal);
        return carried;
    }

    /// <summary>
    /// Whether a model's requests over all its regions rose beyond their Poisson noise at an onset: the mean requests per
    /// minute over [<paramref name="startTicks"/>, <paramref name="onsetEndTicks"/>) less the mean over the
    /// <see cref="LevelMinutes"/> minutes before it is at least <see cref="NoiseMultiple"/> sampling errors of that
    /// difference, √(level · (1 / onset minutes + 1 / <see cref="LevelMinutes"/>)). A mean (latency, completion size) that
    /// rises while the requests do not is a change of the model's requests as a whole, not of where they went.
    /// </summary>
    public bool RequestsRose(string environment, string model, long startTicks, long onsetEndTicks)
    {
        if (!_byModel.TryGetValue((environment, model), out var regions))
        {
            return false;
        }

        var start = startTicks / TimeSpan.TicksPerMinute;
        var onsetMinutes = Math.Clamp((onsetEndTicks / TimeSpan.TicksPerMinute) - start, 1, MaxOnsetMinutes);
        double level = 0, onset = 0;
        foreach (var counts in regions)
        {
            level += counts.Mean(start - LevelMinutes, LevelMinutes);
            onset += counts.Mean(start, onsetMinutes);
        }

        var error = RiseError(level, onsetMinutes);
        return onset - level >= NoiseMultiple * error;
    }

    /// <summary>
    /// Each region's level (its mean requests per minute over the <see cref="LevelMinutes"/> minutes before
    /// <paramref name="start"/>) and rise (its mean over the onset, <paramref name="onsetMinutes"/> from
    /// <paramref name="start"/>, less its level), with the regions' positive rises and levels summed.
    /// </summary>
    private static (double Total, double TotalLevel) ReadRises(List<RegionCounts> regions, long start, long onsetMinutes, Span<double> levels, Span<double> rises)
    {
        double total = 0, totalLevel = 0;
        for (var r = 0; r < regions.Count; r++)
        {
            levels[r] = regions[r].Mean(start - LevelMinutes, LevelMinutes);
            rises[r] = regions[r].Mean(start, onsetMinutes) - levels[r];
            total += Math.Max(0, rises[r]);
            totalLevel += levels[r];
        }

        return (total, totalLevel);
    }

    /// <summary>
    /// The Poisson sampling error of a rise in requests per minute from <paramref name="level"/> over an onset of
    /// <paramref name="onsetMinutes"/>: √(level · (1 / onset minutes + 1 / <see cref="LevelMinutes"/>)), with the level
    /// taken as at least one request over the level's span.
    /// </summary>
    private static double RiseError(double level, long onsetMinutes) =>
        Math.Sqrt(Math.Max(level, 1.0 / LevelMinutes) * ((1.0 / onsetMinutes) + (1.0 / LevelMinutes)));

    private RegionCounts? CountsOf(TagSet tags)
    {
        if (!tags.TryGetValue("model_id", out var model) || !tags.TryGetValue("region", out var region) || model.Length == 0 || region.Length == 0)
        {
            return null;
        }

        var environment = tags.TryGetValue("environment", out var e) ? e : string.Empty;
        if (!_byModel.TryGetValue((environment, model), out var regions))
        {
            regions = [];
            _byModel.Add((environment, model), regions);
        }

        foreach (var counts in regions)
        {
            if (counts.Region == region)
            {
                return counts;
            }
        }

        if (_regions >= _maxSeries)
        {
            return null;
        }

        _regions++;
        var added = new RegionCounts(region);
        regions.Add(added);
        return added;
    }

    /// <summary>
    /// A model's rise as a whole (<see cref="RegionsThatCarriedAModelWideRise"/>): the first start of its episodes, the
    /// latest onset end read for one of them, and the regions that carried it as last decided. One per (environment,
    /// model) that has had a model-wide rising episode, replaced when the model's next rise begins.
    /// </summary>
    private sealed class ModelRise
    {
        /// <summary>The minute the rise's earliest episode started: its regions' level is measured before it, their rise from it.</summary>
        public long Start { get; set; }

        /// <summary>The latest onset end (minute) of an episode decided for the rise.</summary>
        public long LastOnsetEnd { get; set; } = long.MinValue;

        /// <summary>The regions that carried the rise, as last decided (<see langword="null"/>: every region).</summary>
        public List<string>? Regions { get; set; }
    }

    /// <summary>One region's requests per minute over the latest <see cref="RingMinutes"/> minutes.</summary>
    private sealed class RegionCounts(string region)
    {
        private readonly long[] _minutes = new long[RingMinutes];
        private readonly int[] _counts = new int[RingMinutes];

        public string Region { get; } = region;

        public void Add(long minute)
        {
            var slot = (int)(minute % RingMinutes);
            if (_minutes[slot] == minute)
            {
                _counts[slot]++;
            }
            else if (minute > _minutes[slot])
            {
                _minutes[slot] = minute;
                _counts[slot] = 1;
            }
        }

        /// <summary>The mean count of the <paramref name="length"/> minutes from <paramref name="first"/> (a minute not kept counts as none).</summary>
        public double Mean(long first, long length)
        {
            long sum = 0;
            for (var minute = first; minute < first + length; minute++)
            {
                var slot = (int)(minute % RingMinutes);
                if (minute >= 0 && _minutes[slot] == minute)
                {
                    sum += _counts[slot];
                }
            }

            return (double)sum / length;
        }
    }
}
