using AnalyticsHub.Correlation;
using AnalyticsHub.Cost;
using AnalyticsHub.Tests.Storage;

namespace AnalyticsHub.PostgreSql.Tests;

/// <summary>The budget-state contract suite (from AnalyticsHub.Tests) on a real PostgreSQL server, a fresh schema per test.</summary>
public sealed class PostgreSqlBudgetStateStoreContractTests : BudgetStateStoreContractTests, IDisposable
{
    private readonly string _schema = TestDatabase.NewSchema();

    protected override IBudgetStateStore CreateStore() => new PostgreSqlBudgetStateStore(TestDatabase.DataSource, new PostgreSqlOptions { Schema = _schema });

    [Fact]
    public async Task LoadAsync_SecondStoreOnTheSameSchema_SeesWhatTheFirstSaved()
    {
        await CreateStore().SaveAsync([State("b\u0000é", 0, 12.5, [50])]);

        var loaded = Assert.Single(await CreateStore().LoadAsync());

        Assert.Equal("b\u0000é", loaded.BudgetId);
        Assert.Equal([50.0], loaded.ThresholdsCrossed);
    }

    public void Dispose() => TestDatabase.DropSchema(_schema);
}

/// <summary>The correlation-store contract suite (from AnalyticsHub.Tests) on a real PostgreSQL server, a fresh schema per test.</summary>
public sealed class PostgreSqlCorrelationStoreContractTests : CorrelationStoreContractTests, IDisposable
{
    private readonly string _schema = TestDatabase.NewSchema();

    protected override ICorrelationStore CreateStore() => new PostgreSqlCorrelationStore(TestDatabase.DataSource, new PostgreSqlOptions { Schema = _schema });

    [Fact]
    public async Task QueryAsync_AfterRestart_ANewStoreOnTheSchemaAnswersTheSame()
    {
        await CreateStore().WriteAsync(Incident(1, 0, 0.9, [1, 2]));
        await CreateStore().WriteAsync(Incident(2, 1, 0.9, [2, 3]));

        var result = await CreateStore().QueryAsync(new CorrelationQuery { SeedEventId = EventId(1), TimeWindowMinutes = 120, MaxDepth = 5 });

        Assert.Equal([Id(1), Id(2)], result.Correlations!.Select(c => c.CorrelationId));
    }

    [Fact]
    public async Task WriteAsync_Concurrent_TheLatestDetectionWins()
    {
        var store = CreateStore();

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => store.WriteAsync(Incident(1, 0, 0.9, [1, i + 2], detectedMinute: i)).AsTask()));

        var stored = await store.GetAsync(Id(1));
        Assert.Equal(T0.AddMinutes(11), stored!.DetectedAt);
        Assert.Equal([Id(1)], (await store.QueryAsync(new CorrelationQuery { SeedEventId = EventId(13), TimeWindowMinutes = 60, MaxDepth = 1 })).Correlations!.Select(c => c.CorrelationId));
        Assert.Empty((await store.QueryAsync(new CorrelationQuery { SeedEventId = EventId(5), TimeWindowMinutes = 60, MaxDepth = 1 })).Correlations!);
    }

    public void Dispose() => TestDatabase.DropSchema(_schema);
}
