namespace AnalyticsHub.Simulation.Traffic;

/// <summary>The size and pace of the simulated world: tenants, users and request volume.</summary>
public sealed record WorldConfig
{
    /// <summary>How many tenants send traffic; 1..100, 6 by default.</summary>
    public int Tenants { get; set; } = 6;

    /// <summary>How many users each tenant has; 1..10,000, 40 by default.</summary>
    public int UsersPerTenant { get; set; } = 40;

    /// <summary>The total request rate of all tenants at the daily peak on a weekday, in requests per second; 0.01..10,000, 2 by default.</summary>
    public double PeakRequestsPerSecond { get; set; } = 2.0;

    /// <summary>The window of the per-model error-rate and throughput events, in seconds; 10..3,600, 60 by default.</summary>
    public int AggregateIntervalSeconds { get; set; } = 60;
}
