namespace AnalyticsHub.AspNetCore;

/// <summary>Options of the dashboard page that <c>MapAnalyticsHubDashboard</c> serves.</summary>
public sealed class AnalyticsHubDashboardOptions
{
    /// <summary>
    /// Where the page finds the hub's HTTP API: the prefix the host gave <c>MapAnalyticsHub</c> (<c>/api/v1</c> by
    /// default), or an absolute <c>http(s)</c> URL of another origin.
    /// </summary>
    /// <remarks>
    /// The page reads only this API. An absolute URL is added to the page's <c>connect-src</c>, and that origin must
    /// allow the page's origin (CORS) and its authentication.
    /// </remarks>
    public string ApiBasePath { get; set; } = "/api/v1";

    /// <summary>The page's title, shown in its header and the browser tab.</summary>
    public string Title { get; set; } = "AnalyticsHub";
}
