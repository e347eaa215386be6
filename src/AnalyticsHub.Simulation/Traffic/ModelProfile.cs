namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A model of the world: provider, prices (USD per million tokens), speed and base error rate.</summary>
internal sealed record ModelProfile(
    string Id,
    string Provider,
    double PromptPerMillion,
    double CompletionPerMillion,
    double CachedPerMillion,
    double CacheWritePerMillion,
    double TtftMs,
    double TokensPerSecond,
    bool Reasoning,
    double BaseErrorRate);
