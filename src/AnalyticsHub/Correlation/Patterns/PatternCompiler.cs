using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;
using AnalyticsHub.Expressions;

namespace AnalyticsHub.Correlation.Patterns;

/// <summary>
/// Checks and compiles the host's <see cref="CorrelationPattern"/>s: every problem with the option path of the offending
/// value (<c>Correlation.Patterns[0].Sequence[1].Conditions.slow</c>) and a code of <see cref="ProblemCodes"/>.
/// </summary>
internal static class PatternCompiler
{
    /// <summary>The most patterns the stage matches.</summary>
    public const int MaxPatterns = 256;

    /// <summary>The most steps per pattern.</summary>
    public const int MaxSteps = 16;

    /// <summary>The longest <see cref="PatternStep.TimeOffsetMs"/>: 31 days.</summary>
    public const long MaxOffsetMs = 31L * 24 * 60 * 60 * 1000;

    /// <summary>Compiles the patterns; the problems are empty when every pattern compiled.</summary>
    /// <param name="patterns">The patterns, as the options hold them.</param>
    /// <param name="path">The option path of the list, e.g. <c>Correlation.Patterns</c>.</param>
    /// <param name="problems">Where the problems go, each with its code and path.</param>
    public static CompiledPattern[] Compile(IReadOnlyList<CorrelationPattern>? patterns, string path, List<Problem> problems)
    {
        if (patterns is null)
        {
            problems.Add(new Problem(ProblemCodes.NullNotAllowed, path, "The pattern list must not be null; leave it empty for no patterns."));
            return [];
        }

        if (patterns.Count > MaxPatterns)
        {
            problems.Add(new Problem(ProblemCodes.TooManyItems, path, $"At most {MaxPatterns} patterns; there are {patterns.Count}."));
            return [];
        }

        var compiled = new List<CompiledPattern>(patterns.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < patterns.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            if (patterns[i] is not { } pattern)
            {
                problems.Add(new Problem(ProblemCodes.NullNotAllowed, at, "A pattern must not be null."));
                continue;
            }

            var before = problems.Count;
            if (string.IsNullOrWhiteSpace(pattern.PatternId))
            {
                problems.Add(new Problem(ProblemCodes.EmptyValue, at + ".PatternId", "A pattern needs an id."));
            }
            else if (!ids.Add(pattern.PatternId))
            {
                problems.Add(new Problem(ProblemCodes.DuplicateId, at + ".PatternId", $"The pattern id '{pattern.PatternId}' is used twice."));
            }

            if (string.IsNullOrWhiteSpace(pattern.Name))
            {
                problems.Add(new Problem(ProblemCodes.EmptyValue, at + ".Name", "A pattern needs a name."));
            }

            var steps = CompileSteps(pattern, at, problems);
            if (problems.Count == before)
            {
                compiled.Add(new CompiledPattern(pattern, steps));
            }
        }

        return [.. compiled];
    }

    /// <summary>A problem as one line of an options error: path, code, text location when there is one, message.</summary>
    public static string Describe(Problem problem) => problem.Location is { } location
        ? string.Create(CultureInfo.InvariantCulture, $"{problem.Path}: {problem.Code} at {location.Line}:{location.Column}: {problem.Message}")
        : $"{problem.Path}: {problem.Code}: {problem.Message}";

    private static CompiledPattern.Step[] CompileSteps(CorrelationPattern pattern, string at, List<Problem> problems)
    {
        var sequence = pattern.Sequence;
        if (sequence is null || sequence.Count == 0)
        {
            problems.Add(new Problem(ProblemCodes.EmptyValue, at + ".Sequence", "A pattern needs at least one step."));
            return [];
        }

        if (sequence.Count > MaxSteps)
        {
            problems.Add(new Problem(ProblemCodes.TooManyItems, at + ".Sequence", $"At most {MaxSteps} steps; there are {sequence.Count}."));
            return [];
        }

        var modules = pattern.Modules ?? [];
        var steps = new CompiledPattern.Step[sequence.Count];
        for (var k = 0; k < sequence.Count; k++)
        {
            var stepAt = string.Create(CultureInfo.InvariantCulture, $"{at}.Sequence[{k}]");
            if (sequence[k] is not { } step)
            {
                problems.Add(new Problem(ProblemCodes.NullNotAllowed, stepAt, "A step must not be null."));
                continue;
            }

            if (step.StepNumber != k + 1)
            {
                problems.Add(new Problem(ProblemCodes.NotOrdered, stepAt + ".StepNumber", $"Steps are numbered 1, 2, ... in order; step {k + 1} has number {step.StepNumber}."));
            }

            if (!Enum.IsDefined(step.Module))
            {
                problems.Add(new Problem(ProblemCodes.InvalidEnumValue, stepAt + ".Module", $"{(int)step.Module} is not a source module."));
            }
            else if (!modules.Contains(step.Module))
            {
                problems.Add(new Problem(ProblemCodes.MissingField, at + ".Modules", $"The pattern's modules must list the module of every step; step {k + 1}'s {WireEnums.SourceModule.GetName(step.Module)} is missing."));
            }

            if (!Enum.IsDefined(step.EventType))
            {
                problems.Add(new Problem(ProblemCodes.InvalidEnumValue, stepAt + ".EventType", $"{(int)step.EventType} is not an event type."));
            }

            var gap = long.MaxValue;
            if (step.TimeOffsetMs is { } offset)
            {
                if (k == 0)
                {
                    problems.Add(new Problem(ProblemCodes.NumberOutOfRange, stepAt + ".TimeOffsetMs", "The first step has no previous step to be offset from; leave its time offset null."));
                }
                else if (offset < 0 || offset > MaxOffsetMs)
                {
                    problems.Add(new Problem(ProblemCodes.NumberOutOfRange, stepAt + ".TimeOffsetMs", $"The time offset is the most milliseconds after the previous step, 0 to {MaxOffsetMs} (31 days); it is {offset}."));
                }
                else
                {
                    gap = offset * TimeSpan.TicksPerMillisecond;
                }
            }

            steps[k] = new CompiledPattern.Step(step.Module, step.EventType, CompileConditions(step, stepAt + ".Conditions", problems), gap);
        }

        return steps;
    }

    private static CompiledExpression[] CompileConditions(PatternStep step, string at, List<Problem> problems)
    {
        if (step.Conditions is null)
        {
            problems.Add(new Problem(ProblemCodes.NullNotAllowed, at, "Conditions must not be null; leave them empty to match every event of the step's module and type."));
            return [];
        }

        var conditions = new List<CompiledExpression>(step.Conditions.Count);
        foreach (var (name, text) in step.Conditions.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var conditionAt = at + "." + name;
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add(new Problem(ProblemCodes.EmptyValue, at, "A condition needs a name."));
                continue;
            }

            var result = CompiledExpression.Compile(text ?? string.Empty);
            if (!result.Succeeded)
            {
                foreach (var error in result.Errors)
                {
                    problems.Add(error with { Path = conditionAt });
                }

                continue;
            }

            if (result.Value.ResultKind is { } kind && kind != ValueKind.Boolean)
            {
                problems.Add(new Problem(ProblemCodes.TypeMismatch, conditionAt, $"A condition must be true or false; '{text}' gives a {kind.ToString().ToLowerInvariant()}."));
                continue;
            }

            conditions.Add(result.Value);
        }

        return [.. conditions];
    }
}
