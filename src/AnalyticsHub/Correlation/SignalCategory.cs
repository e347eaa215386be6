namespace AnalyticsHub.Correlation;

/// <summary>What an anomaly episode's series measures, read from its metric's measurement; the propagation rules speak in these.</summary>
internal enum SignalCategory
{
    /// <summary>Not a series (a change, alert, violation or security event), or a measurement the rules do not know.</summary>
    None,

    /// <summary>Request latency (<c>llm_latency</c>).</summary>
    Latency,

    /// <summary>Error rates (<c>llm_error_rate</c>).</summary>
    Errors,

    /// <summary>Traffic volume (<c>llm_throughput</c>, request counts).</summary>
    Traffic,

    /// <summary>Token usage (<c>llm_token_usage</c>).</summary>
    Tokens,

    /// <summary>Spend (<c>cost_*</c>).</summary>
    Cost,

    /// <summary>Security series (<c>security_*</c>).</summary>
    Security,

    /// <summary>Governance series (<c>governance_*</c>).</summary>
    Compliance,
}
