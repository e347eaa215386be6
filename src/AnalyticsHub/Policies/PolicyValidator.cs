using AnalyticsHub.Events;
using AnalyticsHub.Expressions;
using AnalyticsHub.Metadata;

namespace AnalyticsHub.Policies;

/// <summary>The rules of a policy write: ids, texts, owner, scope, payload kind, and every rule's condition compiled.</summary>
internal static class PolicyValidator
{
    /// <summary>The metadata key that narrows a policy to a payload family or variant.</summary>
    public const string PayloadKindKey = "payload_kind";

    private static readonly string[] ScopeNames = ["global", "organization", "team", "project", "user", "resource"];

    /// <summary>Adds the problems of <paramref name="policy"/>; conditions are compiled against <paramref name="variables"/>.</summary>
    public static void Validate(PolicyDefinition policy, PolicyVariables variables, List<Problem> problems)
    {
        MetadataValidator.Id(policy.PolicyId, "policy_id", problems);
        MetadataValidator.Text(policy.Name, "name", problems);
        MetadataValidator.Text(policy.Version, "version", problems);
        MetadataValidator.Owner(policy.Owner, "owner", problems);
        var kind = policy.Metadata.GetValueOrDefault(PayloadKindKey);
        if (kind is not null && CompiledExpression.Compile("1", new CompileOptions { PayloadKind = kind }).Errors is [var kindError, ..])
        {
            problems.Add(new(kindError.Code, "metadata." + PayloadKindKey, kindError.Message));
            kind = null;
        }

        Scope(policy.Scope, problems);
        if (policy.Rules is null || policy.Rules.Count == 0)
        {
            problems.Add(new(ProblemCodes.EmptyValue, "rules", "A policy needs at least one rule."));
            return;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var options = new CompileOptions { Variables = variables, PayloadKind = kind };
        for (var i = 0; i < policy.Rules.Count; i++)
        {
            var rule = policy.Rules[i];
            var path = $"rules[{i}]";
            MetadataValidator.Id(rule.RuleId, path + ".rule_id", problems);
            if (rule.RuleId is not null && !ids.Add(rule.RuleId))
            {
                problems.Add(new(ProblemCodes.DuplicateId, path + ".rule_id", $"Another rule of this policy has the id '{rule.RuleId}'."));
            }

            MetadataValidator.Text(rule.Name, path + ".name", problems);
            if (MetadataValidator.Text(rule.Condition, path + ".condition", problems))
            {
                foreach (var error in CompiledExpression.Compile(rule.Condition, options).Errors)
                {
                    problems.Add(Located(error, path + ".condition"));
                }
            }
        }
    }

    /// <summary>An expression's problem at a JSON path, keeping its position in the text (and saying it in the message).</summary>
    public static Problem Located(Problem error, string path)
    {
        var at = error.Location is { } location ? FormattableString.Invariant($" (line {location.Line}, column {location.Column})") : string.Empty;
        return new Problem(error.Code, error.Severity, path, error.Message + at) { Location = error.Location };
    }

    /// <summary>Reads an exclusion: <c>&lt;scope_type&gt;:&lt;value&gt;</c> names its key, a bare value is one of <paramref name="own"/>.</summary>
    public static (ScopeType Type, string Value) Exclusion(string exclusion, ScopeType own)
    {
        var colon = exclusion.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var index = Array.IndexOf(ScopeNames, exclusion[..colon]);
            if (index > 0)
            {
                return ((ScopeType)index, exclusion[(colon + 1)..]);
            }
        }

        return (own, exclusion);
    }

    private static void Scope(PolicyScope? scope, List<Problem> problems)
    {
        if (scope is null)
        {
            problems.Add(new(ProblemCodes.NullNotAllowed, "scope", "scope is required."));
            return;
        }

        var targets = scope.Targets ?? [];
        if (scope.ScopeType == ScopeType.Global && targets.Count > 0)
        {
            problems.Add(new(ProblemCodes.InvalidScope, "scope.targets", "A global scope applies to everything and takes no targets; exclude with '<scope_type>:<value>' instead."));
        }
        else if (scope.ScopeType != ScopeType.Global && targets.Count == 0)
        {
            problems.Add(new(ProblemCodes.InvalidScope, "scope.targets", $"A {ScopeNames[(int)scope.ScopeType]} scope needs at least one target; use a global scope for everything."));
        }

        for (var i = 0; i < targets.Count; i++)
        {
            MetadataValidator.Text(targets[i], $"scope.targets[{i}]", problems);
        }

        for (var i = 0; i < scope.Exclusions.Count; i++)
        {
            var path = $"scope.exclusions[{i}]";
            if (!MetadataValidator.Text(scope.Exclusions[i], path, problems))
            {
                continue;
            }

            var (type, value) = Exclusion(scope.Exclusions[i], scope.ScopeType);
            if (type == ScopeType.Global)
            {
                problems.Add(new(ProblemCodes.InvalidScope, path, $"An exclusion of a global scope names its key, e.g. 'team:{scope.Exclusions[i]}' or 'user:{scope.Exclusions[i]}'."));
            }
            else if (value.Length == 0)
            {
                problems.Add(new(ProblemCodes.EmptyValue, path, "The exclusion names a key but no value."));
            }
        }
    }
}
