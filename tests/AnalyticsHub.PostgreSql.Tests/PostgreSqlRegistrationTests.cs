using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.PostgreSql.Tests;

public sealed class PostgreSqlRegistrationTests
{
    [Fact]
    public async Task UsePostgreSql_HostStarts_MigratesAndTheHubStoresInPostgreSql()
    {
        var schema = TestDatabase.NewSchema();
        ulong total;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddAnalyticsHub().UsePostgreSql(TestDatabase.ConnectionString, o => o.Schema = schema);
        using (var host = builder.Build())
        {
            await host.StartAsync();
            Assert.Equal(PostgreSqlMigrator.CurrentVersion, await PostgreSqlMigrator.GetVersionAsync(TestDatabase.DataSource, schema));
            var hub = host.Services.GetRequiredService<IAnalyticsHub>();
            Assert.IsType<PostgreSqlEventStore>(host.Services.GetRequiredService<IEventStore>());
            Assert.IsType<PostgreSqlBudgetStateStore>(host.Services.GetRequiredService<global::AnalyticsHub.Cost.IBudgetStateStore>());
            Assert.IsType<PostgreSqlCorrelationStore>(host.Services.GetRequiredService<global::AnalyticsHub.Correlation.ICorrelationStore>());
            Assert.IsType<PostgreSqlTimeSeriesStore>(host.Services.GetRequiredService<global::AnalyticsHub.TimeSeries.ITimeSeriesStore>());
            var events = RandomEvents.Events(new Random(1), 50).Select(e => e with { Common = e.Common with { Timestamp = DateTimeOffset.UtcNow.AddMinutes(-5) } }).ToList();

            var result = await hub.IngestAsync(events);
            await hub.FlushAsync();

            Assert.All(await result.Completion, item => Assert.Equal(EventItemStatus.Stored, item.Status));
            var store = host.Services.GetRequiredService<IEventStore>();
            foreach (var evt in events)
            {
                Assert.Equal(AnalyticsEventJson.Serialize(evt), AnalyticsEventJson.Serialize((await store.GetAsync(evt.EventId))!));
            }

            // The hub's derived events (cost, anomalies) are stored beside the ingested ones.
            total = (await hub.QueryEventsAsync(new EventQuery { PerPage = 1 })).TotalItems;
            Assert.InRange(total, 50ul, 200ul);
            await host.StopAsync();
        }

        Assert.Equal((long)total, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".events"));
        TestDatabase.DropSchema(schema);
    }

    [Fact]
    public async Task UsePostgreSql_InvalidOptions_HostStartFailsListingEveryProblem()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddAnalyticsHub().UsePostgreSql(TestDatabase.ConnectionString, o =>
        {
            o.Schema = "no way";
            o.SubscriberBufferSize = 0;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("PostgreSql:Schema", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("PostgreSql:SubscriberBufferSize", StringComparison.Ordinal));
    }

    [Fact]
    public void UsePostgreSql_MalformedConnectionString_FailsAtRegistration()
    {
        var services = new ServiceCollection();

        Assert.ThrowsAny<ArgumentException>(() => services.AddAnalyticsHub().UsePostgreSql("Host=127.0.0.1;Nonsense Key=1"));
        Assert.ThrowsAny<ArgumentException>(() => services.AddAnalyticsHub().UsePostgreSql(" "));
    }
}
