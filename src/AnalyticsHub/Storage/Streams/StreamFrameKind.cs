namespace AnalyticsHub.Storage.Streams;

/// <summary>What a buffered stream frame is.</summary>
internal enum StreamFrameKind : byte
{
    Data,
    Heartbeat,
    Gap,
    Complete,
}
