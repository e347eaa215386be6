namespace AnalyticsHub.Samples.GenericHost;

/// <summary>The sample's own settings (section <c>Sample</c> of appsettings.json).</summary>
public sealed class SampleOptions
{
    /// <summary>How many events the producer ingests per second.</summary>
    public int EventsPerSecond { get; set; } = 200;

    /// <summary>How long the sample runs before it stops the host; zero runs until Ctrl+C.</summary>
    public TimeSpan RunFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the health reporter logs the hub's health.</summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(2);
}
