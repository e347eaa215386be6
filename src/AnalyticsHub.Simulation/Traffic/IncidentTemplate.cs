using System.Text.Json.Serialization;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>The incident stories the simulator can inject, each with its own ground truth.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IncidentTemplate>))]
public enum IncidentTemplate
{
    /// <summary>A deploy regresses a model's latency; timeouts, retries, a token and cost spike and budget pressure follow.</summary>
    [JsonStringEnumMemberName("deploy_regression")]
    DeployRegression,

    /// <summary>A leaked API key: auth from a new place, a usage surge on an unusual model, a cost spike, a data-exfiltration violation.</summary>
    [JsonStringEnumMemberName("leaked_api_key")]
    LeakedApiKey,

    /// <summary>A prompt-template change makes completions longer step by step: a slow cost drift.</summary>
    [JsonStringEnumMemberName("prompt_template_change")]
    PromptTemplateChange,

    /// <summary>A provider's regional outage (an external cause): errors, failover to another model, latency and cost per request change.</summary>
    [JsonStringEnumMemberName("provider_outage")]
    ProviderOutage,

    /// <summary>A policy misconfiguration: blocks rise across tenants, 4xx errors, retries and audit events.</summary>
    [JsonStringEnumMemberName("policy_misconfiguration")]
    PolicyMisconfiguration,

    /// <summary>A benign marketing surge, the negative control: volume rises in proportion and nothing is a root cause.</summary>
    [JsonStringEnumMemberName("marketing_surge")]
    MarketingSurge,
}
