using System.Data;
using System.Text.Json;
using AnalyticsHub.Correlation;
using Npgsql;

namespace AnalyticsHub.PostgreSql;

/// <summary>
/// <see cref="ICorrelationStore"/> on PostgreSQL: the latest state of each incident as its wire JSON in <c>correlations</c>
/// (with its detection time and time window as columns), and its member events in <c>correlation_members</c>, so a
/// restarted hub still answers correlation queries for the incidents it found.
/// </summary>
/// <remarks>
/// <para>
/// A write is one upsert that keeps the stored row when it was detected later (the row lock orders concurrent writers of
/// one incident), and replaces the member rows with it. Queries mean exactly what <see cref="CorrelationQueryPlan"/> says:
/// the plan runs in process over what it asks for, read in one repeatable-read transaction (one snapshot). Reads the plan
/// asks for that were not loaded yet are fetched and the plan runs again, so a traversal of depth d costs d + 1 rounds of
/// at most two statements each, never one round trip per incident.
/// </para>
/// <para>Unlike the in-memory store it keeps every incident (no capacity): delete old rows with SQL if needed. Thread-safe.</para>
/// </remarks>
public sealed class PostgreSqlCorrelationStore : ICorrelationStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SchemaGate _schemaGate;
    private readonly string _schema;

    /// <summary>Creates a store on <paramref name="dataSource"/> (the caller keeps ownership); nothing is read until it is first used.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="options">The schema and whether to migrate it; only <see cref="PostgreSqlOptions.Schema"/> and <see cref="PostgreSqlOptions.MigrateOnStart"/> matter here.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public PostgreSqlCorrelationStore(NpgsqlDataSource dataSource, PostgreSqlOptions? options = null)
    {
        _schemaGate = SchemaGate.Open(dataSource, options);
        _dataSource = dataSource;
        _schema = _schemaGate.Schema;
    }

    /// <inheritdoc />
    public async ValueTask<bool> WriteAsync(EventCorrelation correlation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(correlation);
        if (!IsScore(correlation.Strength) || !IsScore(correlation.Confidence))
        {
            throw new ArgumentException(FormattableString.Invariant($"Strength and confidence must be finite numbers in [0, 1]; they are {correlation.Strength} and {correlation.Confidence}."), nameof(correlation));
        }

        cancellationToken.ThrowIfCancellationRequested();
        await _schemaGate.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var body = JsonSerializer.SerializeToUtf8Bytes(correlation, CorrelationJsonContext.Default.EventCorrelation);
        var members = correlation.Events.Select(e => e.EventId).Distinct().ToArray();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var upsert = new NpgsqlCommand($"""
            INSERT INTO {_schema}.correlations AS c (correlation_id, detected, window_start, window_end, body)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (correlation_id) DO UPDATE SET
                detected = excluded.detected, window_start = excluded.window_start, window_end = excluded.window_end, body = excluded.body
            WHERE c.detected <= excluded.detected
            RETURNING true
            """, connection, transaction))
        {
            upsert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = correlation.CorrelationId });
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = correlation.DetectedAt.UtcTicks });
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = correlation.TimeWindow.Start.UtcTicks });
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = correlation.TimeWindow.End.UtcTicks });
            upsert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = body });
            if (await upsert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                return false;
            }
        }

        await using (var replace = new NpgsqlBatch(connection, transaction))
        {
            var delete = new NpgsqlBatchCommand($"DELETE FROM {_schema}.correlation_members WHERE correlation_id = $1");
            delete.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = correlation.CorrelationId });
            var insert = new NpgsqlBatchCommand($"INSERT INTO {_schema}.correlation_members (event_id, correlation_id) SELECT unnest($1::uuid[]), $2");
            insert.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = members });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = correlation.CorrelationId });
            replace.BatchCommands.Add(delete);
            replace.BatchCommands.Add(insert);
            await replace.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask<EventCorrelation?> GetAsync(Guid correlationId, CancellationToken cancellationToken = default)
    {
        await _schemaGate.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT body FROM {_schema}.correlations WHERE correlation_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = correlationId });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] body ? Read(body) : null;
    }

    /// <inheritdoc />
    public async ValueTask<CorrelationQueryResult> QueryAsync(CorrelationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = new Snapshot();
        var result = CorrelationQueryPlan.Execute(query, snapshot);
        if (!result.IsSuccess || !snapshot.HasMisses)
        {
            return result;
        }

        await _schemaGate.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        while (snapshot.HasMisses)
        {
            await LoadMissesAsync(connection, transaction, snapshot, cancellationToken).ConfigureAwait(false);
            result = CorrelationQueryPlan.Execute(query, snapshot);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task LoadMissesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.NewestMissed)
        {
            await using var newest = new NpgsqlCommand($"SELECT body FROM {_schema}.correlations ORDER BY detected DESC LIMIT 1", connection, transaction);
            snapshot.SetNewest(await newest.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] body ? Read(body).DetectedAt : null);
        }

        foreach (var (from, to) in snapshot.TakeMissedRanges())
        {
            await using var overlapping = new NpgsqlCommand($"SELECT body FROM {_schema}.correlations WHERE window_start <= $2 AND window_end >= $1", connection, transaction);
            overlapping.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from.UtcTicks });
            overlapping.Parameters.Add(new NpgsqlParameter<long> { TypedValue = to.UtcTicks });
            snapshot.AddRange(from, to, await ReadAllAsync(overlapping, cancellationToken).ConfigureAwait(false));
        }

        var members = snapshot.TakeMissedMembers();
        if (members.Length > 0)
        {
            await using var holders = new NpgsqlCommand($"""
                SELECT m.event_id, c.body FROM {_schema}.correlation_members m
                JOIN {_schema}.correlations c ON c.correlation_id = m.correlation_id
                WHERE m.event_id = ANY($1)
                """, connection, transaction);
            holders.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = members });
            var found = new List<(Guid EventId, EventCorrelation Correlation)>();
            await using (var reader = await holders.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    found.Add((reader.GetGuid(0), Read(reader.GetFieldValue<byte[]>(1))));
                }
            }

            snapshot.AddMembers(members, found);
        }
    }

    private static async Task<List<EventCorrelation>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var list = new List<EventCorrelation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(reader.GetFieldValue<byte[]>(0)));
        }

        return list;
    }

    private static EventCorrelation Read(byte[] body) =>
        JsonSerializer.Deserialize(body, CorrelationJsonContext.Default.EventCorrelation)
        ?? throw new InvalidDataException("A stored correlation body is JSON null.");

    private static bool IsScore(double value) => double.IsFinite(value) && value is >= 0 and <= 1;

    /// <summary>
    /// What one query has read so far. A read it has not loaded answers empty and is remembered as a miss; the store
    /// loads the misses and runs the plan again, until a run misses nothing (then every answer came from loaded reads).
    /// </summary>
    private sealed class Snapshot : ICorrelationLookup
    {
        private readonly List<(DateTimeOffset From, DateTimeOffset To, List<EventCorrelation> Items)> _ranges = [];
        private readonly Dictionary<Guid, List<EventCorrelation>> _byMember = [];
        private readonly List<(DateTimeOffset From, DateTimeOffset To)> _missedRanges = [];
        private readonly HashSet<Guid> _missedMembers = [];
        private bool _newestLoaded;
        private DateTimeOffset? _newest;

        public bool NewestMissed { get; private set; }

        public bool HasMisses => NewestMissed || _missedRanges.Count > 0 || _missedMembers.Count > 0;

        public DateTimeOffset? NewestDetection
        {
            get
            {
                NewestMissed |= !_newestLoaded;
                return _newest;
            }
        }

        public IEnumerable<EventCorrelation> Overlapping(DateTimeOffset from, DateTimeOffset to)
        {
            foreach (var (f, t, items) in _ranges)
            {
                if (f <= from && t >= to)
                {
                    return items.Where(c => c.TimeWindow.Start <= to && c.TimeWindow.End >= from);
                }
            }

            _missedRanges.Add((from, to));
            return [];
        }

        public IEnumerable<EventCorrelation> WithMember(Guid eventId)
        {
            if (_byMember.TryGetValue(eventId, out var holders))
            {
                return holders;
            }

            _missedMembers.Add(eventId);
            return [];
        }

        public void SetNewest(DateTimeOffset? newest)
        {
            _newest = newest;
            _newestLoaded = true;
            NewestMissed = false;
        }

        public List<(DateTimeOffset From, DateTimeOffset To)> TakeMissedRanges()
        {
            var missed = _missedRanges.Distinct().ToList();
            _missedRanges.Clear();
            return missed;
        }

        public void AddRange(DateTimeOffset from, DateTimeOffset to, List<EventCorrelation> items) => _ranges.Add((from, to, items));

        public Guid[] TakeMissedMembers()
        {
            var missed = _missedMembers.ToArray();
            _missedMembers.Clear();
            return missed;
        }

        public void AddMembers(Guid[] asked, List<(Guid EventId, EventCorrelation Correlation)> found)
        {
            foreach (var id in asked)
            {
                _byMember[id] = [];
            }

            foreach (var (eventId, correlation) in found)
            {
                _byMember[eventId].Add(correlation);
            }
        }
    }
}
