namespace AnalyticsHub.Policies;

/// <summary>
/// The <see cref="IPolicyEvaluator"/> over a <see cref="PolicyRegistry"/>'s snapshot: the rules of global policies, then
/// those scoped to the request's tenant, team, project, user and model, each tested once; active policies decide the
/// outcome, monitored ones are listed only.
/// </summary>
/// <param name="registry">The stored policies.</param>
/// <param name="hub">The live state the <c>budget.*</c> and <c>model.status</c> variables read; none by default.</param>
public sealed class PolicyEvaluator(PolicyRegistry registry, PolicyHubState? hub = null) : IPolicyEvaluator
{
    private readonly PolicyHubState _hub = hub ?? PolicyHubState.None;

    /// <inheritdoc/>
    public PolicyDecision Evaluate(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var snapshot = registry.Snapshot;
        var context = PolicyContext.For(registry.Variables, _hub, request);
        var outcome = PolicyOutcome.Allow;
        int matched = 0, evaluated = 0;
        try
        {
            Run(snapshot.Global.ForRequests, request, context, ref outcome, ref matched, ref evaluated);
            for (var key = 0; key < PolicyScopeKeys.Keyed.Length; key++)
            {
                if (snapshot.HasKey(key) && snapshot.For(key, PolicyScopeKeys.Of(PolicyScopeKeys.Keyed[key], request)) is { } set)
                {
                    Run(set.ForRequests, request, context, ref outcome, ref matched, ref evaluated);
                }
            }

            return new PolicyDecision(outcome, matched == 0 ? [] : Matches(context.Matches, matched), evaluated, snapshot.Version);
        }
        finally
        {
            context.Release();
        }
    }

    /// <summary>The outcome a match asks for when enforced.</summary>
    internal static PolicyOutcome OutcomeOf(PolicyAction action) => action switch
    {
        PolicyAction.Block => PolicyOutcome.Block,
        PolicyAction.RequireApproval => PolicyOutcome.RequireApproval,
        PolicyAction.Warn => PolicyOutcome.Warn,
        _ => PolicyOutcome.Allow,
    };

    private static PolicyMatch[] Matches(CompiledPolicyRule[] rules, int count)
    {
        var matches = new PolicyMatch[count];
        for (var i = 0; i < count; i++)
        {
            matches[i] = rules[i].Match;
        }

        return matches;
    }

    private static void Run(CompiledPolicyRule[] rules, PolicyRequest request, PolicyContext context, ref PolicyOutcome outcome, ref int matched, ref int evaluated)
    {
        foreach (var rule in rules)
        {
            if (rule.IsExcluded(request))
            {
                continue;
            }

            evaluated++;
            if (!rule.Holds(context))
            {
                continue;
            }

            context.SetMatch(matched++, rule);
            if (rule.Match.IsEnforced && OutcomeOf(rule.Match.Action) is var asked && asked > outcome)
            {
                outcome = asked;
            }
        }
    }
}
