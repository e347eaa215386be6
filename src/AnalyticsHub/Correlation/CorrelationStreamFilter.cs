using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;
using AnalyticsHub.Storage;

namespace AnalyticsHub.Correlation;

/// <summary>
/// Which incident lifecycle events a live subscription receives (<c>IAnalyticsHub.SubscribeCorrelations</c>,
/// <c>GET /correlations/stream</c>): the <c>correlation</c> events of the <c>correlation</c> stage — open, update and
/// close, each carrying the incident as it stood — filtered by type, strength and module.
/// </summary>
/// <remarks>
/// The store subscription reads only the hub's custom <c>correlation</c> events (<see cref="ToEventQuery"/>); each is then
/// kept when its incident matches every filter (<see cref="Matches"/>), read from the event's <c>data</c>. Frames skipped
/// by the filter leave gaps in the sequence numbers, which is not a <c>stream_gap</c>: resuming after the last frame
/// received loses nothing.
/// </remarks>
public sealed record CorrelationStreamFilter
{
    private static readonly string[] TypeNames = [.. Enum.GetValues<CorrelationType>().Select(t => JsonNamingPolicy.SnakeCaseLower.ConvertName(t.ToString()))];

    /// <summary>The types to receive (the incident's primary type or any of its <c>correlation_types</c>); all when empty.</summary>
    public IReadOnlyList<CorrelationType> CorrelationTypes { get; init => field = value ?? []; } = [];

    /// <summary>The least strength to receive, in [0, 1]; 0 (every incident) by default.</summary>
    public double MinStrength { get; init; }

    /// <summary>The modules an incident must involve (one of its members from one of them); all when empty.</summary>
    public IReadOnlyList<SourceModule> IncludeModules { get; init => field = value ?? []; } = [];

    /// <summary>Checks the filter.</summary>
    /// <returns>The problems, each with its code and path (<c>min_strength</c>, <c>correlation_types[1]</c>); empty when valid.</returns>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new List<Problem>();
        if (!double.IsFinite(MinStrength))
        {
            problems.Add(new Problem(ProblemCodes.NonFiniteNumber, "min_strength", "min_strength must be a finite number in [0, 1]."));
        }
        else if (MinStrength is < 0 or > 1)
        {
            problems.Add(new Problem(ProblemCodes.NumberOutOfRange, "min_strength", string.Create(CultureInfo.InvariantCulture, $"min_strength must lie in [0, 1]; it is {MinStrength}.")));
        }

        for (var i = 0; i < CorrelationTypes.Count; i++)
        {
            if (!Enum.IsDefined(CorrelationTypes[i]))
            {
                problems.Add(new Problem(ProblemCodes.InvalidEnumValue, string.Create(CultureInfo.InvariantCulture, $"correlation_types[{i}]"), "correlation_types must be one of: " + string.Join(", ", TypeNames) + "."));
            }
        }

        for (var i = 0; i < IncludeModules.Count; i++)
        {
            if (!Enum.IsDefined(IncludeModules[i]))
            {
                problems.Add(new Problem(ProblemCodes.InvalidEnumValue, string.Create(CultureInfo.InvariantCulture, $"include_modules[{i}]"), $"include_modules must be one of: {WireEnums.SourceModule.Allowed}."));
            }
        }

        return problems;
    }

    /// <summary>The store filter of the subscription: the hub's custom <c>correlation</c> events.</summary>
    public static EventQuery ToEventQuery() => new()
    {
        SourceModules = [SourceModule.LlmAnalyticsHub],
        PayloadType = Events.PayloadType.Custom,
        Subtype = CorrelationStage.CustomType,
    };

    /// <summary>Whether a stored event is an incident lifecycle event whose incident passes every filter.</summary>
    /// <param name="evt">The event.</param>
    public bool Matches(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (evt.Payload is not CustomPayload { CustomType: CorrelationStage.CustomType, Data: { ValueKind: JsonValueKind.Object } data })
        {
            return false;
        }

        if (MinStrength > 0 && !(data.TryGetProperty("strength", out var strength) && strength.ValueKind == JsonValueKind.Number && strength.GetDouble() >= MinStrength))
        {
            return false;
        }

        return (CorrelationTypes.Count == 0 || HasType(data)) && (IncludeModules.Count == 0 || HasModule(data));
    }

    private bool HasType(JsonElement data)
    {
        if (data.TryGetProperty("correlation_type", out var primary) && IsWanted(primary))
        {
            return true;
        }

        if (data.TryGetProperty("correlation_types", out var types) && types.ValueKind == JsonValueKind.Array)
        {
            foreach (var type in types.EnumerateArray())
            {
                if (IsWanted(type))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool IsWanted(JsonElement type)
    {
        if (type.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        foreach (var wanted in CorrelationTypes)
        {
            if ((uint)wanted < (uint)TypeNames.Length && type.ValueEquals(TypeNames[(int)wanted]))
            {
                return true;
            }
        }

        return false;
    }

    private bool HasModule(JsonElement data)
    {
        if (!data.TryGetProperty("events", out var members) || members.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var member in members.EnumerateArray())
        {
            if (member.ValueKind == JsonValueKind.Object && member.TryGetProperty("source_module", out var module) && module.ValueKind == JsonValueKind.String)
            {
                foreach (var wanted in IncludeModules)
                {
                    if (Enum.IsDefined(wanted) && module.ValueEquals(WireEnums.SourceModule.GetName(wanted)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
