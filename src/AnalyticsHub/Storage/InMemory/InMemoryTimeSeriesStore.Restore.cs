using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory.Rollups;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <content>
/// What a persistent backend that runs its queries on this engine needs: read back the rollup state a write or
/// retention produced, and rebuild it (rollups, raw horizons, continuous queries) without rolling anything up again.
/// </content>
public sealed partial class InMemoryTimeSeriesStore
{
    /// <summary>One stored rollup cell with its identity.</summary>
    internal readonly record struct RollupEntry(string Measurement, IReadOnlyDictionary<string, string> Tags, long ResolutionTicks, long StartTicks, string Field, RollupCell Cell);

    /// <summary>Every rollup cell, by measurement, series, resolution, start and field.</summary>
    internal List<RollupEntry> ExportRollups()
    {
        var entries = new List<RollupEntry>();
        _rollups.EnterRead();
        try
        {
            foreach (var (name, measurement) in _rollups.Measurements)
            {
                foreach (var series in measurement.Series.Values)
                {
                    foreach (var level in series.Levels)
                    {
                        for (var b = 0; b < level.Count; b++)
                        {
                            var cells = level.CellsAt(b);
                            for (var f = 0; f < cells.Length; f++)
                            {
                                if (cells[f] is { } cell && cell.Stats.Count > 0)
                                {
                                    entries.Add(new(name, series.Tags, level.ResolutionTicks, level.StartAt(b), level.Fields[f], cell));
                                }
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            _rollups.ExitRead();
        }

        return entries;
    }

    /// <summary>The raw horizon of every measurement that has one (raw points before it were replaced by rollups).</summary>
    internal List<(string Measurement, long Horizon)> ExportRawHorizons()
    {
        var horizons = new List<(string, long)>();
        _rollups.EnterRead();
        try
        {
            foreach (var (name, measurement) in _rollups.Measurements)
            {
                if (measurement.RawHorizon != long.MinValue)
                {
                    horizons.Add((name, measurement.RawHorizon));
                }
            }
        }
        finally
        {
            _rollups.ExitRead();
        }

        return horizons;
    }

    /// <summary>The cell of one rollup bucket's field, or null when there is none.</summary>
    internal RollupCell? FindRollup(string measurement, IReadOnlyDictionary<string, string> tags, long resolutionTicks, long startTicks, string field)
    {
        _rollups.EnterRead();
        try
        {
            if (!_rollups.Measurements.TryGetValue(measurement, out var state)
                || !state.Series.TryGetValue(RollupStore.Identity(tags, out _), out var series))
            {
                return null;
            }

            foreach (var level in series.Levels)
            {
                if (level.ResolutionTicks != resolutionTicks)
                {
                    continue;
                }

                var index = level.LowerBound(startTicks);
                var f = level.FieldIndex(field);
                if (index < level.Count && level.StartAt(index) == startTicks && f >= 0 && level.CellsAt(index) is { } cells && f < cells.Length)
                {
                    return cells[f];
                }
            }

            return null;
        }
        finally
        {
            _rollups.ExitRead();
        }
    }

    /// <summary>Puts a saved cell back (the store is being rebuilt: the bucket's field must not exist yet).</summary>
    internal void RestoreRollup(string measurement, IReadOnlyDictionary<string, string> tags, long resolutionTicks, long startTicks, string field, RollupCell cell)
    {
        _rollups.EnterWrite();
        try
        {
            _rollups.GetOrAddSeries(measurement, tags, out _).GetOrAddLevel(resolutionTicks).GetOrAdd(startTicks, field, () => cell, out _);
        }
        finally
        {
            _rollups.ExitWrite();
        }
    }

    /// <summary>Sets a measurement's raw horizon as a saved retention run left it.</summary>
    internal void RestoreRawHorizon(string measurement, long horizon)
    {
        _rollups.EnterWrite();
        try
        {
            var state = _rollups.GetOrAddMeasurement(measurement);
            state.RawHorizon = Math.Max(state.RawHorizon, horizon);
        }
        finally
        {
            _rollups.ExitWrite();
        }
    }

    /// <summary>Registers a saved continuous query without backfilling it: its destination's buckets are restored separately.</summary>
    internal IReadOnlyList<Problem> RestoreContinuousQuery(ContinuousQuery query)
    {
        if (!ContinuousQueryPlan.TryCreate(query, out var plan, out var errors))
        {
            return errors;
        }

        var state = new ContinuousQueryState(plan!);
        lock (_writeLock)
        {
            if (!_continuousQueries.TryAdd(query.QueryId, state))
            {
                return [ContinuousQueryPlan.AlreadyRegistered(query.QueryId)];
            }

            if (query.Enabled)
            {
                _activeQueries = [.. _activeQueries, state];
            }
        }

        return [];
    }
}
