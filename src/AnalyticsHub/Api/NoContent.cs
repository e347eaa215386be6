using System.Text.Json.Serialization;

namespace AnalyticsHub.Api;

/// <summary>
/// The "unit" payload of a response that succeeds without data: written as <c>null</c>, so
/// <see cref="ApiResponse.Success(TimeProvider)"/> writes <c>"data":null</c> as the producers' <c>success(())</c> does.
/// </summary>
[JsonConverter(typeof(NoContentJsonConverter))]
public sealed class NoContent
{
    private NoContent()
    {
    }

    /// <summary>The one instance.</summary>
    public static NoContent Value { get; } = new();
}
