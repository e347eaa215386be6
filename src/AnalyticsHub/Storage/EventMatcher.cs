using AnalyticsHub.Events;

namespace AnalyticsHub.Storage;

/// <summary>
/// The filters of a validated <see cref="EventQuery"/> compiled for per-event checks: bit masks for the
/// enum filters, ticks for the time range, an array for the tags. No allocation per check.
/// </summary>
internal sealed class EventMatcher
{
    public const uint AllModules = (1u << 7) - 1;
    public const uint AllTypes = (1u << 7) - 1;

    private readonly KeyValuePair<string, string>[] _tags;

    public EventMatcher(EventQuery query)
    {
        ModuleMask = Mask(query.SourceModules, AllModules);
        TypeMask = Mask(query.EventTypes, AllTypes);
        MinSeverity = query.MinSeverity is { } s ? (int)s : 0;
        FromTicks = query.From?.UtcTicks ?? long.MinValue;
        ToTicks = query.To?.UtcTicks ?? long.MaxValue;
        Environment = query.Environment;
        _tags = query.Tags is { Count: > 0 } tags ? [.. tags] : [];
        CorrelationId = query.CorrelationId;
        PayloadType = query.PayloadType is { } p ? (int)p : -1;
        Subtype = query.Subtype;
        HasResidual = TypeMask != AllTypes || Environment is not null || _tags.Length > 0 || PayloadType >= 0 || Subtype is not null;
    }

    public uint ModuleMask { get; }

    public uint TypeMask { get; }

    public int MinSeverity { get; }

    public long FromTicks { get; }

    public long ToTicks { get; }

    public string? Environment { get; }

    public Guid? CorrelationId { get; }

    public int PayloadType { get; }

    public string? Subtype { get; }

    /// <summary>Whether any filter needs a look at the event itself (not served by the time/module/severity indexes).</summary>
    public bool HasResidual { get; }

    /// <summary>Every filter.</summary>
    public bool Matches(AnalyticsEvent evt)
    {
        var common = evt.Common;
        var ticks = common.Timestamp.UtcTicks;
        return ticks >= FromTicks && ticks < ToTicks
            && (ModuleMask & (1u << (int)common.SourceModule)) != 0
            && (int)common.Severity >= MinSeverity
            && (CorrelationId is not { } correlation || common.CorrelationId == correlation)
            && MatchesResidual(evt, (int)common.EventType);
    }

    /// <summary>The filters the indexes do not serve: event type, environment, tags, payload type and subtype.</summary>
    public bool MatchesResidual(AnalyticsEvent evt, int eventType)
    {
        if ((TypeMask & (1u << eventType)) == 0)
        {
            return false;
        }

        var common = evt.Common;
        if (Environment is not null && !string.Equals(common.Environment, Environment, StringComparison.Ordinal))
        {
            return false;
        }

        if (PayloadType >= 0 && (int)evt.Payload.PayloadType != PayloadType)
        {
            return false;
        }

        if (Subtype is not null && !string.Equals(evt.Payload.Subtype, Subtype, StringComparison.Ordinal))
        {
            return false;
        }

        var tags = _tags;
        for (var i = 0; i < tags.Length; i++)
        {
            if (!common.Tags.TryGetValue(tags[i].Key, out var value) || !string.Equals(value, tags[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static uint Mask<TEnum>(IReadOnlyList<TEnum>? values, uint all)
        where TEnum : struct, Enum
    {
        if (values is null)
        {
            return all;
        }

        var mask = 0u;
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            mask |= 1u << System.Runtime.CompilerServices.Unsafe.As<TEnum, int>(ref value);
        }

        return mask;
    }
}
