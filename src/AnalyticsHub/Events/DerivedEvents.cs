using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AnalyticsHub.Events;

/// <summary>
/// The one factory of the events the hub derives (anomalies, token costs, budget alerts, incidents, ...; wire format,
/// decision 16): their ids, deterministic so a replay or a retried stage produces the same ids and the idempotent
/// store keeps one of each, and their common fields (the hub as source module, the trigger as parent).
/// </summary>
/// <remarks>
/// Ids live in a <see cref="DerivedIdSpace"/> per kind of derived event, so two kinds derived from the same trigger
/// never share an id. <see cref="DerivedIdSpace.FromName"/> is a name-based UUID (version 5 layout over SHA-256);
/// <see cref="DerivedIdSpace.FromParent"/> maps a trigger's id one-to-one without hashing, for the one-per-event
/// derivations on the hot path.
/// </remarks>
public static class DerivedEvents
{
    /// <summary>The id space of one kind of derived event, e.g. <c>DerivedEvents.Space("token_cost")</c>.</summary>
    /// <param name="kind">The kind's stable name; changing it changes every id of the kind.</param>
    public static DerivedIdSpace Space(string kind) => new(kind);

    /// <summary>
    /// The common fields of an event derived from <paramref name="trigger"/>: the hub as source module, the trigger as
    /// parent, its correlation id, environment and event time.
    /// </summary>
    public static CommonEventFields Common(AnalyticsEvent trigger, Guid eventId, EventType eventType, Severity severity, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return Common(eventId, trigger.Common.Timestamp, eventType, severity, trigger.Common.Environment, tags, trigger.Common.EventId, trigger.Common.CorrelationId);
    }

    /// <summary>The common fields of a derived event whose evidence is not one event (a window, an episode).</summary>
    /// <param name="eventId">The id, from the kind's <see cref="DerivedIdSpace"/>.</param>
    /// <param name="timestamp">The event time the derived event speaks for.</param>
    /// <param name="eventType">Its event type.</param>
    /// <param name="severity">Its severity.</param>
    /// <param name="environment">The environment of its evidence.</param>
    /// <param name="tags">Its tags.</param>
    /// <param name="parentEventId">The event it follows from (the previous event of the same episode or incident), if any.</param>
    /// <param name="correlationId">The correlation id it joins, if any.</param>
    public static CommonEventFields Common(
        Guid eventId,
        DateTimeOffset timestamp,
        EventType eventType,
        Severity severity,
        string environment,
        IReadOnlyDictionary<string, string> tags,
        Guid? parentEventId,
        Guid? correlationId) => new()
    {
        EventId = eventId,
        Timestamp = timestamp,
        SourceModule = SourceModule.LlmAnalyticsHub,
        EventType = eventType,
        CorrelationId = correlationId,
        ParentEventId = parentEventId,
        Severity = severity,
        Environment = environment,
        Tags = tags,
    };
}

/// <summary>The deterministic ids of one kind of derived event (see <see cref="DerivedEvents.Space"/>).</summary>
public readonly struct DerivedIdSpace : IEquatable<DerivedIdSpace>
{
    private readonly UInt128 _mask;

    internal DerivedIdSpace(string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        Kind = kind;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("analyticshub/derived/" + kind), hash);
        _mask = BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    /// <summary>The kind's name.</summary>
    public string Kind { get; }

    /// <summary>
    /// The id of the one event of this kind derived from the event <paramref name="parentId"/>: a bijection (XOR with
    /// the kind's mask), so distinct parents give distinct ids, with no hashing per call.
    /// </summary>
    public Guid FromParent(Guid parentId)
    {
        Span<byte> bytes = stackalloc byte[16];
        parentId.TryWriteBytes(bytes);
        BinaryPrimitives.WriteUInt128LittleEndian(bytes, BinaryPrimitives.ReadUInt128LittleEndian(bytes) ^ _mask);
        return new Guid(bytes);
    }

    /// <summary>
    /// The id of the event of this kind that <paramref name="name"/> identifies (e.g. a series, episode start and
    /// phase): the first 16 bytes of SHA-256 over the kind and the name, with the version 5 and RFC 4122 variant bits.
    /// </summary>
    public Guid FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = Encoding.UTF8.GetBytes(Kind + "/" + name);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(text, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <inheritdoc/>
    public bool Equals(DerivedIdSpace other) => string.Equals(Kind, other.Kind, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DerivedIdSpace other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Kind is null ? 0 : StringComparer.Ordinal.GetHashCode(Kind);

    /// <summary>Whether two spaces are the same kind.</summary>
    public static bool operator ==(DerivedIdSpace left, DerivedIdSpace right) => left.Equals(right);

    /// <summary>Whether two spaces are different kinds.</summary>
    public static bool operator !=(DerivedIdSpace left, DerivedIdSpace right) => !left.Equals(right);
}
