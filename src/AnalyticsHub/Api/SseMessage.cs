using System.Globalization;
using System.Text;

namespace AnalyticsHub.Api;

/// <summary>One server-sent event: optional <c>event</c>, <c>id</c> and <c>retry</c> lines and the data.</summary>
/// <param name="Data">The data; each of its lines becomes its own <c>data:</c> line (decision 22).</param>
/// <param name="Event">The event name, e.g. <c>heartbeat</c>.</param>
/// <param name="Id">The id a client sends back as <c>Last-Event-ID</c> to resume.</param>
/// <param name="Retry">The reconnection delay to suggest.</param>
/// <remarks><paramref name="Retry"/> is in milliseconds.</remarks>
public sealed record SseMessage(string Data, string? Event = null, string? Id = null, uint? Retry = null)
{
    /// <summary>The message in the <c>text/event-stream</c> format, ending with the blank line that dispatches it.</summary>
    /// <remarks>
    /// Lines come in the order <c>event</c>, <c>id</c>, <c>retry</c>, <c>data</c>. Data is split at CRLF, CR and LF
    /// into several <c>data:</c> lines, so a client joins them back with LF. Line breaks inside the event name or
    /// the id would break the framing and are refused.
    /// </remarks>
    /// <exception cref="InvalidOperationException"><see cref="Event"/> or <see cref="Id"/> holds a line break.</exception>
    public override string ToString()
    {
        var builder = new StringBuilder(Data.Length + 64);
        if (Event is not null)
        {
            builder.Append("event: ").Append(SingleLine(Event, nameof(Event))).Append('\n');
        }

        if (Id is not null)
        {
            builder.Append("id: ").Append(SingleLine(Id, nameof(Id))).Append('\n');
        }

        if (Retry is { } retry)
        {
            builder.Append(CultureInfo.InvariantCulture, $"retry: {retry}\n");
        }

        var rest = Data.AsSpan();
        while (true)
        {
            var breakAt = rest.IndexOfAny('\r', '\n');
            builder.Append("data: ");
            if (breakAt < 0)
            {
                builder.Append(rest).Append('\n');
                break;
            }

            builder.Append(rest[..breakAt]).Append('\n');
            var skip = rest[breakAt] == '\r' && breakAt + 1 < rest.Length && rest[breakAt + 1] == '\n' ? 2 : 1;
            rest = rest[(breakAt + skip)..];
        }

        return builder.Append('\n').ToString();
    }

    private static string SingleLine(string value, string name) =>
        value.AsSpan().IndexOfAny('\r', '\n') >= 0
            ? throw new InvalidOperationException($"The SSE {name} must be one line.")
            : value;
}
