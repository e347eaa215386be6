namespace AnalyticsHub.Events.Redaction;

/// <summary>
/// Redaction before anything is stored, in a shape that binds from configuration: which built-in
/// rules are on (e-mails, API keys, bearer tokens and card numbers by default) and custom rules.
/// </summary>
public sealed class RedactionOptions
{
    /// <summary>Whether events are redacted at all; <see langword="true"/> by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The built-in rules that are on, by name: <c>email</c>, <c>api_key</c>, <c>jwt</c>, <c>bearer_token</c>,
    /// <c>credit_card</c> and <c>ip_address</c>. <see langword="null"/> (the default) means all but <c>ip_address</c>;
    /// an empty array means none.
    /// </summary>
    /// <remarks>Null by default because configuration binding appends to an array rather than replacing it.</remarks>
    public string[]? BuiltInRules { get; set; }

    private static readonly string[] DefaultBuiltInRules = ["email", "api_key", "jwt", "bearer_token", "credit_card"];

    /// <summary>Custom rules: a regex, named paths, or both.</summary>
    public List<RedactionRuleOptions> Rules { get; set; } = [];

    /// <summary>The rules these options describe, or the problems that prevent them.</summary>
    internal IReadOnlyList<RedactionRule> Build(List<string> problems)
    {
        var rules = new List<RedactionRule>();
        foreach (var name in BuiltInRules ?? DefaultBuiltInRules)
        {
            if (RedactionRule.BuiltIn(name) is { } rule)
            {
                rules.Add(rule);
            }
            else
            {
                problems.Add($"Redaction.BuiltInRules: '{name}' is not a built-in rule; use email, api_key, jwt, bearer_token, credit_card or ip_address.");
            }
        }

        for (var i = 0; i < Rules.Count; i++)
        {
            if (Rules[i].ToRule($"Redaction.Rules[{i}]", problems) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }
}
