using AnalyticsHub.Expressions;

namespace AnalyticsHub.Policies;

/// <summary>
/// The catalog of policy variables: a name becomes a slot the first time a condition names it (when the policy is
/// compiled), so <c>budget.&lt;any name&gt;.percent</c> needs no declaration. Conditions are compiled against it; they
/// are evaluated with a <see cref="PolicyContext"/>, which reads the slots' values from the request and the hub.
/// </summary>
/// <remarks>Thread-safe; slots are never removed, and past <see cref="MaxVariables"/> names no new one is accepted.</remarks>
internal sealed class PolicyVariables : IVariableSource
{
    /// <summary>The most distinct variable names the catalog holds.</summary>
    public const int MaxVariables = 10_000;

    private static readonly Dictionary<string, PolicyVariableKind> Fixed = new(StringComparer.Ordinal)
    {
        ["request.model"] = PolicyVariableKind.RequestModel,
        ["request.provider"] = PolicyVariableKind.RequestProvider,
        ["request.tenant"] = PolicyVariableKind.RequestTenant,
        ["request.user"] = PolicyVariableKind.RequestUser,
        ["request.feature"] = PolicyVariableKind.RequestFeature,
        ["request.prompt_tokens"] = PolicyVariableKind.RequestPromptTokens,
        ["request.cost_usd"] = PolicyVariableKind.RequestCostUsd,
        ["model.status"] = PolicyVariableKind.ModelStatus,
    };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private PolicyVariable[] _variables = [];

    /// <summary>The variable in a slot.</summary>
    public PolicyVariable this[int slot] => Volatile.Read(ref _variables)[slot];

    /// <inheritdoc/>
    public bool TryGetSlot(string name, out int slot)
    {
        lock (_gate)
        {
            if (_slots.TryGetValue(name, out slot))
            {
                return true;
            }

            if (_slots.Count >= MaxVariables || Parse(name) is not { } variable)
            {
                return false;
            }

            slot = _variables.Length;
            var grown = new PolicyVariable[slot + 1];
            _variables.CopyTo(grown, 0);
            grown[slot] = variable;
            Volatile.Write(ref _variables, grown);
            _slots[name] = slot;
            return true;
        }
    }

    /// <summary>The catalog holds no values: conditions are evaluated with a <see cref="PolicyContext"/>.</summary>
    public Value GetValue(int slot) => Value.Null;

    private static PolicyVariable? Parse(string name)
    {
        if (Fixed.TryGetValue(name, out var kind))
        {
            return new PolicyVariable(kind, null);
        }

        const string Tags = "request.tags.";
        if (name.StartsWith(Tags, StringComparison.Ordinal) && name.Length > Tags.Length && name.IndexOf('.', Tags.Length) < 0)
        {
            return new PolicyVariable(PolicyVariableKind.RequestTag, name[Tags.Length..]);
        }

        // budget.<name>.<field>: the name may hold dots when written budget["a.b"].percent.
        const string Budget = "budget.";
        var last = name.LastIndexOf('.');
        if (name.StartsWith(Budget, StringComparison.Ordinal) && last > Budget.Length)
        {
            var budget = name[Budget.Length..last];
            return name[(last + 1)..] switch
            {
                "percent" => new PolicyVariable(PolicyVariableKind.BudgetPercent, budget),
                "spend_usd" => new PolicyVariable(PolicyVariableKind.BudgetSpendUsd, budget),
                "limit_usd" => new PolicyVariable(PolicyVariableKind.BudgetLimitUsd, budget),
                _ => null,
            };
        }

        return null;
    }
}
