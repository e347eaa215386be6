using AnalyticsHub.Events;
using AnalyticsHub.Expressions;

namespace AnalyticsHub.Policies;

/// <summary>
/// The variables of one evaluation: the slots of the <see cref="PolicyVariables"/> the conditions were compiled
/// against, read from the request (or the event) and the hub's state. One per thread, reused, so evaluation allocates nothing.
/// </summary>
internal sealed class PolicyContext : IVariableSource
{
    [ThreadStatic]
    private static PolicyContext? _current;

    private PolicyVariables _variables = null!;
    private PolicyHubState _hub = null!;
    private PolicyRequest? _request;
    private string? _modelId;

    /// <summary>The rules matched so far (reused scratch space).</summary>
    public CompiledPolicyRule[] Matches { get; private set; } = new CompiledPolicyRule[16];

    /// <summary>This thread's context, set up for a request.</summary>
    public static PolicyContext For(PolicyVariables variables, PolicyHubState hub, PolicyRequest request) =>
        Current().Reset(variables, hub, request, request.Model);

    /// <summary>This thread's context, set up for a stored event.</summary>
    public static PolicyContext For(PolicyVariables variables, PolicyHubState hub, AnalyticsEvent evt) =>
        Current().Reset(variables, hub, null, PolicyScopeKeys.ModelId(evt));

    /// <summary>Adds a match to <see cref="Matches"/> at <paramref name="index"/>, growing it when full.</summary>
    public void SetMatch(int index, CompiledPolicyRule match)
    {
        if (index == Matches.Length)
        {
            var grown = new CompiledPolicyRule[Matches.Length * 2];
            Matches.CopyTo(grown, 0);
            Matches = grown;
        }

        Matches[index] = match;
    }

    /// <summary>Lets go of the request, so a pooled context keeps nothing alive.</summary>
    public void Release()
    {
        _request = null;
        _modelId = null;
        Array.Clear(Matches);
    }

    /// <inheritdoc/>
    public bool TryGetSlot(string name, out int slot) => _variables.TryGetSlot(name, out slot);

    /// <inheritdoc/>
    public Value GetValue(int slot)
    {
        var variable = _variables[slot];
        var request = _request;
        return variable.Kind switch
        {
            PolicyVariableKind.RequestModel => Value.FromString(request?.Model),
            PolicyVariableKind.RequestProvider => Value.FromString(request?.Provider),
            PolicyVariableKind.RequestTenant => Value.FromString(request?.Tenant),
            PolicyVariableKind.RequestUser => Value.FromString(request?.User),
            PolicyVariableKind.RequestFeature => Value.FromString(request?.Feature),
            PolicyVariableKind.RequestPromptTokens => request is null ? Value.Null : Value.FromNumber(request.EstimatedPromptTokens),
            PolicyVariableKind.RequestCostUsd => request is null ? Value.Null : Value.FromNumber(request.EstimatedCostUsd),
            PolicyVariableKind.RequestTag => request is not null && request.Tags.TryGetValue(variable.Argument!, out var tag) ? Value.FromString(tag) : Value.Null,
            PolicyVariableKind.BudgetPercent => _hub.Budget(variable.Argument!) is { } percent ? Value.FromNumber(percent.PercentUsed) : Value.Null,
            PolicyVariableKind.BudgetSpendUsd => _hub.Budget(variable.Argument!) is { } spend ? Value.FromNumber(spend.SpendUsd) : Value.Null,
            PolicyVariableKind.BudgetLimitUsd => _hub.Budget(variable.Argument!) is { } limit ? Value.FromNumber(limit.LimitUsd) : Value.Null,
            PolicyVariableKind.ModelStatus => Value.FromString(_hub.ModelStatus(_modelId)),
            _ => Value.Null,
        };
    }

    private static PolicyContext Current() => _current ??= new PolicyContext();

    private PolicyContext Reset(PolicyVariables variables, PolicyHubState hub, PolicyRequest? request, string? modelId)
    {
        _variables = variables;
        _hub = hub;
        _request = request;
        _modelId = modelId;
        return this;
    }
}
