using System.Diagnostics;
using FsCheck.Xunit;

namespace AnalyticsHub.OpenTelemetry.Tests;

/// <summary>The trace id ↔ correlation id mapping: a round trip, and the same 32 hex digits in both.</summary>
public sealed class GenAiEventMapperProperties
{
    [Property(MaxTest = 500)]
    public bool CorrelationIdOf_AnyTraceId_SameHexAndRoundTrips(ulong high, ulong low)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, high);
        BitConverter.TryWriteBytes(bytes[8..], low);
        if (bytes.IndexOfAnyExcept((byte)0) < 0)
        {
            return true; // the all-zero trace id is invalid and never on a span
        }

        var traceId = ActivityTraceId.CreateFromBytes(bytes);
        var correlationId = GenAiEventMapper.CorrelationIdOf(traceId);
        return correlationId.ToString("N") == traceId.ToHexString() && GenAiEventMapper.TraceIdOf(correlationId) == traceId;
    }
}
