using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Tests.Storage;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.PostgreSql.Tests;

/// <summary>Time-series stores of one test class instance, each on a fresh schema, dropped at the end.</summary>
internal sealed class TimeSeriesSchemas : IDisposable
{
    private readonly List<(string Schema, PostgreSqlTimeSeriesStore Store)> _stores = [];

    public PostgreSqlTimeSeriesStore Create(InMemoryTimeSeriesStoreOptions? engine = null)
    {
        var schema = TestDatabase.NewSchema();
        var store = new PostgreSqlTimeSeriesStore(TestDatabase.DataSource, new PostgreSqlOptions { Schema = schema, TimeSeries = engine ?? new() });
        lock (_stores)
        {
            _stores.Add((schema, store));
        }

        return store;
    }

    /// <summary>
    /// A store on this instance's one schema, emptied first: what a property that makes a store per case needs, since a
    /// schema's migration costs far more than emptying it (with DELETE: TRUNCATE's new files cost more than the few rows of a case). The emptying raises the version, so earlier stores rebuild.
    /// </summary>
    public PostgreSqlTimeSeriesStore CreateEmptied(InMemoryTimeSeriesStoreOptions? engine = null)
    {
        PostgreSqlTimeSeriesStore? first;
        lock (_stores)
        {
            first = _stores.Count > 0 ? _stores[0].Store : null;
        }

        if (first is null)
        {
            return Create(engine);
        }

        var schema = SchemaOf(first);
        using (var connection = TestDatabase.DataSource.OpenConnection())
        using (var empty = new Npgsql.NpgsqlCommand(
            // DELETE, not TRUNCATE: a case holds a few hundred rows, and TRUNCATE makes new files for every table, partition and index.
            string.Join("; ", new[] { "ts_series", "ts_chunks", "ts_rollups", "ts_raw_horizons", "ts_continuous_queries" }.Select(t => $"DELETE FROM \"{schema}\".{t}"))
                + $"; UPDATE \"{schema}\".ts_state SET version = version + 1",
            connection))
        {
            empty.ExecuteNonQuery();
        }

        return Reopen(first, engine);
    }

    public string SchemaOf(PostgreSqlTimeSeriesStore store)
    {
        lock (_stores)
        {
            return _stores.First(s => ReferenceEquals(s.Store, store)).Schema;
        }
    }

    /// <summary>Another store on the schema of <paramref name="store"/>: a second host, or the same host restarted.</summary>
    public PostgreSqlTimeSeriesStore Reopen(PostgreSqlTimeSeriesStore store, InMemoryTimeSeriesStoreOptions? engine = null)
    {
        var schema = SchemaOf(store);
        var reopened = new PostgreSqlTimeSeriesStore(TestDatabase.DataSource, new PostgreSqlOptions { Schema = schema, TimeSeries = engine ?? new() });
        lock (_stores)
        {
            _stores.Add((schema, reopened));
        }

        return reopened;
    }

    public void Dispose()
    {
        foreach (var schema in _stores.Select(s => s.Schema).Distinct())
        {
            TestDatabase.DropSchema(schema);
        }

        foreach (var (_, store) in _stores)
        {
            store.Dispose();
        }
    }
}

/// <summary>The time-series contract suite (from AnalyticsHub.Tests) on a real PostgreSQL server.</summary>
public sealed class PostgreSqlTimeSeriesStoreContractTests : TimeSeriesStoreContractTests, IDisposable
{
    private readonly TimeSeriesSchemas _schemas = new();

    protected override ITimeSeriesStore CreateStore(int maxValuesPerTag = 1_000, int maxSeries = 100_000) => _schemas.Create(new InMemoryTimeSeriesStoreOptions
    {
        ChunkSize = 64,
        Cardinality = new TimeSeriesCardinalityLimits { DefaultMaxValuesPerTag = maxValuesPerTag, MaxSeriesPerMeasurement = maxSeries },
    });

    public void Dispose() => _schemas.Dispose();
}

/// <summary>The rollup and retention contract suite on a real PostgreSQL server.</summary>
public sealed class PostgreSqlRetentionAndRollupContractTests : RetentionAndRollupContractTests, IDisposable
{
    private readonly TimeSeriesSchemas _schemas = new();

    protected override ITimeSeriesStore NewStore(RetentionPolicy? retention = null) =>
        _schemas.Create(new InMemoryTimeSeriesStoreOptions { ChunkSize = 64, Retention = retention ?? RetentionPolicy.Default });

    public void Dispose() => _schemas.Dispose();
}

/// <summary>The continuous-query contract suite on a real PostgreSQL server.</summary>
public sealed class PostgreSqlContinuousQueryContractTests : ContinuousQueryContractTests, IDisposable
{
    private readonly TimeSeriesSchemas _schemas = new();

    protected override ITimeSeriesStore NewStore() => _schemas.CreateEmptied(new InMemoryTimeSeriesStoreOptions { ChunkSize = 64 });

    public void Dispose() => _schemas.Dispose();
}
