using System.Collections.Frozen;
using AnalyticsHub.Cost;
using AnalyticsHub.Metadata;

namespace AnalyticsHub.Policies;

/// <summary>
/// The hub's live state that policy variables read: budget states from the cost monitor and model statuses from the
/// metadata registry. Budget states are read at most once per <see cref="BudgetRefresh"/> (the monitor builds a list
/// per read), so evaluation does not allocate.
/// </summary>
/// <param name="costs">The cost monitor whose budgets <c>budget.NAME.*</c> read; none: they are null.</param>
/// <param name="registry">The registry whose model statuses <c>model.status</c> reads; none: it is null.</param>
/// <param name="clock">The clock that ages the budget states.</param>
/// <param name="budgetRefresh">How old the budget states may be.</param>
public sealed class PolicyHubState(ICostMonitor? costs, MetadataRegistry? registry, TimeProvider? clock = null, TimeSpan? budgetRefresh = null)
{
    private static readonly string[] StatusNames = ["draft", "active", "deprecated", "archived", "deleted"];

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private FrozenDictionary<string, BudgetState>? _budgets;
    private long _budgetsReadAt;

    /// <summary>State with no cost monitor and no registry: every hub variable is null.</summary>
    public static PolicyHubState None { get; } = new(null, null);

    /// <summary>How old the budget states may be; one second by default.</summary>
    public TimeSpan BudgetRefresh { get; } = budgetRefresh ?? TimeSpan.FromSeconds(1);

    /// <summary>The registry the model statuses come from, if any.</summary>
    internal MetadataRegistry? Registry => registry;

    /// <summary>A budget's state by its name (or id), or null when there is no such budget.</summary>
    internal BudgetState? Budget(string name)
    {
        if (costs is null)
        {
            return null;
        }

        var budgets = Volatile.Read(ref _budgets);
        var now = _clock.GetTimestamp();
        if (budgets is null || _clock.GetElapsedTime(Volatile.Read(ref _budgetsReadAt), now) >= BudgetRefresh)
        {
            var byName = new Dictionary<string, BudgetState>(StringComparer.Ordinal);
            foreach (var state in costs.GetBudgetStates())
            {
                byName.TryAdd(state.BudgetId, state);
                byName[state.BudgetName] = state;
            }

            budgets = byName.ToFrozenDictionary(StringComparer.Ordinal);
            Volatile.Write(ref _budgets, budgets);
            Volatile.Write(ref _budgetsReadAt, now);
        }

        return budgets.GetValueOrDefault(name);
    }

    /// <summary>The registry's status of a model (snake_case), or null when the model is not registered.</summary>
    internal string? ModelStatus(string? modelId) =>
        modelId is null || registry?.FindModel(modelId) is not { } model ? null : StatusNames[(int)model.Status];
}
