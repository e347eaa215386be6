namespace AnalyticsHub.Metadata;

/// <summary>The billing units a <see cref="CostInfo"/> may state, and how many tokens each stands for.</summary>
/// <remarks>Matched case-insensitively; a <c>per_</c> prefix is allowed (<c>per_1k_tokens</c>).</remarks>
public static class BillingUnits
{
    /// <summary><c>token</c>: prices per token.</summary>
    public const string Token = "token";

    /// <summary><c>1k_tokens</c>: prices per thousand tokens.</summary>
    public const string ThousandTokens = "1k_tokens";

    /// <summary><c>1m_tokens</c>: prices per million tokens.</summary>
    public const string MillionTokens = "1m_tokens";

    /// <summary>How many tokens one billing unit covers.</summary>
    /// <param name="unit">The billing unit.</param>
    /// <param name="tokens">1, 1,000 or 1,000,000.</param>
    /// <returns>Whether the unit is known.</returns>
    public static bool TryGetTokens(string? unit, out decimal tokens)
    {
        var name = unit is not null && unit.StartsWith("per_", StringComparison.OrdinalIgnoreCase) ? unit[4..] : unit;
        tokens = name?.ToUpperInvariant() switch
        {
            "TOKEN" => 1m,
            "1K_TOKENS" => 1_000m,
            "1M_TOKENS" => 1_000_000m,
            _ => 0m,
        };
        return tokens > 0;
    }
}
