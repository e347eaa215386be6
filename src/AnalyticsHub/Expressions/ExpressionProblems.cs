using AnalyticsHub.Events;

namespace AnalyticsHub.Expressions;

/// <summary>Makes the <see cref="Problem"/>s of expressions: path <c>$</c> (the expression text) and where in the text it starts.</summary>
internal static class ExpressionProblems
{
    public static Problem At(string text, int position, string code, string message)
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

        return new Problem(code, "$", message) { Location = new TextLocation(position, line, position - lineStart + 1) };
    }
}
