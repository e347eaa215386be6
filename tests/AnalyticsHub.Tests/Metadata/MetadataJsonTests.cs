using System.Text.Json;
using AnalyticsHub.Metadata;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Metadata;

public class MetadataJsonTests
{
    internal const string GoldenModel = """
        {"asset_id":"model-gpt-4o","asset_type":"model","name":"gpt-4o","description":"OpenAI's multimodal flagship","version":{"version":"2024-08-06","previous_version":"2024-05-13","changelog":"structured outputs","release_notes":null},"owner":{"user_id":"u-17","username":"mara","email":"mara@example.com","team":"platform","department":null},"tags":{"tier":"gold"},"created_at":"2026-01-10T09:00:00Z","updated_at":"2026-03-01T12:30:00.500Z","status":"deprecated","metadata":{"metadata_type":"model","provider":"openai","family":"gpt-4o","parameters":null,"context_window":128000,"capabilities":["vision","tools"],"cost_info":{"cost_per_input_token":2.5E-06,"cost_per_output_token":1E-05,"currency":"USD","billing_unit":"token","effective_from":"2026-03-01"},"benchmarks":{"mmlu":88.7}}}
        """;

    private const string GoldenTemplate = """
        {"asset_id":"tpl-1","asset_type":"prompt_template","name":"support-answer","description":"answers a ticket <politely> & briefly","version":{"version":"3","previous_version":null,"changelog":null,"release_notes":null},"owner":{"user_id":"u-2","username":"jo","email":null,"team":null,"department":null},"tags":{},"created_at":"2026-01-10T09:00:00Z","updated_at":"2026-01-10T09:00:00Z","status":"active","metadata":{"metadata_type":"prompt_template","template":"Answer {{ticket}} in {{language}}.","variables":[{"name":"ticket","description":"the ticket text","required":true,"default_value":null},{"name":"language","description":"reply language","required":false,"default_value":"en"}],"category":"support","output_format":"markdown","examples":[{"input":{"ticket":"Where is my order?"},"output":"It ships today."}]}}
        """;

    private const string GoldenDataset = """
        {"asset_id":"ds-1","asset_type":"dataset","name":"tickets-2025","description":"","version":{"version":"1","previous_version":null,"changelog":null,"release_notes":null},"owner":{"user_id":"u-2","username":"jo","email":null,"team":null,"department":null},"tags":{},"created_at":"2026-01-10T09:00:00Z","updated_at":"2026-01-10T09:00:00Z","status":"draft","metadata":{"metadata_type":"dataset","size_bytes":18446744073709551615,"record_count":120000,"schema":{"fields":[{"name":"text","field_type":"string","required":true,"description":null}]},"sources":["s3://tickets/2025"],"quality_metrics":{"dedup_ratio":0.97}}}
        """;

    private const string GoldenEndpoint = """
        {"asset_id":"ep-1","asset_type":"endpoint","name":"chat","description":"chat completions","version":{"version":"v1","previous_version":null,"changelog":null,"release_notes":null},"owner":{"user_id":"u-2","username":"jo","email":null,"team":null,"department":null},"tags":{},"created_at":"2026-01-10T09:00:00Z","updated_at":"2026-01-10T09:00:00Z","status":"active","metadata":{"metadata_type":"endpoint","url":"https://api.example.com/v1/chat","method":"POST","auth_type":"bearer","rate_limit":{"requests_per_minute":600,"tokens_per_minute":null},"sla":{"uptime_percent":99.9,"max_latency_ms":2000,"support_level":"24x7"}}}
        """;

    private const string GoldenApplication = """
        {"asset_id":"app-1","asset_type":"application","name":"helpdesk","description":"the helpdesk assistant","version":{"version":"4.2.0","previous_version":"4.1.3","changelog":null,"release_notes":null},"owner":{"user_id":"u-2","username":"jo","email":null,"team":"support","department":"ops"},"tags":{},"created_at":"2026-01-10T09:00:00Z","updated_at":"2026-01-10T09:00:00Z","status":"active","metadata":{"metadata_type":"application","url":null,"tech_stack":["dotnet","postgres"],"dependencies":[{"name":"model-gpt-4o","version":"2024-08-06","dependency_type":"model"}],"deployment":{"environment":"production","region":"eu-west-1","deployed_at":"2026-02-01T08:00:00Z","deployed_by":"ci"}}}
        """;

    private const string GoldenCustom = """
        {"asset_id":"agent-1","asset_type":{"custom":"agent"},"name":"triage-agent","description":"routes tickets","version":{"version":"0.1","previous_version":null,"changelog":null,"release_notes":null},"owner":{"user_id":"u-2","username":"jo","email":null,"team":null,"department":null},"tags":{},"created_at":"2026-01-10T09:00:00Z","updated_at":"2026-01-10T09:00:00Z","status":"active","metadata":{"metadata_type":"custom","foo":1,"tools":["search"]}}
        """;

    internal const string GoldenDashboard = """
        {"dashboard_id":"ops","name":"LLM operations","description":null,"layout":{"layout_type":"grid","columns":12,"row_height":80},"widgets":[{"widget_id":"p95","title":"p95 latency","widget_type":"line_chart","position":{"x":0,"y":0,"width":6,"height":3},"data_source":{"source_type":"metrics","query":"{\"measurement\":\"llm_latency\",\"time_range\":{\"start\":\"2026-03-01T00:00:00Z\",\"end\":\"2026-03-02T00:00:00Z\"}}","refresh_interval":null,"parameters":{}},"visualization":{"options":{"stacked":false},"color_scheme":"viridis","show_legend":true,"axes":{"x_axis":{"label":"time","scale":"linear","min":null,"max":null},"y_axis":{"label":"ms","scale":"log","min":1,"max":10000}}},"settings":{}},{"widget_id":"flow","title":"Token flow","widget_type":{"custom":"sankey"},"position":{"x":6,"y":0,"width":6,"height":3},"data_source":{"source_type":"events","query":"{\"payload_type\":\"telemetry\",\"per_page\":100}","refresh_interval":30,"parameters":{"env":"prod"}},"visualization":{"options":{},"color_scheme":null,"show_legend":false},"settings":{"links":3}}],"refresh_interval":60,"default_time_range":"last_24h","owner":{"user_id":"u-17","username":"mara","email":null,"team":"platform","department":null},"visibility":{"visibility":"shared","shared_with":["u-2"],"shared_with_teams":["support"]},"created_at":"2026-01-10T09:00:00Z","updated_at":"2026-01-10T09:00:00Z"}
        """;

    internal const string GoldenPreferences = """
        {"user_id":"u-17","display":{"theme":"dark","timezone":"Europe/Berlin","date_format":"yyyy-MM-dd","number_format":"1,234.5","language":"de-DE"},"notifications":{"email_enabled":true,"in_app_enabled":false,"channels":[{"channel_type":"email","destination":"mara@example.com","enabled":true,"event_types":["alert"]}],"alert_thresholds":{"p95_latency_ms":1500}},"default_filters":{"environment":"production"},"favorite_dashboards":["ops"],"saved_queries":[{"query_id":"q1","name":"critical security","description":null,"query":"{\"source_modules\":[\"llm-sentinel\"],\"min_severity\":\"critical\"}","parameters":{},"created_at":"2026-02-01T10:00:00Z"}],"updated_at":"2026-03-01T12:00:00Z"}
        """;

    [Theory]
    [InlineData(GoldenModel, typeof(AssetMetadata))]
    [InlineData(GoldenTemplate, typeof(AssetMetadata))]
    [InlineData(GoldenDataset, typeof(AssetMetadata))]
    [InlineData(GoldenEndpoint, typeof(AssetMetadata))]
    [InlineData(GoldenApplication, typeof(AssetMetadata))]
    [InlineData(GoldenCustom, typeof(AssetMetadata))]
    [InlineData(GoldenDashboard, typeof(DashboardConfig))]
    [InlineData(GoldenPreferences, typeof(UserPreferences))]
    public void Golden_RoundTripsByteForByte(string json, Type type)
    {
        var value = JsonSerializer.Deserialize(json, type, MetadataJsonContext.Default);

        Assert.Equal(json, JsonSerializer.Serialize(value, type, MetadataJsonContext.Wire));
    }

    [Fact]
    public void Golden_ReadsTheValues()
    {
        var model = JsonSerializer.Deserialize(GoldenModel, MetadataJsonContext.Default.AssetMetadata)!;
        Assert.Equal(AssetType.Model, model.AssetType);
        Assert.Equal(AssetStatus.Deprecated, model.Status);
        var metadata = Assert.IsType<ModelMetadata>(model.Metadata);
        Assert.Equal(128_000u, metadata.ContextWindow);
        Assert.Equal(2.5e-6, metadata.CostInfo!.CostPerInputToken);
        Assert.Equal(new DateOnly(2026, 3, 1), metadata.CostInfo.EffectiveFrom);
        Assert.Null(model.Version.ReleaseNotes);

        var custom = JsonSerializer.Deserialize(GoldenCustom, MetadataJsonContext.Default.AssetMetadata)!;
        Assert.Equal(AssetType.Custom("agent"), custom.AssetType);
        Assert.Equal(1, Assert.IsType<CustomAssetMetadata>(custom.Metadata).Fields["foo"].GetInt32());

        var dataset = JsonSerializer.Deserialize(GoldenDataset, MetadataJsonContext.Default.AssetMetadata)!;
        Assert.Equal(ulong.MaxValue, Assert.IsType<DatasetMetadata>(dataset.Metadata).SizeBytes);

        var dashboard = JsonSerializer.Deserialize(GoldenDashboard, MetadataJsonContext.Default.DashboardConfig)!;
        Assert.Equal(WidgetType.Custom("sankey"), dashboard.Widgets[1].WidgetType);
        Assert.Null(dashboard.Widgets[1].Visualization.Axes);
        Assert.Equal(Visibility.Shared, dashboard.Visibility.Visibility);
        Assert.Equal(DataSourceType.Events, dashboard.Widgets[1].DataSource.SourceType);
    }

    [Fact]
    public void CostInfo_WithoutEffectiveFrom_LeavesTheKeyOut()
    {
        var cost = new CostInfo { CostPerInputToken = 1, CostPerOutputToken = 2, Currency = "USD", BillingUnit = "1m_tokens" };
        var model = new ModelMetadata { Provider = "p", Family = "f", Capabilities = [], CostInfo = cost };

        var json = JsonSerializer.Serialize<AssetSpecificMetadata>(model, MetadataJsonContext.Wire.Options);

        Assert.Equal("""{"metadata_type":"model","provider":"p","family":"f","parameters":null,"context_window":null,"capabilities":[],"cost_info":{"cost_per_input_token":1,"cost_per_output_token":2,"currency":"USD","billing_unit":"1m_tokens"},"benchmarks":{}}""", json);
    }

    [Fact]
    public void MetadataTag_MayComeLast_AndDefaultsFillIn()
    {
        const string json = """{"metadata_type_note":"x","provider":"openai","family":"o","capabilities":[],"metadata_type":"model"}""";

        var model = Assert.IsType<ModelMetadata>(JsonSerializer.Deserialize(json, MetadataJsonContext.Default.Options.GetTypeInfo(typeof(AssetSpecificMetadata))));

        Assert.Null(model.CostInfo);
        Assert.Empty(model.Benchmarks);
    }

    [Theory]
    [InlineData("\"asset_type\":\"model\"", "\"asset_type\":\"Model\"", "model")]
    [InlineData("\"asset_type\":\"model\"", "\"asset_type\":\"agent\"", null)]
    public void AssetType_ReadsLeniently(string find, string replace, string? known)
    {
        var asset = JsonSerializer.Deserialize(GoldenModel.Replace(find, replace, StringComparison.Ordinal), MetadataJsonContext.Default.AssetMetadata)!;

        Assert.Equal(known, asset.AssetType.KnownName);
        Assert.Equal(known is null ? "agent" : null, asset.AssetType.CustomName);
    }

    [Theory]
    [InlineData("\"status\":\"deprecated\"", "\"status\":\"Deprecated\"")]
    [InlineData("\"status\":\"deprecated\"", "\"status\":2")]
    [InlineData("\"status\":\"deprecated\"", "\"status\":\"retired\"")]
    [InlineData("\"name\":\"gpt-4o\",", "")]
    [InlineData("\"name\":\"gpt-4o\",", "\"name\":\"gpt-4o\",\"name\":\"gpt-4\",")]
    [InlineData("\"tags\":{\"tier\":\"gold\"}", "\"tags\":null")]
    [InlineData("\"context_window\":128000", "\"context_window\":-1")]
    [InlineData("\"context_window\":128000", "\"context_window\":1.5")]
    [InlineData("\"cost_per_input_token\":2.5E-06", "\"cost_per_input_token\":1e400")]
    [InlineData("\"metadata_type\":\"model\"", "\"metadata_type\":\"fine_tuned_model\"")]
    [InlineData("\"created_at\":\"2026-01-10T09:00:00Z\"", "\"created_at\":\"2026-01-10T09:00:00\"")]
    [InlineData("\"effective_from\":\"2026-03-01\"", "\"effective_from\":\"2026-13-01\"")]
    [InlineData("\"asset_type\":\"model\"", "\"asset_type\":{\"custom\":\"a\",\"x\":1}")]
    [InlineData("\"asset_type\":\"model\"", "\"asset_type\":{\"other\":\"a\"}")]
    public void Malformed_IsRefused(string find, string replace)
    {
        Assert.Contains(find, GoldenModel, StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(GoldenModel.Replace(find, replace, StringComparison.Ordinal), MetadataJsonContext.Default.AssetMetadata));
    }

    [Property(MaxTest = 200)]
    public Property OpenEnums_RoundTrip(NonNull<string> name, bool custom)
    {
        var asset = custom ? AssetType.Custom(name.Get) : AssetType.Model;
        var widget = custom ? WidgetType.Custom(name.Get) : WidgetType.Heatmap;

        var assetBack = JsonSerializer.Deserialize(JsonSerializer.Serialize(asset, MetadataJsonContext.Default.Options), typeof(AssetType), MetadataJsonContext.Default);
        var widgetBack = JsonSerializer.Deserialize(JsonSerializer.Serialize(widget, MetadataJsonContext.Default.Options), typeof(WidgetType), MetadataJsonContext.Default);

        return (asset.Equals(assetBack) && widget.Equals(widgetBack)).ToProperty();
    }
}
