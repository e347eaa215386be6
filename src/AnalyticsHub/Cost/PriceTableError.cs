namespace AnalyticsHub.Cost;

/// <summary>A problem with a price table: a stable snake_case code, the JSON path of the offending value and a message.</summary>
/// <param name="Code">One of <see cref="PriceTableErrorCodes"/>.</param>
/// <param name="Path">The JSON path, e.g. <c>$.providers[1].models[3].prices.input</c>.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record PriceTableError(string Code, string Path, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Code} at {Path}: {Message}";
}
