namespace AnalyticsHub.AspNetCore;

/// <summary>A query-string parameter an endpoint reads, for its OpenAPI operation.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Description">What it does.</param>
internal sealed record QueryParameterMetadata(string Name, string Description);
