using AnalyticsHub.Anomalies;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Tests.Anomalies;

/// <summary>
/// Request counts a minute that follow a daily cycle, fed one window a minute through an episode tracker: what the
/// tests of volume episodes share.
/// </summary>
internal static class DailyTraffic
{
    public const int MinutesPerDay = 1440;

    /// <summary>The first minute of every series.</summary>
    public static readonly DateTimeOffset Origin = new(2026, 3, 9, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Requests a minute: lowest at 02:00, highest at 14:00 (the simulator's cosine), <paramref name="low"/> to <paramref name="high"/>.</summary>
    public static double Rate(int minute, double low, double high)
    {
        var phase = 2 * Math.PI * ((minute % MinutesPerDay) - 120) / MinutesPerDay;
        return low + ((high - low) * (1 - Math.Cos(phase)) / 2);
    }

    /// <summary>Poisson counts a minute at <see cref="Rate"/> over <paramref name="days"/> days.</summary>
    public static int[] Counts(int days, int seed, double low, double high)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, days * MinutesPerDay).Select(m => SyntheticSeries.Poisson(random, Rate(m, low, high)))];
    }

    /// <summary>Feeds one count a minute from <see cref="Origin"/> through <paramref name="tracker"/>; the episodes it reported opened.</summary>
    public static List<AnomalyEpisode> OpenedEpisodes(AnomalyEpisodeTracker tracker, int[] counts)
    {
        var sink = new Recorder();
        for (var i = 0; i < counts.Length; i++)
        {
            var start = Origin.UtcTicks + (i * TimeSpan.TicksPerMinute);
            tracker.Add(start, start + TimeSpan.TicksPerMinute, counts[i], default(StreamingStats), sink);
        }

        return sink.Episodes;
    }

    /// <summary>The minute (from <see cref="Origin"/>) at which an episode starts.</summary>
    public static int MinuteOf(AnomalyEpisode episode) => (int)((episode.StartTicks - Origin.UtcTicks) / TimeSpan.TicksPerMinute);

    private sealed class Recorder : IAnomalyEpisodeSink
    {
        public List<AnomalyEpisode> Episodes { get; } = [];

        public void Opened(AnomalyEpisode episode) => Episodes.Add(episode);

        public void Closed(AnomalyEpisode episode)
        {
        }
    }
}
