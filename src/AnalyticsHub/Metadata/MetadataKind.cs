using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Metadata;

/// <summary>The kinds of document the metadata store keeps, each with its own id space (snake_case on the wire).</summary>
/// <remarks>A new kind is a new member here and a <see cref="MetadataDocumentType{T}"/>; the store contract does not change.</remarks>
[JsonConverter(typeof(SnakeCaseEnumConverter<MetadataKind>))]
public enum MetadataKind
{
    /// <summary><c>asset</c>: an <see cref="AssetMetadata"/>, keyed by <c>asset_id</c>.</summary>
    Asset,

    /// <summary><c>dashboard</c>: a <see cref="DashboardConfig"/>, keyed by <c>dashboard_id</c>.</summary>
    Dashboard,

    /// <summary><c>user_preferences</c>: a <see cref="Metadata.UserPreferences"/>, keyed by <c>user_id</c>.</summary>
    UserPreferences,

    /// <summary><c>policy</c>: a policy definition (namespace <c>AnalyticsHub.Policies</c>), keyed by <c>policy_id</c>.</summary>
    Policy,
}
