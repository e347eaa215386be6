using System.Text.Json;
using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>Plans the marker events of incidents: change events (roots, mitigations) and other one-off members.</summary>
internal static class IncidentMarkers
{
    /// <summary>Plans an audit-trail change event at <paramref name="at"/>, delivered at <paramref name="emit"/>, as a member of <paramref name="stage"/>.</summary>
    public static void Audit(
        ScheduledSource schedule,
        IncidentTruthBuilder truth,
        int stage,
        string role,
        long at,
        long emit,
        SourceModule module,
        string action,
        string actor,
        string resourceType,
        string resourceId,
        IReadOnlyDictionary<string, JsonElement> changes,
        IReadOnlyDictionary<string, string> tags)
    {
        schedule.Add(emit, (ctx, rng) =>
        {
            var payload = new AuditTrailEvent
            {
                Action = action,
                Actor = actor,
                ResourceType = resourceType,
                ResourceId = resourceId,
                Changes = changes,
                IpAddress = "10.0.4.17",
                UserAgent = "deployctl/2.3",
            };
            var item = ctx.Emit(module, at, payload, Severity.Info, tags, rng, emitTicks: emit);
            if (string.Equals(role, "root_cause", StringComparison.Ordinal))
            {
                SetRoot(truth, ctx.Outbox[item].Event, action, at, emit);
            }

            ctx.Mark(item, truth, stage, role);
        });
    }

    public static void SetRoot(IncidentTruthBuilder truth, AnalyticsEvent evt, string action, long at, long emit) =>
        truth.Root = new RootCauseTruth
        {
            Kind = "event",
            EventId = evt.EventId,
            Timestamp = evt.Timestamp,
            SourceModule = ModuleNames.Get(evt.SourceModule),
            Action = action,
            EmittedLateSeconds = SimTime.Seconds(emit - at),
            Emitted = false,
        };

    /// <summary>
    /// Marks a request-level outbox item as the onset of <paramref name="stage"/> while that stage has none yet. Request-level
    /// symptoms are not members (nothing tells the first affected request from normal traffic); they only date the stage.
    /// </summary>
    public static void Onset(SimContext ctx, IncidentTruthBuilder truth, int stage, int item, string role = "effect")
    {
        if (item >= 0 && truth.Stages[stage].OnsetId is null)
        {
            ctx.MarkOnset(item, truth, stage, role);
        }
    }
}
