using Microsoft.AspNetCore.Builder;

namespace AnalyticsHub.AspNetCore;

/// <summary>
/// An endpoint's OpenAPI <c>operationId</c>. Not an ASP.NET Core endpoint name: those must be unique across the
/// application, and the API can be mapped more than once (under two prefixes, each with its own document).
/// </summary>
/// <param name="OperationId">The operation's id in the API's OpenAPI document.</param>
internal sealed record AnalyticsHubOperation(string OperationId);

/// <summary>Attaches <see cref="AnalyticsHubOperation"/> to the API's endpoints.</summary>
internal static class AnalyticsHubOperationExtensions
{
    /// <summary>Sets the endpoint's OpenAPI <c>operationId</c>.</summary>
    public static TBuilder WithOperationId<TBuilder>(this TBuilder builder, string operationId)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnalyticsHubOperation(operationId));
}
