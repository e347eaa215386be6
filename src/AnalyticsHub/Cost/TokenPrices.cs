namespace AnalyticsHub.Cost;

/// <summary>The prices of one model's tokens, in USD per million tokens.</summary>
/// <remarks>
/// A rate left out falls back: cached-input reads and cache writes to <see cref="Input"/>, reasoning
/// tokens to <see cref="Output"/> (most providers bill them as output).
/// </remarks>
public sealed record TokenPrices
{
    /// <summary>Uncached input tokens, USD per million.</summary>
    public required decimal Input { get; init; }

    /// <summary>Output tokens (other than reasoning tokens), USD per million.</summary>
    public required decimal Output { get; init; }

    /// <summary>Input tokens read from the prompt cache, USD per million; <see cref="Input"/> when absent.</summary>
    public decimal? CachedInput { get; init; }

    /// <summary>Input tokens written to the prompt cache, USD per million; <see cref="Input"/> when absent.</summary>
    public decimal? CacheWrite { get; init; }

    /// <summary>Reasoning tokens, USD per million; <see cref="Output"/> when absent.</summary>
    public decimal? Reasoning { get; init; }

    /// <summary>The rate of a cached-input read after the fallback.</summary>
    public decimal CachedInputRate => CachedInput ?? Input;

    /// <summary>The rate of a cache write after the fallback.</summary>
    public decimal CacheWriteRate => CacheWrite ?? Input;

    /// <summary>The rate of a reasoning token after the fallback.</summary>
    public decimal ReasoningRate => Reasoning ?? Output;
}
