namespace AnalyticsHub.Samples.WebHost;

/// <summary>The sample's API keys: one per role; the API is open when none is set.</summary>
internal sealed class ApiKeyOptions
{
    public string? Ingest { get; set; }

    public string? Read { get; set; }

    public string? Admin { get; set; }

    public bool Enabled => Ingest is not null || Read is not null || Admin is not null;
}
