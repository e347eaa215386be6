using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Metadata;

/// <summary>
/// A dashboard: its layout, widgets and who may see it (wire format 1.7 <c>DashboardConfig</c>). Store it through
/// <see cref="MetadataRegistry.Dashboards"/>; each widget's query is checked when it is saved (decision 19).
/// </summary>
public sealed record DashboardConfig
{
    /// <summary>The dashboard's id, unique among dashboards; no surrounding white space.</summary>
    public required string DashboardId { get; init; }

    /// <summary>Its title.</summary>
    public required string Name { get; init; }

    /// <summary>What it shows (written as null when absent).</summary>
    public string? Description { get; init; }

    /// <summary>How its widgets are placed.</summary>
    public required DashboardLayout Layout { get; init; }

    /// <summary>Its widgets; ids are unique within the dashboard.</summary>
    public required IReadOnlyList<Widget> Widgets { get; init; }

    /// <summary>How often it refreshes, in seconds (at least 1).</summary>
    public required uint RefreshInterval { get; init; }

    /// <summary>The time range it opens with, as free text, e.g. <c>last_24h</c>.</summary>
    public required string DefaultTimeRange { get; init; }

    /// <summary>Who owns it.</summary>
    public required OwnerInfo Owner { get; init; }

    /// <summary>Who may see it.</summary>
    public required VisibilitySettings Visibility { get; init; }

    /// <summary>When it was first saved; the registry keeps the first revision's value.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed; the registry sets it from its clock on every write.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A dashboard's layout (wire format 1.7 <c>DashboardLayout</c>).</summary>
public sealed record DashboardLayout
{
    /// <summary>How widgets are placed.</summary>
    public required LayoutType LayoutType { get; init; }

    /// <summary>The number of grid columns (1..<see cref="MetadataLimits.MaxColumns"/>); a widget must fit in them.</summary>
    public required uint Columns { get; init; }

    /// <summary>The height of a grid row, in pixels (at least 1).</summary>
    public required uint RowHeight { get; init; }
}

/// <summary>One widget of a dashboard (wire format 1.7 <c>Widget</c>).</summary>
public sealed record Widget
{
    /// <summary>Its id, unique within the dashboard.</summary>
    public required string WidgetId { get; init; }

    /// <summary>Its title.</summary>
    public required string Title { get; init; }

    /// <summary>How it draws its data.</summary>
    public required WidgetType WidgetType { get; init; }

    /// <summary>Where it sits, in grid cells.</summary>
    public required WidgetPosition Position { get; init; }

    /// <summary>Where its data comes from.</summary>
    public required DataSourceConfig DataSource { get; init; }

    /// <summary>How it looks.</summary>
    public required VisualizationConfig Visualization { get; init; }

    /// <summary>Free settings of the widget (empty by default).</summary>
    public IReadOnlyDictionary<string, JsonElement> Settings { get; init => field = value ?? new Dictionary<string, JsonElement>(); } = new Dictionary<string, JsonElement>();
}

/// <summary>A widget's place in grid cells (wire format 1.7 <c>WidgetPosition</c>).</summary>
public sealed record WidgetPosition
{
    /// <summary>The first column, from 0.</summary>
    public required uint X { get; init; }

    /// <summary>The first row, from 0.</summary>
    public required uint Y { get; init; }

    /// <summary>The width in columns (at least 1).</summary>
    public required uint Width { get; init; }

    /// <summary>The height in rows (at least 1).</summary>
    public required uint Height { get; init; }
}

/// <summary>Where a widget's data comes from (wire format 1.7 <c>DataSourceConfig</c>).</summary>
public sealed record DataSourceConfig
{
    /// <summary>What kind of source, which says what <see cref="Query"/> holds.</summary>
    public required DataSourceType SourceType { get; init; }

    /// <summary>The query: the JSON of an <c>EventQuery</c>, <c>TimeSeriesQuery</c> or <c>MetricQuery</c> for the hub's sources, free text for logs and custom sources.</summary>
    public required string Query { get; init; }

    /// <summary>How often this source refreshes, in seconds, when it differs from the dashboard's (written as null when absent).</summary>
    public uint? RefreshInterval { get; init; }

    /// <summary>Parameters of the query (empty by default).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();
}

/// <summary>How a widget looks (wire format 1.7 <c>VisualizationConfig</c>).</summary>
public sealed record VisualizationConfig
{
    /// <summary>Free options of the chart (empty by default).</summary>
    public IReadOnlyDictionary<string, JsonElement> Options { get; init => field = value ?? new Dictionary<string, JsonElement>(); } = new Dictionary<string, JsonElement>();

    /// <summary>The colour scheme's name (written as null when absent).</summary>
    public string? ColorScheme { get; init; }

    /// <summary>Whether the legend shows.</summary>
    public required bool ShowLegend { get; init; }

    /// <summary>The axes (left out of the JSON when absent).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AxesConfig? Axes { get; init; }
}

/// <summary>A chart's two axes (wire format 1.7 <c>AxesConfig</c>).</summary>
public sealed record AxesConfig
{
    /// <summary>The horizontal axis.</summary>
    public required AxisConfig XAxis { get; init; }

    /// <summary>The vertical axis.</summary>
    public required AxisConfig YAxis { get; init; }
}

/// <summary>One axis of a chart (wire format 1.7 <c>AxisConfig</c>).</summary>
public sealed record AxisConfig
{
    /// <summary>Its label.</summary>
    public required string Label { get; init; }

    /// <summary>Its scale, e.g. <c>linear</c> or <c>log</c>.</summary>
    public required string Scale { get; init; }

    /// <summary>Its lower bound (written as null when absent); below <see cref="Max"/> when both are set.</summary>
    public double? Min { get; init; }

    /// <summary>Its upper bound (written as null when absent).</summary>
    public double? Max { get; init; }
}

/// <summary>Who may see a dashboard (wire format 1.7 <c>VisibilitySettings</c>).</summary>
public sealed record VisibilitySettings
{
    /// <summary>Public, private or shared.</summary>
    public required Visibility Visibility { get; init; }

    /// <summary>User ids it is shared with (empty by default).</summary>
    public IReadOnlyList<string> SharedWith { get; init => field = value ?? []; } = [];

    /// <summary>Teams it is shared with (empty by default).</summary>
    public IReadOnlyList<string> SharedWithTeams { get; init => field = value ?? []; } = [];
}
