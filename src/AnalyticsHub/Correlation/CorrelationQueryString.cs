using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Correlation;

/// <summary>Reads a <see cref="CorrelationQuery"/> from query-string parameters, as the HTTP API takes it.</summary>
/// <remarks>
/// <para>
/// Parameters (the query's JSON names): <c>seed_event_id</c> (a UUID; left out for no seed), <c>time_window_minutes</c>
/// (<see cref="DefaultWindowMinutes"/> when left out), <c>min_strength</c> (0.7), <c>correlation_types</c> and
/// <c>include_modules</c> (repeated or comma-separated wire names, e.g. <c>causal_chain</c>, <c>llm-registry</c>) and
/// <c>max_depth</c> (5).
/// </para>
/// <para>
/// Every problem is reported at once with the parameter as its path (<c>correlation_types[1]</c> for the second value):
/// unreadable values, repeated single parameters, unknown parameters (a misspelt filter would otherwise match
/// everything), then <see cref="CorrelationQueryPlan.Validate"/>'s problems with their paths made parameter names.
/// </para>
/// </remarks>
public static class CorrelationQueryString
{
    /// <summary>The window a query string without <c>time_window_minutes</c> asks for: the last hour.</summary>
    public const long DefaultWindowMinutes = 60;

    private static readonly Dictionary<string, CorrelationType> TypeNames =
        Enum.GetValues<CorrelationType>().ToDictionary(t => JsonNamingPolicy.SnakeCaseLower.ConvertName(t.ToString()), StringComparer.OrdinalIgnoreCase);

    /// <summary>The parameters this reader knows.</summary>
    public static IReadOnlyList<string> Parameters { get; } =
        ["seed_event_id", "time_window_minutes", "min_strength", "correlation_types", "include_modules", "max_depth"];

    /// <summary>Reads the query; the problems are empty when it is valid.</summary>
    /// <param name="parameters">The parameters in order; a repeated parameter appears once per value.</param>
    /// <param name="query">The query, or null when a problem was found.</param>
    /// <returns>The problems, each with its parameter as the path.</returns>
    public static IReadOnlyList<Problem> TryParse(IEnumerable<KeyValuePair<string, string?>> parameters, out CorrelationQuery? query)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var problems = new List<Problem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var seed = Guid.Empty;
        var window = DefaultWindowMinutes;
        var minStrength = 0.7;
        var depth = 5u;
        var types = new List<CorrelationType>();
        var modules = new List<SourceModule>();
        foreach (var (name, raw) in parameters)
        {
            var value = raw ?? string.Empty;
            var repeatable = name is "correlation_types" or "include_modules";
            if (!repeatable && !seen.Add(name) && Parameters.Contains(name))
            {
                problems.Add(new Problem(ProblemCodes.DuplicateKey, name, $"{name} is given more than once."));
                continue;
            }

            switch (name)
            {
                case "seed_event_id":
                    if (!Guid.TryParseExact(value, "D", out seed))
                    {
                        problems.Add(new Problem(ProblemCodes.InvalidUuid, name, "seed_event_id must be a UUID in the hyphenated form."));
                    }

                    break;
                case "time_window_minutes":
                    if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out window))
                    {
                        problems.Add(new Problem(ProblemCodes.NotAnInteger, name, "time_window_minutes must be a whole number of minutes."));
                    }

                    break;
                case "min_strength":
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out minStrength))
                    {
                        problems.Add(new Problem(ProblemCodes.InvalidType, name, "min_strength must be a number in [0, 1]."));
                    }

                    break;
                case "max_depth":
                    if (!uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out depth))
                    {
                        problems.Add(new Problem(ProblemCodes.NotAnInteger, name, $"max_depth must be a whole number from 1 to {CorrelationQueryPlan.MaxDepth}."));
                    }

                    break;
                case "correlation_types":
                    foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
                    {
                        if (TypeNames.TryGetValue(part, out var type))
                        {
                            types.Add(type);
                        }
                        else
                        {
                            problems.Add(new Problem(ProblemCodes.InvalidEnumValue, Indexed(name, types.Count), "correlation_types must be one of: " + string.Join(", ", TypeNames.Keys) + "."));
                            types.Add(default);
                        }
                    }

                    break;
                case "include_modules":
                    foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
                    {
                        if (WireEnums.SourceModule.TryParse(part, out var module))
                        {
                            modules.Add((SourceModule)module);
                        }
                        else
                        {
                            problems.Add(new Problem(ProblemCodes.InvalidEnumValue, Indexed(name, modules.Count), $"include_modules must be one of: {WireEnums.SourceModule.Allowed}."));
                            modules.Add(default);
                        }
                    }

                    break;
                default:
                    problems.Add(new Problem(ProblemCodes.UnknownField, name, $"Unknown parameter {name}; known: {string.Join(", ", Parameters)}."));
                    break;
            }
        }

        query = null;
        if (problems.Count > 0)
        {
            return problems;
        }

        var parsed = new CorrelationQuery
        {
            SeedEventId = seed,
            TimeWindowMinutes = window,
            MinStrength = minStrength,
            MaxDepth = depth,
            CorrelationTypes = types,
            IncludeModules = modules,
        };
        var invalid = CorrelationQueryPlan.Validate(parsed);
        if (invalid.Count > 0)
        {
            return [.. invalid.Select(p => p with { Path = p.Path.StartsWith("$.", StringComparison.Ordinal) ? p.Path[2..] : p.Path })];
        }

        query = parsed;
        return [];
    }

    private static string Indexed(string name, int index) => string.Create(CultureInfo.InvariantCulture, $"{name}[{index}]");
}
