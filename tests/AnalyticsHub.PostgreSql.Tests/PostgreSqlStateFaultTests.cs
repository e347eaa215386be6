using System.Diagnostics;
using AnalyticsHub.Cost;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace AnalyticsHub.PostgreSql.Tests;

/// <summary>The hub's state on the real server: a save killed mid-transaction, and a hub restarted on the same schema.</summary>
public sealed class PostgreSqlStateFaultTests
{
    private static readonly DateTimeOffset Day = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static BudgetPeriodState State(string budget, double spend, double[] crossed) => new()
    {
        BudgetId = budget,
        PeriodStart = Day,
        PeriodEnd = Day.AddDays(1),
        SpendUsd = spend,
        FirstCostAt = Day,
        LastCostAt = Day.AddHours(1),
        ThresholdsCrossed = crossed,
        ForecastWarned = false,
    };

    [Fact]
    public async Task SaveAsync_ConnectionKilledMidTransaction_StoresNothingAndTheRetryStoresEverything()
    {
        var schema = TestDatabase.NewSchema();
        try
        {
            var store = new PostgreSqlBudgetStateStore(TestDatabase.DataSource, new PostgreSqlOptions { Schema = schema });
            await store.SaveAsync([State("b", 10, [])]);

            // Hold the stored row so the save stops after its first upsert (the new budget "a"), then kill it.
            await using var blocker = await TestDatabase.DataSource.OpenConnectionAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM \"{schema}\".budget_states FOR UPDATE", blocker, hold))
            {
                await lockRow.ExecuteScalarAsync();
            }

            var save = store.SaveAsync([State("a", 60, [50]), State("b", 85, [50, 80])]).AsTask();
            var victim = 0;
            var stopwatch = Stopwatch.StartNew();
            while (victim == 0 && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
            {
                victim = await TestDatabase.ScalarAsync<int>(
                    $"SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%\"{schema}\".budget_states%'");
            }

            Assert.NotEqual(0, victim);
            await using (var kill = new NpgsqlCommand($"SELECT pg_terminate_backend({victim})", blocker, hold))
            {
                await kill.ExecuteScalarAsync();
            }

            await Assert.ThrowsAnyAsync<NpgsqlException>(() => save);
            await hold.RollbackAsync();
            var survived = Assert.Single(await store.LoadAsync());
            Assert.Equal(("b", 10.0), (survived.BudgetId, survived.SpendUsd));

            await store.SaveAsync([State("a", 60, [50]), State("b", 85, [50, 80])]);

            Assert.Equal([("a", 60.0), ("b", 85.0)], (await store.LoadAsync()).Select(s => (s.BudgetId, s.SpendUsd)));
        }
        finally
        {
            TestDatabase.DropSchema(schema);
        }
    }

    [Fact]
    public async Task Hub_RestartedOnTheSameSchema_ContinuesItsBudgetAndDoesNotAlertACrossedThresholdAgain()
    {
        var schema = TestDatabase.NewSchema();
        try
        {
            await RunHubAsync(schema, Cost(6, Day.AddHours(9), "r1"));
            await RunHubAsync(schema, Cost(3, Day.AddHours(10), "r2"));

            var alerts = await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".events WHERE subtype = convert_to('budget_alert', 'UTF8')");
            Assert.Equal(2L, alerts);   // 50 % before the restart, 80 % after it; not 50 % twice
            var state = Assert.Single(await new PostgreSqlBudgetStateStore(TestDatabase.DataSource, new PostgreSqlOptions { Schema = schema }).LoadAsync());
            Assert.Equal(9, state.SpendUsd, 9);
            Assert.Equal([50.0, 80], state.ThresholdsCrossed);
        }
        finally
        {
            TestDatabase.DropSchema(schema);
        }
    }

    private static async Task RunHubAsync(string schema, AnalyticsEvent cost)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services
            .AddAnalyticsHub(o => o.Cost.Budgets = [new BudgetDefinition { Id = "day", LimitUsd = 10, Period = BudgetPeriod.Day, Forecast = false }])
            .UsePostgreSql(TestDatabase.ConnectionString, o => o.Schema = schema);
        using var host = builder.Build();
        await host.StartAsync();
        var hub = host.Services.GetRequiredService<IAnalyticsHub>();
        await (await hub.IngestAsync([cost])).Completion;
        await hub.FlushAsync();
        await host.StopAsync();
    }

    private static AnalyticsEvent Cost(double usd, DateTimeOffset at, string request) => new()
    {
        Common = new CommonEventFields
        {
            EventId = Guid.NewGuid(),
            Timestamp = at,
            SourceModule = SourceModule.LlmCostOps,
            EventType = EventType.Cost,
            Severity = Severity.Info,
            Environment = "production",
            Tags = new Dictionary<string, string>(),
        },
        Payload = new TokenCostEvent
        {
            ModelId = "acme-large", RequestId = request, PromptTokens = 100, CompletionTokens = 50, TotalTokens = 150,
            CostPerPromptToken = 0, CostPerCompletionToken = 0, TotalCostUsd = usd, Currency = "USD",
        },
    };
}
