using AnalyticsHub.Cost;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Cost;

public class CostHubTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static ServiceProvider Build(Action<AnalyticsHubOptions>? configure = null, IBudgetStateStore? budgetStates = null)
    {
        var services = new ServiceCollection();
        if (budgetStates is not null)
        {
            services.AddSingleton(budgetStates);
        }

        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            o.Cost.UseDefaultPrices = false;
            o.Cost.PriceTableJson = CostTestData.TableJson;
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    private static async Task IngestAsync(IAnalyticsHub hub, params AnalyticsEvent[] events)
    {
        await (await hub.IngestAsync(events)).Completion;
        await hub.FlushAsync();
    }

    private static async Task<List<AnalyticsEvent>> AlertsAsync(IAnalyticsHub hub)
    {
        var page = await hub.QueryEventsAsync(new EventQuery { PayloadType = PayloadType.Cost, Subtype = "budget_alert", Order = global::AnalyticsHub.Api.SortOrder.Asc, PerPage = 100 });
        return [.. page.Events];
    }

    [Fact]
    public async Task TokenUsage_IsPricedByTheHub_AsAChildTokenCost()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var usage = CostTestData.Usage("acme-large", 1_000_000, 100_000, Now);

        await IngestAsync(hub, usage);

        var child = Assert.Single(await hub.Events.GetChildrenAsync(usage.EventId));
        Assert.Equal(SourceModule.LlmAnalyticsHub, child.SourceModule);
        Assert.Equal(usage.Common.CorrelationId, child.Common.CorrelationId);
        var cost = Assert.IsType<TokenCostEvent>(child.Payload);
        Assert.Equal(2.0 + 1.0, cost.TotalCostUsd);
        Assert.Equal("test-1:acme/acme-large@2026-02-01", cost.PriceVersion);
        var monitor = provider.GetRequiredService<ICostMonitor>();
        Assert.Equal(1, monitor.Statistics.PricedRequests);
        Assert.Equal(3.0, monitor.Statistics.PricedCostUsd, 9);
        Assert.Equal(1, hub.Statistics.Derived);
    }

    [Fact]
    public async Task UnknownModel_IsCountedAndWarnedOnce_NotPricedAtZero()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var usages = Enumerable.Range(0, 3).Select(i => CostTestData.Usage("mystery-1", 100, 10, Now.AddMinutes(i), request: "r" + i)).ToArray();

        await IngestAsync(hub, usages);

        var warnings = await hub.QueryEventsAsync(new EventQuery { PayloadType = PayloadType.Custom, Subtype = CostMonitor.UnpricedCustomType });
        var warning = Assert.Single(warnings.Events);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal(EventType.Alert, warning.EventType);
        Assert.Equal("mystery-1", ((CustomPayload)warning.Payload).Data.GetProperty("model_id").GetString());
        Assert.Empty(await hub.QueryEventsAsync(new EventQuery { PayloadType = PayloadType.Cost }) is { Events: var costs } ? costs : []);
        var statistics = provider.GetRequiredService<ICostMonitor>().Statistics;
        Assert.Equal(3, statistics.UnpricedRequests);
        Assert.Equal(3, statistics.UnknownModels["mystery-1"]);
        Assert.Equal(0, statistics.PricedRequests);
    }

    [Fact]
    public async Task Budget_ProducerAndHubCostOfOneRequest_CountOnce_AtTheHubPrice_AndAlertOnce()
    {
        await using var provider = Build(o => o.Cost.Budgets = [new BudgetDefinition { Id = "day", LimitUsd = 5, Period = BudgetPeriod.Day, Forecast = false }]);
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        // The hub prices this at $3 (1M input at $2/M + 100k output at $10/M); the producer says $4.
        var usage = CostTestData.Usage("acme-large", 1_000_000, 100_000, Now, request: "req-1");
        var producer = CostTestData.Cost(4, Now, request: "req-1", prompt: 1_000_000, completion: 100_000);

        // The usage in a call of its own first: the events of one call may be split across pipeline batches, and a
        // producer cost that reaches the budgets before the hub knows of its usage is counted (and alerted on) as
        // the best figure known then. The same-batch case, producer first, is
        // BudgetTrackerTests.Track_PreferHub_AnnouncedHubPrice_ProducerCostFirstIsNotCounted_NoAlertOnIt.
        await IngestAsync(hub, usage);
        await IngestAsync(hub, producer);
        await IngestAsync(hub, producer, usage); // a replay: duplicates reach no stage

        var state = Assert.Single(provider.GetRequiredService<ICostMonitor>().GetBudgetStates());
        Assert.Equal(3.0, state.SpendUsd, 9);
        var alert = Assert.Single(await AlertsAsync(hub));
        Assert.Equal(50, ((BudgetAlertEvent)alert.Payload).ThresholdPercent);
        Assert.Equal(SourceModule.LlmAnalyticsHub, alert.SourceModule);
    }

    [Fact]
    public async Task Budget_ThresholdsAcrossBatches_EachAlertedExactlyOnce()
    {
        await using var provider = Build(o => o.Cost.Budgets = [new BudgetDefinition { Id = "day", LimitUsd = 10, Period = BudgetPeriod.Day, Forecast = false }]);
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        for (var i = 0; i < 8; i++)
        {
            await IngestAsync(hub, CostTestData.Usage("acme-large", 1_000_000, 0, Now.AddMinutes(-i), request: "r" + i));
        }

        var alerts = await AlertsAsync(hub);
        Assert.Equal([50.0, 80, 95, 100], alerts.Select(a => ((BudgetAlertEvent)a.Payload).ThresholdPercent).Order());
        var monitor = provider.GetRequiredService<ICostMonitor>();
        Assert.Equal(4, monitor.Statistics.BudgetAlerts);
        Assert.Equal(16.0, monitor.GetBudgetStates()[0].SpendUsd, 9);
    }

    [Fact]
    public async Task RestartedHub_OnTheSameBudgetStates_DoesNotAlertACrossedThresholdAgain()
    {
        var states = new global::AnalyticsHub.Storage.InMemory.InMemoryBudgetStateStore();
        void Budget(AnalyticsHubOptions o) => o.Cost.Budgets = [new BudgetDefinition { Id = "day", LimitUsd = 10, Period = BudgetPeriod.Day, Forecast = false }];
        await using (var before = Build(Budget, states))
        {
            var hub = before.GetRequiredService<IAnalyticsHub>();
            await hub.StartAsync();
            await IngestAsync(hub, CostTestData.Cost(6, Now, request: "a"));
            Assert.Equal([50.0], (await AlertsAsync(hub)).Select(a => ((BudgetAlertEvent)a.Payload).ThresholdPercent));
            await hub.StopAsync();
        }

        await using var after = Build(Budget, states);
        var restarted = after.GetRequiredService<IAnalyticsHub>();
        await restarted.StartAsync();

        await IngestAsync(restarted, CostTestData.Cost(3, Now.AddMinutes(1), request: "b"));

        // A fresh hub (its event store is new) holds only what it alerted after the restart: 80 %, not 50 % again.
        Assert.Equal([80.0], (await AlertsAsync(restarted)).Select(a => ((BudgetAlertEvent)a.Payload).ThresholdPercent));
        Assert.Equal(9, after.GetRequiredService<ICostMonitor>().GetBudgetStates()[0].SpendUsd, 9);
    }

    [Fact]
    public async Task DisabledCostStage_BudgetsCountProducerCosts()
    {
        await using var provider = Build(o =>
        {
            o.DisabledStages = ["cost"];
            o.Cost.Budgets = [new BudgetDefinition { Id = "day", LimitUsd = 10, Period = BudgetPeriod.Day, Forecast = false }];
        });
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        await IngestAsync(hub, CostTestData.Usage("acme-large", 1_000_000, 0, Now, request: "a"), CostTestData.Cost(4, Now, request: "a", prompt: 1_000_000, completion: 0));

        Assert.Equal(4, provider.GetRequiredService<ICostMonitor>().GetBudgetStates()[0].SpendUsd);
        Assert.Equal(0, hub.Statistics.Derived);
    }

    [Fact]
    public void Options_BadPriceTableAndBudget_EveryProblemInOneMessage()
    {
        using var provider = Build(o =>
        {
            o.Cost.PriceTableJson = """{"schema_version": 1, "version": "v", "providers": [{"id": "p", "source": "s", "read_on": "2026-01-01", "models": [{"id": "m", "effective_from": "2026-01-01", "prices": {"input": -2, "output": 1}}]}]}""";
            o.Cost.Budgets = [new BudgetDefinition { Id = "b", LimitUsd = 0 }, new BudgetDefinition { Id = "b", LimitUsd = 1, TimeZone = "Mars/Olympus" }];
        });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAnalyticsHub>());

        Assert.Contains("Cost.PriceTableJson: error invalid_price at $.providers[0].models[0].prices.input", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Cost.Budgets[0].LimitUsd", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Cost.Budgets[1].Id 'b' is used by an earlier budget", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Mars/Olympus", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_MissingPriceTableFile_IsReported()
    {
        using var provider = Build(o => o.Cost.PriceTablePath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "prices.json"));

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAnalyticsHub>());

        Assert.Contains(ProblemCodes.FileNotReadable, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_BindFromConfiguration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cost:BudgetCostSource"] = "Hub",
                ["Cost:Budgets:0:Id"] = "tenant-a-month",
                ["Cost:Budgets:0:LimitUsd"] = "250.5",
                ["Cost:Budgets:0:Period"] = "Week",
                ["Cost:Budgets:0:Tenant"] = "tenant-a",
                ["Cost:Budgets:0:Thresholds:0"] = "75",
                ["Cost:Budgets:0:Tags:team"] = "search",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        services.AddAnalyticsHub(configuration);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value.Cost;
        var state = Assert.Single(provider.GetRequiredService<ICostMonitor>().GetBudgetStates());

        Assert.Equal(BudgetCostSource.Hub, options.BudgetCostSource);
        Assert.Equal([75.0], options.Budgets[0].Thresholds!);
        Assert.Equal("search", options.Budgets[0].Tags!["team"]);
        Assert.Equal("tenant-a-month", state.BudgetId);
        Assert.Equal(250.5, state.LimitUsd);
        Assert.Equal(BudgetPeriod.Week, state.Period);
    }

    [Fact]
    public void DefaultOptions_UseTheShippedTable()
    {
        var services = new ServiceCollection();
        services.AddAnalyticsHub();
        using var provider = services.BuildServiceProvider();

        Assert.Same(PriceTable.Default, provider.GetRequiredService<ICostMonitor>().Calculator.PriceTable);
    }
}
