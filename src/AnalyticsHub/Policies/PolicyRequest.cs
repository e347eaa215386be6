namespace AnalyticsHub.Policies;

/// <summary>
/// What a host is about to do — one LLM call — as the policies see it before the call. Conditions read it through the
/// <c>request.*</c> variables; the scope mapping reads <see cref="Tenant"/>, <see cref="User"/>, <see cref="Model"/>
/// and the tags <c>team</c> and <c>project</c> (docs/policies.md).
/// </summary>
/// <remarks>A host may reuse one instance per thread (<c>with</c> copies allocate); the evaluator keeps no reference to it.</remarks>
public sealed record PolicyRequest
{
    /// <summary>The model to call (<c>request.model</c>; the <c>resource</c> scope key; what <c>model.status</c> looks up).</summary>
    public required string Model { get; init; }

    /// <summary>The provider (<c>request.provider</c>).</summary>
    public string? Provider { get; init; }

    /// <summary>The tenant or organisation (<c>request.tenant</c>; the <c>organization</c> scope key).</summary>
    public string? Tenant { get; init; }

    /// <summary>The end user (<c>request.user</c>; the <c>user</c> scope key).</summary>
    public string? User { get; init; }

    /// <summary>The product feature making the call (<c>request.feature</c>).</summary>
    public string? Feature { get; init; }

    /// <summary>The estimated prompt tokens (<c>request.prompt_tokens</c>).</summary>
    public long EstimatedPromptTokens { get; init; }

    /// <summary>The estimated cost in USD (<c>request.cost_usd</c>).</summary>
    public double EstimatedCostUsd { get; init; }

    /// <summary>Free labels (<c>request.tags.KEY</c>); <c>team</c> and <c>project</c> are the scope keys of those scope types.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init => field = value ?? EmptyTags; } = EmptyTags;

    private static IReadOnlyDictionary<string, string> EmptyTags { get; } = new Dictionary<string, string>();
}
