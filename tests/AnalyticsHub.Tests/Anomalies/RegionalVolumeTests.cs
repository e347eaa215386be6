using AnalyticsHub.Anomalies;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Tests.Anomalies;

/// <summary>The regional request counts behind a volume episode's scope, and why they do not depend on batch boundaries.</summary>
public class RegionalVolumeTests
{
    private const string Requests = "llm_latency";
    private static readonly TagSet East = new() { SourceModule = "llm-observatory", Environment = "production", ModelId = "gpt-4o", Region = "us-east-1" };
    private static readonly TagSet West = new() { SourceModule = "llm-observatory", Environment = "production", ModelId = "gpt-4o", Region = "eu-west-1" };
    private static readonly long Start = new DateTimeOffset(2025, 3, 12, 12, 0, 0, TimeSpan.Zero).UtcTicks;

    /// <summary>30 minutes at 20 requests a minute in each region, then 5 minutes in which us-east-1 alone doubles.</summary>
    private static RegionalVolume EastRises()
    {
        var volume = new RegionalVolume(Requests, maxSeries: 100, lateness: TimeSpan.FromMinutes(1));
        for (var minute = 0; minute < 35; minute++)
        {
            for (var k = 0; k < 20; k++)
            {
                var ticks = Start + (minute * TimeSpan.TicksPerMinute) + (k * TimeSpan.TicksPerSecond);
                volume.Count(Requests, East, ticks);
                volume.Count(Requests, West, ticks);
                if (minute >= 30)
                {
                    volume.Count(Requests, East, ticks + (TimeSpan.TicksPerSecond / 2));
                }
            }
        }

        return volume;
    }

    [Fact]
    public void RiseCarriedByOneRegion_NamesIt()
    {
        var volume = EastRises();

        Assert.Equal("us-east-1", volume.RegionThatCarried("production", "gpt-4o", Start + (30 * TimeSpan.TicksPerMinute), Start + (35 * TimeSpan.TicksPerMinute)));
    }

    [Fact]
    public void PointsOfAClosedMinute_AreNotCounted_SoTheDecisionDoesNotDependOnWhenTheyArrive()
    {
        // Event time moves on to 12:40; then a burst of eu-west-1 points of the onset's minutes arrives, after their
        // windows closed (late for the metrics stage). Whether the decision is read before or after them depends on
        // where a batch ends, so they must not count: the decision stays us-east-1.
        var volume = EastRises();
        volume.Count(Requests, East, Start + (40 * TimeSpan.TicksPerMinute));
        for (var k = 0; k < 200; k++)
        {
            volume.Count(Requests, West, Start + (31 * TimeSpan.TicksPerMinute) + k);
        }

        Assert.Equal("us-east-1", volume.RegionThatCarried("production", "gpt-4o", Start + (30 * TimeSpan.TicksPerMinute), Start + (35 * TimeSpan.TicksPerMinute)));
    }

    [Fact]
    public void PointsWithinTheAllowedLateness_AreCounted()
    {
        // Out of order by less than the allowed lateness (the newest event is at 12:34:19; these are at 12:34:00-12:34:03):
        // on time for the metrics stage, so counted here too. eu-west-1 then rose as well, and the rise is the model's.
        var volume = EastRises();
        for (var k = 0; k < 200; k++)
        {
            volume.Count(Requests, West, Start + (34 * TimeSpan.TicksPerMinute) + (k * TimeSpan.TicksPerSecond / 50));
        }

        Assert.Null(volume.RegionThatCarried("production", "gpt-4o", Start + (30 * TimeSpan.TicksPerMinute), Start + (35 * TimeSpan.TicksPerMinute)));
    }

    private static readonly TagSet Oregon = new() { SourceModule = "llm-observatory", Environment = "production", ModelId = "gpt-4o", Region = "us-west-2" };

    /// <summary>
    /// 30 minutes at the given requests a minute per region (eu-west-1, us-west-2, us-east-1), then a two-minute onset at
    /// the onset's counts: the decision for an episode starting at minute 30 and confirmed at minute 32.
    /// </summary>
    private static string? ThreeRegions((int Eu, int Oregon, int East) level, (int Eu, int Oregon, int East) onset)
    {
        var volume = new RegionalVolume(Requests, maxSeries: 100, lateness: TimeSpan.FromMinutes(1));
        for (var minute = 0; minute < 32; minute++)
        {
            var counts = minute < 30 ? level : onset;
            foreach (var (tags, count) in new[] { (West, counts.Eu), (Oregon, counts.Oregon), (East, counts.East) })
            {
                for (var k = 0; k < count; k++)
                {
                    volume.Count(Requests, tags, Start + (minute * TimeSpan.TicksPerMinute) + (k * TimeSpan.TicksPerSecond / 2));
                }
            }
        }

        return volume.RegionThatCarried("production", "gpt-4o", Start + (30 * TimeSpan.TicksPerMinute), Start + (32 * TimeSpan.TicksPerMinute));
    }

    [Fact]
    public void ARiseConcentratedInOneRegion_WhileTheBusyRegionStaysFlat_IsThatRegions_AQuietRegionsNoiseUnread()
    {
        // eu-west-1 15 -> 41 a minute, the busy us-west-2 flat at 10, the quiet us-east-1 1 -> 2: us-east-1's rise passes
        // half its traffic share (1.0 of a rise of 27), but its share is within its noise over two minutes; the busy region's is
        // not, and it took none of it.
        Assert.Equal("eu-west-1", ThreeRegions(level: (15, 10, 1), onset: (41, 10, 2)));
    }

    [Fact]
    public void AProportionalRise_WhoseQuietRegionLags_StaysTheModels()
    {
        // A surge doubles eu-west-1 and us-west-2 while the quiet us-east-1 stays at 1 within its noise: the busy regions
        // each took their share, so the rise is the model's as a whole.
        Assert.Null(ThreeRegions(level: (15, 10, 1), onset: (30, 20, 1)));
    }

    [Fact]
    public void ARiseWithTwoBusyRegionsRising_StaysTheModels_EvenWhenOneLeads()
    {
        // eu-west-1 15 -> 41 and us-west-2 10 -> 18 (8, more than half its share of 13.5): two busy regions rose.
        Assert.Null(ThreeRegions(level: (15, 10, 1), onset: (41, 18, 2)));
    }

    [Fact]
    public void ARiseABusyRegionTookSomeOf_StaysTheModels_ThoughItFellShortOfHalfItsShare()
    {
        // us-west-2 10 -> 14: 4 of its share of 11.9, short of half (a region that carried the rise) but not well below
        // it: a ramp that reached it later, not a rise concentrated in eu-west-1.
        Assert.Null(ThreeRegions(level: (15, 10, 1), onset: (41, 14, 2)));
    }

    /// <summary>
    /// 30 minutes at 30, 30 and 12 requests a minute (us-east-1, eu-west-1, us-west-2), then from minute 30 a surge
    /// that doubles us-east-1 and us-west-2 while eu-west-1 gains 2 a minute, for <paramref name="minutes"/> minutes in all.
    /// </summary>
    private static RegionalVolume SurgeInTwoOfThreeRegions(int minutes)
    {
        var volume = new RegionalVolume(Requests, maxSeries: 100, lateness: TimeSpan.FromMinutes(1));
        for (var minute = 0; minute < minutes; minute++)
        {
            var surge = minute >= 30;
            foreach (var (tags, count) in new[] { (East, surge ? 60 : 30), (West, surge ? 32 : 30), (Oregon, surge ? 24 : 12) })
            {
                for (var k = 0; k < count; k++)
                {
                    volume.Count(Requests, tags, Start + (minute * TimeSpan.TicksPerMinute) + (k * TimeSpan.TicksPerSecond));
                }
            }
        }

        return volume;
    }

    [Fact]
    public void AModelWideRise_ItsLaterEpisode_ReadsTheRegionsFromTheRisesFirstStart_AndAgreesWithTheFirst()
    {
        // The model's first episode starts with the surge (minute 30, confirmed at 32): us-east-1 and us-west-2 carried it,
        // the busy eu-west-1 stayed out. A later episode of the same model (a latency or token series, minute 55, confirmed
        // at 57) read on its own would measure its level over a half hour that is mostly the surge's plateau, where no
        // region rises beyond its noise (every region kept: the model's as a whole); read as the model's rise, from
        // minute 30, it names the same two regions.
        var volume = SurgeInTwoOfThreeRegions(58);
        long Minute(int m) => Start + (m * TimeSpan.TicksPerMinute);

        Assert.Equal(["us-east-1", "us-west-2"], volume.RegionsThatCarriedAModelWideRise("production", "gpt-4o", Minute(30), Minute(32)));
        Assert.Equal(["us-east-1", "us-west-2"], volume.RegionsThatCarriedAModelWideRise("production", "gpt-4o", Minute(55), Minute(57)));
    }

    [Fact]
    public void AModelWideRise_AnEpisodeConfirmedPastTheLongestOnset_KeepsTheRisesVerdict()
    {
        var volume = SurgeInTwoOfThreeRegions(70);
        long Minute(int m) => Start + (m * TimeSpan.TicksPerMinute);

        Assert.Equal(["us-east-1", "us-west-2"], volume.RegionsThatCarriedAModelWideRise("production", "gpt-4o", Minute(30), Minute(32)));
        Assert.Equal(["us-east-1", "us-west-2"], volume.RegionsThatCarriedAModelWideRise("production", "gpt-4o", Minute(60), Minute(66)));
    }

    [Fact]
    public void AModelsEpisode_LongAfterItsLastRise_StartsARiseOfItsOwn()
    {
        // An episode starting more than the level's span after the rise's latest onset is a new rise, read against its own
        // level: the plateau has become the level and no region moved.
        var volume = SurgeInTwoOfThreeRegions(100);
        long Minute(int m) => Start + (m * TimeSpan.TicksPerMinute);

        Assert.Equal(["us-east-1", "us-west-2"], volume.RegionsThatCarriedAModelWideRise("production", "gpt-4o", Minute(30), Minute(32)));
        Assert.Null(volume.RegionsThatCarriedAModelWideRise("production", "gpt-4o", Minute(95), Minute(97)));
    }

    [Fact]
    public void AModelWideRise_AnEpisodeConfirmedPastTheLongestOnset_DoesNotExtendTheRise()
    {
        // The episode confirmed at 66 keeps the rise's verdict but reads nothing new, so the rise's latest onset read
        // stays 32: an episode starting at 70, more than the level's span after it, is a rise of its own, read against the
        // plateau (no region moved). Were the rise extended by every episode, a chain of episodes each within half an
        // hour of the last would reuse a verdict read hours before.
        var volume = SurgeInTwoOfThreeRegions(100);
        long Minute(int m) => Start + (m * TimeSpan.TicksPerMinute);

        Assert.Equal(["us-east-1", "us-west-2"], volume.RegionsThatCarriedAModelWideRise("production", "gpt-4o", Minute(30), Minute(32)));
        Assert.Equal(["us-east-1", "us-west-2"], volume.RegionsThatCarriedAModelWideRise("production", "gpt-4o", Minute(60), Minute(66)));
        Assert.Null(volume.RegionsThatCarriedAModelWideRise("production", "gpt-4o", Minute(70), Minute(72)));
    }
}
