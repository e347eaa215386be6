namespace AnalyticsHub.Cost;

/// <summary>
/// Pricing and budgets, in a shape that binds from configuration: which price table prices <c>token_usage</c>
/// (the shipped default, extended or overridden by a file or inline JSON) and the budgets to track.
/// </summary>
public sealed class CostOptions
{
    /// <summary>Whether the shipped <see cref="PriceTable.Default"/> is the base; <see langword="true"/> by default.</summary>
    public bool UseDefaultPrices { get; set; } = true;

    /// <summary>A price-table JSON file that extends and overrides the base (see <see cref="PriceTable.WithOverrides"/>).</summary>
    public string? PriceTablePath { get; set; }

    /// <summary>Price-table JSON that extends and overrides the base and the file, applied last.</summary>
    public string? PriceTableJson { get; set; }

    /// <summary>The budgets to track; none by default.</summary>
    public List<BudgetDefinition> Budgets { get; set; } = [];

    /// <summary>Which <c>token_cost</c> events budgets count; <see cref="BudgetCostSource.PreferHub"/> by default.</summary>
    public BudgetCostSource BudgetCostSource { get; set; } = BudgetCostSource.PreferHub;

    /// <summary>How long (event time) a request is remembered to match its producer and hub costs; 1 hour by default.</summary>
    public TimeSpan RequestMatchWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most requests remembered at once for that matching; 200,000 by default.</summary>
    public int MaxTrackedRequests { get; set; } = 200_000;

    /// <summary>Adds every problem of these options to <paramref name="problems"/>.</summary>
    internal void Validate(List<string> problems)
    {
        BuildPriceTable(problems);
        if (!Enum.IsDefined(BudgetCostSource))
        {
            problems.Add($"Cost.BudgetCostSource {(int)BudgetCostSource} is not a source; use PreferHub, Hub or Producer.");
        }

        if (RequestMatchWindow <= TimeSpan.Zero)
        {
            problems.Add($"Cost.RequestMatchWindow must be positive; it is {RequestMatchWindow}.");
        }

        if (MaxTrackedRequests < 1)
        {
            problems.Add($"Cost.MaxTrackedRequests must be at least 1; it is {MaxTrackedRequests}.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Budgets.Count; i++)
        {
            if (Budgets[i] is not { } budget)
            {
                problems.Add($"Cost.Budgets[{i}] is null.");
                continue;
            }

            budget.Validate($"Cost.Budgets[{i}]", problems);
            if (!string.IsNullOrWhiteSpace(budget.Id) && !ids.Add(budget.Id))
            {
                problems.Add($"Cost.Budgets[{i}].Id '{budget.Id}' is used by an earlier budget.");
            }
        }
    }

    /// <summary>The table these options describe: the default (or an empty table), then the file, then the inline JSON.</summary>
    internal PriceTable BuildPriceTable(List<string> problems)
    {
        var table = UseDefaultPrices ? PriceTable.Default : new PriceTable("empty", []);
        if (!string.IsNullOrEmpty(PriceTablePath))
        {
            try
            {
                table = table.WithOverrides(PriceTable.Load(PriceTablePath));
            }
            catch (PriceTableException ex)
            {
                problems.AddRange(ex.Errors.Select(e => $"Cost.PriceTablePath ({PriceTablePath}): {e}"));
            }
        }

        if (!string.IsNullOrEmpty(PriceTableJson))
        {
            if (PriceTable.TryParse(System.Text.Encoding.UTF8.GetBytes(PriceTableJson), out var inline, out var errors))
            {
                table = table.WithOverrides(inline);
            }
            else
            {
                problems.AddRange(errors.Select(e => $"Cost.PriceTableJson: {e}"));
            }
        }

        return table;
    }
}
