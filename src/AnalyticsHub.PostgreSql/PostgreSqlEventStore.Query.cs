using System.Data;
using System.Diagnostics;
using System.Globalization;
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
        var page = PageSql(where.ToString(), filter.Branches, $" ORDER BY ticks {direction}, seq {direction} LIMIT {limit}");

        await using var batch = new NpgsqlBatch(connection, transaction);
        var select = new NpgsqlBatchCommand(page);
        select.Parameters.AddRange(parameters.ToArray());
        batch.BatchCommands.Add(select);
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM {_schema}.events WHERE {filter.CountWhere}");
        count.Parameters.AddRange(filter.CloneCountParameters());
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
    /// The page's SELECT. A filter on modules or a severity range reads the (source_module, severity, ticks, seq)
    /// index, which yields time order only within one (module, severity) pair: as one SELECT the server would fetch
    /// every match and sort them for the first page. Split into one branch per pair the filter allows, each branch reads
    /// that index in time order up to the limit, and the server merges the branches (a merge append): the first page of
    /// a busy hour reads about a page of rows, not every match. Any other filter reads the (ticks, seq) index in order.
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
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {_schema}.events WHERE {filter.CountWhere}", connection);
        command.Parameters.AddRange(filter.CloneCountParameters());
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

    /// <summary>
    /// An event filter as SQL: the modules and severities it allows, and the WHERE clause of everything else with its
    /// positional parameters; every value is a parameter.
    /// </summary>
    private sealed class SqlFilter
    {
        /// <summary>Every module's stored ordinal (the validator refuses any other value).</summary>
        private static readonly short[] AllModules = [.. Enum.GetValues<SourceModule>().Select(m => (short)m)];

        private readonly List<Func<NpgsqlParameter>> _factories = [];
        private readonly List<Func<NpgsqlParameter>> _countFactories;

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

            if (query.EventTypes is { } types)
            {
                var values = types.Select(t => (short)t).Distinct().ToArray();
                where.Append(" AND event_type = ANY($").Append(Add(() => new NpgsqlParameter<short[]> { TypedValue = values })).Append(')');
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
            Parameters = [.. _factories.Select(f => f())];

            // A filter on modules or severities reads the (source_module, severity, ticks, seq) index one pair at a time:
            // every module, or every severity, spelled out when the other is filtered (the validator refuses any other
            // value, so this selects the same rows), so no (severity, ...) index is maintained on every append.
            var minimum = query.MinSeverity ?? Severity.Debug;
            if (query.SourceModules is null && minimum == Severity.Debug)
            {
                CountWhere = Where;
                _countFactories = _factories;
                return;
            }

            var modules = query.SourceModules is { } given ? given.Select(m => (short)m).Distinct().Order().ToArray() : AllModules;
            var severities = Enum.GetValues<Severity>().Where(s => s >= minimum).Select(s => (short)s).ToArray();
            Branches = [.. modules.SelectMany(m => severities.Select(s => (m, s)))];

            // The total's filter names both sets as arrays on the index's two leading columns, so the server scans one
            // range of ticks per pair (index only, once autovacuum marked the pages all-visible); `severity >= $n`
            // there would scan every matching entry of the module, of every day, and filter on the time.
            var count = _factories.Count;
            CountWhere = string.Create(CultureInfo.InvariantCulture, $"{Where} AND source_module = ANY(${count + 1}) AND severity = ANY(${count + 2})");
            _countFactories = [.. _factories, () => new NpgsqlParameter<short[]> { TypedValue = modules }, () => new NpgsqlParameter<short[]> { TypedValue = severities }];
        }

        /// <summary>Everything but modules and severities (<see cref="Branches"/> carry those), parameters <see cref="Parameters"/>.</summary>
        public string Where { get; }

        /// <summary>The whole filter for a count, parameters <see cref="CloneCountParameters"/>.</summary>
        public string CountWhere { get; }

        /// <summary>
        /// The (module, severity) pairs the filter allows, in index order, whose index ranges together hold every match
        /// (see <c>PageSql</c>); <see langword="null"/> when the filter names neither modules nor a severity range.
        /// </summary>
        public IReadOnlyList<(short Module, short Severity)>? Branches { get; }

        public IReadOnlyList<NpgsqlParameter> Parameters { get; }

        /// <summary>A fresh set of the parameters of <see cref="CountWhere"/> (a parameter belongs to one command).</summary>
        public NpgsqlParameter[] CloneCountParameters() => [.. _countFactories.Select(f => f())];

        private int Add(Func<NpgsqlParameter> factory)
        {
            _factories.Add(factory);
            return _factories.Count;
        }
    }
}
