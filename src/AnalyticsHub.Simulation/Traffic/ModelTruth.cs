namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A model of the simulated world with its provider and prices (USD per million tokens).</summary>
public sealed record ModelTruth
{
    /// <summary>The model id, as in events' <c>model_id</c>.</summary>
    public required string ModelId { get; init; }

    /// <summary>The provider, as in events' <c>provider</c> tag.</summary>
    public required string Provider { get; init; }

    /// <summary>USD per million uncached input tokens.</summary>
    public required double PromptPerMillion { get; init; }

    /// <summary>USD per million output tokens (reasoning included).</summary>
    public required double CompletionPerMillion { get; init; }

    /// <summary>USD per million cached input tokens.</summary>
    public required double CachedInputPerMillion { get; init; }

    /// <summary>USD per million cache-write input tokens.</summary>
    public required double CacheCreationPerMillion { get; init; }
}
