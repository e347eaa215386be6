using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>Collects one incident's truth while the stream is generated; memory is bounded by the member cap and the world's user count.</summary>
internal sealed class IncidentTruthBuilder
{
    private readonly List<MemberTruth> _members = [];
    private readonly List<(int From, int To, string Relationship, double LagSeconds)> _links = [];
    private readonly List<AffectedSeries> _series = [];
    private readonly List<AggregateRule> _aggregateRules = [];
    private readonly HashSet<long> _users = [];
    private readonly int _maxMembers;
    private int _omitted;

    public IncidentTruthBuilder(string id, string template, long start, long end, int maxMembers, string[] correlationTypes)
    {
        Id = id;
        Template = template;
        Start = start;
        End = end;
        _maxMembers = maxMembers;
        CorrelationTypes = correlationTypes;
    }

    public string Id { get; }

    public string Template { get; }

    public long Start { get; }

    public long End { get; }

    public string[] CorrelationTypes { get; }

    public bool NegativeControl { get; set; }

    public List<Stage> Stages { get; } = [];

    public RootCauseTruth? Root { get; set; }

    public long ScopeAttempts;
    public long IncidentFailures;
    public double ExpectedSuccess;
    public long ActualSuccess;
    public double ActualCost;
    public double BaselineCost;
    public double LatencySum;
    public double BaseLatencySum;
    public double AffectedRequests;

    public int AddStage(string name, long plannedOnset)
    {
        Stages.Add(new Stage(name, plannedOnset));
        return Stages.Count - 1;
    }

    public void Link(int from, int to, string relationship, double lagSeconds) => _links.Add((from, to, relationship, lagSeconds));

    /// <summary>
    /// Lists a series the incident moves. When <paramref name="stage"/> is a stage index and the series is one of the
    /// window aggregates (<c>error_rate</c>, <c>throughput</c>, tags among <c>model_id</c>, <c>region</c>,
    /// <c>provider</c>), every aggregate event of the series whose window overlaps the series' window is a member of
    /// that stage (see <see cref="AggregateStage"/>); -1 lists the series without making members.
    /// </summary>
    public void AddSeries(int stage, string measurement, string field, string aggregation, long windowStart, long windowEnd, params (string Key, string Value)[] tags)
    {
        _series.Add(SeriesFactory.Create(measurement, field, aggregation, windowStart, windowEnd, tags));
        if (stage < 0 || measurement is not ("error_rate" or "throughput"))
        {
            return;
        }

        string? model = null, region = null, provider = null;
        foreach (var (key, value) in tags)
        {
            switch (key)
            {
                case "model_id": model = value; break;
                case "region": region = value; break;
                case "provider": provider = value; break;
                default: return; // Aggregates carry no other tag, so no aggregate event belongs to this series.
            }
        }

        _aggregateRules.Add(new AggregateRule(stage, measurement, model, region, provider, windowStart, windowEnd));
    }

    /// <summary>
    /// The stage a window aggregate event belongs to, or -1: the first listed series of its measurement whose tags it
    /// carries and whose window overlaps the aggregate's window (<paramref name="windowStart"/>, <paramref name="windowEnd"/>].
    /// </summary>
    public int AggregateStage(string measurement, string model, string region, string provider, long windowStart, long windowEnd)
    {
        foreach (var rule in _aggregateRules)
        {
            if (rule.Measurement == measurement && windowEnd > rule.Start && windowStart < rule.End
                && (rule.Model is null || rule.Model == model) && (rule.Region is null || rule.Region == region)
                && (rule.Provider is null || rule.Provider == provider))
            {
                return rule.Stage;
            }
        }

        return -1;
    }

    public IReadOnlyList<AffectedSeries> Series => _series;

    public void AddUser(int tenant, int user) => _users.Add(((long)tenant << 32) | (uint)user);

    /// <summary>Records an emitted event as its stage's onset when it is the first, and as a member unless <paramref name="member"/> is false.</summary>
    public void Commit(AnalyticsEvent evt, int stage, string role, bool member = true)
    {
        var s = Stages[stage];
        if (s.OnsetId is null)
        {
            s.OnsetId = evt.EventId;
            s.OnsetTicks = evt.Timestamp.UtcTicks;
        }

        if (string.Equals(role, "root_cause", StringComparison.Ordinal) && Root is { } root)
        {
            Root = root with { Emitted = true };
        }

        if (!member)
        {
            return;
        }

        if (_members.Count < _maxMembers)
        {
            _members.Add(new MemberTruth
            {
                EventId = evt.EventId,
                Timestamp = evt.Timestamp,
                SourceModule = ModuleNames.Get(evt.SourceModule),
                Role = role,
                Stage = s.Name,
            });
        }
        else
        {
            _omitted++;
        }
    }

    public IncidentTruth Build()
    {
        var stages = new StageTruth[Stages.Count];
        for (var i = 0; i < stages.Length; i++)
        {
            var s = Stages[i];
            stages[i] = new StageTruth
            {
                Name = s.Name,
                PlannedOnset = SimTime.ToOffset(s.PlannedOnset),
                OnsetEventId = s.OnsetId,
                OnsetTimestamp = s.OnsetTicks is { } t ? SimTime.ToOffset(t) : null,
            };
        }

        var links = new CausalLinkTruth[_links.Count];
        for (var i = 0; i < links.Length; i++)
        {
            var (from, to, relationship, lag) = _links[i];
            var a = Stages[from];
            var b = Stages[to];
            links[i] = new CausalLinkTruth
            {
                FromStage = a.Name,
                ToStage = b.Name,
                FromEventId = a.OnsetId,
                ToEventId = b.OnsetId,
                Relationship = relationship,
                LagSeconds = Math.Round(lag, 3),
                ObservedLagSeconds = a.OnsetTicks is { } ta && b.OnsetTicks is { } tb ? SimTime.Seconds(tb - ta) : null,
            };
        }

        return new IncidentTruth
        {
            Id = Id,
            Template = Template,
            NegativeControl = NegativeControl,
            Start = SimTime.ToOffset(Start),
            End = SimTime.ToOffset(End),
            Root = Root,
            CorrelationTypes = CorrelationTypes,
            Stages = stages,
            CausalLinks = links,
            Members = [.. _members],
            MembersOmitted = _omitted,
            AffectedSeries = [.. _series],
            Impact = BuildImpact(),
        };
    }

    private ImpactTruth BuildImpact()
    {
        var extra = ActualCost - BaselineCost;
        return new ImpactTruth
        {
            LatencyIncreasePercent = Round(BaseLatencySum > 0 ? ((LatencySum / BaseLatencySum) - 1) * 100 : 0),
            ErrorRateIncreasePercent = Round(ScopeAttempts > 0 ? 100.0 * IncidentFailures / ScopeAttempts : 0),
            ThroughputChangePercent = Round(ExpectedSuccess > 0 ? ((ActualSuccess / ExpectedSuccess) - 1) * 100 : 0),
            AdditionalCostUsd = Math.Round(extra, 6),
            CostIncreasePercent = Round(BaselineCost > 0 ? extra / BaselineCost * 100 : 0),
            AffectedRequests = (long)Math.Round(AffectedRequests),
            UsersAffected = _users.Count,
        };
    }

    private static double Round(double value) => Math.Round(value, 3);

    private sealed record AggregateRule(int Stage, string Measurement, string? Model, string? Region, string? Provider, long Start, long End);

    /// <summary>A step of the story and its first emitted event.</summary>
    internal sealed class Stage(string name, long plannedOnset)
    {
        public string Name { get; } = name;

        public long PlannedOnset { get; } = plannedOnset;

        public Guid? OnsetId { get; set; }

        public long? OnsetTicks { get; set; }
    }
}
