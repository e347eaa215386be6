using AnalyticsHub.Events;

namespace AnalyticsHub.Policies;

/// <summary>The rules of one scope bucket (global, or one target of one scope key), pre-filtered for requests and per payload family.</summary>
internal sealed class PolicyRuleSet
{
    private static readonly int Families = Enum.GetValues<PayloadType>().Length;

    private PolicyRuleSet(CompiledPolicyRule[] forRequests, CompiledPolicyRule[][] forEvents)
    {
        ForRequests = forRequests;
        ForEvents = forEvents;
    }

    /// <summary>An empty set.</summary>
    public static PolicyRuleSet Empty { get; } = Build([]);

    /// <summary>The rules a request is tested against: those of policies not narrowed to a payload kind.</summary>
    public CompiledPolicyRule[] ForRequests { get; }

    /// <summary>The rules an event of a payload family (the index) is tested against: the unnarrowed ones and that family's.</summary>
    public CompiledPolicyRule[][] ForEvents { get; }

    /// <summary>Builds the set from (rule, payload family it is narrowed to, or null) pairs, keeping their order.</summary>
    public static PolicyRuleSet Build(IReadOnlyList<(CompiledPolicyRule Rule, PayloadType? Family)> rules)
    {
        var forEvents = new CompiledPolicyRule[Families][];
        for (var family = 0; family < Families; family++)
        {
            forEvents[family] = [.. rules.Where(r => r.Family is null || (int)r.Family == family).Select(r => r.Rule)];
        }

        return new([.. rules.Where(r => r.Family is null).Select(r => r.Rule)], forEvents);
    }
}
