namespace AnalyticsHub.Metadata;

/// <summary>The bounds the registry checks documents against.</summary>
public static class MetadataLimits
{
    /// <summary>The most columns of a dashboard layout: 48.</summary>
    public const uint MaxColumns = 48;

    /// <summary>The most widgets of one dashboard: 200.</summary>
    public const int MaxWidgets = 200;

    /// <summary>The most saved queries of one user: 500.</summary>
    public const int MaxSavedQueries = 500;

    /// <summary>The longest id (asset, dashboard, user, widget, saved query), in characters: 256.</summary>
    public const int MaxIdLength = 256;
}
