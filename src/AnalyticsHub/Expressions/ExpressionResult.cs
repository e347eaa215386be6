using AnalyticsHub.Events;
namespace AnalyticsHub.Expressions;

/// <summary>The outcome of parsing or compiling an expression: the result, or the errors (never both).</summary>
/// <typeparam name="T">The result type.</typeparam>
public sealed class ExpressionResult<T>
    where T : class
{
    internal ExpressionResult(T? value, IReadOnlyList<Problem> errors)
    {
        Value = value;
        Errors = errors;
    }

    /// <summary>The result when <see cref="Succeeded"/>; otherwise <see langword="null"/>.</summary>
    public T? Value { get; }

    /// <summary>The errors, in text order; empty when <see cref="Succeeded"/>.</summary>
    public IReadOnlyList<Problem> Errors { get; }

    /// <summary>Whether there were no errors.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Value))]
    public bool Succeeded => Value is not null;

    /// <summary>The result, or an <see cref="ArgumentException"/> that lists the errors (for expressions known to be valid).</summary>
    /// <exception cref="ArgumentException">There were errors.</exception>
    public T GetValueOrThrow() =>
        Value ?? throw new ArgumentException("Invalid expression: " + string.Join("; ", Errors));
}
