using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Metadata;

/// <summary>Where an asset is in its life (wire format 1.7), snake_case on the wire.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<AssetStatus>))]
public enum AssetStatus
{
    /// <summary><c>draft</c>: being prepared, not in use.</summary>
    Draft,

    /// <summary><c>active</c>: in use.</summary>
    Active,

    /// <summary><c>deprecated</c>: still served, to be replaced; using a deprecated model raises a warning event once per model and day.</summary>
    Deprecated,

    /// <summary><c>archived</c>: withdrawn; using an archived model raises a warning event once per model and day.</summary>
    Archived,

    /// <summary><c>deleted</c>: soft-deleted in the store; set by <see cref="MetadataCollection{T}.DeleteAsync"/>, never by a write.</summary>
    Deleted,
}
