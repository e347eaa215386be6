using AnalyticsHub.Anomalies;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>Registers the hub's <see cref="DefaultAnomalyDetector"/> with the harness: the default and its ablations, at their frozen thresholds.</summary>
public static class DefaultAnomalyDetectorRegistrations
{
    /// <summary>Registers the default detector under <c>default</c> and its one-component ablations under <c>default-&lt;component&gt;</c>, all at the frozen threshold.</summary>
    /// <param name="registry">The registry to add to.</param>
    public static void RegisterDefaults(StreamingAnomalyScorerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var all = AnomalyDetectorComponents.Default;
        registry.Register(Registration(StreamingAnomalyScorerRegistry.DefaultName, AnomalyDetectorOptions.Default, "the hub's default: level + daily profile + shift + neighbours, self-calibrated, with alarm suppression"));
        registry.Register(Only("default-level", AnomalyDetectorComponents.Level, "level component only"));
        registry.Register(Only("default-seasonal", AnomalyDetectorComponents.Seasonal, "daily-profile component only"));
        registry.Register(Only("default-shift", AnomalyDetectorComponents.Shift, "shift component only"));
        registry.Register(Only("default-neighbours", AnomalyDetectorComponents.Neighbours, "nearest-neighbour shape component only"));
        registry.Register(Only("default-activity", AnomalyDetectorComponents.Activity, "activity component only"));
        registry.Register(Only("default-all", AnomalyDetectorComponents.All, "default plus the activity component"));
        registry.Register(Only("default-nolevel", all & ~AnomalyDetectorComponents.Level, "default without the level component"));
        registry.Register(Only("default-noseasonal", all & ~AnomalyDetectorComponents.Seasonal, "default without the daily profile"));
        registry.Register(Only("default-noshift", all & ~AnomalyDetectorComponents.Shift, "default without the shift component"));
        registry.Register(Only("default-noneighbours", all & ~AnomalyDetectorComponents.Neighbours, "default without the neighbours component (the previous default)"));
        registry.Register(Registration("default-nosuppress", AnomalyDetectorOptions.Default with { SuppressionPoints = 0 }, "ablation: default, no alarm suppression"));
    }

    /// <summary>Makes a registration for the detector with these options at their threshold.</summary>
    /// <param name="name">The name.</param>
    /// <param name="options">The options.</param>
    /// <param name="description">The description.</param>
    /// <returns>The registration.</returns>
    public static StreamingAnomalyScorerRegistration Registration(string name, AnomalyDetectorOptions options, string description)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        return new StreamingAnomalyScorerRegistration
        {
            Name = name,
            DefaultThreshold = options.Threshold,
            Create = () => new DefaultAnomalyDetector(options),
            Description = description,
        };
    }

    private static StreamingAnomalyScorerRegistration Only(string name, AnomalyDetectorComponents components, string description) =>
        Registration(name, AnomalyDetectorOptions.Default with { Components = components }, "ablation: " + description);
}
