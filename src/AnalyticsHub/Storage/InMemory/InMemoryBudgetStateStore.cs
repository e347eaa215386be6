using AnalyticsHub.Cost;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>The reference <see cref="IBudgetStateStore"/>: states in a sorted map in memory, gone with the process.</summary>
/// <remarks>Thread-safe: one lock around every read and write.</remarks>
public sealed class InMemoryBudgetStateStore : IBudgetStateStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<(string BudgetId, long StartTicks), BudgetPeriodState> _states = new(KeyComparer.Instance);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BudgetPeriodState>> LoadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<BudgetPeriodState>>([.. _states.Values]);
        }
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(IReadOnlyList<BudgetPeriodState> states, CancellationToken cancellationToken = default)
    {
        BudgetStateValidation.ThrowIfInvalid(states);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var state in states)
            {
                _states[(state.BudgetId, state.PeriodStart.UtcTicks)] = state with
                {
                    PeriodStart = state.PeriodStart.ToUniversalTime(),
                    PeriodEnd = state.PeriodEnd.ToUniversalTime(),
                    FirstCostAt = state.FirstCostAt.ToUniversalTime(),
                    LastCostAt = state.LastCostAt.ToUniversalTime(),
                    ThresholdsCrossed = [.. state.ThresholdsCrossed],
                };
            }
        }

        return ValueTask.CompletedTask;
    }

    private sealed class KeyComparer : IComparer<(string BudgetId, long StartTicks)>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare((string BudgetId, long StartTicks) x, (string BudgetId, long StartTicks) y)
        {
            var byId = string.CompareOrdinal(x.BudgetId, y.BudgetId);
            return byId != 0 ? byId : x.StartTicks.CompareTo(y.StartTicks);
        }
    }
}
