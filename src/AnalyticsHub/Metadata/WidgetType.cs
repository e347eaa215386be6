using System.Text.Json.Serialization;
using AnalyticsHub.Metadata.Json;

namespace AnalyticsHub.Metadata;

/// <summary>
/// How a dashboard widget draws its data (wire format 1.7): one of the known kinds, or <see cref="Custom"/> with a
/// free-text name, written <c>{"custom": "sankey"}</c>; a bare unknown string is read as custom (decision 2).
/// </summary>
[JsonConverter(typeof(OpenEnumJsonConverter<WidgetType>))]
public readonly record struct WidgetType : IOpenEnum<WidgetType>
{
    private static readonly string[] Names = ["line_chart", "bar_chart", "pie_chart", "table", "stat", "heatmap", "gauge", "timeline", "graph"];

    private WidgetType(string? knownName, string? customName)
    {
        KnownName = knownName;
        CustomName = customName;
    }

    /// <summary><c>line_chart</c>.</summary>
    public static WidgetType LineChart => new("line_chart", null);

    /// <summary><c>bar_chart</c>.</summary>
    public static WidgetType BarChart => new("bar_chart", null);

    /// <summary><c>pie_chart</c>.</summary>
    public static WidgetType PieChart => new("pie_chart", null);

    /// <summary><c>table</c>.</summary>
    public static WidgetType Table => new("table", null);

    /// <summary><c>stat</c>: one number.</summary>
    public static WidgetType Stat => new("stat", null);

    /// <summary><c>heatmap</c>.</summary>
    public static WidgetType Heatmap => new("heatmap", null);

    /// <summary><c>gauge</c>.</summary>
    public static WidgetType Gauge => new("gauge", null);

    /// <summary><c>timeline</c>.</summary>
    public static WidgetType Timeline => new("timeline", null);

    /// <summary><c>graph</c>: nodes and edges.</summary>
    public static WidgetType Graph => new("graph", null);

    /// <summary>The wire name of a known kind; null for a custom one.</summary>
    public string? KnownName { get; }

    /// <summary>The free-text name of a custom kind; null for a known one.</summary>
    public string? CustomName { get; }

    static IReadOnlyList<string> IOpenEnum<WidgetType>.KnownNames => Names;

    /// <summary>A widget kind outside the known ones.</summary>
    /// <param name="name">The free-text name, e.g. <c>sankey</c>.</param>
    public static WidgetType Custom(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new(null, name);
    }

    static WidgetType IOpenEnum<WidgetType>.FromKnown(string name) => new(name, null);

    static WidgetType IOpenEnum<WidgetType>.FromCustom(string name) => Custom(name);

    /// <summary>The wire name, or the custom name.</summary>
    public override string ToString() => KnownName ?? CustomName ?? string.Empty;
}
