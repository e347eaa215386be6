using System.Globalization;
using System.Text.RegularExpressions;
using AnalyticsHub.Storage.InMemory;

namespace AnalyticsHub.PostgreSql;

/// <summary>Where and how the PostgreSQL event store keeps its data: schema, migrations, retention and streaming.</summary>
public sealed partial class PostgreSqlOptions
{
    /// <summary>The schema holding the store's tables; <c>analyticshub</c> by default.</summary>
    /// <remarks>A lowercase identifier (letters, digits, underscores, at most 40 characters); created when missing.</remarks>
    public string Schema { get; set; } = "analyticshub";

    /// <summary>Whether the store applies pending migrations when it is first used (and the host starts); true by default.</summary>
    /// <remarks>
    /// When false, run <see cref="PostgreSqlMigrator.MigrateAsync"/> yourself (a deployment step); the store then only checks
    /// that the schema is at the version the code knows and refuses to start otherwise.
    /// </remarks>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>The most events kept; the oldest (by arrival) are deleted beyond it. No limit when null (the default).</summary>
    public long? MaxEvents { get; set; }

    /// <summary>How long an event is kept after it was appended (the store's clock); no limit when null (the default).</summary>
    /// <remarks>Expired events are hidden from every read at once and deleted by later appends.</remarks>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>
    /// How many days of event time the store keeps: whole day partitions that ended more than this long before the clock's
    /// now are dropped (the cheap retention of a partitioned table). No limit when null (the default).
    /// </summary>
    public TimeSpan? PartitionRetention { get; set; }

    /// <summary>How many of the newest sequences a resuming subscriber can replay; 10,000 by default.</summary>
    public int ReplayLimit { get; set; } = 10_000;

    /// <summary>How many data frames a subscriber may have waiting before it gets a gap; 1,024 by default.</summary>
    public int SubscriberBufferSize { get; set; } = 1024;

    /// <summary>How often subscribers get a heartbeat frame (clock time); 15 s by default, none when <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the notification listener waits before reconnecting after its connection dropped; 1 s by default.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The time-series store's retention policy, cardinality limits, query limits and tag index: the options of the
    /// in-process engine its queries run on (<see cref="PostgreSqlTimeSeriesStore"/>); chunks are always sealed.
    /// </summary>
    public InMemoryTimeSeriesStoreOptions TimeSeries { get; set; } = new();

    /// <summary>Every problem of the options, empty when they are valid.</summary>
    /// <returns>One message per problem, naming the option.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Schema is null || !SchemaName().IsMatch(Schema))
        {
            problems.Add($"PostgreSql:Schema must be a lowercase identifier of at most 40 letters, digits or underscores, starting with a letter or underscore (was '{Schema}').");
        }

        if (MaxEvents is < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"PostgreSql:MaxEvents must be at least 1 or null (was {MaxEvents})."));
        }

        if (MaxAge is { } age && age <= TimeSpan.Zero)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"PostgreSql:MaxAge must be positive or null (was {age})."));
        }

        if (PartitionRetention is { } days && days < TimeSpan.FromDays(1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"PostgreSql:PartitionRetention must be at least one day or null (was {days})."));
        }

        if (ReplayLimit < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"PostgreSql:ReplayLimit must not be negative (was {ReplayLimit})."));
        }

        if (SubscriberBufferSize < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"PostgreSql:SubscriberBufferSize must be at least 1 (was {SubscriberBufferSize})."));
        }

        if (HeartbeatInterval != Timeout.InfiniteTimeSpan && HeartbeatInterval <= TimeSpan.Zero)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"PostgreSql:HeartbeatInterval must be positive or infinite (was {HeartbeatInterval})."));
        }

        if (ReconnectDelay <= TimeSpan.Zero || ReconnectDelay > TimeSpan.FromMinutes(10))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"PostgreSql:ReconnectDelay must be between 0 and 10 minutes (was {ReconnectDelay})."));
        }

        if (TimeSeries is null)
        {
            problems.Add("PostgreSql:TimeSeries is required.");
        }
        else if (TimeSeries.Retention?.Validate() is { Count: > 0 } retention)
        {
            problems.AddRange(retention.Select(p => $"PostgreSql:TimeSeries:Retention {p.Path}: {p.Message}"));
        }

        return problems;
    }

    /// <summary>Throws with every problem in one message when the options are invalid.</summary>
    internal void ThrowIfInvalid()
    {
        if (Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException("The PostgreSQL options are invalid: " + string.Join(" ", problems));
        }
    }

    internal PostgreSqlOptions Clone() => (PostgreSqlOptions)MemberwiseClone();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
