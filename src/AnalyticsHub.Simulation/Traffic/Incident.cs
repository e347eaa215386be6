namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// An injected incident (or distractor): it shapes requests in its scope, plans marker events,
/// and accounts its impact against the counterfactual of the same draws without it.
/// </summary>
internal abstract class Incident
{
    private readonly List<VolumeCandidate> _volumeCandidates = [];

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
        Traffic = setup.Traffic;
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

    protected TrafficModel Traffic { get; }

    protected long LateRoot { get; }

    protected long EndOfScenario { get; }

    public IncidentTruthBuilder Truth { get; }

    /// <summary>The (model, region) series a rate-boosting incident adds traffic to, listed in the truth or not.</summary>
    public IReadOnlyList<VolumeCandidate> VolumeCandidates => _volumeCandidates;

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

    /// <summary>
    /// Lists the `throughput` series of the (model, region) pairs the incident adds traffic to whose rise is
    /// material over <paramref name="fullEffect"/>, the time the incident's effect lasts counted at full strength
    /// (its ramps count by their mean), with the rates of the plateau's midpoint (<see cref="TrafficModel.IsMaterial"/>): the traffic added to a pair is
    /// summed over its contributions, and a pair any contribution reaches as a primary model is scoped primary.
    /// Every pair is kept in <see cref="VolumeCandidates"/>, listed or not. A listed series' window runs from
    /// <paramref name="windowStart"/> to the incident's end.
    /// </summary>
    protected void AddVolumeSeries(int stage, long windowStart, long plateauStart, long plateauEnd, long fullEffect, IEnumerable<(int Model, int Region, double AddedPerSecond, string Scope)> added)
    {
        var pairs = new SortedDictionary<(int Model, int Region), (double Added, string Scope)>();
        foreach (var (model, region, rate, scope) in added)
        {
            if (rate <= 0)
            {
                continue;
            }

            pairs.TryGetValue((model, region), out var sum);
            pairs[(model, region)] = (sum.Added + rate, sum.Scope is null || scope == "primary" ? scope : sum.Scope);
        }

        var middle = plateauStart + ((plateauEnd - plateauStart) / 2);
        foreach (var ((model, region), (rate, scope)) in pairs)
        {
            var baseline = Traffic.SeriesRate(model, region, middle);
            var z = Traffic.RiseZ(rate, baseline, SimTime.Seconds(fullEffect));
            var listed = z >= TrafficModel.MaterialZ;
            _volumeCandidates.Add(new VolumeCandidate(Truth.Id, model, region, scope, Start, plateauStart, plateauEnd, baseline, rate, z, listed));
            if (listed)
            {
                Truth.AddSeries(stage, "throughput", "requests_per_second", "sum", windowStart, End, ("model_id", World.Models[model].Id), ("region", World.Regions[region]));
            }
        }
    }

    /// <summary>A lag with the configured jitter applied.</summary>
    protected double Lag(double seconds) => Jitter > 0 ? seconds * (1 + (Jitter * Rng.Uniform(-1, 1))) : seconds;

    protected static long Clamp(long ticks, long max) => ticks > max ? max : ticks;
}
