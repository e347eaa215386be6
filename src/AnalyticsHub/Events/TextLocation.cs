namespace AnalyticsHub.Events;

/// <summary>Where a <see cref="Problem"/> starts in a text input such as an expression.</summary>
/// <param name="Position">The zero-based offset in UTF-16 characters.</param>
/// <param name="Line">The one-based line of <paramref name="Position"/>.</param>
/// <param name="Column">The one-based column of <paramref name="Position"/>.</param>
public readonly record struct TextLocation(int Position, int Line, int Column);
