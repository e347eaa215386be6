namespace AnalyticsHub.Policies;

/// <summary>The named variables a policy condition may read (docs/policies.md lists their names).</summary>
internal enum PolicyVariableKind
{
    /// <summary><c>request.model</c>.</summary>
    RequestModel,

    /// <summary><c>request.provider</c>.</summary>
    RequestProvider,

    /// <summary><c>request.tenant</c>.</summary>
    RequestTenant,

    /// <summary><c>request.user</c>.</summary>
    RequestUser,

    /// <summary><c>request.feature</c>.</summary>
    RequestFeature,

    /// <summary><c>request.prompt_tokens</c>.</summary>
    RequestPromptTokens,

    /// <summary><c>request.cost_usd</c>.</summary>
    RequestCostUsd,

    /// <summary><c>request.tags.KEY</c>.</summary>
    RequestTag,

    /// <summary><c>budget.NAME.percent</c>: spend as a percentage of the limit in the current period.</summary>
    BudgetPercent,

    /// <summary><c>budget.NAME.spend_usd</c>.</summary>
    BudgetSpendUsd,

    /// <summary><c>budget.NAME.limit_usd</c>.</summary>
    BudgetLimitUsd,

    /// <summary><c>model.status</c>: the registry's status of the request's (or event's) model.</summary>
    ModelStatus,
}
