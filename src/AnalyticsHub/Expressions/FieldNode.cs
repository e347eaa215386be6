namespace AnalyticsHub.Expressions;

/// <summary>A field path such as <c>severity</c>, <c>tags.team</c> or <c>payload.data.total_cost_usd</c>, or a variable name.</summary>
public sealed class FieldNode : ExpressionNode
{
    /// <summary>Creates a field node.</summary>
    /// <param name="segments">The path's segments, at least one (e.g. <c>tags</c>, <c>team</c>).</param>
    /// <param name="position">Where the path starts in the text.</param>
    public FieldNode(IReadOnlyList<string> segments, int position = 0)
        : base(position, 1)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (segments.Count == 0)
        {
            throw new ArgumentException("A field path has at least one segment.", nameof(segments));
        }

        Segments = segments;
        Path = string.Join('.', segments);
    }

    /// <summary>The path's segments.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>The segments joined with dots, e.g. <c>tags.team</c>.</summary>
    public string Path { get; }
}
