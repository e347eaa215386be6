using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;
using AnalyticsHub.Metrics;
using AnalyticsHub.Storage;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Metadata;

/// <summary>
/// The rules of the metadata documents beyond their JSON shape: ids, required text, ranges, references inside a
/// document, and the queries widgets and saved queries hold (decision 19). Every problem has a code and the JSON path of
/// the offending value, from the document's root.
/// </summary>
internal sealed partial class MetadataValidator
{
    private readonly HashSet<string> _measurements;

    public MetadataValidator(IEnumerable<string> extraMeasurements)
    {
        _measurements = new HashSet<string>(PayloadCatalog.Variants.Select(v => v.Measurement), StringComparer.Ordinal);
        _measurements.UnionWith(extraMeasurements);
    }

    // ---- assets ---------------------------------------------------------------------------------------

    public static void Asset(AssetMetadata asset, List<Problem> problems)
    {
        Id(asset.AssetId, "asset_id", problems);
        Text(asset.Name, "name", problems);
        NotNull(asset.Description, "description", problems);
        if (asset.AssetType.KnownName is null && string.IsNullOrWhiteSpace(asset.AssetType.CustomName))
        {
            problems.Add(new(ProblemCodes.EmptyValue, "asset_type", "asset_type needs a kind; a custom kind needs a name."));
        }

        if (NotNull(asset.Version, "version", problems))
        {
            Text(asset.Version.Version, "version.version", problems);
        }

        Owner(asset.Owner, "owner", problems);
        Tags(asset.Tags, "tags", problems);
        if (asset.Status == AssetStatus.Deleted)
        {
            problems.Add(new(ProblemCodes.InvalidStatus, "status", "The status deleted is set by deleting the asset (soft delete), not by writing it."));
        }
        else if (!Enum.IsDefined(asset.Status))
        {
            problems.Add(new(ProblemCodes.InvalidEnumValue, "status", $"Unknown status {(int)asset.Status}."));
        }

        if (!NotNull(asset.Metadata, "metadata", problems))
        {
            return;
        }

        if (ExpectedMetadata(asset.AssetType) is { } expected && asset.Metadata.GetType() != expected && asset.Metadata is not CustomAssetMetadata)
        {
            problems.Add(new(ProblemCodes.MetadataTypeMismatch, ProblemSeverity.Warning, "metadata.metadata_type", $"An asset of type {asset.AssetType} usually carries {expected.Name} metadata."));
        }

        switch (asset.Metadata)
        {
            case ModelMetadata model:
                Model(model, asset.Status, problems);
                break;
            case PromptTemplateMetadata template:
                Template(template, problems);
                break;
            case DatasetMetadata dataset:
                Dataset(dataset, problems);
                break;
            case EndpointMetadata endpoint:
                Endpoint(endpoint, problems);
                break;
            case ApplicationMetadata application:
                Application(application, problems);
                break;
        }
    }

    private static Type? ExpectedMetadata(AssetType type) => type.KnownName switch
    {
        "model" or "fine_tuned_model" => typeof(ModelMetadata),
        "prompt_template" => typeof(PromptTemplateMetadata),
        "dataset" => typeof(DatasetMetadata),
        "endpoint" => typeof(EndpointMetadata),
        "application" => typeof(ApplicationMetadata),
        _ => null,
    };

    private static void Model(ModelMetadata model, AssetStatus status, List<Problem> problems)
    {
        Text(model.Provider, "metadata.provider", problems);
        Text(model.Family, "metadata.family", problems);
        if (model.ContextWindow == 0)
        {
            problems.Add(new(ProblemCodes.NumberOutOfRange, "metadata.context_window", "A context window has at least one token."));
        }

        List(model.Capabilities, "metadata.capabilities", problems);
        Finite(model.Benchmarks, "metadata.benchmarks", problems);
        if (model.CostInfo is not { } cost)
        {
            return;
        }

        Price(cost.CostPerInputToken, "metadata.cost_info.cost_per_input_token", problems);
        Price(cost.CostPerOutputToken, "metadata.cost_info.cost_per_output_token", problems);
        if (cost.Currency is null || !CurrencyCode().IsMatch(cost.Currency))
        {
            problems.Add(new(ProblemCodes.InvalidCurrency, "metadata.cost_info.currency", $"'{cost.Currency}' is not a three-letter ISO 4217 code such as USD."));
        }
        else if (cost.Currency != "USD")
        {
            problems.Add(new(ProblemCodes.PriceNotApplied, ProblemSeverity.Warning, "metadata.cost_info.currency", $"Prices in {cost.Currency} are kept but do not feed the hub's price table, which is in USD."));
        }
        else if (status == AssetStatus.Draft)
        {
            problems.Add(new(ProblemCodes.PriceNotApplied, ProblemSeverity.Warning, "status", "A draft model's prices feed the hub's price table once it is active."));
        }

        if (!BillingUnits.TryGetTokens(cost.BillingUnit, out _))
        {
            problems.Add(new(ProblemCodes.InvalidBillingUnit, "metadata.cost_info.billing_unit", $"'{cost.BillingUnit}' is not a billing unit; use {BillingUnits.Token}, {BillingUnits.ThousandTokens} or {BillingUnits.MillionTokens}."));
        }
    }

    private static void Template(PromptTemplateMetadata template, List<Problem> problems)
    {
        Text(template.Template, "metadata.template", problems);
        NotNull(template.Category, "metadata.category", problems);
        if (!NotNull(template.Variables, "metadata.variables", problems))
        {
            return;
        }

        var declared = Unique(template.Variables, v => v?.Name, "metadata.variables", "name", problems);
        for (var i = 0; i < template.Variables.Count; i++)
        {
            if (template.Variables[i] is { } variable)
            {
                NotNull(variable.Description, Item("metadata.variables", i, "description"), problems);
            }
        }

        if (template.Template is null)
        {
            return;
        }

        foreach (Match match in Placeholder().Matches(template.Template))
        {
            var name = match.Groups["name"].Value;
            if (!declared.Contains(name))
            {
                problems.Add(new(ProblemCodes.UndeclaredVariable, ProblemSeverity.Warning, "metadata.template", $"The template uses {{{{{name}}}}}, which metadata.variables does not declare."));
                declared.Add(name);
            }
        }
    }

    private static void Dataset(DatasetMetadata dataset, List<Problem> problems)
    {
        List(dataset.Sources, "metadata.sources", problems);
        Finite(dataset.QualityMetrics, "metadata.quality_metrics", problems);
        if (dataset.Schema is { } schema && NotNull(schema.Fields, "metadata.schema.fields", problems))
        {
            Unique(schema.Fields, f => f?.Name, "metadata.schema.fields", "name", problems);
            for (var i = 0; i < schema.Fields.Count; i++)
            {
                if (schema.Fields[i] is { } field)
                {
                    Text(field.FieldType, Item("metadata.schema.fields", i, "field_type"), problems);
                }
            }
        }
    }

    private static void Endpoint(EndpointMetadata endpoint, List<Problem> problems)
    {
        Url(endpoint.Url, "metadata.url", problems);
        Text(endpoint.Method, "metadata.method", problems);
        Text(endpoint.AuthType, "metadata.auth_type", problems);
        if (endpoint.RateLimit is { RequestsPerMinute: 0 })
        {
            problems.Add(new(ProblemCodes.NumberOutOfRange, "metadata.rate_limit.requests_per_minute", "A rate limit allows at least one request per minute."));
        }

        if (endpoint.Sla is { } sla)
        {
            if (!double.IsFinite(sla.UptimePercent) || sla.UptimePercent is < 0 or > 100)
            {
                problems.Add(new(ProblemCodes.PercentOutOfRange, "metadata.sla.uptime_percent", $"uptime_percent must lie in 0..100; it is {sla.UptimePercent.ToString(CultureInfo.InvariantCulture)}."));
            }

            NotNull(sla.SupportLevel, "metadata.sla.support_level", problems);
        }
    }

    private static void Application(ApplicationMetadata application, List<Problem> problems)
    {
        if (application.Url is not null)
        {
            Url(application.Url, "metadata.url", problems);
        }

        List(application.TechStack, "metadata.tech_stack", problems);
        if (NotNull(application.Dependencies, "metadata.dependencies", problems))
        {
            Unique(application.Dependencies, d => d?.Name, "metadata.dependencies", "name", problems);
            for (var i = 0; i < application.Dependencies.Count; i++)
            {
                if (application.Dependencies[i] is { } dependency)
                {
                    Text(dependency.Version, Item("metadata.dependencies", i, "version"), problems);
                    Text(dependency.DependencyType, Item("metadata.dependencies", i, "dependency_type"), problems);
                }
            }
        }

        if (application.Deployment is { } deployment)
        {
            Text(deployment.Environment, "metadata.deployment.environment", problems);
            Text(deployment.Region, "metadata.deployment.region", problems);
            Text(deployment.DeployedBy, "metadata.deployment.deployed_by", problems);
        }
    }

    // ---- dashboards -----------------------------------------------------------------------------------

    public void Dashboard(DashboardConfig dashboard, List<Problem> problems)
    {
        Id(dashboard.DashboardId, "dashboard_id", problems);
        Text(dashboard.Name, "name", problems);
        NotNull(dashboard.DefaultTimeRange, "default_time_range", problems);
        if (dashboard.RefreshInterval == 0)
        {
            problems.Add(new(ProblemCodes.NumberOutOfRange, "refresh_interval", "refresh_interval is at least 1 second."));
        }

        Owner(dashboard.Owner, "owner", problems);
        var layout = dashboard.Layout;
        if (NotNull(layout, "layout", problems))
        {
            if (!Enum.IsDefined(layout.LayoutType))
            {
                problems.Add(new(ProblemCodes.InvalidEnumValue, "layout.layout_type", $"Unknown layout type {(int)layout.LayoutType}."));
            }

            if (layout.Columns is 0 or > MetadataLimits.MaxColumns)
            {
                problems.Add(new(ProblemCodes.NumberOutOfRange, "layout.columns", string.Create(CultureInfo.InvariantCulture, $"columns must lie in 1..{MetadataLimits.MaxColumns}; it is {layout.Columns}.")));
            }

            if (layout.RowHeight == 0)
            {
                problems.Add(new(ProblemCodes.NumberOutOfRange, "layout.row_height", "row_height is at least 1 pixel."));
            }
        }

        Visibility(dashboard.Visibility, problems);
        if (!NotNull(dashboard.Widgets, "widgets", problems))
        {
            return;
        }

        if (dashboard.Widgets.Count > MetadataLimits.MaxWidgets)
        {
            problems.Add(new(ProblemCodes.NumberOutOfRange, "widgets", string.Create(CultureInfo.InvariantCulture, $"A dashboard has at most {MetadataLimits.MaxWidgets} widgets; this one has {dashboard.Widgets.Count}.")));
            return;
        }

        Unique(dashboard.Widgets, w => w?.WidgetId, "widgets", "widget_id", problems);
        for (var i = 0; i < dashboard.Widgets.Count; i++)
        {
            if (dashboard.Widgets[i] is { } widget)
            {
                Widget(widget, Item("widgets", i, null), layout, problems);
            }
        }

        if (layout is { LayoutType: LayoutType.Grid })
        {
            Overlaps(dashboard.Widgets, problems);
        }
    }

    private void Widget(Widget widget, string path, DashboardLayout? layout, List<Problem> problems)
    {
        Text(widget.Title, path + ".title", problems);
        if (widget.WidgetType.KnownName is null && string.IsNullOrWhiteSpace(widget.WidgetType.CustomName))
        {
            problems.Add(new(ProblemCodes.EmptyValue, path + ".widget_type", "widget_type needs a kind; a custom kind needs a name."));
        }

        if (NotNull(widget.Position, path + ".position", problems))
        {
            var position = widget.Position;
            if (position.Width == 0 || position.Height == 0)
            {
                problems.Add(new(ProblemCodes.WidgetOutOfBounds, path + ".position", "A widget is at least one cell wide and high."));
            }
            else if (layout is { LayoutType: LayoutType.Grid, Columns: > 0 } && (ulong)position.X + position.Width > layout.Columns)
            {
                problems.Add(new(ProblemCodes.WidgetOutOfBounds, path + ".position", string.Create(CultureInfo.InvariantCulture, $"The widget spans columns {position.X}..{(ulong)position.X + position.Width - 1}, beyond the layout's {layout.Columns} columns.")));
            }
        }

        if (NotNull(widget.DataSource, path + ".data_source", problems))
        {
            var source = widget.DataSource;
            if (source.RefreshInterval == 0)
            {
                problems.Add(new(ProblemCodes.NumberOutOfRange, path + ".data_source.refresh_interval", "refresh_interval is at least 1 second."));
            }

            Query(source.SourceType, source.Query, path + ".data_source.query", problems);
        }

        if (NotNull(widget.Visualization, path + ".visualization", problems) && widget.Visualization.Axes is { } axes)
        {
            Axis(axes.XAxis, path + ".visualization.axes.x_axis", problems);
            Axis(axes.YAxis, path + ".visualization.axes.y_axis", problems);
        }
    }

    private static void Axis(AxisConfig? axis, string path, List<Problem> problems)
    {
        if (!NotNull(axis, path, problems))
        {
            return;
        }

        if (axis.Min is { } min && axis.Max is { } max && !(min < max))
        {
            problems.Add(new(ProblemCodes.InvalidAxisRange, path + ".min", string.Create(CultureInfo.InvariantCulture, $"min ({min}) must be below max ({max}).")));
        }
    }

    private static void Overlaps(IReadOnlyList<Widget> widgets, List<Problem> problems)
    {
        for (var i = 1; i < widgets.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (widgets[i]?.Position is { Width: > 0, Height: > 0 } a && widgets[j]?.Position is { Width: > 0, Height: > 0 } b
                    && a.X < (ulong)b.X + b.Width && b.X < (ulong)a.X + a.Width && a.Y < (ulong)b.Y + b.Height && b.Y < (ulong)a.Y + a.Height)
                {
                    problems.Add(new(ProblemCodes.WidgetsOverlap, Item("widgets", i, "position"), $"The widget overlaps widget '{widgets[j].WidgetId}' (widgets[{j.ToString(CultureInfo.InvariantCulture)}]) in the grid."));
                    break;
                }
            }
        }
    }

    private static void Visibility(VisibilitySettings? visibility, List<Problem> problems)
    {
        if (!NotNull(visibility, "visibility", problems))
        {
            return;
        }

        List(visibility.SharedWith, "visibility.shared_with", problems);
        List(visibility.SharedWithTeams, "visibility.shared_with_teams", problems);
        var shares = visibility.SharedWith.Count + visibility.SharedWithTeams.Count;
        switch (visibility.Visibility)
        {
            case Metadata.Visibility.Shared when shares == 0:
                problems.Add(new(ProblemCodes.InvalidVisibility, "visibility.shared_with", "A shared dashboard names at least one user or team to share with."));
                break;
            case Metadata.Visibility.Private when shares > 0:
                problems.Add(new(ProblemCodes.InvalidVisibility, "visibility.visibility", "A private dashboard is shared with nobody; make it shared, or empty the share lists."));
                break;
            case Metadata.Visibility.Public or Metadata.Visibility.Private or Metadata.Visibility.Shared:
                break;
            default:
                problems.Add(new(ProblemCodes.InvalidEnumValue, "visibility.visibility", $"Unknown visibility {(int)visibility.Visibility}."));
                break;
        }
    }

    // ---- user preferences -----------------------------------------------------------------------------

    public void Preferences(UserPreferences preferences, List<Problem> problems)
    {
        Id(preferences.UserId, "user_id", problems);
        if (NotNull(preferences.Display, "display", problems))
        {
            var display = preferences.Display;
            Text(display.Theme, "display.theme", problems);
            Text(display.DateFormat, "display.date_format", problems);
            Text(display.NumberFormat, "display.number_format", problems);
            Text(display.Language, "display.language", problems);
            if (Text(display.Timezone, "display.timezone", problems) && !TimeZoneInfo.TryFindSystemTimeZoneById(display.Timezone, out _))
            {
                problems.Add(new(ProblemCodes.InvalidTimezone, "display.timezone", $"'{display.Timezone}' is not an IANA time-zone id this system knows, such as Europe/Berlin or UTC."));
            }
        }

        if (NotNull(preferences.Notifications, "notifications", problems))
        {
            Notifications(preferences.Notifications, problems);
        }

        Tags(preferences.DefaultFilters, "default_filters", problems);
        List(preferences.FavoriteDashboards, "favorite_dashboards", problems);
        if (preferences.SavedQueries.Count > MetadataLimits.MaxSavedQueries)
        {
            problems.Add(new(ProblemCodes.NumberOutOfRange, "saved_queries", string.Create(CultureInfo.InvariantCulture, $"A user keeps at most {MetadataLimits.MaxSavedQueries} saved queries; these are {preferences.SavedQueries.Count}.")));
            return;
        }

        Unique(preferences.SavedQueries, q => q?.QueryId, "saved_queries", "query_id", problems);
        for (var i = 0; i < preferences.SavedQueries.Count; i++)
        {
            if (preferences.SavedQueries[i] is not { } query)
            {
                continue;
            }

            var path = Item("saved_queries", i, null);
            Text(query.Name, path + ".name", problems);
            NotNull(query.Parameters, path + ".parameters", problems);
            Query(null, query.Query, path + ".query", problems);
        }
    }

    private static void Notifications(NotificationPreferences notifications, List<Problem> problems)
    {
        Finite(notifications.AlertThresholds, "notifications.alert_thresholds", problems);
        if (!NotNull(notifications.Channels, "notifications.channels", problems))
        {
            return;
        }

        for (var i = 0; i < notifications.Channels.Count; i++)
        {
            var path = Item("notifications.channels", i, null);
            if (!NotNull(notifications.Channels[i], path, problems))
            {
                continue;
            }

            var channel = notifications.Channels[i];
            List(channel.EventTypes, path + ".event_types", problems);
            if (!Text(channel.ChannelType, path + ".channel_type", problems) || !Text(channel.Destination, path + ".destination", problems))
            {
                continue;
            }

            if (string.Equals(channel.ChannelType, "email", StringComparison.OrdinalIgnoreCase) && !EmailAddress().IsMatch(channel.Destination))
            {
                problems.Add(new(ProblemCodes.InvalidEmail, path + ".destination", $"'{channel.Destination}' is not an e-mail address."));
            }
            else if (string.Equals(channel.ChannelType, "webhook", StringComparison.OrdinalIgnoreCase))
            {
                Url(channel.Destination, path + ".destination", problems);
            }
        }
    }

    // ---- queries (decision 19) ------------------------------------------------------------------------

    /// <summary>
    /// Checks the query of a widget (<paramref name="type"/> given) or a saved query (null: the shape decides): the JSON
    /// of an <c>EventQuery</c>, or of a <c>TimeSeriesQuery</c> (it has <c>measurement</c>) or <c>MetricQuery</c> (it has
    /// <c>metric_name</c>) naming a known measurement; logs and custom sources hold free text. Paths continue into the
    /// query's JSON, e.g. <c>widgets[0].data_source.query.per_page</c>.
    /// </summary>
    private void Query(DataSourceType? type, string? query, string path, List<Problem> problems)
    {
        if (!Text(query, path, problems) || type is DataSourceType.Logs or DataSourceType.Custom)
        {
            return;
        }

        if (type is { } known && !Enum.IsDefined(known))
        {
            problems.Add(new(ProblemCodes.InvalidEnumValue, path[..path.LastIndexOf('.')] + ".source_type", $"Unknown source type {(int)known}."));
            return;
        }

        bool hasMeasurement, hasMetricName, hasPage, hasPerPage, hasOrder;
        try
        {
            using var document = JsonDocument.Parse(query);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(ProblemCodes.InvalidQuery, path, "The query is the JSON object of a query, not " + document.RootElement.ValueKind.ToString().ToLowerInvariant() + "."));
                return;
            }

            hasMeasurement = document.RootElement.TryGetProperty("measurement", out _);
            hasMetricName = document.RootElement.TryGetProperty("metric_name", out _);
            hasPage = document.RootElement.TryGetProperty("page", out _);
            hasPerPage = document.RootElement.TryGetProperty("per_page", out _);
            hasOrder = document.RootElement.TryGetProperty("order", out _);
        }
        catch (JsonException ex)
        {
            problems.Add(new(ProblemCodes.InvalidQuery, path, "The query is not JSON: " + ex.Message));
            return;
        }

        if (type == DataSourceType.Events || (type is null && !hasMeasurement && !hasMetricName))
        {
            if (Parse(query, MetadataJsonContext.Default.EventQuery, "an event query", path, problems) is { } events)
            {
                // The source-generated reader sets a missing init-only member to its type's default, not the record's.
                var defaults = new EventQuery();
                events = events with
                {
                    Page = hasPage ? events.Page : defaults.Page,
                    PerPage = hasPerPage ? events.PerPage : defaults.PerPage,
                    Order = hasOrder ? events.Order : defaults.Order,
                };
                Nested(events.Validate(), path, problems);
            }
        }
        else if (hasMetricName)
        {
            if (Parse(query, Metrics.MetricsJsonContext.Default.MetricQuery, "a metric query", path, problems) is { } metric)
            {
                Nested(MetricQueryExtensions.Validate(metric), path, problems);
                Measurement(metric.MetricName, path + ".metric_name", problems);
            }
        }
        else if (hasMeasurement)
        {
            if (Parse(query, TimeSeriesJsonContext.Default.TimeSeriesQuery, "a time-series query", path, problems) is { } series)
            {
                TimeSeriesQueryPlan.TryCreate(series, TimeSeriesQueryLimits.Default, out _, out var errors);
                Nested(errors, path, problems);
                Measurement(series.Measurement, path + ".measurement", problems);
            }
        }
        else
        {
            problems.Add(new(ProblemCodes.InvalidQuery, path, "A metrics source holds a time-series query (with measurement) or a metric query (with metric_name)."));
        }
    }

    private void Measurement(string? name, string path, List<Problem> problems)
    {
        if (string.IsNullOrEmpty(name))
        {
            return;
        }

        // Metric names and rollup measurements are <measurement>.<field>.
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (!_measurements.Contains(name) && (dot <= 0 || !_measurements.Contains(name[..dot])))
        {
            problems.Add(new(ProblemCodes.UnknownMeasurement, path, $"The hub writes no measurement '{name}'; known: {string.Join(", ", _measurements.Order(StringComparer.Ordinal))} (a host adds its own with MetadataOptions.Measurements)."));
        }
    }

    private static T? Parse<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what, string path, List<Problem> problems)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException ex)
        {
            var inner = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? path : path + ex.Path[1..];
            problems.Add(new(ProblemCodes.InvalidQuery, inner, $"The query is not {what}: {ex.Message}"));
            return null;
        }
    }

    private static void Nested(IEnumerable<Problem> inner, string path, List<Problem> problems)
    {
        foreach (var problem in inner)
        {
            problems.Add(problem with { Path = problem.Path is "$" or "" ? path : path + "." + problem.Path });
        }
    }

    // ---- shared rules ---------------------------------------------------------------------------------

    internal static void Owner(OwnerInfo? owner, string path, List<Problem> problems)
    {
        if (NotNull(owner, path, problems))
        {
            Text(owner.UserId, path + ".user_id", problems);
            Text(owner.Username, path + ".username", problems);
            if (owner.Email is not null && !EmailAddress().IsMatch(owner.Email))
            {
                problems.Add(new(ProblemCodes.InvalidEmail, path + ".email", $"'{owner.Email}' is not an e-mail address."));
            }
        }
    }

    internal static void Id(string? id, string path, List<Problem> problems)
    {
        if (id is null)
        {
            problems.Add(new(ProblemCodes.NullNotAllowed, path, path + " is required."));
        }
        else if (id.Length == 0 || id.Length > MetadataLimits.MaxIdLength || id.Trim().Length != id.Length || id.Any(char.IsControl))
        {
            problems.Add(new(ProblemCodes.InvalidId, path, string.Create(CultureInfo.InvariantCulture, $"An id is 1..{MetadataLimits.MaxIdLength} characters without white space around it or control characters.")));
        }
    }

    internal static bool Text([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value, string path, List<Problem> problems)
    {
        if (!NotNull(value, path, problems))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(new(ProblemCodes.EmptyValue, path, path[(path.LastIndexOf('.') + 1)..] + " may not be empty."));
            return false;
        }

        return true;
    }

    private static bool NotNull<T>([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] T? value, string path, List<Problem> problems)
        where T : class
    {
        if (value is null)
        {
            problems.Add(new(ProblemCodes.NullNotAllowed, path, path + " is required."));
            return false;
        }

        return true;
    }

    private static void List(IReadOnlyList<string>? items, string path, List<Problem> problems)
    {
        if (!NotNull(items, path, problems))
        {
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            Text(items[i], Item(path, i, null), problems);
        }
    }

    private static void Tags(IReadOnlyDictionary<string, string>? tags, string path, List<Problem> problems)
    {
        if (!NotNull(tags, path, problems))
        {
            return;
        }

        foreach (var (key, value) in tags)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                problems.Add(new(ProblemCodes.InvalidName, path, "A key may not be empty."));
            }
            else
            {
                NotNull(value, path + "." + key, problems);
            }
        }
    }

    private static void Finite(IReadOnlyDictionary<string, double>? values, string path, List<Problem> problems)
    {
        if (!NotNull(values, path, problems))
        {
            return;
        }

        foreach (var (key, value) in values)
        {
            if (!double.IsFinite(value))
            {
                problems.Add(new(ProblemCodes.NonFiniteNumber, path + "." + key, "The value must be a finite number."));
            }
        }
    }

    private static void Price(double value, string path, List<Problem> problems)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            problems.Add(new(ProblemCodes.InvalidPrice, path, string.Create(CultureInfo.InvariantCulture, $"A price is a finite number >= 0; it is {value}.")));
        }
    }

    private static void Url(string? url, string path, List<Problem> problems)
    {
        if (Text(url, path, problems) && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            problems.Add(new(ProblemCodes.InvalidUrl, path, $"'{url}' is not an absolute http or https URL."));
        }
    }

    /// <summary>Reports every item whose key repeats an earlier one (or is empty); returns the keys seen.</summary>
    private static HashSet<string> Unique<T>(IReadOnlyList<T> items, Func<T, string?> key, string path, string field, List<Problem> problems)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = Item(path, i, null);
            if (!NotNull((object?)items[i], itemPath, problems))
            {
                continue;
            }

            var value = key(items[i]);
            if (!Text(value, itemPath + "." + field, problems))
            {
                continue;
            }

            if (!seen.TryAdd(value, i))
            {
                problems.Add(new(ProblemCodes.DuplicateId, itemPath + "." + field, string.Create(CultureInfo.InvariantCulture, $"'{value}' is already used by {path}[{seen[value]}].")));
            }
        }

        return [.. seen.Keys];
    }

    private static string Item(string path, int index, string? field) => field is null
        ? string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]")
        : string.Create(CultureInfo.InvariantCulture, $"{path}[{index}].{field}");

    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyCode();

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex EmailAddress();
}
