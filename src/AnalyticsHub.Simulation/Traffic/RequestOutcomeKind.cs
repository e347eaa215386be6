namespace AnalyticsHub.Simulation.Traffic;

/// <summary>How a request attempt ended.</summary>
internal enum RequestOutcomeKind
{
    Ok,
    Timeout,
    ServerError,
    RateLimited,
    PolicyBlocked,
    ProviderUnavailable,
}
