using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Storage;

namespace AnalyticsHub.PostgreSql.Tests;

/// <summary>The event-store contract suite (from AnalyticsHub.Tests) on a real PostgreSQL server, a fresh schema per store.</summary>
public sealed class PostgreSqlEventStoreContractTests : EventStoreContractTests, IDisposable
{
    private readonly List<PostgreSqlEventStore> _stores = [];

    protected override IEventStore CreateStore(EventStoreTestSettings settings)
    {
        var store = new PostgreSqlEventStore(
            TestDatabase.DataSource,
            new PostgreSqlOptions
            {
                Schema = TestDatabase.NewSchema(),
                MaxEvents = settings.MaxEvents,
                MaxAge = settings.MaxAge,
                ReplayLimit = settings.ReplayLimit,
                SubscriberBufferSize = settings.SubscriberBufferSize,
                HeartbeatInterval = settings.HeartbeatInterval,
                ReconnectDelay = TimeSpan.FromMilliseconds(100),
            },
            settings.TimeProvider);
        store.InitializeAsync().GetAwaiter().GetResult();
        _stores.Add(store);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
            TestDatabase.DropSchema(store.Schema);
        }
    }
}
