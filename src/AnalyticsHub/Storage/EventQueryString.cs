using System.Globalization;
using System.Text;
using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Storage;

/// <summary>Reads an <see cref="EventQuery"/> from query-string parameters, as the HTTP API takes it.</summary>
/// <remarks>
/// <para>
/// Parameters (snake_case, as in the query's JSON): <c>from</c>, <c>to</c> (RFC 3339 with a zone),
/// <c>source_module</c>, <c>event_type</c> (repeated or comma-separated), <c>min_severity</c>, <c>environment</c>,
/// <c>tag</c> (<c>key:value</c>, repeated; all must match), <c>correlation_id</c>, <c>payload_type</c>, <c>subtype</c>,
/// <c>order</c> (<c>asc</c> | <c>desc</c>), <c>page</c>, <c>per_page</c> and <c>cursor</c>. Enum values take their wire
/// names, case-insensitively.
/// </para>
/// <para>
/// Every problem is reported at once, with the parameter as its path (<c>source_module[1]</c> for the second value):
/// unreadable values, unknown parameters (a misspelt filter would otherwise match everything), then the query's own
/// <see cref="EventQuery.Validate"/>.
/// </para>
/// </remarks>
public static class EventQueryString
{
    /// <summary>The parameters this reader knows.</summary>
    public static IReadOnlyList<string> Parameters { get; } =
    [
        "from", "to", "source_module", "event_type", "min_severity", "environment", "tag", "correlation_id",
        "payload_type", "subtype", "order", "page", "per_page", "cursor",
    ];

    /// <summary>Reads the query; the problems are empty when it is valid.</summary>
    /// <param name="parameters">The parameters in order; a repeated parameter appears once per value.</param>
    /// <param name="query">The query, or null when a problem was found.</param>
    /// <param name="otherParameters">Names the caller handles itself (e.g. a stream's <c>last_event_id</c>); not reported as unknown.</param>
    /// <param name="validatePaging">Whether to validate paging and cursor too (false for a live stream, which has neither).</param>
    /// <returns>The problems, each with its parameter as the path.</returns>
    public static IReadOnlyList<Problem> TryParse(
        IEnumerable<KeyValuePair<string, string?>> parameters,
        out EventQuery? query,
        IReadOnlyCollection<string>? otherParameters = null,
        bool validatePaging = true)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var problems = new List<Problem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var parsed = new EventQuery();
        List<SourceModule>? modules = null;
        List<EventType>? types = null;
        Dictionary<string, string>? tags = null;
        foreach (var (name, raw) in parameters)
        {
            var value = raw ?? string.Empty;
            var repeatable = name is "source_module" or "event_type" or "tag";
            if (!repeatable && !seen.Add(name) && IsKnown(name))
            {
                problems.Add(Problem(ProblemCodes.DuplicateKey, name, $"{name} is given more than once."));
                continue;
            }

            switch (name)
            {
                case "from":
                    parsed = parsed with { From = Timestamp(problems, name, value) };
                    break;
                case "to":
                    parsed = parsed with { To = Timestamp(problems, name, value) };
                    break;
                case "source_module":
                    modules ??= [];
                    AddEnums(problems, name, value, WireEnums.SourceModule, modules);
                    break;
                case "event_type":
                    types ??= [];
                    AddEnums(problems, name, value, WireEnums.EventType, types);
                    break;
                case "min_severity":
                    parsed = parsed with { MinSeverity = Enum(problems, name, value, WireEnums.Severity) };
                    break;
                case "environment":
                    parsed = parsed with { Environment = value };
                    break;
                case "tag":
                    tags ??= new Dictionary<string, string>(StringComparer.Ordinal);
                    AddTag(problems, value, tags);
                    break;
                case "correlation_id":
                    if (Guid.TryParse(value, CultureInfo.InvariantCulture, out var correlation))
                    {
                        parsed = parsed with { CorrelationId = correlation };
                    }
                    else
                    {
                        problems.Add(Problem(ProblemCodes.InvalidUuid, name, "correlation_id must be a UUID."));
                    }

                    break;
                case "payload_type":
                    parsed = parsed with { PayloadType = Enum(problems, name, value, WireEnums.PayloadType) };
                    break;
                case "subtype":
                    parsed = parsed with { Subtype = value };
                    break;
                case "order":
                    if (string.Equals(value, "asc", StringComparison.OrdinalIgnoreCase))
                    {
                        parsed = parsed with { Order = SortOrder.Asc };
                    }
                    else if (string.Equals(value, "desc", StringComparison.OrdinalIgnoreCase))
                    {
                        parsed = parsed with { Order = SortOrder.Desc };
                    }
                    else
                    {
                        problems.Add(Problem(ProblemCodes.InvalidEnumValue, name, "order must be asc or desc."));
                    }
                    break;
                case "page":
                    parsed = parsed with { Page = UInt(problems, name, value, parsed.Page) };
                    break;
                case "per_page":
                    parsed = parsed with { PerPage = UInt(problems, name, value, parsed.PerPage) };
                    break;
                case "cursor":
                    parsed = parsed with { Cursor = value };
                    break;
                default:
                    if (otherParameters is null || !otherParameters.Contains(name))
                    {
                        problems.Add(Problem(ProblemCodes.UnknownField, name, $"Unknown parameter {name}; known: {string.Join(", ", Parameters)}."));
                    }

                    break;
            }
        }

        parsed = parsed with { SourceModules = modules, EventTypes = types, Tags = tags };
        if (problems.Count == 0)
        {
            problems.AddRange(validatePaging ? parsed.Validate() : parsed.ValidateFilter());
        }

        query = problems.Count == 0 ? parsed : null;
        return problems;
    }

    private static bool IsKnown(string name) => name is "from" or "to" or "min_severity" or "environment" or "correlation_id"
        or "payload_type" or "subtype" or "order" or "page" or "per_page" or "cursor";

    private static DateTimeOffset? Timestamp(List<Problem> problems, string name, string value)
    {
        if (RfcTimestamp.TryParse(Encoding.UTF8.GetBytes(value), out var instant))
        {
            return instant;
        }

        problems.Add(Problem(ProblemCodes.InvalidTimestamp, name, $"{name} must be an RFC 3339 timestamp with a zone, e.g. 2024-01-15T10:30:00Z."));
        return null;
    }

    private static uint UInt(List<Problem> problems, string name, string value, uint fallback)
    {
        if (uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        problems.Add(Problem(ProblemCodes.NotAnInteger, name, $"{name} must be a whole number."));
        return fallback;
    }

    private static TEnum? Enum<TEnum>(List<Problem> problems, string name, string value, WireEnum<TEnum> wire)
        where TEnum : struct, Enum
    {
        if (wire.TryParse(value, out var parsed))
        {
            return (TEnum)System.Enum.ToObject(typeof(TEnum), parsed);
        }

        problems.Add(Problem(ProblemCodes.InvalidEnumValue, name, $"{name} must be one of: {wire.Allowed}."));
        return null;
    }

    private static void AddEnums<TEnum>(List<Problem> problems, string name, string value, WireEnum<TEnum> wire, List<TEnum> into)
        where TEnum : struct, Enum
    {
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"{name}[{into.Count}]");
            if (wire.TryParse(part, out var parsed))
            {
                into.Add((TEnum)System.Enum.ToObject(typeof(TEnum), parsed));
            }
            else
            {
                problems.Add(Problem(ProblemCodes.InvalidEnumValue, path, $"{name} must be one of: {wire.Allowed}."));
                into.Add(default);
            }
        }
    }

    private static void AddTag(List<Problem> problems, string value, Dictionary<string, string> tags)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            problems.Add(Problem(ProblemCodes.InvalidTag, "tag", "tag must be key:value with a non-empty key."));
            return;
        }

        var key = value[..colon];
        if (!tags.TryAdd(key, value[(colon + 1)..]))
        {
            problems.Add(Problem(ProblemCodes.DuplicateKey, "tag." + key, $"The tag {key} is given more than once."));
        }
    }

    private static Problem Problem(string code, string path, string message) => new(code, ProblemSeverity.Error, path, message);
}
