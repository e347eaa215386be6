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
        registry.Register(Registration(StreamingAnomalyScorerRegistry.DefaultName, AnomalyDetectorOptions.Default, "the hub's default: level + daily profile + shift, self-calibrated, with alarm suppression"));
        registry.Register(Registration("default-level", AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.Level }, "ablation: level component only"));
        registry.Register(Registration("default-seasonal", AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.Seasonal }, "ablation: daily-profile component only"));
        registry.Register(Registration("default-shift", AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.Shift }, "ablation: shift component only"));
        registry.Register(Registration("default-activity", AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.Activity }, "ablation: activity component only"));
        registry.Register(Registration("default-all", AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.All }, "ablation: default plus the activity component"));
        registry.Register(Registration("default-nolevel", AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.Seasonal | AnomalyDetectorComponents.Shift }, "ablation: default without the level component"));
        registry.Register(Registration("default-noseasonal", AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.Level | AnomalyDetectorComponents.Shift }, "ablation: default without the daily profile"));
        registry.Register(Registration("default-noshift", AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.Level | AnomalyDetectorComponents.Seasonal }, "ablation: default without the shift component"));
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
}
