using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Anomalies;

public class ModuleDeliveryTests
{
    private static readonly long T0 = new DateTimeOffset(2025, 3, 12, 0, 0, 0, TimeSpan.Zero).UtcTicks;
    private const long Minute = TimeSpan.TicksPerMinute;

    /// <summary>Feeds <paramref name="perMinute"/> events a minute of <paramref name="module"/> for minutes [from, to).</summary>
    private static void Feed(ModuleDelivery delivery, SourceModule module, int from, int to, int perMinute)
    {
        for (var m = from; m < to; m++)
        {
            for (var k = 0; k < perMinute; k++)
            {
                delivery.Saw(module, T0 + (m * Minute) + (k * Minute / (perMinute + 1)));
            }
        }
    }

    [Fact]
    public void IsSilent_ABusyModuleWithoutEventsForMinutes_IsSilentThere()
    {
        var delivery = new ModuleDelivery(1_440, TimeSpan.FromMinutes(1));
        Feed(delivery, SourceModule.LlmCostOps, 0, 100, 20);
        Feed(delivery, SourceModule.LlmCostOps, 140, 150, 20);

        Assert.False(delivery.IsSilent(SourceModule.LlmCostOps, T0 + (99 * Minute)));
        Assert.True(delivery.IsSilent(SourceModule.LlmCostOps, T0 + (100 * Minute)));
        Assert.True(delivery.IsSilent(SourceModule.LlmCostOps, T0 + (139 * Minute)));
        Assert.False(delivery.IsSilent(SourceModule.LlmCostOps, T0 + (140 * Minute)));
    }

    [Fact]
    public void IsSilent_AQuietModulesEmptyMinutesWithinItsRate_AreNotSilent()
    {
        var delivery = new ModuleDelivery(1_440, TimeSpan.FromMinutes(1));
        // One event every fifth minute: a module that does not deliver every minute is never silent.
        for (var m = 0; m < 100; m += 5)
        {
            delivery.Saw(SourceModule.LlmSentinel, T0 + (m * Minute));
        }

        delivery.Saw(SourceModule.LlmSentinel, T0 + (106 * Minute));

        Assert.False(delivery.IsSilent(SourceModule.LlmSentinel, T0 + (100 * Minute)));
        Assert.False(delivery.IsSilent(SourceModule.LlmSentinel, T0 + (101 * Minute)));
    }

    [Fact]
    public void IsSilent_AModuleNeverSeen_IsNotSilent() =>
        Assert.False(new ModuleDelivery(1_440, TimeSpan.FromMinutes(1)).IsSilent(SourceModule.LlmRegistry, T0));
}
