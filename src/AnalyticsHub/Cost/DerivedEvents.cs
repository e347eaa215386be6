using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AnalyticsHub.Events;

namespace AnalyticsHub.Cost;

/// <summary>
/// The common fields and ids of the events the cost and budget stages derive (decision 16). Ids are a
/// function of what triggered them, so a retried stage or a re-run emits the same ids and the idempotent
/// store keeps one of each.
/// </summary>
internal static class DerivedEvents
{
    /// <summary>The common fields of an event derived from <paramref name="trigger"/>: hub source, trigger as parent, its correlation, environment and event time.</summary>
    public static CommonEventFields Common(AnalyticsEvent trigger, Guid eventId, EventType eventType, Severity severity, IReadOnlyDictionary<string, string> tags) => new()
    {
        EventId = eventId,
        Timestamp = trigger.Common.Timestamp,
        SourceModule = SourceModule.LlmAnalyticsHub,
        EventType = eventType,
        CorrelationId = trigger.Common.CorrelationId,
        ParentEventId = trigger.Common.EventId,
        Severity = severity,
        Environment = trigger.Common.Environment,
        Tags = tags,
    };

    // A fixed 128-bit mask: XOR is a bijection, so distinct usage events give distinct cost ids.
    private static readonly UInt128 TokenCostMask = new(0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F);

    public static Guid TokenCost(Guid usageEventId)
    {
        Span<byte> bytes = stackalloc byte[16];
        usageEventId.TryWriteBytes(bytes);
        var value = BinaryPrimitives.ReadUInt128LittleEndian(bytes) ^ TokenCostMask;
        BinaryPrimitives.WriteUInt128LittleEndian(bytes, value);
        return new Guid(bytes);
    }

    /// <summary>An id from a name (budget, period, threshold), the first 16 bytes of its SHA-256.</summary>
    public static Guid FromName(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        hash[7] = (byte)((hash[7] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16]);
    }

    public static Guid UnknownModel(string modelId, DateOnly day) =>
        FromName(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"unknown_model/{modelId}/{day:yyyy-MM-dd}"));
}
