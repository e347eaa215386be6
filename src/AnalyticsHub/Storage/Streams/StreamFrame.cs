using AnalyticsHub.Events;

namespace AnalyticsHub.Storage.Streams;

/// <summary>A frame waiting in a subscriber's buffer; turned into a <see cref="Api.StreamEvent{T}"/> by the reader.</summary>
internal readonly record struct StreamFrame(
    StreamFrameKind Kind,
    ulong Sequence,
    AnalyticsEvent? Event,
    DateTimeOffset Timestamp,
    ulong GapFrom = 0,
    ulong GapTo = 0,
    long GapCount = -1);
