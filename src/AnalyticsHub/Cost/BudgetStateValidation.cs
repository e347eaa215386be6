namespace AnalyticsHub.Cost;

/// <summary>The argument checks every <see cref="IBudgetStateStore"/> backend applies before it stores anything.</summary>
public static class BudgetStateValidation
{
    /// <summary>Throws when a state is null or invalid, naming every problem with its index.</summary>
    /// <param name="states">The states a backend was asked to save.</param>
    /// <exception cref="ArgumentException">A state is null or invalid.</exception>
    public static void ThrowIfInvalid(IReadOnlyList<BudgetPeriodState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var problems = new List<string>();
        for (var i = 0; i < states.Count; i++)
        {
            var path = FormattableString.Invariant($"[{i}]");
            if (states[i] is null)
            {
                problems.Add(path + ": null.");
                continue;
            }

            problems.AddRange(states[i].Validate(path));
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid budget states: " + string.Join(" ", problems), nameof(states));
        }
    }
}
