using System.Globalization;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Events;

/// <summary>
/// One problem with an input — an event, a query, a write, a price table, an expression, options — in the one shape
/// every part of the hub reports: a stable code, where it is, a message, whether it rejects the input, and for text
/// inputs the offset.
/// </summary>
/// <param name="Code">A stable snake_case code from <see cref="ProblemCodes"/>.</param>
/// <param name="Severity">Whether it rejects the input.</param>
/// <param name="Path">
/// Where: the JSON path of the offending value, dotted from the root, array items as <c>[i]</c>, e.g.
/// <c>payload.data.findings[1].status</c> or <c>aggregations[0].window</c>; <c>$</c> is the root itself (for an
/// expression, the expression text).
/// </param>
/// <param name="Message">A sentence for people.</param>
/// <param name="ByteOffset">For problems found while reading JSON: the offset of the offending value in the input.</param>
public sealed record Problem(string Code, ProblemSeverity Severity, string Path, string Message, long? ByteOffset = null)
{
    /// <summary>A problem that rejects the input (<see cref="ProblemSeverity.Error"/>).</summary>
    /// <param name="code">A stable snake_case code from <see cref="ProblemCodes"/>.</param>
    /// <param name="path">The JSON path of the offending value.</param>
    /// <param name="message">A sentence for people.</param>
    public Problem(string code, string path, string message)
        : this(code, ProblemSeverity.Error, path, message)
    {
    }

    /// <summary>For problems in a text that is not JSON (an expression): where in the text it starts; null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TextLocation? Location { get; init; }

    /// <summary>Whether this problem rejects the input.</summary>
    [JsonIgnore]
    public bool IsError => Severity == ProblemSeverity.Error;

    /// <summary>
    /// The problem as one line: <c>error invalid_type at payload.data.model_id: ...</c>, with <c>(byte n)</c> for JSON
    /// input, or <c>code at line:column: message</c> for a problem located in a text.
    /// </summary>
    /// <returns>The line.</returns>
    public override string ToString()
    {
        if (Location is { } location)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Code} at {location.Line}:{location.Column}: {Message}");
        }

        var severity = Severity == ProblemSeverity.Error ? "error" : "warning";
        var offset = ByteOffset is { } o ? string.Create(CultureInfo.InvariantCulture, $" (byte {o})") : string.Empty;
        return $"{severity} {Code} at {Path}{offset}: {Message}";
    }
}
