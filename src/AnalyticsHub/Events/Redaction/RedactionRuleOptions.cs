using System.Text.RegularExpressions;

namespace AnalyticsHub.Events.Redaction;

/// <summary>A custom redaction rule as configuration holds it; compiled into a <see cref="RedactionRule"/>.</summary>
public sealed class RedactionRuleOptions
{
    /// <summary>The rule's name, used in the replacement and the counts.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// A .NET regular expression to mask; empty means the whole value of every path in <see cref="Paths"/>. It runs on
    /// the linear-time engine when it can (no lookarounds or backreferences), else with a 50 ms limit per value. What a
    /// group named <c>keep</c> captures at the start of a match stays unmasked (e.g. a key's name before its value).
    /// </summary>
    public string? Pattern { get; set; }

    /// <summary>Where the rule applies (e.g. <c>tags.customer</c>, <c>payload.data.user_id</c>); empty means everywhere.</summary>
    public List<string> Paths { get; set; } = [];

    /// <summary>Mask the match or drop the whole value.</summary>
    public RedactionAction Action { get; set; } = RedactionAction.Mask;

    /// <summary>The replacement text; <c>[REDACTED:name]</c> by default.</summary>
    public string? Replacement { get; set; }

    internal RedactionRule? ToRule(string where, List<string> problems)
    {
        Regex? pattern = null;
        if (!string.IsNullOrEmpty(Pattern))
        {
            try
            {
                pattern = RedactionRule.Compile(Pattern);
            }
            catch (ArgumentException ex)
            {
                problems.Add($"{where}.Pattern is not a valid regular expression: {ex.Message}");
                return null;
            }
        }

        var rule = new RedactionRule { Name = Name, Pattern = pattern, Paths = [.. Paths], Action = Action, Replacement = Replacement };
        var ruleProblems = rule.Validate();
        foreach (var problem in ruleProblems)
        {
            problems.Add($"{where}: {problem}");
        }

        return ruleProblems.Count == 0 ? rule : null;
    }
}
