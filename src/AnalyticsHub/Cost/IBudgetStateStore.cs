namespace AnalyticsHub.Cost;

/// <summary>
/// Where the <c>budgets</c> stage keeps each budget's periods (<see cref="BudgetPeriodState"/>) so that a restarted hub
/// continues them: a threshold alerted before the restart is not alerted again, and the spend counted so far still counts.
/// </summary>
/// <remarks>
/// <para>
/// The stage loads every state once, before its first batch, and saves the periods a batch changed after it. A state is
/// keyed by (<see cref="BudgetPeriodState.BudgetId"/>, <see cref="BudgetPeriodState.PeriodStart"/>); saving replaces the
/// stored state of that key. Thread-safe.
/// </para>
/// <para>
/// The in-memory backend is <c>Storage.InMemory.InMemoryBudgetStateStore</c> (it does not survive the process: the hub's
/// default); the contract tests in the repository's test project (<c>BudgetStateStoreContractTests</c>) state the
/// behaviour every backend shares.
/// </para>
/// </remarks>
public interface IBudgetStateStore
{
    /// <summary>Every stored state, ordered by budget id (ordinal) and then period start, times in UTC.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The states.</returns>
    ValueTask<IReadOnlyList<BudgetPeriodState>> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="states"/>, each replacing the stored state of its budget and period; all or nothing.</summary>
    /// <param name="states">The states (a key given twice: the later one wins).</param>
    /// <param name="cancellationToken">Cancels before anything is stored.</param>
    /// <exception cref="ArgumentException">A state is null or invalid (<see cref="BudgetPeriodState.Validate"/>); nothing is stored.</exception>
    ValueTask SaveAsync(IReadOnlyList<BudgetPeriodState> states, CancellationToken cancellationToken = default);
}
