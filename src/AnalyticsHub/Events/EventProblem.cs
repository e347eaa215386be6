namespace AnalyticsHub.Events;

/// <summary>One problem found while reading or validating an event.</summary>
/// <param name="Code">A stable snake_case code from <see cref="ProblemCodes"/>.</param>
/// <param name="Severity">Whether it rejects the event.</param>
/// <param name="Path">
/// Where: dotted from the event root, array items as <c>[i]</c>, e.g. <c>payload.data.findings[1].status</c>;
/// <c>$</c> is the root itself.
/// </param>
/// <param name="Message">A sentence for people.</param>
/// <param name="ByteOffset">For problems found while reading JSON: the offset of the offending value in the input.</param>
public sealed record EventProblem(string Code, ProblemSeverity Severity, string Path, string Message, long? ByteOffset = null)
{
    /// <summary>Whether this problem rejects the event.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsError => Severity == ProblemSeverity.Error;

    /// <summary>The problem as one line: <c>error invalid_type at payload.data.model_id: ...</c>.</summary>
    public override string ToString()
    {
        var severity = Severity == ProblemSeverity.Error ? "error" : "warning";
        var offset = ByteOffset is { } o ? $" (byte {o})" : string.Empty;
        return $"{severity} {Code} at {Path}{offset}: {Message}";
    }
}
