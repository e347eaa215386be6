namespace AnalyticsHub.Statistics;

/// <summary>Well-known explicit histogram boundaries, for <see cref="QuantileSketch.ToHistogramBuckets"/>.</summary>
public static class HistogramBoundaries
{
    /// <summary>Gets the OpenTelemetry GenAI advice boundaries for durations, in seconds (0.01 to 81.92).</summary>
    /// <remarks>Used by <c>gen_ai.client.operation.duration</c> and <c>gen_ai.server.request.duration</c>.</remarks>
    public static ReadOnlySpan<double> GenAiDurationSeconds =>
        [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    /// <summary>Gets the OpenTelemetry GenAI advice boundaries for token counts (1 to 4^13).</summary>
    /// <remarks>Used by <c>gen_ai.client.token.usage</c>.</remarks>
    public static ReadOnlySpan<double> GenAiTokenUsage =>
        [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
}
