using System.Data;
using System.Diagnostics;
using System.Text;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using Npgsql;
using NpgsqlTypes;

namespace AnalyticsHub.PostgreSql;

public sealed partial class PostgreSqlEventStore
{
    /// <inheritdoc />
    public async ValueTask<AnalyticsEvent?> GetAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // event_ids knows the partition key and the sequence: one probe of one day partition's (ticks, seq) index.
        await using var command = new NpgsqlCommand($"""
            SELECT seq, body FROM {_schema}.events
            WHERE ticks = (SELECT ticks FROM {_schema}.event_ids WHERE event_id = $1)
              AND seq = (SELECT seq FROM {_schema}.event_ids WHERE event_id = $1) AND arrival_ticks >= $2
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = eventId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = MinArrivalTicks() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? EventColumns.Read(reader.GetFieldValue<byte[]>(1), reader.GetInt64(0))
            : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The page and its exact total are read in one round trip under one snapshot (repeatable read), so the total
    /// counts what the page was drawn from. <c>records_scanned</c> counts the rows the store read from the server.
    /// </remarks>
    public async ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var collector = EventPageCollector.Start(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

        var filter = new SqlFilter(query, MinArrivalTicks());
        var direction = collector.Descending ? "DESC" : "ASC";
        var where = new StringBuilder(filter.Where);
        var parameters = new List<NpgsqlParameter>(filter.Parameters);
        if (collector.HasCursor)
        {
            where.Append(" AND (ticks, seq) ").Append(collector.Descending ? '<' : '>')
                .Append(" ($").Append(parameters.Count + 1).Append(", $").Append(parameters.Count + 2).Append(')');
            parameters.Add(new NpgsqlParameter<long> { TypedValue = collector.CursorTicks });
            parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)collector.CursorSequence });
        }

        var limit = (collector.HasCursor ? 0 : (long)(query.Page - 1) * query.PerPage) + query.PerPage + 1;
        var page = PageSql(where.ToString(), filter.OrderedBranches, $" ORDER BY ticks {direction}, seq {direction} LIMIT {limit}");

        await using var batch = new NpgsqlBatch(connection, transaction);
        var select = new NpgsqlBatchCommand(page);
        select.Parameters.AddRange(parameters.ToArray());
        batch.BatchCommands.Add(select);
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM {_schema}.events WHERE {filter.Where}");
        count.Parameters.AddRange(filter.CloneParameters());
        batch.BatchCommands.Add(count);

        long scanned = 0;
        ulong total;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            var open = true;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                scanned++;
                if (open)
                {
                    var sequence = reader.GetInt64(1);
                    open = collector.Offer(reader.GetInt64(0), (ulong)sequence, EventColumns.Read(reader.GetFieldValue<byte[]>(2), sequence));
                }
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            total = (ulong)reader.GetInt64(0);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return collector.ToPage(total, scanned, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// The page's SELECT. A filter on a severity range (and so on modules, spelled out when not given) cannot read the
    /// (source_module, severity, ticks, seq) index in time order: the server would fetch every match and sort them for
    /// the first page. Split into one branch per (module, severity) pair, each branch reads that index in time order up
    /// to the limit, and the server merges the branches (a merge append): the first page of a busy hour reads about a
    /// page of rows, not every match.
    /// </summary>
    private string PageSql(string where, IReadOnlyList<(short Module, short Severity)>? branches, string orderAndLimit)
    {
        var sql = new StringBuilder();
        if (branches is null)
        {
            return sql.Append("SELECT ticks, seq, body FROM ").Append(_schema).Append(".events WHERE ").Append(where).Append(orderAndLimit).ToString();
        }

        sql.Append("SELECT ticks, seq, body FROM (");
        for (var i = 0; i < branches.Count; i++)
        {
            sql.Append(i == 0 ? "(" : " UNION ALL (").Append("SELECT ticks, seq, body FROM ").Append(_schema).Append(".events WHERE ").Append(where)
                .Append(" AND source_module = ").Append(branches[i].Module).Append(" AND severity = ").Append(branches[i].Severity)
                .Append(orderAndLimit).Append(')');
        }

        return sql.Append(") AS branches").Append(orderAndLimit).ToString();
    }

    /// <inheritdoc />
    public async ValueTask<ulong> CountAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.ValidateFilter() is { Count: > 0 } problems)
        {
            throw new InvalidQueryException("The event filter is invalid.", problems);
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var filter = new SqlFilter(query, MinArrivalTicks());
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {_schema}.events WHERE {filter.Where}", connection);
        command.Parameters.AddRange(filter.CloneParameters());
        return (ulong)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AnalyticsEvent>> GetCorrelatedAsync(Guid correlationId, CancellationToken cancellationToken = default) =>
        ListAsync("correlation_id", correlationId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AnalyticsEvent>> GetChildrenAsync(Guid parentEventId, CancellationToken cancellationToken = default) =>
        ListAsync("parent_event_id", parentEventId, cancellationToken);

    private async ValueTask<IReadOnlyList<AnalyticsEvent>> ListAsync(string column, Guid id, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT seq, body FROM {_schema}.events WHERE {column} = $1 AND arrival_ticks >= $2 ORDER BY ticks, seq", connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = MinArrivalTicks() });
        var events = new List<AnalyticsEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(EventColumns.Read(reader.GetFieldValue<byte[]>(1), reader.GetInt64(0)));
        }

        return events;
    }

    /// <summary>The oldest arrival still visible: rows older than <see cref="PostgreSqlOptions.MaxAge"/> are hidden before they are deleted.</summary>
    private long MinArrivalTicks() => _options.MaxAge is { } age ? _time.GetUtcNow().UtcTicks - age.Ticks : long.MinValue;

    /// <summary>The WHERE clause of an event filter with its positional parameters; every value is a parameter.</summary>
    private sealed class SqlFilter
    {
        /// <summary>Every module's stored ordinal (the validator refuses any other value).</summary>
        private static readonly short[] AllModules = [.. Enum.GetValues<SourceModule>().Select(m => (short)m)];

        private readonly List<Func<NpgsqlParameter>> _factories = [];

        public SqlFilter(EventQuery query, long minArrivalTicks)
        {
            // Without MaxAge nothing has expired: leaving the arrival filter out keeps the exact total an index-only scan
            // (the arrival time is in no index, so filtering on it reads the heap for every match).
            var where = new StringBuilder("TRUE");
            if (minArrivalTicks != long.MinValue)
            {
                where.Append(" AND arrival_ticks >= $").Append(Add(() => new NpgsqlParameter<long> { TypedValue = minArrivalTicks }));
            }
            if (query.From is { } from)
            {
                where.Append(" AND ticks >= $").Append(Add(() => new NpgsqlParameter<long> { TypedValue = from.UtcTicks }));
            }

            if (query.To is { } to)
            {
                where.Append(" AND ticks < $").Append(Add(() => new NpgsqlParameter<long> { TypedValue = to.UtcTicks }));
            }

            var filtersSeverity = query.MinSeverity is { } minimum && minimum > Severity.Debug;
            if (query.SourceModules is { } modules)
            {
                var values = modules.Select(m => (short)m).Distinct().ToArray();
                where.Append(" AND source_module = ANY($").Append(Add(() => new NpgsqlParameter<short[]> { TypedValue = values })).Append(')');
            }
            else if (filtersSeverity)
            {
                // Every module, spelled out: the (source_module, severity, ticks, seq) index then serves a filter on
                // severity alone (one range per module), so no (severity, ...) index is maintained on every append.
                where.Append(" AND source_module = ANY($").Append(Add(() => new NpgsqlParameter<short[]> { TypedValue = AllModules })).Append(')');
            }

            if (query.EventTypes is { } types)
            {
                var values = types.Select(t => (short)t).Distinct().ToArray();
                where.Append(" AND event_type = ANY($").Append(Add(() => new NpgsqlParameter<short[]> { TypedValue = values })).Append(')');
            }

            if (filtersSeverity)
            {
                var severity = query.MinSeverity!.Value;
                where.Append(" AND severity >= $").Append(Add(() => new NpgsqlParameter<short> { TypedValue = (short)severity }));
                var branchModules = query.SourceModules is { } given ? given.Select(m => (short)m).Distinct().ToArray() : AllModules;
                var severities = Enum.GetValues<Severity>().Where(s => s >= severity).Select(s => (short)s).ToArray();
                if (branchModules.Length * severities.Length <= MaxOrderedBranches)
                {
                    OrderedBranches = [.. branchModules.SelectMany(m => severities.Select(s => (m, s)))];
                }
            }

            if (query.Environment is { } environment)
            {
                var bytes = EventColumns.Utf8(environment);
                where.Append(" AND environment = $").Append(Add(() => new NpgsqlParameter<byte[]> { TypedValue = bytes }));
            }

            if (query.Tags is { Count: > 0 } tags)
            {
                var encoded = EventColumns.Tags(tags);
                where.Append(" AND tags @> $").Append(Add(() => new NpgsqlParameter<byte[][]> { TypedValue = encoded, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea }));
            }

            if (query.CorrelationId is { } correlation)
            {
                where.Append(" AND correlation_id = $").Append(Add(() => new NpgsqlParameter<Guid> { TypedValue = correlation }));
            }

            if (query.PayloadType is { } payloadType)
            {
                where.Append(" AND payload_type = $").Append(Add(() => new NpgsqlParameter<short> { TypedValue = (short)payloadType }));
            }

            if (query.Subtype is { } subtype)
            {
                var bytes = EventColumns.Utf8(subtype);
                where.Append(" AND subtype = $").Append(Add(() => new NpgsqlParameter<byte[]> { TypedValue = bytes }));
            }

            Where = where.ToString();
            Parameters = CloneParameters();
        }

        /// <summary>The most (module, severity) branches a page is split into; past it the server sorts the matches.</summary>
        private const int MaxOrderedBranches = 64;

        public string Where { get; }

        /// <summary>
        /// The (module, severity) pairs whose index ranges together hold every match in time order, when the filter is on
        /// a severity range (see <c>PageSql</c>); otherwise <see langword="null"/>.
        /// </summary>
        public IReadOnlyList<(short Module, short Severity)>? OrderedBranches { get; }

        public IReadOnlyList<NpgsqlParameter> Parameters { get; }

        /// <summary>A fresh set of the parameters (a parameter belongs to one command).</summary>
        public NpgsqlParameter[] CloneParameters() => [.. _factories.Select(f => f())];

        private int Add(Func<NpgsqlParameter> factory)
        {
            _factories.Add(factory);
            return _factories.Count;
        }
    }
}
