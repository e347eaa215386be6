namespace AnalyticsHub.PostgreSql.Tests;

/// <summary>Stores of one test, on one fresh schema (several stores on it act as several hosts), dropped at the end.</summary>
internal sealed class PostgreSqlStoreFixture : IAsyncDisposable
{
    private readonly List<PostgreSqlEventStore> _stores = [];

    public string Schema { get; } = TestDatabase.NewSchema();

    public async Task<PostgreSqlEventStore> CreateAsync(Action<PostgreSqlOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new PostgreSqlOptions { Schema = Schema, ReconnectDelay = TimeSpan.FromMilliseconds(100), HeartbeatInterval = Timeout.InfiniteTimeSpan };
        configure?.Invoke(options);
        var store = new PostgreSqlEventStore(TestDatabase.DataSource, options, time);
        await store.InitializeAsync();
        _stores.Add(store);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        TestDatabase.DropSchema(Schema);
    }
}
