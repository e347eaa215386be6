using System.Text.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Metadata;
using AnalyticsHub.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Metadata;

public class MetadataValidationTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private MetadataRegistry Registry(params string[] measurements) =>
        new(new InMemoryMetadataStore(_clock), new MetadataOptions { Measurements = [.. measurements] }, _clock);

    internal static AssetMetadata Model => JsonSerializer.Deserialize(MetadataJsonTests.GoldenModel, MetadataJsonContext.Default.AssetMetadata)!;

    private static DashboardConfig Dashboard => JsonSerializer.Deserialize(MetadataJsonTests.GoldenDashboard, MetadataJsonContext.Default.DashboardConfig)!;

    private static UserPreferences Preferences => JsonSerializer.Deserialize(MetadataJsonTests.GoldenPreferences, MetadataJsonContext.Default.UserPreferences)!;

    private static void AssertProblem(IReadOnlyList<Problem> problems, string code, string path) =>
        Assert.True(problems.Any(p => p.Code == code && p.Path == path), $"Expected {code} at {path}; got: {string.Join("; ", problems)}");

    [Fact]
    public void Goldens_AreValid()
    {
        var registry = Registry();

        Assert.Empty(registry.Assets.Validate(Model with { Status = AssetStatus.Active }));
        Assert.Empty(registry.Dashboards.Validate(Dashboard));
        Assert.Empty(registry.UserPreferences.Validate(Preferences));
    }

    [Fact]
    public async Task CreateAsync_InvalidAsset_StoresNothingAndSaysWhere()
    {
        var registry = Registry();
        var model = (ModelMetadata)Model.Metadata;
        var asset = Model with
        {
            AssetId = " padded",
            Name = "",
            Owner = Model.Owner with { Email = "not-an-address" },
            Metadata = model with { CostInfo = model.CostInfo! with { CostPerInputToken = -1, Currency = "usd", BillingUnit = "per_request" }, ContextWindow = 0 },
        };

        var result = await registry.Assets.CreateAsync(asset);

        Assert.Equal(MetadataWriteStatus.Invalid, result.Status);
        AssertProblem(result.Problems, ProblemCodes.InvalidId, "asset_id");
        AssertProblem(result.Problems, ProblemCodes.EmptyValue, "name");
        AssertProblem(result.Problems, ProblemCodes.InvalidEmail, "owner.email");
        AssertProblem(result.Problems, ProblemCodes.InvalidPrice, "metadata.cost_info.cost_per_input_token");
        AssertProblem(result.Problems, ProblemCodes.InvalidCurrency, "metadata.cost_info.currency");
        AssertProblem(result.Problems, ProblemCodes.InvalidBillingUnit, "metadata.cost_info.billing_unit");
        AssertProblem(result.Problems, ProblemCodes.NumberOutOfRange, "metadata.context_window");
        Assert.Null(await registry.Store.GetAsync(MetadataKind.Asset, " padded"));
    }

    [Fact]
    public async Task Asset_StatusDeleted_IsRefused_DeleteSetsIt()
    {
        var registry = Registry();
        var refused = await registry.Assets.CreateAsync(Model with { Status = AssetStatus.Deleted });
        AssertProblem(refused.Problems, ProblemCodes.InvalidStatus, "status");

        var created = await registry.Assets.CreateAsync(Model);
        var deleted = await registry.Assets.DeleteAsync(Model.AssetId, created.Entry!.Revision);

        Assert.Equal(AssetStatus.Deleted, deleted.Entry!.Item.Status);
        Assert.Equal(AssetStatus.Deprecated, (await registry.Assets.RestoreAsync(Model.AssetId, 2)).Entry!.Item.Status);
    }

    [Fact]
    public void Asset_Warnings_DoNotRefuse()
    {
        var registry = Registry();
        var model = (ModelMetadata)Model.Metadata;

        var euro = registry.Assets.Validate(Model with { Metadata = model with { CostInfo = model.CostInfo! with { Currency = "EUR" } } });
        var mismatch = registry.Assets.Validate(Model with { AssetType = AssetType.Dataset });
        var template = registry.Assets.Validate(Model with
        {
            AssetType = AssetType.PromptTemplate,
            Metadata = new PromptTemplateMetadata { Template = "Hi {{name}}, {{ unknown }}", Variables = [new() { Name = "name", Description = "", Required = true }], Category = "c" },
        });

        Assert.All(euro.Concat(mismatch).Concat(template), p => Assert.Equal(ProblemSeverity.Warning, p.Severity));
        AssertProblem(euro, ProblemCodes.PriceNotApplied, "metadata.cost_info.currency");
        AssertProblem(mismatch, ProblemCodes.MetadataTypeMismatch, "metadata.metadata_type");
        AssertProblem(template, ProblemCodes.UndeclaredVariable, "metadata.template");
    }

    [Fact]
    public void Asset_KindRules_HaveCodesAndPaths()
    {
        var registry = Registry();
        var owner = Model.Owner;

        var endpoint = registry.Assets.Validate(Model with
        {
            AssetType = AssetType.Endpoint,
            Metadata = new EndpointMetadata { Url = "ftp://x", Method = "POST", AuthType = "none", RateLimit = new() { RequestsPerMinute = 0 }, Sla = new() { UptimePercent = 101, MaxLatencyMs = 1, SupportLevel = "x" } },
        });
        var dataset = registry.Assets.Validate(Model with
        {
            AssetType = AssetType.Dataset,
            Metadata = new DatasetMetadata { SizeBytes = 1, RecordCount = 1, Sources = [""], Schema = new() { Fields = [new() { Name = "a", FieldType = "s", Required = true }, new() { Name = "a", FieldType = "s", Required = true }] } },
        });
        var application = registry.Assets.Validate(Model with
        {
            AssetType = AssetType.Application,
            Owner = owner with { UserId = "" },
            Metadata = new ApplicationMetadata { TechStack = [], Dependencies = [new() { Name = "m", Version = "1", DependencyType = "model" }, new() { Name = "m", Version = "2", DependencyType = "model" }] },
        });

        AssertProblem(endpoint, ProblemCodes.InvalidUrl, "metadata.url");
        AssertProblem(endpoint, ProblemCodes.NumberOutOfRange, "metadata.rate_limit.requests_per_minute");
        AssertProblem(endpoint, ProblemCodes.PercentOutOfRange, "metadata.sla.uptime_percent");
        AssertProblem(dataset, ProblemCodes.EmptyValue, "metadata.sources[0]");
        AssertProblem(dataset, ProblemCodes.DuplicateId, "metadata.schema.fields[1].name");
        AssertProblem(application, ProblemCodes.DuplicateId, "metadata.dependencies[1].name");
        AssertProblem(application, ProblemCodes.EmptyValue, "owner.user_id");
    }

    [Fact]
    public void Dashboard_WidgetQueries_AreCheckedByTheirSourceType()
    {
        var registry = Registry();
        var widgets = Dashboard.Widgets;
        Widget With(int i, DataSourceType type, string query) => widgets[i] with { DataSource = widgets[i].DataSource with { SourceType = type, Query = query } };

        var problems = registry.Dashboards.Validate(Dashboard with
        {
            Widgets =
            [
                With(0, DataSourceType.Metrics, """{"measurement":"llm_latencyy","time_range":{"start":"2026-03-01T00:00:00Z","end":"2026-03-02T00:00:00Z"}}"""),
                With(1, DataSourceType.Events, """{"per_page":5000}""") with { Position = new() { X = 0, Y = 5, Width = 1, Height = 1 } },
                widgets[0] with { WidgetId = "w3", Position = new() { X = 0, Y = 9, Width = 1, Height = 1 }, DataSource = widgets[0].DataSource with { Query = "{\"measurement\":" } },
                widgets[0] with { WidgetId = "w4", Position = new() { X = 1, Y = 9, Width = 1, Height = 1 }, DataSource = widgets[0].DataSource with { Query = """{"metric_name":"nothing.value","time_range":{"start":"2026-03-02T00:00:00Z","end":"2026-03-01T00:00:00Z"}}""" } },
                widgets[0] with { WidgetId = "w5", Position = new() { X = 2, Y = 9, Width = 1, Height = 1 }, DataSource = widgets[0].DataSource with { SourceType = DataSourceType.Logs, Query = "level:error" } },
                widgets[0] with { WidgetId = "w6", Position = new() { X = 3, Y = 9, Width = 1, Height = 1 }, DataSource = widgets[0].DataSource with { SourceType = DataSourceType.Events, Query = """{"min_severity":"urgent"}""" } },
            ],
        });

        AssertProblem(problems, ProblemCodes.UnknownMeasurement, "widgets[0].data_source.query.measurement");
        AssertProblem(problems, ProblemCodes.NumberOutOfRange, "widgets[1].data_source.query.per_page");
        AssertProblem(problems, ProblemCodes.InvalidQuery, "widgets[2].data_source.query");
        AssertProblem(problems, ProblemCodes.UnknownMeasurement, "widgets[3].data_source.query.metric_name");
        AssertProblem(problems, ProblemCodes.InvalidTimeRange, "widgets[3].data_source.query.time_range");
        AssertProblem(problems, ProblemCodes.InvalidQuery, "widgets[5].data_source.query.min_severity");
        Assert.DoesNotContain(problems, p => p.Path.StartsWith("widgets[4]", StringComparison.Ordinal));
    }

    [Fact]
    public void Dashboard_HostMeasurement_IsKnownOnceDeclared()
    {
        var widgets = Dashboard.Widgets;
        var dashboard = Dashboard with { Widgets = [widgets[0] with { DataSource = widgets[0].DataSource with { Query = """{"measurement":"checkout","time_range":{"start":"2026-03-01T00:00:00Z","end":"2026-03-02T00:00:00Z"}}""" } }] };

        AssertProblem(Registry().Dashboards.Validate(dashboard), ProblemCodes.UnknownMeasurement, "widgets[0].data_source.query.measurement");
        Assert.Empty(Registry("checkout").Dashboards.Validate(dashboard));
    }

    [Fact]
    public void Dashboard_LayoutAndVisibility_HaveCodesAndPaths()
    {
        var registry = Registry();
        var widgets = Dashboard.Widgets;

        var problems = registry.Dashboards.Validate(Dashboard with
        {
            RefreshInterval = 0,
            Layout = Dashboard.Layout with { Columns = 10 },
            Widgets =
            [
                widgets[0] with { Position = new() { X = 8, Y = 0, Width = 3, Height = 1 } },
                widgets[1] with { WidgetId = widgets[0].WidgetId, Position = new() { X = 7, Y = 0, Width = 2, Height = 2 } },
                widgets[1] with { WidgetId = "zero", Position = new() { X = 0, Y = 4, Width = 0, Height = 1 }, Visualization = widgets[0].Visualization with { Axes = widgets[0].Visualization.Axes! with { YAxis = new() { Label = "y", Scale = "linear", Min = 5, Max = 5 } } } },
            ],
            Visibility = new() { Visibility = Visibility.Shared },
        });

        AssertProblem(problems, ProblemCodes.NumberOutOfRange, "refresh_interval");
        AssertProblem(problems, ProblemCodes.WidgetOutOfBounds, "widgets[0].position");
        AssertProblem(problems, ProblemCodes.DuplicateId, "widgets[1].widget_id");
        AssertProblem(problems, ProblemCodes.WidgetsOverlap, "widgets[1].position");
        AssertProblem(problems, ProblemCodes.WidgetOutOfBounds, "widgets[2].position");
        AssertProblem(problems, ProblemCodes.InvalidAxisRange, "widgets[2].visualization.axes.y_axis.min");
        AssertProblem(problems, ProblemCodes.InvalidVisibility, "visibility.shared_with");
    }

    [Fact]
    public void Preferences_Rules_HaveCodesAndPaths()
    {
        var registry = Registry();
        var saved = Preferences.SavedQueries[0];

        var problems = registry.UserPreferences.Validate(Preferences with
        {
            Display = Preferences.Display with { Timezone = "Mars/Olympus" },
            Notifications = Preferences.Notifications with
            {
                Channels = [new() { ChannelType = "email", Destination = "nobody", Enabled = true, EventTypes = [] }, new() { ChannelType = "webhook", Destination = "/relative", Enabled = true, EventTypes = [] }],
                AlertThresholds = new Dictionary<string, double> { ["x"] = double.NaN },
            },
            SavedQueries = [saved, saved with { Query = "[1]" }, saved with { QueryId = "ts", Query = """{"measurement":"llm_latency"}""" }],
        });

        AssertProblem(problems, ProblemCodes.InvalidTimezone, "display.timezone");
        AssertProblem(problems, ProblemCodes.InvalidEmail, "notifications.channels[0].destination");
        AssertProblem(problems, ProblemCodes.InvalidUrl, "notifications.channels[1].destination");
        AssertProblem(problems, ProblemCodes.NonFiniteNumber, "notifications.alert_thresholds.x");
        AssertProblem(problems, ProblemCodes.DuplicateId, "saved_queries[1].query_id");
        AssertProblem(problems, ProblemCodes.InvalidQuery, "saved_queries[1].query");
        AssertProblem(problems, ProblemCodes.InvalidQuery, "saved_queries[2].query");
        Assert.DoesNotContain(problems, p => p.Path.StartsWith("saved_queries[0]", StringComparison.Ordinal));
    }

    [Fact]
    public void Records_BuiltInCodeWithNulls_AreReportedNotThrown()
    {
        var registry = Registry();

        var problems = registry.Assets.Validate(Model with { Version = null!, Owner = null!, Metadata = null! });

        AssertProblem(problems, ProblemCodes.NullNotAllowed, "version");
        AssertProblem(problems, ProblemCodes.NullNotAllowed, "owner");
        AssertProblem(problems, ProblemCodes.NullNotAllowed, "metadata");
    }
}
