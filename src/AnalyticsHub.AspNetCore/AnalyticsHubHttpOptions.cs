namespace AnalyticsHub.AspNetCore;

/// <summary>Limits and behaviour of the HTTP API that <c>MapAnalyticsHub</c> maps.</summary>
/// <remarks>Validated at start: every limit must be positive.</remarks>
public sealed class AnalyticsHubHttpOptions
{
    /// <summary>The largest request body <c>POST /events</c> reads, in bytes; 32 MiB by default.</summary>
    /// <remarks>A larger <c>Content-Length</c> is refused before reading; a chunked body stops being read at the limit (413).</remarks>
    public long MaxRequestBodySize { get; set; } = 32L * 1024 * 1024;

    /// <summary>The largest query body of <c>POST /timeseries/query</c> and <c>/metrics/query</c>, in bytes; 64 KiB by default.</summary>
    public int MaxQueryBodySize { get; set; } = 64 * 1024;

    /// <summary>
    /// Whether <c>POST /events</c> waits until the accepted events are stored, so each item reports <c>stored</c>,
    /// <c>duplicate</c> or <c>failed</c> (200); otherwise it answers once they are queued (202). True by default.
    /// </summary>
    public bool WaitForStorage { get; set; } = true;

    /// <summary>The <c>Retry-After</c> a 429 or 503 suggests; 1 second by default (sent in whole seconds, at least 1).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most live subscribers (<c>/stream</c> and <c>/ws</c> together); 256 by default. One more gets 503.</summary>
    public int MaxStreamSubscribers { get; set; } = 256;

    /// <summary>How long a live stream may stay silent before a heartbeat frame; 15 seconds by default.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The reconnection delay server-sent events suggest to browsers (<c>retry:</c>); 3 seconds by default.</summary>
    public TimeSpan StreamRetry { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Lists every invalid setting; empty when the options are valid.</summary>
    /// <returns>The problems, one sentence each.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxRequestBodySize < 1)
        {
            problems.Add("MaxRequestBodySize must be at least 1 byte.");
        }

        if (MaxQueryBodySize < 1)
        {
            problems.Add("MaxQueryBodySize must be at least 1 byte.");
        }

        if (RetryAfter < TimeSpan.Zero)
        {
            problems.Add("RetryAfter must not be negative.");
        }

        if (MaxStreamSubscribers < 1)
        {
            problems.Add("MaxStreamSubscribers must be at least 1.");
        }

        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            problems.Add("HeartbeatInterval must be positive.");
        }

        if (StreamRetry < TimeSpan.Zero || StreamRetry.TotalMilliseconds > uint.MaxValue)
        {
            problems.Add("StreamRetry must be between 0 and 49 days.");
        }

        return problems;
    }
}
