using AnalyticsHub.Correlation;
using AnalyticsHub.Storage.InMemory;

namespace AnalyticsHub.Tests.Storage;

public sealed class InMemoryCorrelationStoreContractTests : CorrelationStoreContractTests
{
    protected override ICorrelationStore CreateStore() => new InMemoryCorrelationStore();

    [Fact]
    public async Task WriteAsync_AtCapacity_EvictsTheLeastRecentlyDetectedAndCountsIt()
    {
        var store = new InMemoryCorrelationStore(capacity: 2);
        await store.WriteAsync(Incident(1, 0, 0.9, [1], detectedMinute: 30));
        await store.WriteAsync(Incident(2, 0, 0.9, [2], detectedMinute: 10));

        await store.WriteAsync(Incident(3, 0, 0.9, [3], detectedMinute: 20));

        Assert.Null(await store.GetAsync(Id(2)));
        Assert.NotNull(await store.GetAsync(Id(1)));
        Assert.NotNull(await store.GetAsync(Id(3)));
        Assert.Equal(2, store.Count);
        Assert.Equal(1, store.Evicted);
    }

    [Fact]
    public void Constructor_CapacityBelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryCorrelationStore(capacity: 0));
}
