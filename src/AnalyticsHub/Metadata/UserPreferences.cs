namespace AnalyticsHub.Metadata;

/// <summary>
/// One user's display and notification settings, filters, favourite dashboards and saved queries (wire format 1.7
/// <c>UserPreferences</c>). Store it through <see cref="MetadataRegistry.UserPreferences"/>, keyed by
/// <see cref="UserId"/>; each saved query is checked when it is saved (decision 19).
/// </summary>
public sealed record UserPreferences
{
    /// <summary>The user's id: the key of the preferences in the store.</summary>
    public required string UserId { get; init; }

    /// <summary>How the user wants things shown.</summary>
    public required DisplayPreferences Display { get; init; }

    /// <summary>How the user wants to be told.</summary>
    public required NotificationPreferences Notifications { get; init; }

    /// <summary>Filters applied by default, e.g. <c>environment</c> = <c>production</c> (empty by default).</summary>
    public IReadOnlyDictionary<string, string> DefaultFilters { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();

    /// <summary>Ids of the user's favourite dashboards (empty by default).</summary>
    public IReadOnlyList<string> FavoriteDashboards { get; init => field = value ?? []; } = [];

    /// <summary>The user's saved queries (empty by default); ids are unique.</summary>
    public IReadOnlyList<SavedQuery> SavedQueries { get; init => field = value ?? []; } = [];

    /// <summary>When they last changed; the registry sets it from its clock on every write.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>How a user wants things shown (wire format 1.7 <c>DisplayPreferences</c>).</summary>
public sealed record DisplayPreferences
{
    /// <summary>The theme, e.g. <c>dark</c>.</summary>
    public required string Theme { get; init; }

    /// <summary>An IANA time-zone id, e.g. <c>Europe/Berlin</c>, or <c>UTC</c>.</summary>
    public required string Timezone { get; init; }

    /// <summary>The date format, e.g. <c>yyyy-MM-dd</c>.</summary>
    public required string DateFormat { get; init; }

    /// <summary>The number format, e.g. <c>1,234.5</c>.</summary>
    public required string NumberFormat { get; init; }

    /// <summary>The language, e.g. <c>en</c> or <c>de-DE</c>.</summary>
    public required string Language { get; init; }
}

/// <summary>How a user wants to be told (wire format 1.7 <c>NotificationPreferences</c>).</summary>
public sealed record NotificationPreferences
{
    /// <summary>Whether e-mail notifications are on.</summary>
    public required bool EmailEnabled { get; init; }

    /// <summary>Whether in-app notifications are on.</summary>
    public required bool InAppEnabled { get; init; }

    /// <summary>Where notifications go.</summary>
    public required IReadOnlyList<NotificationChannel> Channels { get; init; }

    /// <summary>Alert thresholds by metric name (empty by default).</summary>
    public IReadOnlyDictionary<string, double> AlertThresholds { get; init => field = value ?? new Dictionary<string, double>(); } = new Dictionary<string, double>();
}

/// <summary>One place notifications go (wire format 1.7 <c>NotificationChannel</c>).</summary>
public sealed record NotificationChannel
{
    /// <summary>Its kind, e.g. <c>email</c>, <c>slack</c>, <c>webhook</c>.</summary>
    public required string ChannelType { get; init; }

    /// <summary>Where to: an address for <c>email</c>, an absolute URL for <c>webhook</c>, a channel name otherwise.</summary>
    public required string Destination { get; init; }

    /// <summary>Whether it is on.</summary>
    public required bool Enabled { get; init; }

    /// <summary>Which event types it receives, e.g. <c>alert</c>.</summary>
    public required IReadOnlyList<string> EventTypes { get; init; }
}

/// <summary>A user's saved query (wire format 1.7 <c>SavedQuery</c>).</summary>
public sealed record SavedQuery
{
    /// <summary>Its id, unique among the user's saved queries.</summary>
    public required string QueryId { get; init; }

    /// <summary>Its name.</summary>
    public required string Name { get; init; }

    /// <summary>What it is for (written as null when absent).</summary>
    public string? Description { get; init; }

    /// <summary>
    /// The JSON of an <c>EventQuery</c>, <c>TimeSeriesQuery</c> (it has <c>measurement</c>) or <c>MetricQuery</c> (it
    /// has <c>metric_name</c>), checked when saved (decision 19).
    /// </summary>
    public required string Query { get; init; }

    /// <summary>Parameters of the query (required on the wire, may be empty).</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>When it was saved.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
