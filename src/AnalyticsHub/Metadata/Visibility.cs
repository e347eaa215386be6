using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Metadata;

/// <summary>Who may see a dashboard (wire format 1.7 <c>Visibility</c>).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<Visibility>))]
public enum Visibility
{
    /// <summary><c>public</c>: everyone.</summary>
    Public,

    /// <summary><c>private</c>: the owner only.</summary>
    Private,

    /// <summary><c>shared</c>: the owner and the users and teams it is shared with.</summary>
    Shared,
}
