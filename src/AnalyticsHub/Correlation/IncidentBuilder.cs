using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation;

/// <summary>
/// The streaming incident builder: takes every event, keeps the few that are evidence, groups them on event time into
/// incidents by shared entities, co-onset and propagation rules (docs/correlation.md), and reports each incident's
/// lifecycle (open, update, close) through <see cref="IncidentLifecycleSink"/>.
/// </summary>
/// <remarks>
/// Evidence waits in a buffer until the newest event time has moved <see cref="CorrelationStageOptions.AllowedLateness"/>
/// past its turn (its time, or half the allowed lateness before an anomaly episode's <c>detected_at</c> when that is
/// later), then is grouped in (turn, event id)
/// order as each event moves event time on, so delivery order within that bound, repeated deliveries and where batches
/// are cut do not change the incidents. Every decision (join, open, update, close) depends only on that ordered sequence, so a
/// replay emits byte-identical lifecycle events. Memory: the buffered evidence, the open incidents (capped) and their
/// members (capped), the dormant changes (capped), a model-to-provider map, the latest failover onto each model and the
/// (tenant, address) pairs seen. Single-threaded.
/// </remarks>
internal sealed class IncidentBuilder
{
    private static readonly DerivedIdSpace IncidentIds = DerivedEvents.Space("correlation");

    private readonly CorrelationStageOptions _options;
    private readonly IncidentLifecycleSink _sink;
    private readonly PriorityQueue<Evidence, (long Turn, Guid Id)> _buffer = new();
    private readonly HashSet<Guid> _buffered = [];
    private readonly List<Incident> _open = [];
    private readonly PriorityQueue<Incident, (long LastActivity, long Order)> _idle = new();
    private readonly Dictionary<Guid, Incident> _episodeOwners = [];
    private readonly Dictionary<string, string> _providers = new(StringComparer.Ordinal);
    private readonly HashSet<(string Tenant, string Address)> _knownAddresses = [];
    private readonly Dictionary<string, AggregateSeries> _aggregates = new(StringComparer.Ordinal);
    private readonly IncidentKeyIndex _index = new();
    private readonly List<Incident> _timed = [];
    private readonly List<Incident> _reported = [];
    private readonly List<Incident> _candidates = [];
    private readonly List<Incident> _named = [];
    private readonly List<Evidence> _dormant = [];
    private readonly Dictionary<string, long> _switchedTo = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Model, long Ticks, Evidence Switch, long FaultStart)> _latestSwitch = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Feature, CompletionLevel Level)>> _completionLevels = new(StringComparer.Ordinal);
    private int _completionLevelCount;
    private readonly bool[] _eligible = new bool[2];
    private long _nextOrder;
    private int _openCount;
    private long _closeFloor = long.MaxValue;
    /// <summary>What a ceiling of affinity must fall below 1 by before a candidate is passed over: sums of exact binary fractions, so any margin is only caution.</summary>
    private const double CeilingMargin = 1e-9;

    /// <summary>The CUSUM's reference value in <see cref="MoveStart"/>: half a standard deviation per aggregate, so noise drifts the sum down.</summary>
    private const double MoveDrift = 0.5;

    /// <summary>The CUSUM peak, in standard deviations, that dates a traffic series' move before the incident was first seen.</summary>
    private const double MoveEvidence = 1;

    private readonly long _lateness;
    private readonly long _gap;
    private readonly long _align;
    private readonly long _maxDuration;
    private readonly long _dormantWindow;
    private long _watermark = long.MinValue;

    public IncidentBuilder(CorrelationStageOptions options, IncidentLifecycleSink sink)
    {
        _options = options;
        _sink = sink;
        _lateness = options.AllowedLateness.Ticks;
        _gap = options.IncidentGap.Ticks;
        _align = options.AlignmentWindow.Ticks;
        _maxDuration = options.MaxIncidentDuration.Ticks;
        _dormantWindow = options.DormantChangeWindow.Ticks;
    }

    /// <summary>Called with each piece of evidence as it is grouped, in event-time order (root-cause ranking records anomaly openings).</summary>
    public Action<Evidence>? EvidenceGrouped { get; init; }

    /// <summary>Incidents closed early because <see cref="CorrelationStageOptions.MaxOpenIncidents"/> was reached.</summary>
    public long IncidentsClosedAtCap { get; private set; }

    /// <summary>Evidence left out of member lists because of <see cref="CorrelationStageOptions.MaxMembersPerIncident"/>.</summary>
    public long MembersOmitted { get; private set; }

    /// <summary>Incidents reported (an open event emitted).</summary>
    public long IncidentsReported { get; private set; }

    /// <summary>Groups closed without reaching <see cref="CorrelationStageOptions.MinimumSources"/>: an unexplained blip, never reported.</summary>
    public long CandidatesDropped { get; private set; }

    /// <summary>Evidence that arrived after its time had been grouped (beyond the allowed lateness) and was grouped on arrival.</summary>
    public long LateEvidence { get; private set; }

    /// <summary>Incidents open now (reported or still candidates).</summary>
    public int OpenCount => _openCount;

    /// <summary>What the builder retains now (the dormant changes counted with the evidence), with the bytes the analysis beside it retains.</summary>
    /// <param name="analysisBytes">The estimated bytes of the analysis state (root-cause history, usage ledger).</param>
    public CorrelationMemoryReport MemoryReport(long analysisBytes)
    {
        var members = 0;
        var keys = 0;
        foreach (var incident in _open)
        {
            if (incident.IsClosed)
            {
                continue;
            }

            members += incident.Members.Count;
            keys += incident.Keys.Count + incident.Sources.Count;
        }

        // Per buffered or member evidence: the evidence object, its keys array and strings, the retained event (~600 B).
        const int perEvidence = 900;
        var bytes = ((long)(_buffer.Count + members + _dormant.Count) * perEvidence) + ((long)keys * 96) + (_openCount * 512L)
            + ((_providers.Count + _knownAddresses.Count + _episodeOwners.Count) * 96L) + CompletionLevelBytes();
        return new CorrelationMemoryReport
        {
            OpenIncidents = _openCount,
            BufferedEvidence = _buffer.Count,
            Members = members,
            EntityKeys = keys,
            KnownAddresses = _knownAddresses.Count,
            EstimatedBytes = bytes + analysisBytes,
            AnalysisBytes = analysisBytes,
            IncidentsReported = IncidentsReported,
            IncidentsClosedAtCap = IncidentsClosedAtCap,
            MembersOmitted = MembersOmitted,
            CandidatesDropped = CandidatesDropped,
            LateEvidence = LateEvidence,
        };
    }

    /// <summary>Takes the next stored event: advances event time and keeps it when it is evidence.</summary>
    /// <returns>The event as evidence (also when it repeats one already buffered), or <see langword="null"/> when it is none.</returns>
    public Evidence? Observe(AnalyticsEvent evt)
    {
        var ticks = evt.Timestamp.UtcTicks;
        if (evt.SourceModule != SourceModule.LlmAnalyticsHub && ticks > _watermark)
        {
            // Grouping keeps pace with event time, event by event: what is grouped (and what the lifecycle events it
            // emits see of the stream) is fixed by the events delivered so far, never by where a batch ends.
            _watermark = ticks;
            Settle(ticks - _lateness);
        }

        switch (evt.Payload)
        {
            case TokenUsageMetrics usage:
                if (_completionLevelCount > 0)
                {
                    CountCompletion(evt, usage);
                }

                return null;
            case LatencyMetrics or TokenCostEvent:
                return null;
        }

        Evidence? evidence;
        switch (evt.Payload)
        {
            case ErrorRateMetrics rate:
                LearnProvider(rate.ModelId, evt);
                evidence = rate.TotalRequests == 0 ? null : Evidence.Aggregate(evt, "error_rate", rate.ModelId, [rate.ErrorRatePercent]);
                break;
            case ThroughputMetrics throughput:
                LearnProvider(throughput.ModelId, evt);
                evidence = Evidence.Aggregate(evt, "throughput", throughput.ModelId, [throughput.RequestsPerSecond, throughput.TokensPerSecond]);
                break;
            default:
                evidence = Evidence.TryCreate(evt, _providers);
                break;
        }

        if (evidence is null || !_buffered.Add(evt.EventId))
        {
            return evidence;
        }

        if (evidence.ActsSlowly)
        {
            TrackCompletionLevel(evidence);
        }

        var turn = TurnOf(evidence);
        if (_watermark != long.MinValue && turn <= _watermark - _lateness)
        {
            LateEvidence++;
        }

        _buffer.Enqueue(evidence, (turn, evt.EventId));
        return evidence;
    }

    /// <summary>
    /// End of a batch: drops the incidents closed during it from the open list. Grouping itself does not wait for the
    /// batch's end: <see cref="Observe"/> groups the evidence the allowed lateness has passed as each event moves event
    /// time on, so where batches are cut (the pipeline's size- or timer-driven flushes) changes no decision and no
    /// lifecycle event.
    /// </summary>
    public void Advance()
    {
        if (_openCount < _open.Count)
        {
            _open.RemoveAll(static incident => incident.IsClosed);
        }
    }

    /// <summary>End of the stream: groups everything buffered and closes every open incident.</summary>
    public void Complete()
    {
        Release(long.MaxValue);
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            if (!_open[i].IsClosed)
            {
                Close(_open[i], "end_of_stream");
            }
        }

        _open.Clear();
        _idle.Clear();
        _index.Clear();
        _timed.Clear();
        _reported.Clear();
        _closeFloor = long.MaxValue;
    }

    /// <summary>
    /// When evidence is grouped, in event time: at its time, unless it became known more than half the allowed lateness
    /// after it (an anomaly episode its detector confirmed late, <see cref="Evidence.DetectedTicks"/>), then half the
    /// allowed lateness before it became known. The hub's own stages emit derived evidence after the batch that decided
    /// it, so evidence grouped at its time could otherwise arrive before or after the bound passed it depending on where
    /// batches are cut; a turn fixed by the evidence itself keeps the grouping order independent of batch boundaries.
    /// </summary>
    private long TurnOf(Evidence evidence) =>
        evidence.DetectedTicks > evidence.Ticks ? Math.Max(evidence.Ticks, evidence.DetectedTicks - _lateness / 2) : evidence.Ticks;

    private void LearnProvider(string model, AnalyticsEvent evt)
    {
        if (evt.Common.Tags.TryGetValue("provider", out var provider) && !_providers.ContainsKey(model))
        {
            _providers[model] = provider;
        }
    }

    /// <summary>Groups every buffered piece of evidence at or before <paramref name="bound"/>, and closes the incidents gone quiet by then.</summary>
    private void Settle(long bound)
    {
        Release(bound);
        CloseIdle(bound, "quiet");
    }

    private void Release(long bound)
    {
        while (_buffer.TryPeek(out var evidence, out var priority) && priority.Turn <= bound)
        {
            _buffer.Dequeue();
            _buffered.Remove(evidence.Event.EventId);
            CloseIdle(evidence.Ticks, "quiet");
            // An address is new at its earliest access by event time, not at the first to arrive (a login delivered late).
            var grouped = evidence.EntryFromNewAddress(_knownAddresses);
            EvidenceGrouped?.Invoke(grouped);
            Process(grouped);
            FlushPending(grouped.Ticks);
        }
    }

    private void Process(Evidence evidence)
    {
        if (evidence.Kind == EvidenceKind.Aggregate)
        {
            ProcessAggregate(evidence);
            return;
        }

        if (evidence.Kind == EvidenceKind.AnomalyClose)
        {
            if (_episodeOwners.Remove(evidence.OpeningId, out var owner) && owner.CloseEpisode(evidence.OpeningId, evidence.Ticks))
            {
                Changed(owner);
                MaybeEmit(owner, evidence.Ticks);
            }

            return;
        }

        if (evidence.SwitchedTo is { } switchedTo)
        {
            _switchedTo[switchedTo] = _switchedTo.TryGetValue(switchedTo, out var switched) ? Math.Max(switched, evidence.Ticks) : evidence.Ticks;
            if (evidence.RegionKey is { } region)
            {
                if (!_latestSwitch.TryGetValue(region, out var latest) || evidence.Ticks >= latest.Ticks)
                {
                    _latestSwitch[region] = (switchedTo, evidence.Ticks, evidence, FaultStartBefore(evidence));
                }
            }
        }

        Incident? best = null;
        var bestAffinity = default(Affinity);
        var entityCeiling = EntityCeiling(evidence);

        // Evidence that cannot reach 1 with an incident that holds no signal (a change that names only broad entities)
        // can join only an incident that joins by time: it visits those, looking its keys up in each, and marks none.
        var timedOnly = entityCeiling + TemporalCeiling(hasSignal: false, evidence) < 1 - CeilingMargin;
        var byTime = timedOnly || evidence.Kind is EvidenceKind.Anomaly or EvidenceKind.PolicyViolation or EvidenceKind.BudgetAlert;
        foreach (var incident in Candidates(evidence, timedOnly ? 0 : evidence.Keys.Length, byTime))
        {
            if (incident.IsClosed || entityCeiling + TemporalCeiling(incident.Signals.Count > 0, evidence) < 1 - CeilingMargin)
            {
                continue;
            }

            // The candidates come in no particular order: among equal affinities and onsets the first opened wins.
            var affinity = AffinityOf(incident, evidence);
            if (affinity.Total >= 1 && (best is null || affinity.Total > bestAffinity.Total
                || (affinity.Total == bestAffinity.Total && (incident.Onset > best.Onset || (incident.Onset == best.Onset && incident.Order < best.Order)))))
            {
                best = incident;
                bestAffinity = affinity;
            }
        }

        var claimed = best is null ? null : Claim(best, evidence);
        if (best is null || claimed is not null)
        {
            if (_openCount >= _options.MaxOpenIncidents)
            {
                IncidentsClosedAtCap++;
                Close(LeastRecentlyActive(), "open_incident_cap");
            }

            if ((claimed ?? Adopt(evidence)) is { } change)
            {
                // The episode opens the incident of the dormant change it adopts: the change first (the root and onset),
                // the episode joined by the model they both name.
                best = new Incident(IncidentIds, change, _options.MaxMembersPerIncident, _index) { Order = _nextOrder++ };
                best.Add(evidence, new Affinity(1, 0));
                best.Adopted(change, evidence);
            }
            else
            {
                best = new Incident(IncidentIds, evidence, _options.MaxMembersPerIncident, _index) { Order = _nextOrder++ };
            }

            _open.Add(best);
            _openCount++;
        }
        else
        {
            var omitted = best.MembersOmitted;
            if (!best.Add(evidence, bestAffinity))
            {
                return;
            }

            MembersOmitted += best.MembersOmitted - omitted;
        }

        Changed(best);

        if (evidence.Kind == EvidenceKind.Anomaly)
        {
            _episodeOwners[evidence.Event.EventId] = best;
        }

        MaybeEmit(best, evidence.Ticks);
    }

    /// <summary>
    /// The dormant change (docs/correlation.md, "Dormant changes") that a rising episode about to open an incident of its
    /// own adopts, removed from the dormant list; <see langword="null"/> when none fits. A change fits when the episode
    /// starts within <see cref="CorrelationStageOptions.DormantChangeWindow"/> after it, is of a kind the change can cause
    /// (<see cref="Evidence.Moves"/>: a prompt-template change moves tokens and spend, not errors or request counts), and
    /// names the change's model (and its feature, when both name one). It yields to a stronger explanation: a failover
    /// that switched traffic onto that model after the change (more requests raise its tokens and spend) leaves it
    /// dormant. An episode that joins an open incident (an outage's, a surge's) never reaches this. The latest fitting
    /// change wins.
    /// </summary>
    private Evidence? Adopt(Evidence episode, bool whileEffectShows = false)
    {
        if (episode.Kind != EvidenceKind.Anomaly || episode.Direction <= 0 || _dormant.Count == 0)
        {
            return null;
        }

        var ticks = episode.Ticks;
        _dormant.RemoveAll(change => change.Ticks + _dormantWindow + _lateness < ticks && !EffectShows(change, ticks));
        for (var i = _dormant.Count - 1; i >= 0; i--)
        {
            var change = _dormant[i];
            if (ticks < change.Ticks || !StillDormant(change, ticks) || !change.Moves(episode.Category) || !Routes(change, episode))
            {
                continue;
            }

            if (ExplainedByFailover(change, ticks) || (whileEffectShows && !EffectShows(change, ticks)))
            {
                continue;
            }

            _dormant.RemoveAt(i);
            if (CompletionLevelOf(change) is { } level)
            {
                level.Adopted = true;
            }

            return change;
        }

        return null;
    }

    /// <summary>
    /// The dormant change a rising episode adopts instead of joining <paramref name="incident"/>, which holds nothing that
    /// can raise it: no cause (no change, no access from a new address) and no rising request count other than the traffic
    /// a failover switched (<see cref="RequestsRiseBeyondAFailover"/>: more requests raise tokens and spend). Only a change
    /// whose effect shows at the episode (<see cref="EffectShows"/>) claims it; the episode then opens the change's
    /// incident as in <see cref="Adopt"/>. <see langword="null"/> when none does.
    /// </summary>
    private Evidence? Claim(Incident incident, Evidence episode) =>
        episode.Kind == EvidenceKind.Anomaly && episode.Direction > 0 && _dormant.Count > 0
        && incident.FirstRoot == long.MaxValue && incident.AdoptedChange is null
        && !RequestsRiseBeyondAFailover(incident)
            ? Adopt(episode, whileEffectShows: true)
            : null;

    /// <summary>
    /// Whether the incident holds a rising request-count episode other than the traffic a failover switched onto its model
    /// (<see cref="IsSwitchedTraffic"/>). The switched requests are the failover's evidence, and a failover explains a rise
    /// of tokens or spend no more than <see cref="ExplainedByFailover"/> lets it: not while the change's own effect shows,
    /// which <see cref="Claim"/> requires. Other rising requests (a surge, a client's retries) still keep the episode.
    /// </summary>
    private bool RequestsRiseBeyondAFailover(Incident incident)
    {
        foreach (var signal in incident.Signals)
        {
            var e = signal.Evidence;
            if (e.Category == SignalCategory.Traffic && e.Direction > 0 && !IsSwitchedTraffic(e))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a rising episode is the traffic the latest switch of its region moved onto its model, from the alignment
    /// window before the switch on, for at most <see cref="CorrelationStageOptions.MaxIncidentDuration"/> (as
    /// <see cref="CarriesSwitchedTraffic"/> reads an aggregate), or that traffic seen across the model's regions
    /// (<see cref="SwitchedTrafficSeenModelWide"/>).
    /// </summary>
    private bool IsSwitchedTraffic(Evidence episode)
    {
        if (episode.RegionKey is not { } region)
        {
            return SwitchedTrafficSeenModelWide(episode);
        }

        return _latestSwitch.TryGetValue(region, out var latest) && latest.Model == ModelKey(episode)
            && latest.Ticks <= episode.Ticks + _align && episode.Ticks <= latest.Ticks + _maxDuration;
    }

    /// <summary>
    /// Whether a failover onto the change's model after it (or up to an alignment window before it), and before the
    /// episode at <paramref name="ticks"/>, explains the episode instead: more requests on the model raise its tokens and
    /// spend too. Not when the change's own effect shows (<see cref="EffectShows"/>): a failover adds requests, it does not
    /// raise the completion tokens per request of the feature the change changed.
    /// </summary>
    private bool ExplainedByFailover(Evidence change, long ticks) =>
        _switchedTo.TryGetValue(ModelKey(change)!, out var switched) && switched >= change.Ticks - _align && switched <= ticks
        && !EffectShows(change, ticks);

    /// <summary>
    /// Whether a dormant change can still be adopted by an episode at <paramref name="ticks"/>: within
    /// <see cref="CorrelationStageOptions.DormantChangeWindow"/> after it, or later while its effect still shows
    /// (<see cref="EffectShows"/>): a template's ramp may surface in an episode only after the window, and the change that
    /// raised its feature's completions and keeps them raised is still what explains it.
    /// </summary>
    private bool StillDormant(Evidence change, long ticks) =>
        ticks <= change.Ticks + _dormantWindow || EffectShows(change, ticks);

    /// <summary>
    /// Whether a change's effect shows at <paramref name="ticks"/>: the completion tokens per request of the model and
    /// feature it changed stand above every minute of their level before it (<see cref="CompletionLevel.StaysRaised"/>).
    /// False for a change whose level is not counted (no feature named, or dropped for a later change).
    /// </summary>
    private bool EffectShows(Evidence change, long ticks) =>
        CompletionLevelOf(change) is { } level && level.StaysRaised(ticks);

    /// <summary>Whether an episode names the model a change names, and the same feature when both name one.</summary>
    private static bool Routes(Evidence change, Evidence episode)
    {
        var named = false;
        foreach (var key in change.Keys)
        {
            var isModel = key.StartsWith("model_id=", StringComparison.Ordinal);
            if (!isModel && !key.StartsWith("feature=", StringComparison.Ordinal))
            {
                continue;
            }

            if (Array.IndexOf(episode.Keys, key) >= 0)
            {
                named |= isModel;
                continue;
            }

            // A different value of the entity on the episode: another model or another feature.
            var entity = key.AsSpan(0, key.IndexOf('=', StringComparison.Ordinal) + 1);
            foreach (var other in episode.Keys)
            {
                if (other.AsSpan().StartsWith(entity, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return named;
    }

    private static string? ModelKey(Evidence evidence) =>
        Array.Find(evidence.Keys, static key => key.StartsWith("model_id=", StringComparison.Ordinal));

    /// <summary>
    /// Keeps a candidate's lone change dormant when it moves only usage and names a model
    /// (<see cref="Evidence.ActsSlowly"/>): its effect may surface after its candidate has gone quiet. The list holds at
    /// most <see cref="CorrelationStageOptions.MaxOpenIncidents"/> changes (the oldest leave first) and sheds the ones
    /// past the window as episodes look it up.
    /// </summary>
    private void KeepDormant(Incident candidate)
    {
        if (_dormantWindow > 0 && candidate.Sources.Count == 1 && candidate.Members.Count > 0
            && candidate.Members[0].Evidence is { ActsSlowly: true } change && ModelKey(change) is not null)
        {
            if (_dormant.Count >= _options.MaxOpenIncidents)
            {
                _dormant.RemoveAt(0);
            }

            _dormant.Add(change);
        }
    }

    /// <summary>
    /// A window aggregate: scored against its series' baseline, then offered to every open incident that names its model
    /// (or its provider and region). Its deviations since the incident's onset are summed; once they show a move, the
    /// series' aggregates from the onset on are members, and a still-deviating one keeps the incident active.
    /// Aggregates never open an incident.
    /// </summary>
    private void ProcessAggregate(Evidence aggregate)
    {
        if (!_aggregates.TryGetValue(aggregate.Series!, out var series))
        {
            series = new AggregateSeries(aggregate.Values.Length);
            _aggregates.Add(aggregate.Series!, series);
        }

        var z = series.Add(aggregate);
        var upOnly = aggregate.Category == SignalCategory.Errors;
        _named.Clear();
        foreach (var incident in Candidates(aggregate, KeysNamed(aggregate), byTime: upOnly))
        {
            if (!incident.IsClosed && aggregate.Ticks >= incident.Onset && Names(incident, aggregate))
            {
                _named.Add(incident);
            }
        }

        // In the order the incidents opened, the order their lifecycle events come in. Taking the aggregate changes only
        // the incident that takes it, so which incidents it names is settled before the first takes it.
        if (_named.Count > 1)
        {
            _named.Sort(static (a, b) => a.Order.CompareTo(b.Order));
        }

        foreach (var incident in _named)
        {
            if (!incident.Involvements.TryGetValue(series, out var involvement))
            {
                involvement = new SeriesInvolvement(z.Length);
                incident.Involvements.Add(series, involvement);
                for (var k = 0; k < AggregateSeries.RingSize; k++)
                {
                    if (Backlog(series, k, SumsFrom(incident), aggregate.Ticks) is { } earlier)
                    {
                        involvement.Add(earlier.Z);
                    }
                }
            }

            involvement.Add(z);
            if (involvement.Involved)
            {
                // The series belongs to the incident while the incident lasts: an episode still open, or within a window
                // of its latest other evidence; after that (a rollback, the episodes' ends) it is normal traffic again.
                // A series the adopted change routes lasts with the change's effect, not with later episodes of the incident.
                if (RoutedByAdoption(incident, aggregate))
                {
                    AddRouted(incident, aggregate);
                }
                else if (Lasts(incident, aggregate, involvement.JoinedAsBlocked))
                {
                    AddAggregate(incident, aggregate);
                }
            }
            else if (aggregate.Ticks <= SumsFrom(incident) + _gap + _gap
                && (RoutedByAdoption(incident, aggregate) ? incident.AdoptionLasts(aggregate.Ticks)
                    : involvement.Moved(upOnly, _options.AggregateMoveThreshold, Eligible(incident, aggregate))))
            {
                involvement.Involved = true;
                involvement.JoinedAsBlocked = NamesOnlyAsBlocked(incident, aggregate);
                var datedBack = !RoutedByAdoption(incident, aggregate) && aggregate.Category == SignalCategory.Traffic;
                var from = RoutedByAdoption(incident, aggregate) ? GrowthOnset(incident)
                    : datedBack ? MoveStart(series, incident, involvement, Eligible(incident, aggregate))
                    : aggregate.Category == SignalCategory.Errors ? FaultStart(incident) : incident.Onset;
                var onset = incident.Onset;
                for (var k = 0; k < AggregateSeries.RingSize; k++)
                {
                    if (Backlog(series, k, from, aggregate.Ticks) is { } earlier)
                    {
                        AddAggregate(incident, earlier.Evidence);
                    }
                }

                AddAggregate(incident, aggregate);
                if (datedBack)
                {
                    involvement.MembersFrom = from;
                    if (incident.Onset < onset)
                    {
                        ExtendBackFill(incident);
                    }
                }
            }
        }
    }

    /// <summary>
    /// An aggregate of a series the incident's adopted change routes (<see cref="RoutedByAdoption"/>): a member while the
    /// adopting episode lasts, and after it while the change's effect lasts (<see cref="EffectLasts"/>), then as the
    /// change's lasting effect (<see cref="Incident.AddEffect"/>): a changed template stays changed after the episode that
    /// showed the move has closed (its detector's baseline caught up with the new level). While the adopting episode
    /// lasts, the change's completion level is followed (<see cref="CompletionLevel.Follow"/>), so its highest level is
    /// the effect's and not the first level read after the episode.
    /// </summary>
    private void AddRouted(Incident incident, Evidence aggregate)
    {
        if (incident.AdoptionLasts(aggregate.Ticks))
        {
            AddAggregate(incident, aggregate);
            if (CompletionLevelOf(incident.AdoptedChange!) is { } level)
            {
                level.Follow(aggregate.Ticks);
            }
        }
        else if (EffectLasts(incident, aggregate.Ticks))
        {
            AddAggregate(incident, aggregate, asEffect: true);
        }
    }

    /// <summary>
    /// Where the routed series of the incident's adopted change start to be members: where the changed model and
    /// feature's completion tokens per request began to grow (<see cref="CompletionLevel.GrowthOnset"/>, read when the first
    /// routed series joins), not at the change — a template's ramp begins a lag after it. The change's own time for a change
    /// whose level is not counted (no feature named, or replaced by a later change). Read at the newest event seen, so
    /// every minute counted so far takes part.
    /// </summary>
    private long GrowthOnset(Incident incident) =>
        CompletionLevelOf(incident.AdoptedChange!) is { } level ? level.GrowthOnset(_watermark) : incident.AdoptedChange!.Ticks;

    /// <summary>
    /// Whether the effect of the incident's adopted change lasts at <paramref name="ticks"/>: the completion tokens per
    /// request of the model and feature it changed (<see cref="CompletionLevel.Lasts"/>) stand above halfway from their
    /// level before the change to their highest level since. A change that names no feature, a change whose level is
    /// unknown, and a change that a later change of the same model and feature replaced show no lasting effect.
    /// </summary>
    private bool EffectLasts(Incident incident, long ticks) =>
        incident.AdoptedChange is { } change && CompletionLevelOf(change) is { } level && level.Lasts(ticks);

    /// <summary>
    /// Starts counting the completion tokens per request of the model and feature a usage-only change names (a
    /// prompt-template change; <see cref="CompletionLevel"/>), from the change on: the observable end of its effect. A later
    /// change of the same model and feature replaces the count. Counts of changes no incident adopted within the dormant
    /// window are dropped as new ones start, and at most <see cref="CorrelationStageOptions.MaxOpenIncidents"/> are kept.
    /// </summary>
    private void TrackCompletionLevel(Evidence change)
    {
        if (ModelKey(change) is not { } modelKey || FeatureKey(change) is not { } featureKey)
        {
            return;
        }

        var model = modelKey["model_id=".Length..];
        var feature = featureKey["feature=".Length..];
        var seenAt = _watermark == long.MinValue ? change.Ticks : _watermark;
        ForgetCompletionLevels(level => level.Change.Ticks + _dormantWindow + _lateness < seenAt && !level.Adopted && !_dormant.Contains(level.Change));
        if (!_completionLevels.TryGetValue(model, out var levels))
        {
            levels = [];
            _completionLevels.Add(model, levels);
        }

        var at = levels.FindIndex(entry => entry.Feature == feature);
        if (at >= 0 && (levels[at].Level.Change.Ticks > change.Ticks || levels[at].Level.Change.Event.EventId == change.Event.EventId))
        {
            // A later change already counts, or this one again (a repeated delivery keeps its count).
            return;
        }

        if (at < 0 && _completionLevelCount >= _options.MaxOpenIncidents)
        {
            var oldest = long.MaxValue;
            foreach (var entry in _completionLevels.Values.SelectMany(static list => list))
            {
                oldest = Math.Min(oldest, entry.Level.Change.Ticks);
            }

            ForgetCompletionLevels(level => level.Change.Ticks == oldest);
        }

        // Kept from the change to the latest adopting episode's routed series (GrowthOnset), and a level's lateness behind.
        var span = Math.Max(change.Ticks, seenAt) - change.Ticks + _dormantWindow + _lateness + (2 * (_align + _gap));
        var tracked = (feature, new CompletionLevel(change, seenAt, _align, span));
        if (at >= 0)
        {
            levels[at] = tracked;
        }
        else
        {
            levels.Add(tracked);
            _completionLevelCount++;
        }
    }

    /// <summary>Counts a request's completion tokens towards the level of its model and feature, when one is tracked.</summary>
    private void CountCompletion(AnalyticsEvent evt, TokenUsageMetrics usage)
    {
        if (_completionLevels.TryGetValue(usage.ModelId, out var levels) && evt.Common.Tags.TryGetValue("feature", out var feature))
        {
            foreach (var (tracked, level) in levels)
            {
                if (tracked == feature)
                {
                    level.Add(evt.Timestamp.UtcTicks, usage.CompletionTokens);
                }
            }
        }
    }

    /// <summary>The level counted for a change, or <see langword="null"/> when none is (or a later change replaced it).</summary>
    private CompletionLevel? CompletionLevelOf(Evidence change)
    {
        if (ModelKey(change) is { } modelKey && FeatureKey(change) is { } featureKey
            && _completionLevels.TryGetValue(modelKey["model_id=".Length..], out var levels))
        {
            var feature = featureKey.AsSpan("feature=".Length);
            foreach (var (tracked, level) in levels)
            {
                if (feature.SequenceEqual(tracked) && level.Change.Event.EventId == change.Event.EventId)
                {
                    return level;
                }
            }
        }

        return null;
    }

    /// <summary>Drops the completion levels that match; called when levels start and when an adopting incident closes.</summary>
    private void ForgetCompletionLevels(Predicate<CompletionLevel> match)
    {
        foreach (var levels in _completionLevels.Values)
        {
            _completionLevelCount -= levels.RemoveAll(entry => match(entry.Level));
        }
    }

    private int CompletionLevelBytes()
    {
        var bytes = 0;
        foreach (var levels in _completionLevels.Values)
        {
            foreach (var (_, level) in levels)
            {
                bytes += level.RetainedBytes;
            }
        }

        return bytes;
    }

    private static string? FeatureKey(Evidence evidence) =>
        Array.Find(evidence.Keys, static key => key.StartsWith("feature=", StringComparison.Ordinal));

    private void AddAggregate(Incident incident, Evidence aggregate, bool asEffect = false, bool renewsNames = true)
    {
        var omitted = incident.MembersOmitted;
        var switched = CarriesSwitchedTraffic(aggregate);
        if (asEffect
            ? incident.AddEffect(aggregate)
            : incident.Add(aggregate, new Affinity(1, 0), extendsActivity: false, renewsNames: renewsNames, places: renewsNames && !switched))
        {
            Changed(incident);
            MembersOmitted += incident.MembersOmitted - omitted;
            MaybeEmit(incident, aggregate.Ticks);
            if (switched && _latestSwitch[aggregate.Keys[^1]] is { FaultStart: not long.MaxValue } failover)
            {
                // The first incident its switched traffic joins takes the failover, once.
                _latestSwitch[aggregate.Keys[^1]] = failover with { FaultStart = long.MaxValue };
                JoinFailoverWithItsFailedSide(incident, failover.Switch, failover.FaultStart);
            }
        }
    }

    /// <summary>
    /// The failover that moved the switched traffic an incident's aggregate carries (<see cref="CarriesSwitchedTraffic"/>)
    /// joins that incident, and brings the side it left: the error-rate and throughput aggregates, in the switch's region,
    /// of every model of the provider it names, from the fault's start (<see cref="FaultStartBefore"/>) to the end of the
    /// switch's minute. The errors that made the router fail over last only until it does, too briefly for an episode,
    /// and aggregates never open an incident, so without the switch they join nothing; the fallback's rise is the same
    /// fault seen from the other side. A switch with no fault before it (a switch back) joins nothing this way, and a
    /// failover joins the first such incident only. The failed side's aggregates name nothing in the incident (no model,
    /// provider or place): the switch brought them, so the failed models' moves elsewhere do not join by their names.
    /// </summary>
    private void JoinFailoverWithItsFailedSide(Incident incident, Evidence failover, long faultStart)
    {
        if (incident.Add(failover, new Affinity(1, 0)))
        {
            Changed(incident);
        }

        var (provider, region) = FailedSide(failover)!.Value;
        var to = failover.Ticks + TimeSpan.TicksPerMinute;
        foreach (var (model, of) in _providers)
        {
            if (of != provider)
            {
                continue;
            }

            foreach (var measurement in (ReadOnlySpan<string>)["error_rate:", "throughput:"])
            {
                if (_aggregates.TryGetValue(string.Concat(measurement, model, ":", region), out var series))
                {
                    for (var k = 0; k < AggregateSeries.RingSize; k++)
                    {
                        if (Backlog(series, k, faultStart, to) is { } earlier)
                        {
                            AddAggregate(incident, earlier.Evidence, renewsNames: false);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The provider and region a switch names (the side its traffic left), as tag values.</summary>
    private static (string Provider, string Region)? FailedSide(Evidence failover) =>
        failover.PlacementOf() is ({ } provider, { } region) ? (provider["provider=".Length..], region["region=".Length..]) : null;

    /// <summary>
    /// Where the fault a failover (a <c>model_switch</c> naming a provider and a region) fled began, read when the switch is
    /// grouped: in the error-rate series of the provider's models in the region, walking each one's kept aggregates back
    /// from the switch, up to the incident gap before it, the run of minutes ending at the switch whose error rate stands
    /// above its level (by <see cref="MoveEvidence"/> deviations or more) and reaches
    /// <see cref="CorrelationStageOptions.AggregateMoveThreshold"/> deviations in one of them; the earliest run's first
    /// minute. <see cref="long.MaxValue"/> when no series shows one (a switch back, a switch with no fault before it).
    /// </summary>
    private long FaultStartBefore(Evidence failover)
    {
        if (FailedSide(failover) is not (string provider, string region))
        {
            return long.MaxValue;
        }

        var faultStart = long.MaxValue;
        foreach (var (model, of) in _providers)
        {
            if (of != provider || !_aggregates.TryGetValue(string.Concat("error_rate:", model, ":", region), out var errors))
            {
                continue;
            }

            var start = long.MaxValue;
            var peak = 0.0;
            for (var k = AggregateSeries.RingSize - 1; k >= 0; k--)
            {
                if (errors.Ring[(errors.Head + k) % AggregateSeries.RingSize] is not { } entry || entry.Evidence.Ticks > failover.Ticks)
                {
                    continue;
                }

                if (entry.Evidence.Ticks < failover.Ticks - _gap || entry.Z[0] < MoveEvidence)
                {
                    break;
                }

                start = entry.Evidence.Ticks;
                peak = Math.Max(peak, entry.Z[0]);
            }

            if (peak >= _options.AggregateMoveThreshold)
            {
                faultStart = Math.Min(faultStart, start);
            }
        }

        return faultStart;
    }

    /// <summary>
    /// Whether an aggregate is of the model that the latest switch of its region's traffic (a failover, a
    /// <c>model_switch</c> naming the region) moved that traffic onto, from the switch (less the alignment window: the
    /// aggregate's window may have begun before the switch's timestamp) until the next switch in the region, at most
    /// <see cref="CorrelationStageOptions.MaxIncidentDuration"/>. Its series moved because traffic was moved onto it,
    /// not because its provider is in trouble there, so it places nothing at its provider in the region
    /// (<see cref="Incident.Placements"/>): the provider's other models there are not named through it.
    /// </summary>
    private bool CarriesSwitchedTraffic(Evidence aggregate)
    {
        var keys = aggregate.Keys;
        return keys.Length > 1 && keys[^1].StartsWith("region=", StringComparison.Ordinal)
            && _latestSwitch.TryGetValue(keys[^1], out var latest) && latest.Model == keys[0]
            && latest.Ticks <= aggregate.Ticks + _align && aggregate.Ticks <= latest.Ticks + _maxDuration;
    }

    /// <summary>
    /// Whether an episode is a rise of the volume (requests, tokens, spend) of a whole model, not scoped to one region (a
    /// rise the anomalies stage scoped to several regions is seen across those regions), that the latest switch of traffic
    /// in one of its regions moved traffic onto, from the alignment window before the switch to the incident gap after
    /// it: the switched traffic arriving, seen across the model's regions. Its model does not
    /// tie it to an incident (<see cref="AffinityOf"/>): read as the model's rise in every region, it would bring every
    /// region's series of the model into the failover's incident, which the switch moved in one region only.
    /// </summary>
    private bool SwitchedTrafficSeenModelWide(Evidence episode)
    {
        if (episode.Kind != EvidenceKind.Anomaly || episode.Direction <= 0 || episode.ScopedRegionKeys.Length == 1
            || episode.Category is not (SignalCategory.Traffic or SignalCategory.Tokens or SignalCategory.Cost)
            || ModelKey(episode) is not { } model)
        {
            return false;
        }

        foreach (var (regionKey, latest) in _latestSwitch)
        {
            if (latest.Model == model && !episode.ScopeLeavesOut(regionKey)
                && latest.Ticks <= episode.Ticks + _align && episode.Ticks <= latest.Ticks + _gap)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Where a traffic series' move began: demand ramps up, and a detector opens its episode minutes into the ramp, so a
    /// series found to have moved is a member from its own change point, up to the alignment window before the incident
    /// was first seen (<see cref="Incident.FirstShown"/>), or further while the move is still under way
    /// (<see cref="RampGoesOn"/>), and never before its first root (a change does not act before it happens); later, the
    /// incident's onset. A one-sided CUSUM walks the series' kept aggregates back from <see cref="Incident.FirstShown"/>,
    /// adding each one's deviation in the move's direction (the largest of the eligible values) less
    /// <see cref="MoveDrift"/>; the move starts where the sum peaks, once the peak reaches <see cref="MoveEvidence"/>.
    /// Error rates are not dated back: their faults start abruptly and their episodes date them. A series of an incident
    /// that adopted a dormant change moved from the change on.
    /// </summary>
    private long MoveStart(AggregateSeries series, Incident incident, SeriesInvolvement involvement, ReadOnlySpan<bool> eligible)
    {
        // A series of an adopted change moved from the change on: a slow ramp grows from nothing at the change and spends
        // its first half hour inside one-minute noise, where no change point can be found.
        if (incident.AdoptedChange is { } change)
        {
            return change.Ticks;
        }

        var anchor = incident.FirstShown;
        double sum = 0, peak = 0;
        var start = anchor;
        for (var k = AggregateSeries.RingSize - 1; k >= 0; k--)
        {
            if (series.Ring[(series.Head + k) % AggregateSeries.RingSize] is not { } entry || entry.Evidence.Ticks >= anchor)
            {
                continue;
            }

            if (!RampGoesOn(entry.Evidence.Ticks, anchor, sum, peak))
            {
                break;
            }

            var step = double.NegativeInfinity;
            for (var i = 0; i < eligible.Length; i++)
            {
                if (eligible[i])
                {
                    step = Math.Max(step, (involvement.Sums[i] >= 0 ? 1 : -1) * entry.Z[i]);
                }
            }

            sum += step - MoveDrift;
            if (sum > peak)
            {
                peak = sum;
                start = entry.Evidence.Ticks;
            }
        }

        var from = peak >= MoveEvidence ? start : anchor;
        if (incident.FirstRoot != long.MaxValue)
        {
            from = Math.Max(from, Math.Min(incident.Onset, incident.FirstRoot));
        }

        return Math.Min(from, incident.Onset);
    }

    /// <summary>
    /// Extends the back-fill of the incident's traffic series that joined before a later one moved its onset earlier: each
    /// is a member from the new onset, but not before the alignment window before the incident was first seen — the span
    /// <see cref="MoveStart"/> searches every series over, whatever its sum. A surge's series reach their threshold in no
    /// fixed order, and the first to join dates only its own move (a ramp's first minutes within its noise leave it a
    /// minute or two before the incident was first seen); when a later series shows the ramp began before that, the
    /// earlier ones are members over the window too, as a series joining after the move is from the onset. Beyond the
    /// window only a series' own rising sum (<see cref="RampGoesOn"/>) dates it: the onset one series' ramp reached is not
    /// another's. Only series dated back (traffic, not an adopted change's) move.
    /// </summary>
    private void ExtendBackFill(Incident incident)
    {
        var onset = Math.Max(incident.Onset, incident.FirstShown - _align);
        foreach (var (series, involvement) in incident.Involvements)
        {
            if (involvement.MembersFrom == long.MaxValue || involvement.MembersFrom <= onset)
            {
                continue;
            }

            for (var k = 0; k < AggregateSeries.RingSize; k++)
            {
                if (Backlog(series, k, onset, involvement.MembersFrom) is { } earlier)
                {
                    AddAggregate(incident, earlier.Evidence);
                }
            }

            involvement.MembersFrom = onset;
        }
    }

    /// <summary>
    /// Whether <see cref="MoveStart"/>'s walk back goes on to an aggregate at <paramref name="ticks"/>, given the sum and its
    /// peak so far: within the alignment window before the incident was first seen it always does; beyond it, up to the
    /// incident gap, only while the ramp is still rising — every aggregate walked so far beyond the window raised the sum
    /// to a new peak, and so did the last one inside it. A surge ramps for a quarter of an hour and its first episodes come
    /// minutes into it, so the ramp's first minutes lie before the alignment window; the first minute that does not
    /// stand out of the level by more than <see cref="MoveDrift"/> ends the walk (a blip before the incident, with level
    /// minutes between, is never reached).
    /// </summary>
    private bool RampGoesOn(long ticks, long anchor, double sum, double peak) =>
        ticks >= anchor - _align || (ticks >= anchor - _gap && sum >= peak);

    /// <summary>
    /// Where the deviations of an incident's aggregate series are summed from, and the two incident gaps in which a series
    /// can join are counted from: <see cref="Incident.MeasuredFrom"/>, but not before the alignment window before the
    /// incident was first seen. A ramp's first minutes dated back beyond it (<see cref="RampGoesOn"/>) are members, but
    /// lie within a few deviations of the level: summed, they would dilute the move of a series that rises later.
    /// </summary>
    private long SumsFrom(Incident incident) => Math.Max(incident.MeasuredFrom, incident.FirstShown - _align);

    /// <summary>
    /// Where an involved error-rate series' fault began: the incident's first symptom (<see cref="Incident.FirstSymptom"/>:
    /// its earliest member that is neither a change nor a window aggregate), else its onset. A fault starts abruptly, but
    /// not at the change that caused it: a deploy's regression surfaces a lag after the deploy, the minutes between are
    /// normal traffic, and the first episode or violation dates the fault (error rates are not dated back, see
    /// <see cref="MoveStart"/>).
    /// </summary>
    private static long FaultStart(Incident incident) =>
        incident.FirstSymptom == long.MaxValue ? incident.Onset : Math.Max(incident.Onset, incident.FirstSymptom);

    /// <summary>
    /// Whether an aggregate's series is one the incident's adopted dormant change routes: its model, and a value the
    /// change moves (a template change: tokens per second, which a <c>throughput</c> aggregate carries). The adopting
    /// episode, on that model in no one region, showed the move, so such a series joins without a sum of deviations (a
    /// low-traffic model's one-minute aggregates vary more than a slow ramp moves them) and is a member while the adopting
    /// episode lasts (<see cref="Incident.AdoptionLasts"/>), not while later episodes do.
    /// </summary>
    private static bool RoutedByAdoption(Incident incident, Evidence aggregate) =>
        incident.AdoptedChange is { } change && aggregate.Category == SignalCategory.Traffic
        && (change.Moves(SignalCategory.Tokens) || change.Moves(SignalCategory.Traffic)) && Array.IndexOf(change.Keys, aggregate.Keys[0]) >= 0;

    /// <summary>
    /// The series' k-th kept aggregate, oldest first, when its time lies in [<paramref name="from"/>, <paramref name="before"/>);
    /// k from 0 to <see cref="AggregateSeries.RingSize"/> - 1 walks the backlog without an iterator.
    /// </summary>
    private static (Evidence Evidence, double[] Z)? Backlog(AggregateSeries series, int k, long from, long before) =>
        series.Ring[(series.Head + k) % AggregateSeries.RingSize] is { } entry && entry.Evidence.Ticks >= from && entry.Evidence.Ticks < before
            ? entry : null;

    /// <summary>
    /// Which of an aggregate's values may show that its series moved with the incident: the kinds of signal the incident
    /// already holds (rising errors: the error rate; traffic: requests per second; tokens: tokens per second), or the
    /// values one of its changes can move when it names the series' model, or its provider and region (a change affects
    /// the metrics of what it changed, <see cref="Evidence.Effects"/>: a deploy its error rate, a prompt-template change
    /// tokens per second). Requests and tokens per second are routed only by a change that cannot fail requests: a fault's
    /// change moves demand through its consequences (retries), which the incident's traffic or token signals show.
    /// Written into one reused buffer, valid until the next call.
    /// </summary>
    private ReadOnlySpan<bool> Eligible(Incident incident, Evidence aggregate)
    {
        var keys = aggregate.Keys;
        var changed = incident.ChangedEntities;
        var routed = changed.GetValueOrDefault(keys[0]);
        if (keys.Length == 3 && changed.TryGetValue(keys[1], out var provider) && changed.TryGetValue(keys[2], out var region))
        {
            routed |= provider & region;
        }

        if (aggregate.Category == SignalCategory.Errors)
        {
            _eligible[0] = Routes(routed, SignalCategory.Errors) || incident.HasCategory(SignalCategory.Errors) || Blocks(incident);
            return _eligible.AsSpan(0, 1);
        }

        // A change that can fail requests (a deploy, a failover: it moves errors) moves demand only through what its
        // fault sets off — retries, users who give up — and that shows in the incident's own traffic or token signals;
        // a change that moves only usage (a template change) routes the usage it moves.
        var usage = Routes(routed, SignalCategory.Errors) ? 0 : routed;
        _eligible[0] = Routes(usage, SignalCategory.Traffic) || incident.HasCategory(SignalCategory.Traffic);
        _eligible[1] = Routes(usage, SignalCategory.Tokens) || incident.HasCategory(SignalCategory.Tokens);
        return _eligible.AsSpan(0, 2);
    }

    /// <summary>Whether the effects a change routes to a series (<see cref="Incident.ChangedEntities"/>) include <paramref name="category"/>.</summary>
    private static bool Routes(int effects, SignalCategory category) => (effects & Evidence.Bit(category)) != 0;

    /// <summary>
    /// Whether an incident holds a policy that keeps blocking requests (its violations spread over at least the alignment
    /// window), whatever model they were for; one violation (a leaked key's) blocks nothing.
    /// </summary>
    private bool Blocks(Incident incident) =>
        incident.Violations.First != long.MaxValue && incident.Violations.Last - incident.Violations.First >= _align;

    /// <summary>
    /// Whether an incident names an aggregate's model within the incident gap, or its provider and region together
    /// (<see cref="Incident.Placements"/>); an incident with policy violations names every model's error rate (blocked
    /// requests fail whichever model they were for).
    /// </summary>
    private bool Names(Incident incident, Evidence aggregate) => NamesAsBlocked(incident, aggregate) || NamesByEntity(incident, aggregate);

    /// <summary>
    /// Whether a policy of the incident that keeps blocking (<see cref="Blocks"/>) names an error-rate aggregate: from
    /// the alignment window before its first violation to the incident gap after its last.
    /// </summary>
    private bool NamesAsBlocked(Incident incident, Evidence aggregate) =>
        aggregate.Category == SignalCategory.Errors && Blocks(incident)
        && aggregate.Ticks >= incident.Violations.First - _align && aggregate.Ticks <= incident.Violations.Last + _gap;

    /// <summary>
    /// Whether only a blocking policy names an error-rate aggregate (<see cref="NamesAsBlocked"/>): the incident names
    /// neither its model nor its provider and region together. Read when its series joins: its own aggregates name its
    /// model from then on.
    /// </summary>
    private bool NamesOnlyAsBlocked(Incident incident, Evidence aggregate) =>
        NamesAsBlocked(incident, aggregate) && !NamesByEntity(incident, aggregate);

    /// <summary>
    /// Whether an involved series' aggregate is a member now: while the incident lasts (an episode still open, or within
    /// a minute of its latest other evidence). An error rate that only a blocking policy named when it joined
    /// (<paramref name="joinedAsBlocked"/>) lasts with the policy's violations instead (<see cref="BlockingGoesOn"/>), not
    /// with the episodes of another fault that joined the incident and keep it open, nor with the name its own aggregates
    /// have given its model since. Any other error rate of an incident whose policy keeps blocking lasts, within the
    /// incident, only while evidence other than its own aggregates still names it (<see cref="NamedByLiveEvidence"/>).
    /// </summary>
    private bool Lasts(Incident incident, Evidence aggregate, bool joinedAsBlocked)
    {
        if (joinedAsBlocked)
        {
            return BlockingGoesOn(incident, aggregate);
        }

        return (incident.OpenEpisodes > 0 || aggregate.Ticks <= incident.LastActivity + TimeSpan.TicksPerMinute)
            && (aggregate.Category != SignalCategory.Errors || !Blocks(incident) || NamedByLiveEvidence(incident, aggregate));
    }

    /// <summary>
    /// Whether an error-rate aggregate falls while the incident's policy blocks: up to two aggregate windows after its
    /// last violation — the window that holds the last blocked requests can end a window after it, and the simulator's
    /// truth lists one more (docs/simulation.md, the membership rule: a series' window overlapping the aggregate's).
    /// </summary>
    private static bool BlockingGoesOn(Incident incident, Evidence aggregate) =>
        aggregate.Ticks <= incident.Violations.Last + (2 * WindowOf(aggregate));

    /// <summary>
    /// Whether an error-rate aggregate of an incident whose policy keeps blocking (<see cref="Blocks"/>) is still named
    /// at its time by evidence other than its series' own aggregates: the policy (<see cref="BlockingGoesOn"/>); a change
    /// of the incident that names its model; or a member episode that names its model (in the aggregate's region, when
    /// the episode is scoped to one), still open or closed at most one aggregate window before. The series' own
    /// aggregates renew its model's name (<see cref="Incident.Add"/>), so an error rate that the policy's own brief
    /// episode on its model named would otherwise stay a member for as long as another fault's episodes keep the
    /// incident open.
    /// </summary>
    private static bool NamedByLiveEvidence(Incident incident, Evidence aggregate)
    {
        if (BlockingGoesOn(incident, aggregate) || incident.ChangedEntities.ContainsKey(aggregate.Keys[0]))
        {
            return true;
        }

        var window = WindowOf(aggregate);
        foreach (var signal in incident.Signals)
        {
            var keys = signal.Evidence.Keys;
            if ((signal.EndTicks == long.MinValue || aggregate.Ticks <= signal.EndTicks + window) && Array.IndexOf(keys, aggregate.Keys[0]) >= 0
                && (signal.Evidence.RegionKey is not { } region || region == aggregate.Keys[^1]) && !signal.Evidence.ScopeLeavesOut(aggregate.Keys[^1]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The window an error-rate aggregate covers, in ticks (0 for any other aggregate).</summary>
    private static long WindowOf(Evidence aggregate) =>
        aggregate.Event.Payload is ErrorRateMetrics rate ? rate.WindowDurationSeconds * TimeSpan.TicksPerSecond : 0;

    /// <summary>
    /// Whether an incident names an aggregate's model within the incident gap, or its provider and region together
    /// (<see cref="Incident.Placements"/>), without a blocking policy's naming.
    /// </summary>
    private bool NamesByEntity(Incident incident, Evidence aggregate)
    {
        var keys = aggregate.Keys;
        // The mark covers the keys read below (KeysNamed): an incident it did not reach names none of them.
        if (!_index.IsMarked(incident))
        {
            return false;
        }

        // The model of an adopted dormant change is named while the incident is open: the change's effect lasts, its
        // signals come late and seldom (docs/correlation.md, "Dormant changes").
        if (_index.Names(incident, keys, 0) && (Math.Abs(aggregate.Ticks - incident.Keys[keys[0]]) <= _gap
            || (incident.AdoptedChange is { } change && Array.IndexOf(change.Keys, keys[0]) >= 0))
            && InRegionScope(incident, aggregate))
        {
            return true;
        }

        return keys.Length == 3 && _index.Names(incident, keys, 1) && incident.Placements.Contains((keys[1], keys[2]));
    }

    /// <summary>
    /// Whether an aggregate of a model the incident names lies in the model's scope there: every region, unless only
    /// regional volume rises name the model (<see cref="Incident.RegionScopedModels"/>); then only their regions.
    /// </summary>
    private static bool InRegionScope(Incident incident, Evidence aggregate) =>
        incident.RegionScopedModels.Count == 0 || !incident.RegionScopedModels.TryGetValue(aggregate.Keys[0], out var regions)
        || !aggregate.Keys[^1].StartsWith("region=", StringComparison.Ordinal) || regions.Contains(aggregate.Keys[^1]);

    /// <summary>
    /// How many of an aggregate's leading keys <see cref="Names"/> reads: its model, and its provider when a region follows
    /// (the placement). The region alone names nothing, so it is not marked: an error-rate aggregate would otherwise visit
    /// every open candidate of its region (most of them a single routine change) only to pass it over.
    /// </summary>
    private static int KeysNamed(Evidence aggregate) => aggregate.Keys.Length == 3 ? 2 : 1;

    /// <summary>
    /// The affinity of evidence to an open incident (docs/correlation.md, "Grouping"): shared entities named within the
    /// incident gap, plus the time rules — co-onset of the same kind of signal moving the same way, a policy's blocks
    /// and rising errors, an access from a new address and the rising usage and spend after it, rising spend and a
    /// projected budget alert, and a change shortly before the signals it explains.
    /// </summary>
    /// <remarks>
    /// <see cref="Candidates"/> relies on its shape: with no shared entity, only an anomaly, a policy violation or a
    /// budget alert can reach 1, and only against an incident that <see cref="Incident.JoinsByTime"/>. A time rule that
    /// breaks this must widen <see cref="Candidates"/> with it.
    /// </remarks>
    private Affinity AffinityOf(Incident incident, Evidence evidence)
    {
        var ticks = evidence.Ticks;
        if (ticks < incident.Onset - _gap || ticks > incident.LastActivity + _gap)
        {
            return default;
        }

        double strong = 0, broad = 0;
        var keys = evidence.Keys;
        var switchedModel = SwitchedTrafficSeenModelWide(evidence);
        for (var k = _index.NamesNone(incident, keys) ? keys.Length : 0; k < keys.Length; k++)
        {
            var key = keys[k];
            if (_index.Names(incident, keys, k) && incident.Keys.TryGetValue(key, out var last) && Math.Abs(last - ticks) <= _gap
                && !(switchedModel && key.StartsWith("model_id=", StringComparison.Ordinal)))
            {
                // An incident that names many values of an entity (every model) says little by naming one of them.
                var names = incident.KeyNames.GetAlternateLookup<ReadOnlySpan<char>>();
                var weight = Evidence.WeightOf(key) / Math.Max(1, names.TryGetValue(key.AsSpan(0, key.IndexOf('=', StringComparison.Ordinal)), out var count) ? count : 0);
                if (weight >= 1)
                {
                    strong += weight;
                }
                else
                {
                    broad += weight;
                }
            }
        }

        var entity = strong + Math.Min(broad, 0.75);
        double temporal = 0;
        switch (evidence.Kind)
        {
            case EvidenceKind.Anomaly:
                if (incident.HasSignal(evidence.Category, evidence.Direction, ticks, _align) || MoveUnderWay(incident, evidence))
                {
                    temporal += 1;
                }

                // Violations explain rising errors only when the policy keeps blocking: a single violation (a leaked
                // key's) blocks nothing, as for the error rates a policy names.
                if (evidence.Direction > 0 && evidence.Category == SignalCategory.Errors
                    && ticks >= incident.Violations.First - _align && ticks <= incident.Violations.Last + _align
                    && incident.Violations.Last > incident.Violations.First)
                {
                    temporal += 1;
                }

                if (evidence.Direction > 0 && evidence.Category is SignalCategory.Tokens or SignalCategory.Cost or SignalCategory.Traffic
                    && incident.FirstAccess != long.MaxValue && ticks >= incident.FirstAccess && ticks <= incident.FirstAccess + _gap)
                {
                    temporal += 1;
                }

                if (incident.FirstRoot != long.MaxValue && ticks >= incident.FirstRoot && ticks <= incident.FirstRoot + (3 * _align))
                {
                    temporal += 0.5;
                }

                break;
            case EvidenceKind.PolicyViolation:
                if (incident.HasSignal(SignalCategory.Errors, 1, ticks, _align))
                {
                    temporal += 1;
                }

                break;
            case EvidenceKind.BudgetAlert:
                if (incident.HasRise(SignalCategory.Cost, ticks - _gap, ticks) || incident.HasRise(SignalCategory.Tokens, ticks - _gap, ticks))
                {
                    temporal += 1;
                }

                break;
            case EvidenceKind.Change when evidence.CanBeRoot:
                var first = incident.FirstSignal();
                if (first != long.MaxValue && first >= ticks && first <= ticks + (3 * _align))
                {
                    temporal += 0.5;
                }

                break;
        }

        return new Affinity(entity, temporal);
    }

    /// <summary>
    /// Whether the incident holds an episode of the same kind, moving the same way, that is still open when
    /// <paramref name="episode"/> starts and began at most the incident gap before it: co-onset within the alignment
    /// window misses the series a broad move reaches last (a surge ramps over a quarter of an hour, and a model whose
    /// share of it is small shows it minutes after the first), while the move is still under way.
    /// </summary>
    private bool MoveUnderWay(Incident incident, Evidence episode)
    {
        var ticks = episode.Ticks;
        foreach (var signal in incident.Signals)
        {
            var e = signal.Evidence;
            if (e.Category == episode.Category && e.Direction == episode.Direction && e.Ticks <= ticks && e.Ticks >= ticks - _gap
                && (signal.EndTicks == long.MinValue || signal.EndTicks >= ticks))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The most entity affinity <paramref name="evidence"/> can have to any incident (<see cref="AffinityOf"/>: each key
    /// counts at most its <see cref="Evidence.WeightOf"/>, the keys below 1 at most 0.75 together), from its keys alone.
    /// With <see cref="TemporalCeiling"/> it lets <see cref="Process"/> pass over, without a lookup, the candidates the
    /// evidence cannot join: a change that names only a region and a tenant (0.75) joins only an incident with a signal.
    /// </summary>
    private static double EntityCeiling(Evidence evidence)
    {
        double strong = 0, broad = 0;
        foreach (var key in evidence.Keys)
        {
            var weight = Evidence.WeightOf(key);
            if (weight >= 1)
            {
                strong += weight;
            }
            else
            {
                broad += weight;
            }
        }

        return strong + Math.Min(broad, 0.75);
    }

    /// <summary>
    /// The most time affinity <see cref="AffinityOf"/> can give <paramref name="evidence"/> towards an incident: the sum of
    /// the time rules of its kind, 0.5 for a change only towards an incident that holds a signal
    /// (<paramref name="hasSignal"/>; an incident that holds none is not one that <see cref="Incident.JoinsByTime"/> for
    /// that reason). A time rule added to <see cref="AffinityOf"/> must be added here, or evidence that could join by it
    /// is passed over.
    /// </summary>
    private static double TemporalCeiling(bool hasSignal, Evidence evidence) => evidence.Kind switch
    {
        EvidenceKind.Anomaly => 3.5,
        EvidenceKind.PolicyViolation or EvidenceKind.BudgetAlert => 1,
        EvidenceKind.Change when evidence.CanBeRoot && hasSignal => 0.5,
        _ => 0,
    };

    private void MaybeEmit(Incident incident, long now)
    {
        if (!incident.Opened)
        {
            if (incident.Sources.Count >= _options.MinimumSources)
            {
                IncidentsReported++;
                if (!incident.IsListedReported)
                {
                    ListReported(incident);
                }

                Emit(incident, IncidentPhase.Open, "opened");
            }

            return;
        }

        FlushOne(incident, now);
    }

    /// <summary>Emits the pending update of every reported incident whose last lifecycle event is a minute or more behind.</summary>
    private void FlushPending(long now)
    {
        foreach (var incident in _reported)
        {
            FlushOne(incident, now);
        }
    }

    private void FlushOne(Incident incident, long now)
    {
        if (incident.Opened && incident.PendingChanges > 0 && now >= incident.LastEmittedTicks + TimeSpan.TicksPerMinute
            && incident.OpenUntil >= incident.LastEmittedTicks + TimeSpan.TicksPerMinute)
        {
            Emit(incident, IncidentPhase.Update, incident.PendingChanges == 1 ? "1 change" : incident.PendingChanges + " changes");
        }
    }

    /// <summary>
    /// Closes the incidents gone quiet (no episode open, <see cref="CorrelationStageOptions.IncidentGap"/> past their
    /// last activity) or open too long, latest opened first. Returns at once while the bound has not passed the
    /// earliest close deadline (<see cref="Incident.CloseDeadline"/>) of any open incident, which the builder lowers as
    /// incidents change (<see cref="Changed"/>) and recomputes here when it scans.
    /// </summary>
    private void CloseIdle(long bound, string reason)
    {
        if (bound <= _closeFloor)
        {
            return;
        }

        var floor = long.MaxValue;
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            var incident = _open[i];
            if (incident.IsClosed)
            {
                continue;
            }

            var quiet = incident.OpenEpisodes == 0 && bound > incident.OpenUntil + _gap;
            var tooLong = bound > incident.Onset + _maxDuration;
            if (quiet || tooLong)
            {
                Close(incident, tooLong && !quiet ? "max_duration" : reason);
            }
            else
            {
                floor = Math.Min(floor, incident.CloseDeadline(_gap, _maxDuration));
            }
        }

        _closeFloor = floor;
    }

    /// <summary>
    /// The open incidents that <paramref name="evidence"/> can join or name, in no particular order: those that name
    /// one of its first <paramref name="marked"/> keys (<see cref="IncidentKeyIndex.Mark"/>, which this call makes: all of
    /// them for <see cref="AffinityOf"/>, the ones <see cref="Names"/> reads for an aggregate, none for evidence that can
    /// join only by time) and, when a time rule can tie it to an incident that names none of them
    /// (<paramref name="byTime"/>), those that <see cref="Incident.JoinsByTime"/>. Every other open incident has an
    /// affinity below 1 to it (no entity, at most 0.5 by time) and is not named by it. Valid until the next call.
    /// </summary>
    private List<Incident> Candidates(Evidence evidence, int marked, bool byTime)
    {
        var keys = evidence.Keys;
        _candidates.Clear();
        _index.Mark(keys, marked, _candidates);
        if (keys.Length > IncidentKeyIndex.MarkedKeyLimit)
        {
            return _open;
        }

        if (byTime)
        {
            foreach (var incident in _timed)
            {
                if (!_index.IsMarked(incident))
                {
                    _candidates.Add(incident);
                }
            }
        }

        return _candidates;
    }

    /// <summary>
    /// The open incident least recently active (the earliest <see cref="Incident.LastActivity"/>, the first opened among
    /// equals), from the idle queue: an incident is queued again whenever its activity moves, and entries of closed
    /// incidents or older activity are dropped as they surface.
    /// </summary>
    private Incident LeastRecentlyActive()
    {
        while (true)
        {
            if (!_idle.TryDequeue(out var incident, out var queued))
            {
                throw new InvalidOperationException("The idle queue lost an open incident.");
            }

            if (!incident.IsClosed && queued.LastActivity == incident.LastActivity)
            {
                incident.QueuedActivity = long.MinValue;
                return incident;
            }
        }
    }

    /// <summary>Takes note of an incident that opened or changed: it may now join by time, close sooner, or be active later.</summary>
    private void Changed(Incident incident)
    {
        _closeFloor = Math.Min(_closeFloor, incident.CloseDeadline(_gap, _maxDuration));
        if (incident.QueuedActivity != incident.LastActivity)
        {
            if (_idle.Count >= (2 * _openCount) + 1_024)
            {
                // Mostly stale entries: rebuild the queue from the open incidents.
                _idle.Clear();
                foreach (var open in _open)
                {
                    if (!open.IsClosed && open != incident)
                    {
                        _idle.Enqueue(open, (open.LastActivity, open.Order));
                        open.QueuedActivity = open.LastActivity;
                    }
                }
            }

            incident.QueuedActivity = incident.LastActivity;
            _idle.Enqueue(incident, (incident.LastActivity, incident.Order));
        }

        if (incident.JoinsByTime && !incident.IsTimed)
        {
            incident.IsTimed = true;
            _timed.Add(incident);
        }
    }

    /// <summary>Lists a reported incident, keeping the list in opening order (the order updates are flushed in).</summary>
    private void ListReported(Incident incident)
    {
        var at = _reported.Count;
        while (at > 0 && _reported[at - 1].Order > incident.Order)
        {
            at--;
        }

        incident.IsListedReported = true;
        _reported.Insert(at, incident);
    }

    /// <summary>Closes an open incident: it leaves the index and the builder's lists (the open list lazily) and, when reported, emits its close.</summary>
    private void Close(Incident incident, string reason)
    {
        incident.IsClosed = true;
        _openCount--;
        _index.Remove(incident);
        if (incident.IsTimed)
        {
            _timed.Remove(incident);
        }

        if (incident.IsListedReported)
        {
            _reported.Remove(incident);
        }

        foreach (var opening in incident.OpenEpisodeIds)
        {
            _episodeOwners.Remove(opening);
        }

        if (incident.AdoptedChange is { } adopted)
        {
            ForgetCompletionLevels(level => level.Change == adopted);
        }

        if (incident.Opened)
        {
            Emit(incident, IncidentPhase.Close, reason);
        }
        else
        {
            CandidatesDropped++;
            KeepDormant(incident);
        }
    }

    private void Emit(Incident incident, IncidentPhase phase, string reason)
    {
        var ticks = Math.Max(incident.OpenUntil, incident.LastEmittedTicks);
        _sink(incident, phase, reason, ticks);
        incident.LastEmittedTicks = ticks;
        incident.PendingChanges = 0;
        incident.Sequence++;
    }
}
