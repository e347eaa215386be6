using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// The shared state of one generation run: the world, the incidents, per-window counters, budgets and
/// the outbox that a source fills in one step. Single-threaded by construction.
/// </summary>
internal sealed class SimContext
{
    private static readonly double[] BudgetThresholds = [50, 80, 95, 100];

    private readonly long[] _skew = new long[ModuleNames.Count];
    private readonly double[] _spend;
    private readonly long[] _spendDay;
    private readonly int[] _crossed;

    public SimContext(ScenarioConfig config, World world, long start, long end)
    {
        Config = config;
        World = world;
        Start = start;
        End = end;
        Noise = config.Knobs.Noise;
        Environment = config.Environment;
        foreach (var skew in config.Knobs.ClockSkew)
        {
            if (ModuleNames.TryParse(skew.Module, out var module))
            {
                _skew[(int)module] = SimTime.FromSeconds(skew.Seconds);
            }
        }

        Counters = new ModelCounters[world.Models.Length, World.Regions.Length];
        for (var m = 0; m < world.Models.Length; m++)
        {
            for (var r = 0; r < World.Regions.Length; r++)
            {
                Counters[m, r] = new ModelCounters();
            }
        }

        ProviderRequests = new long[world.Models.Length];
        ProviderCost = new double[world.Models.Length];
        _spend = new double[world.Tenants.Length];
        _spendDay = new long[world.Tenants.Length];
        _crossed = new int[world.Tenants.Length];
        for (var i = 0; i < _spendDay.Length; i++)
        {
            _spendDay[i] = start / SimTime.Day;
        }
    }

    public ScenarioConfig Config { get; }

    public World World { get; }

    public long Start { get; }

    public long End { get; }

    public double Noise { get; }

    public string Environment { get; }

    public Incident[] Incidents { get; set; } = [];

    public List<OutboxItem> Outbox { get; } = new(16);

    public List<MemberMark> Marks { get; } = new(8);

    public ModelCounters[,] Counters { get; }

    /// <summary>Requests per model since the last hourly API-cost event.</summary>
    public long[] ProviderRequests { get; }

    /// <summary>Cost per model since the last hourly API-cost event.</summary>
    public double[] ProviderCost { get; }

    /// <summary>Retries waiting in request sources (for the memory bound).</summary>
    public int PendingRetries { get; set; }

    /// <summary>Builds an event of <paramref name="module"/> at true time <paramref name="ticks"/> (the module's clock skew is added) and puts it in the outbox.</summary>
    public int Emit(
        SourceModule module,
        long ticks,
        EventPayload payload,
        Severity severity,
        IReadOnlyDictionary<string, string> tags,
        SimRandom rng,
        Guid? correlationId = null,
        Guid? parentEventId = null,
        long? emitTicks = null)
    {
        var evt = Create(module, ticks, payload, severity, tags, rng, correlationId, parentEventId);
        Outbox.Add(new OutboxItem { Event = evt, EmitTicks = emitTicks ?? ticks });
        return Outbox.Count - 1;
    }

    public AnalyticsEvent Create(
        SourceModule module,
        long ticks,
        EventPayload payload,
        Severity severity,
        IReadOnlyDictionary<string, string> tags,
        SimRandom rng,
        Guid? correlationId = null,
        Guid? parentEventId = null)
    {
        // Millisecond timestamps, floored so that order in true time is kept.
        var stamped = ticks + _skew[(int)module];
        stamped -= stamped % TimeSpan.TicksPerMillisecond;
        return new AnalyticsEvent
        {
            Common = new CommonEventFields
            {
                EventId = rng.NextGuid(),
                Timestamp = new DateTimeOffset(stamped, TimeSpan.Zero),
                SourceModule = module,
                EventType = AnalyticsEventFactory.DefaultEventType(payload),
                CorrelationId = correlationId,
                ParentEventId = parentEventId,
                Severity = severity,
                Environment = Environment,
                Tags = tags,
            },
            Payload = payload,
        };
    }

    public void Mark(int item, IncidentTruthBuilder truth, int stage, string role) =>
        Marks.Add(new MemberMark(item, truth, stage, role, null));

    /// <summary>Notes a request-level event as the onset of <paramref name="stage"/> without making it a member.</summary>
    public void MarkOnset(int item, IncidentTruthBuilder truth, int stage, string role) =>
        Marks.Add(new MemberMark(item, truth, stage, role, null, Member: false));

    public void MarkDecoy(int item, DecoyBuilder decoy) => Marks.Add(new MemberMark(item, null, 0, "decoy", decoy));

    /// <summary>Adds a request's cost to its tenant's daily spend and emits a budget alert when a threshold is crossed.</summary>
    public void TrackSpend(TenantProfile tenant, long ticks, double cost, SimRandom rng)
    {
        var i = tenant.Index;
        var day = ticks / SimTime.Day;
        if (day != _spendDay[i])
        {
            _spendDay[i] = day;
            _spend[i] = 0;
            _crossed[i] = 0;
        }

        _spend[i] += cost;
        var percent = _spend[i] / tenant.DailyBudgetUsd * 100;
        for (var t = _crossed[i]; t < BudgetThresholds.Length && percent >= BudgetThresholds[t]; t++)
        {
            _crossed[i] = t + 1;
            var threshold = BudgetThresholds[t];
            var type = threshold >= 100 ? BudgetAlertType.Exceeded : threshold >= 95 ? BudgetAlertType.Critical : BudgetAlertType.Warning;
            Emit(
                SourceModule.LlmCostOps,
                ticks,
                new BudgetAlertEvent
                {
                    BudgetId = tenant.BudgetId,
                    BudgetName = tenant.Id + " daily LLM spend",
                    BudgetLimitUsd = tenant.DailyBudgetUsd,
                    CurrentSpendUsd = Math.Round(_spend[i], 6),
                    ThresholdPercent = threshold,
                    AlertType = type,
                },
                type == BudgetAlertType.Warning ? Severity.Warning : Severity.Error,
                Tags(("tenant", tenant.Id)),
                rng);
        }
    }

    /// <summary>The tenant's spend so far today, in percent of its daily budget.</summary>
    public double SpendPercent(TenantProfile tenant) => _spend[tenant.Index] / tenant.DailyBudgetUsd * 100;

    public static IReadOnlyDictionary<string, string> Tags(params (string Key, string Value)[] tags)
    {
        var map = new Dictionary<string, string>(tags.Length, StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            map[key] = value;
        }

        return map;
    }
}
