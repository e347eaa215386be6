using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Storage;

/// <summary>
/// A query over stored events: filters (all ANDed), order and paging. Every filter is optional; an
/// empty query returns every event, newest first, 50 per page.
/// </summary>
/// <remarks>
/// Lives in <c>Storage</c> because it is the store's query model; <c>Api</c> holds only the envelopes the
/// answers travel in. Check a query with <see cref="Validate"/> before running it: stores throw
/// <see cref="InvalidQueryException"/> (carrying the same problems) for invalid ones; <see cref="ApiError.FromProblems"/>
/// turns them into the API's error.
/// Filters on time, source module and minimum severity are served by indexes; the others are checked
/// per candidate event, and a correlation id makes the store start from that correlation's events.
/// </remarks>
public sealed record EventQuery
{
    /// <summary>Events at or after this instant (event time); no lower bound when null.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Events before this instant (event time, exclusive); no upper bound when null.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Events from any of these modules; all modules when null. Must not be empty.</summary>
    public IReadOnlyList<SourceModule>? SourceModules { get; init; }

    /// <summary>Events of any of these types; all types when null. Must not be empty.</summary>
    public IReadOnlyList<EventType>? EventTypes { get; init; }

    /// <summary>Events at least this severe (<c>debug</c> &lt; <c>info</c> &lt; <c>warning</c> &lt; <c>error</c> &lt; <c>critical</c>); all when null.</summary>
    public Severity? MinSeverity { get; init; }

    /// <summary>Events of this environment (exact, case-sensitive); all when null.</summary>
    public string? Environment { get; init; }

    /// <summary>Events whose tags hold every one of these key/value pairs (exact, case-sensitive); no tag filter when null.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>Events of this correlation; all when null.</summary>
    public Guid? CorrelationId { get; init; }

    /// <summary>Events whose payload is of this module family; all when null.</summary>
    public PayloadType? PayloadType { get; init; }

    /// <summary>Events whose payload variant has this wire name (e.g. <c>latency</c>, or a custom payload's <c>custom_type</c>); all when null.</summary>
    public string? Subtype { get; init; }

    /// <summary>The order of results by event time (ties by store sequence): newest first (<see cref="SortOrder.Desc"/>, the default) or oldest first.</summary>
    public SortOrder Order { get; init; } = SortOrder.Desc;

    /// <summary>The offset page, from 1; 1 by default. Must be 1 when <see cref="Cursor"/> is given.</summary>
    /// <remarks>Offset pages reach the first <see cref="PaginationParams.MaxOffsetRows"/> rows; go deeper with <see cref="Cursor"/>.</remarks>
    public uint Page { get; init; } = 1;

    /// <summary>Events per page, 1..<see cref="PaginationParams.MaxPerPage"/>; <see cref="PaginationParams.DefaultPerPage"/> by default.</summary>
    public uint PerPage { get; init; } = PaginationParams.DefaultPerPage;

    /// <summary>A keyset cursor from a previous page of the same query (<see cref="EventPage.NextCursor"/>): continue after it.</summary>
    /// <remarks>Cursors are bound to the filters and order (not to the page size) of the query that made them.</remarks>
    public string? Cursor { get; init; }

    /// <summary>Checks every argument and the cursor.</summary>
    /// <returns>
    /// The problems, empty when the query is valid: each with its code and the argument's path (e.g. <c>per_page</c>,
    /// <c>source_modules[1]</c>); a malformed cursor or one made by another query is one <c>invalid_cursor</c> problem
    /// at <c>cursor</c>.
    /// </returns>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new List<Problem>();
        PaginationParams.AddProblems(problems, Page, PerPage);
        if (Cursor is not null && Page != 1)
        {
            problems.Add(Problem(ProblemCodes.CursorWithPage, "page", "A cursor replaces the page: leave page at 1 when giving a cursor."));
        }

        AddFilterProblems(problems);
        if (Order is not (SortOrder.Asc or SortOrder.Desc))
        {
            problems.Add(Problem(ProblemCodes.InvalidEnumValue, "order", "order must be asc or desc."));
        }

        if (problems.Count == 0 && Cursor is not null && CursorProblem(TryDecodeCursor(out _, out _)) is { } cursor)
        {
            problems.Add(cursor);
        }

        return problems;
    }

    /// <summary>Checks the filters only (paging and cursor ignored), as a subscription uses them.</summary>
    /// <returns>The problems; empty when valid.</returns>
    public IReadOnlyList<Problem> ValidateFilter()
    {
        var problems = new List<Problem>();
        AddFilterProblems(problems);
        return problems;
    }

    internal CursorStatus TryDecodeCursor(out long ticks, out ulong sequence)
    {
        if (Cursor is null)
        {
            ticks = 0;
            sequence = 0;
            return CursorStatus.Malformed;
        }

        return EventCursor.TryDecode(Cursor, Fingerprint(), out ticks, out sequence);
    }

    internal static Problem? CursorProblem(CursorStatus status) => status switch
    {
        CursorStatus.Valid => null,
        CursorStatus.WrongVersion => Problem(ProblemCodes.InvalidCursor, "cursor", "The cursor was made by another version of the store; start again without a cursor."),
        CursorStatus.OtherQuery => Problem(ProblemCodes.InvalidCursor, "cursor", "The cursor belongs to another query: it is bound to the filters and order that made it."),
        _ => Problem(ProblemCodes.InvalidCursor, "cursor", "The cursor is malformed; pass next_cursor exactly as returned."),
    };

    /// <summary>A 64-bit hash of the normalised filters and order: what a cursor is bound to.</summary>
    internal ulong Fingerprint()
    {
        var text = new StringBuilder(128);
        text.Append(CultureInfo.InvariantCulture, $"v1|from={From?.UtcTicks}|to={To?.UtcTicks}");
        text.Append(CultureInfo.InvariantCulture, $"|m={Mask(SourceModules)}|t={Mask(EventTypes)}|s={(MinSeverity is { } s ? (int)s : -1)}");
        AppendString(text, "env", Environment);
        if (Tags is { Count: > 0 })
        {
            var keys = new List<string>(Tags.Keys);
            keys.Sort(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                AppendString(text, "tk", key);
                AppendString(text, "tv", Tags[key]);
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"|c={CorrelationId}|p={(PayloadType is { } p ? (int)p : -1)}");
        AppendString(text, "st", Subtype);
        text.Append(CultureInfo.InvariantCulture, $"|o={(int)Order}");

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    private static void AppendString(StringBuilder text, string name, string? value)
    {
        // Length-prefixed, so no value can imitate a separator.
        text.Append('|').Append(name).Append('=');
        if (value is null)
        {
            text.Append('-');
        }
        else
        {
            text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
        }
    }

    private static uint Mask<TEnum>(IReadOnlyList<TEnum>? values)
        where TEnum : struct, Enum
    {
        if (values is null)
        {
            return uint.MaxValue;
        }

        var mask = 0u;
        for (var i = 0; i < values.Count; i++)
        {
            mask |= 1u << Convert.ToInt32(values[i], CultureInfo.InvariantCulture);
        }

        return mask;
    }

    private void AddFilterProblems(List<Problem> problems)
    {
        if (From is { } from && To is { } to && to <= from)
        {
            problems.Add(Problem(ProblemCodes.InvalidTimeRange, "to", "to must be later than from (from is inclusive, to exclusive)."));
        }

        CheckEnumList(problems, SourceModules, "source_modules", WireEnums.SourceModule);
        CheckEnumList(problems, EventTypes, "event_types", WireEnums.EventType);
        if (MinSeverity is { } severity && (uint)severity >= (uint)WireEnums.Severity.Names.Length)
        {
            problems.Add(Problem(ProblemCodes.InvalidEnumValue, "min_severity", $"min_severity must be one of: {WireEnums.Severity.Allowed}."));
        }

        if (Environment is { Length: 0 })
        {
            problems.Add(Problem(ProblemCodes.EmptyValue, "environment", "environment must not be empty; leave it null for every environment."));
        }

        if (Tags is not null)
        {
            foreach (var (key, value) in Tags)
            {
                if (string.IsNullOrEmpty(key))
                {
                    problems.Add(Problem(ProblemCodes.EmptyValue, "tags", "A tag key must not be empty."));
                }
                else if (value is null)
                {
                    problems.Add(Problem(ProblemCodes.NullNotAllowed, "tags." + key, "A tag value must not be null."));
                }
            }
        }

        if (PayloadType is { } payloadType && (uint)payloadType >= (uint)WireEnums.PayloadType.Names.Length)
        {
            problems.Add(Problem(ProblemCodes.InvalidEnumValue, "payload_type", $"payload_type must be one of: {WireEnums.PayloadType.Allowed}."));
        }

        if (Subtype is { Length: 0 })
        {
            problems.Add(Problem(ProblemCodes.EmptyValue, "subtype", "subtype must not be empty; leave it null for every variant."));
        }
    }

    private static void CheckEnumList<TEnum>(List<Problem> problems, IReadOnlyList<TEnum>? values, string path, WireEnum<TEnum> wire)
        where TEnum : struct, Enum
    {
        if (values is null)
        {
            return;
        }

        if (values.Count == 0)
        {
            problems.Add(Problem(ProblemCodes.EmptyValue, path, $"{path} must hold at least one value; leave it null for all."));
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if ((uint)Convert.ToInt32(values[i], CultureInfo.InvariantCulture) >= (uint)wire.Names.Length)
            {
                problems.Add(Problem(
                    ProblemCodes.InvalidEnumValue,
                    string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"),
                    $"Must be one of: {wire.Allowed}."));
            }
        }
    }

    private static Problem Problem(string code, string path, string message) => new(code, ProblemSeverity.Error, path, message);
}
