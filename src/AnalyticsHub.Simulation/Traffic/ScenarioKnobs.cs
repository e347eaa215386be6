namespace AnalyticsHub.Simulation.Traffic;

/// <summary>The difficulty knobs of a scenario: how strong, noisy, confusing and damaged the traffic is.</summary>
public sealed record ScenarioKnobs
{
    /// <summary>Scales every incident's effect (latency factor, error probability, token growth, ...); 0.05..10, 1 by default.</summary>
    public double EffectSize { get; set; } = 1.0;

    /// <summary>Relative jitter of the causal lags: each lag is drawn in lag × [1 − j, 1 + j]; 0..0.9, 0 by default.</summary>
    public double LagJitter { get; set; }

    /// <summary>Scales the background noise (rate wander, latency and token spread); 0..5, 1 by default.</summary>
    public double Noise { get; set; } = 1.0;

    /// <summary>Whether automatically scheduled incidents overlap in time instead of following one another.</summary>
    public bool OverlapIncidents { get; set; }

    /// <summary>How many unrelated anomalies (latency blips, auth-failure bursts, cost blips) to add; 0..50.</summary>
    public int Distractors { get; set; }

    /// <summary>Whether an unrelated deploy lands a few minutes before the first incident's real cause.</summary>
    public bool DecoyDeploy { get; set; }

    /// <summary>How late root-cause events arrive, in seconds after their own timestamp (out of order); 0..3,600.</summary>
    public double LateRootSeconds { get; set; }

    /// <summary>Per-module clock skew.</summary>
    public IReadOnlyList<ModuleClockSkew> ClockSkew { get; set; } = [];

    /// <summary>The probability that an event is delivered twice (same id, a few seconds later); 0..0.5.</summary>
    public double DuplicateRate { get; set; }

    /// <summary>Stretches in which no events arrive at all.</summary>
    public IReadOnlyList<TimeGap> Gaps { get; set; } = [];

    /// <summary>A module that emits nothing for a while, when set.</summary>
    public SilentModuleWindow? SilentModule { get; set; }

    /// <summary>The most member events listed per incident in the ground truth (the rest are counted); 1..100,000, 250 by default.</summary>
    public int MaxMembersPerIncident { get; set; } = 250;
}
