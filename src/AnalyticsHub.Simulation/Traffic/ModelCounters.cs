namespace AnalyticsHub.Simulation.Traffic;

/// <summary>Requests of one model in one region within the current aggregate window.</summary>
internal sealed class ModelCounters
{
    public long Requests;
    public long Failed;
    public long Timeouts;
    public long ServerErrors;
    public long RateLimited;
    public long PolicyBlocked;
    public long Unavailable;
    public long Tokens;
    public double LatencyMsSum;

    public void Reset()
    {
        Requests = Failed = Timeouts = ServerErrors = RateLimited = PolicyBlocked = Unavailable = Tokens = 0;
        LatencyMsSum = 0;
    }
}
