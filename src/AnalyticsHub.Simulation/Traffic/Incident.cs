namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// An injected incident (or distractor): it shapes requests in its scope, plans marker events,
/// and accounts its impact against the counterfactual of the same draws without it.
/// </summary>
internal abstract class Incident
{
    protected Incident(IncidentSetup setup)
    {
        Index = setup.Index;
        Start = setup.Start;
        End = setup.End;
        Effect = setup.Effect;
        Jitter = setup.Jitter;
        Rng = setup.Rng;
        Truth = setup.Truth;
        World = setup.World;
        LateRoot = setup.LateRoot;
        EndOfScenario = setup.EndOfScenario;
    }

    public int Index { get; }

    public long Start { get; }

    public long End { get; }

    public double Effect { get; }

    protected double Jitter { get; }

    protected SimRandom Rng { get; }

    protected World World { get; }

    protected long LateRoot { get; }

    protected long EndOfScenario { get; }

    public IncidentTruthBuilder Truth { get; }

    /// <summary>Whether this incident raises request rates (its extra volume counts as affected requests).</summary>
    public virtual bool BoostsRate => false;

    /// <summary>Whether the incident can touch a request at <paramref name="ticks"/> (retries run a little past the end).</summary>
    public bool Active(long ticks) => ticks >= Start && ticks <= End + (2 * SimTime.Minute);

    public virtual double RateMultiplier(TenantProfile tenant, long ticks) => 1.0;

    public virtual void Shape(RequestDraft draft, ref RequestEffects effects)
    {
    }

    /// <summary>Whether a request belongs to the incident's scope (for impact numbers).</summary>
    public virtual bool InScope(RequestDraft draft) => false;

    /// <summary>Marks members and emits follow-up events of one request attempt.</summary>
    public virtual void OnRequest(SimContext ctx, RequestDraft draft, in RequestEffects effects, in RequestOutcome outcome)
    {
    }

    /// <summary>Plans the incident's own events.</summary>
    public virtual void Plan(ScheduledSource schedule, List<EventSource> sources)
    {
    }

    /// <summary>
    /// Accounts one attempt in scope against its counterfactual without this incident (same draws):
    /// a retry the incident caused, or an attacker's request, would not exist; a failure it caused would
    /// have succeeded unless the base draw failed; a failover or completion growth it caused would not
    /// have changed the model or the length; extra volume from a rate boost is the share above 1.
    /// </summary>
    public void Account(RequestDraft d, in RequestEffects fx, in RequestOutcome o)
    {
        if (d.RetryCause != Index && d.Attacker != Index && !(Active(d.Ticks) && InScope(d)))
        {
            return;
        }

        var t = Truth;
        t.ScopeAttempts++;
        var success = o.Kind == RequestOutcomeKind.Ok;
        if (o.CausedBy == Index)
        {
            t.IncidentFailures++;
        }

        if (success)
        {
            t.ActualSuccess++;
        }

        double costWithout;
        double successWithout;
        if ((d.RetryCause == Index && d.Attempt > 0) || d.Attacker == Index)
        {
            costWithout = 0;
            successWithout = 0;
        }
        else if (o.CausedBy == Index)
        {
            costWithout = o.BaseFailed ? 0 : o.CostIfSucceeded;
            successWithout = o.BaseFailed ? 0 : 1;
        }
        else
        {
            costWithout = fx.RouteBy == Index ? o.CostIfUnrouted : fx.CompletionBy == Index ? o.CostIfUnmultiplied : o.CostUsd;
            successWithout = success ? 1 : 0;
        }

        var weight = d.Attempt == 0 && BoostsRate ? d.BaselineWeight : 1.0;
        t.ActualCost += o.CostUsd;
        t.BaselineCost += costWithout * weight;
        t.ExpectedSuccess += successWithout * weight;
        if (fx.LatencyBy == Index || fx.RouteBy == Index)
        {
            t.LatencySum += o.LatencyMs;
            t.BaseLatencySum += o.BaseLatencyMs;
        }

        if (d.Attempt > 0)
        {
            return;
        }

        var mine = fx.LatencyBy == Index || fx.CompletionBy == Index || fx.RouteBy == Index || o.CausedBy == Index || d.Attacker == Index;
        var share = mine ? 1.0 : BoostsRate ? 1.0 - d.BaselineWeight : 0.0;
        if (share > 0)
        {
            t.AffectedRequests += share;
            t.AddUser(d.Tenant.Index, d.Attacker == Index ? -1 : d.User);
        }
    }

    /// <summary>A lag with the configured jitter applied.</summary>
    protected double Lag(double seconds) => Jitter > 0 ? seconds * (1 + (Jitter * Rng.Uniform(-1, 1))) : seconds;

    protected static long Clamp(long ticks, long max) => ticks > max ? max : ticks;
}
