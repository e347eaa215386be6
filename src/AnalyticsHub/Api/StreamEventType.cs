using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Api;

/// <summary>The kind of a stream frame (wire form: lowercase).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<StreamEventType>))]
public enum StreamEventType
{
    /// <summary><c>data</c>: the frame carries an item.</summary>
    Data,

    /// <summary><c>heartbeat</c>: the stream is alive; <c>data</c> is null.</summary>
    Heartbeat,

    /// <summary><c>error</c>: something went wrong, e.g. a gap (<c>stream_gap</c>); <c>data</c> is null and <c>error</c> says what.</summary>
    Error,

    /// <summary><c>complete</c>: the stream ended normally; <c>data</c> is null.</summary>
    Complete,
}
