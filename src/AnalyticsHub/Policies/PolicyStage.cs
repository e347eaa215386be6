using System.Diagnostics.Metrics;
using AnalyticsHub.Alerts;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;
using AnalyticsHub.Pipeline;

namespace AnalyticsHub.Policies;

/// <summary>
/// The <c>policies</c> stage: every stored event is tested against the rules in scope of it (by its scope keys and
/// payload family), and each policy with a matched rule raises one <c>policy_violation</c> event from the hub, the
/// trigger as parent, its id derived from the policy and the trigger (a replay stores it once).
/// </summary>
/// <remarks>
/// Stored events are never retracted: a <c>block</c> on the stream is a violation whose tag <c>policy_action</c> says
/// <c>block</c>, and for an active policy a <see cref="PolicyAlert"/> to the host's <see cref="IAlertSink"/>s (through the
/// hub's one <see cref="AlertDispatcher"/>, off the ingestion path). The hub's own violations are not evaluated again.
/// Monitored policies raise violations too, tagged <c>policy_enforcement</c> = <c>monitor</c>, and never alert. Counter:
/// <c>analyticshub.policies.violations</c>.
/// </remarks>
internal sealed class PolicyStage(PolicyRegistry registry, PolicyHubState hub, HubMeter meter, AlertDispatcher? alerts = null) : IIngestionStage
{
    private static readonly DerivedIdSpace ViolationIds = DerivedEvents.Space("policy_violation");
    private static readonly string[] ActionNames = ["block", "warn", "log", "require_approval", "auto_remediate"];
    private static readonly string[] EnforcementNames = ["active", "monitor", "disabled"];

    private readonly Counter<long> _violations = meter.Meter.CreateCounter<long>("analyticshub.policies.violations", "{event}", "policy_violation events raised by the policies stage.");

    public string Name => "policies";

    public async ValueTask CompleteAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        if (alerts is not null)
        {
            await alerts.DrainAsync(alerts.DrainTime).ConfigureAwait(false);
        }
    }

    public async ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        await registry.EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = registry.Snapshot;
        if (snapshot.RuleCount == 0)
        {
            return;
        }

        foreach (var evt in batch.Events)
        {
            if (evt.SourceModule == SourceModule.LlmAnalyticsHub && evt.Payload is PolicyViolationEvent)
            {
                continue;
            }

            var context = PolicyContext.For(registry.Variables, hub, evt);
            try
            {
                var family = (int)evt.Payload.PayloadType;
                var matched = Run(snapshot.Global.ForEvents[family], evt, context, 0);
                for (var key = 0; key < PolicyScopeKeys.Keyed.Length; key++)
                {
                    if (snapshot.HasKey(key) && snapshot.For(key, PolicyScopeKeys.Of(PolicyScopeKeys.Keyed[key], evt)) is { } set)
                    {
                        matched = Run(set.ForEvents[family], evt, context, matched);
                    }
                }

                if (matched > 0)
                {
                    EmitViolations(batch, evt, context.Matches.AsSpan(0, matched));
                }
            }
            finally
            {
                context.Release();
            }
        }
    }

    /// <summary>The action that speaks loudest among a policy's matched rules.</summary>
    internal static PolicyAction Strongest(ReadOnlySpan<CompiledPolicyRule> rules)
    {
        static int Rank(PolicyAction action) => action switch
        {
            PolicyAction.Block => 4,
            PolicyAction.RequireApproval => 3,
            PolicyAction.AutoRemediate => 2,
            PolicyAction.Warn => 1,
            _ => 0,
        };

        var strongest = rules[0].Match.Action;
        foreach (var rule in rules)
        {
            if (Rank(rule.Match.Action) > Rank(strongest))
            {
                strongest = rule.Match.Action;
            }
        }

        return strongest;
    }

    private static int Run(CompiledPolicyRule[] rules, AnalyticsEvent evt, PolicyContext context, int matched)
    {
        foreach (var rule in rules)
        {
            if (rule.AppliesTo(evt) && !rule.IsExcluded(evt) && rule.Holds(evt, context))
            {
                context.SetMatch(matched++, rule);
            }
        }

        return matched;
    }

    private void EmitViolations(IngestionBatch batch, AnalyticsEvent trigger, ReadOnlySpan<CompiledPolicyRule> matches)
    {
        // A policy has one scope, so its matched rules come one after another.
        var start = 0;
        while (start < matches.Length)
        {
            var end = start + 1;
            while (end < matches.Length && ReferenceEquals(matches[end].Policy, matches[start].Policy))
            {
                end++;
            }

            var rules = matches[start..end].ToArray();
            var violation = Violation(trigger, rules);
            batch.Emit(violation);
            _violations.Add(1, new KeyValuePair<string, object?>("action", violation.Common.Tags["policy_action"]), new KeyValuePair<string, object?>("enforcement", violation.Common.Tags["policy_enforcement"]));
            if (alerts is not null && rules[0].Match.Enforcement == EnforcementMode.Active && Strongest(rules) == PolicyAction.Block)
            {
                var payload = (PolicyViolationEvent)violation.Payload;
                var severity = rules.Max(r => r.Match.Severity);
                alerts.Offer(new PolicyAlert
                {
                    AlertId = violation.Common.EventId,
                    Timestamp = trigger.Common.Timestamp,
                    Summary = $"block: policy '{payload.PolicyName}' ({payload.PolicyId}) matched event {trigger.Common.EventId:D} from {WireEnums.SourceModule.GetName(trigger.SourceModule)}, severity {WireName(severity)}",
                    PolicyId = payload.PolicyId,
                    Action = PolicyAction.Block,
                    Severity = severity,
                    TriggerEventId = trigger.Common.EventId,
                    Violation = violation,
                });
            }

            start = end;
        }
    }

    private static AnalyticsEvent Violation(AnalyticsEvent trigger, CompiledPolicyRule[] rules)
    {
        var policy = rules[0].Policy;
        var first = rules[0].Match;
        var action = ActionNames[(int)Strongest(rules)];
        var enforcement = EnforcementNames[(int)first.Enforcement];
        var severity = rules.Max(r => r.Match.Severity);
        var tags = new Dictionary<string, string>(trigger.Common.Tags, StringComparer.Ordinal)
        {
            ["policy_id"] = policy.PolicyId,
            ["policy_action"] = action,
            ["policy_enforcement"] = enforcement,
        };
        var names = string.Join(", ", rules.Select(r => $"'{r.Match.RuleName}'"));
        var resource = PolicyScopeKeys.Of(ScopeType.Resource, trigger) ?? trigger.Common.EventId.ToString("D");
        return new AnalyticsEvent
        {
            Common = DerivedEvents.Common(trigger, ViolationIds.FromName($"{policy.PolicyId}/{trigger.Common.EventId:D}"), EventType.Governance, EventSeverity(severity), tags),
            Payload = new PolicyViolationEvent
            {
                PolicyId = policy.PolicyId,
                PolicyName = policy.Name,
                ViolationDescription = $"Policy '{policy.Name}' (version {policy.Version}, {enforcement}): rule {names} matched event {trigger.Common.EventId:D}; action {action}.",
                ViolatedRules = [.. rules.Select(r => r.Match.RuleId)],
                ResourceId = resource,
                UserId = PolicyScopeKeys.Of(ScopeType.User, trigger),
                Severity = (PolicyViolationSeverity)(int)severity,
                AutoRemediated = false,
            },
        };
    }

    private static string WireName(RuleSeverity severity) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(severity.ToString());

    private static Severity EventSeverity(RuleSeverity severity) => severity switch
    {
        RuleSeverity.Low => Severity.Info,
        RuleSeverity.Medium => Severity.Warning,
        RuleSeverity.High => Severity.Error,
        _ => Severity.Critical,
    };
}
