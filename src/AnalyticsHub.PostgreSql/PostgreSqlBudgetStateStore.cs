using System.Text;
using AnalyticsHub.Cost;
using Npgsql;

namespace AnalyticsHub.PostgreSql;

/// <summary>
/// <see cref="IBudgetStateStore"/> on PostgreSQL: one row per budget and period in <c>budget_states</c>, so a restarted
/// hub continues its budgets' periods without alerting a crossed threshold again.
/// </summary>
/// <remarks>
/// Times are UTC ticks (the store returns them in UTC); the budget id is UTF-8 <c>bytea</c> (any string round-trips,
/// U+0000 included) and the load is ordered in process by ordinal string order. A save is one transaction of upserts.
/// Thread-safe; several hosts may share one schema (the last save of a period wins).
/// </remarks>
public sealed class PostgreSqlBudgetStateStore : IBudgetStateStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SchemaGate _schemaGate;
    private readonly string _schema;

    /// <summary>Creates a store on <paramref name="dataSource"/> (the caller keeps ownership); nothing is read until it is first used.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="options">The schema and whether to migrate it; only <see cref="PostgreSqlOptions.Schema"/> and <see cref="PostgreSqlOptions.MigrateOnStart"/> matter here.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public PostgreSqlBudgetStateStore(NpgsqlDataSource dataSource, PostgreSqlOptions? options = null)
    {
        _schemaGate = SchemaGate.Open(dataSource, options);
        _dataSource = dataSource;
        _schema = _schemaGate.Schema;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BudgetPeriodState>> LoadAsync(CancellationToken cancellationToken = default)
    {
        await _schemaGate.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"SELECT budget_id, period_start, period_end, spend_usd, first_cost, last_cost, thresholds_crossed, forecast_warned FROM {_schema}.budget_states",
            connection);
        var states = new List<BudgetPeriodState>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                states.Add(new BudgetPeriodState
                {
                    BudgetId = Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(0)),
                    PeriodStart = Utc(reader.GetInt64(1)),
                    PeriodEnd = Utc(reader.GetInt64(2)),
                    SpendUsd = reader.GetDouble(3),
                    FirstCostAt = Utc(reader.GetInt64(4)),
                    LastCostAt = Utc(reader.GetInt64(5)),
                    ThresholdsCrossed = reader.GetFieldValue<double[]>(6),
                    ForecastWarned = reader.GetBoolean(7),
                });
            }
        }

        states.Sort(static (a, b) => string.CompareOrdinal(a.BudgetId, b.BudgetId) is var byId and not 0 ? byId : a.PeriodStart.CompareTo(b.PeriodStart));
        return states;
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(IReadOnlyList<BudgetPeriodState> states, CancellationToken cancellationToken = default)
    {
        BudgetStateValidation.ThrowIfInvalid(states);
        cancellationToken.ThrowIfCancellationRequested();
        if (states.Count == 0)
        {
            return;
        }

        await _schemaGate.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var state in states)
        {
            // One statement per state, in order: a key given twice is upserted twice and the later one stays.
            var upsert = new NpgsqlBatchCommand($"""
                INSERT INTO {_schema}.budget_states (budget_id, period_start, period_end, spend_usd, first_cost, last_cost, thresholds_crossed, forecast_warned)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (budget_id, period_start) DO UPDATE SET
                    period_end = excluded.period_end, spend_usd = excluded.spend_usd, first_cost = excluded.first_cost,
                    last_cost = excluded.last_cost, thresholds_crossed = excluded.thresholds_crossed, forecast_warned = excluded.forecast_warned
                """);
            upsert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = EventColumns.Utf8(state.BudgetId) });
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = state.PeriodStart.UtcTicks });
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = state.PeriodEnd.UtcTicks });
            upsert.Parameters.Add(new NpgsqlParameter<double> { TypedValue = state.SpendUsd });
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = state.FirstCostAt.UtcTicks });
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = state.LastCostAt.UtcTicks });
            upsert.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. state.ThresholdsCrossed] });
            upsert.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = state.ForecastWarned });
            batch.BatchCommands.Add(upsert);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);
}
