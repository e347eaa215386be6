using AnalyticsHub.Events;

namespace AnalyticsHub.Expressions;

/// <summary>One problem found while parsing or compiling an expression, with where it is in the text.</summary>
/// <param name="Code">A stable snake_case code from <see cref="ProblemCodes"/>.</param>
/// <param name="Message">What is wrong, in one sentence.</param>
/// <param name="Position">The zero-based offset (in UTF-16 characters) where the problem starts.</param>
/// <param name="Line">The one-based line of <paramref name="Position"/>.</param>
/// <param name="Column">The one-based column of <paramref name="Position"/>.</param>
public sealed record ExpressionError(string Code, string Message, int Position, int Line, int Column)
{
    /// <summary>The error as <c>code at line:column: message</c>.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Code} at {Line}:{Column}: {Message}");

    internal static ExpressionError At(string text, int position, string code, string message)
    {
        position = Math.Clamp(position, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < position; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new ExpressionError(code, message, position, line, position - lineStart + 1);
    }
}
