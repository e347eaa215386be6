namespace AnalyticsHub.Events;

/// <summary>The module of the LLM platform that produced an event (wire form: kebab-case).</summary>
public enum SourceModule
{
    /// <summary><c>llm-observatory</c>: latency, throughput, errors, tokens, model performance.</summary>
    LlmObservatory,

    /// <summary><c>llm-sentinel</c>: threats, vulnerabilities, compliance, authentication, privacy.</summary>
    LlmSentinel,

    /// <summary><c>llm-cost-ops</c>: token and API cost, resources, budgets (the alias <c>llm-costops</c> is read too).</summary>
    LlmCostOps,

    /// <summary><c>llm-governance-dashboard</c>: policy violations, audit trail, compliance checks, lineage.</summary>
    LlmGovernanceDashboard,

    /// <summary><c>llm-registry</c>: the model and asset registry.</summary>
    LlmRegistry,

    /// <summary><c>llm-policy-engine</c>: the policy engine.</summary>
    LlmPolicyEngine,

    /// <summary><c>llm-analytics-hub</c>: events this library derives itself (anomalies, correlations, costs, alerts).</summary>
    LlmAnalyticsHub,
}
