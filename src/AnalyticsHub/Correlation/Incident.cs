using System.Runtime.InteropServices;
using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation;

/// <summary>
/// The correlation stage's model of one incident while it is open: its member evidence (with episode ends), the
/// entities it names, its onsets, how each member joined, and where its lifecycle events stand.
/// </summary>
/// <remarks>
/// Kept rich enough for root-cause ranking and impact assessment: every member keeps its event, its kind, its time and
/// the affinity by which it joined. Bounded: at most <see cref="CorrelationStageOptions.MaxMembersPerIncident"/> members.
/// </remarks>
internal sealed class Incident
{
    private readonly int _maxMembers;
    private readonly HashSet<Guid> _memberIds = [];
    private readonly Dictionary<Guid, IncidentMember> _openEpisodes = [];
    private readonly IncidentKeyIndex? _index;
    private readonly DerivedIdSpace _ids;
    private readonly Guid _firstEventId;
    private Guid? _correlationId;
    private HashSet<string>? _wholeModels;

    /// <summary>Starts an incident from its first piece of evidence.</summary>
    /// <param name="correlationId">Its id.</param>
    /// <param name="first">Its first evidence.</param>
    /// <param name="maxMembers">The most members it lists.</param>
    /// <param name="index">The builder's index of the open incidents by key, told of every key the incident names.</param>
    public Incident(Guid correlationId, Evidence first, int maxMembers, IncidentKeyIndex? index = null)
        : this(default(DerivedIdSpace), first, maxMembers, index)
    {
        _correlationId = correlationId;
    }

    /// <summary>Starts an incident whose id is derived, when first asked for, from its first evidence's event id.</summary>
    /// <param name="ids">The id space of incident ids.</param>
    /// <param name="first">Its first evidence.</param>
    /// <param name="maxMembers">The most members it lists.</param>
    /// <param name="index">The builder's index of the open incidents by key, told of every key the incident names.</param>
    public Incident(DerivedIdSpace ids, Evidence first, int maxMembers, IncidentKeyIndex? index)
    {
        _ids = ids;
        _firstEventId = first.Event.EventId;
        _maxMembers = maxMembers;
        _index = index;
        Onset = first.Ticks;
        LastActivity = first.Ticks;
        LastEvidence = first.Ticks;
        Add(first, new Affinity(0, 0));
    }

    /// <summary>
    /// The incident's id, from its first evidence: a replay gives the same id. Derived on first use (a hash), so the
    /// many candidates that close unreported never pay for it.
    /// </summary>
    public Guid CorrelationId => _correlationId ??= _ids.FromName(_firstEventId.ToString("N"));

    /// <summary>The earliest member time.</summary>
    public long Onset { get; private set; }

    /// <summary>
    /// The earliest member that is not a window aggregate: when the incident was first seen. Aggregates dated back to
    /// where their series' move began (<see cref="Onset"/> moves with them) are measured from it.
    /// </summary>
    public long FirstShown { get; private set; } = long.MaxValue;

    /// <summary>
    /// The earliest member that is neither a change nor a window aggregate — an episode, a violation, an access, a threat,
    /// a budget alert: when the incident's effect was first seen (<see cref="long.MaxValue"/> before any).
    /// </summary>
    public long FirstSymptom { get; private set; } = long.MaxValue;

    /// <summary>The latest member time.</summary>
    public long LastEvidence { get; private set; }

    /// <summary>The latest time anything happened in the incident (member times and episode ends).</summary>
    public long LastActivity { get; private set; }

    /// <summary>
    /// The latest aggregate that joined as the lasting effect of the adopted change (<see cref="AddEffect"/>), or
    /// <see cref="long.MinValue"/>: it keeps the incident open like activity, but joins no other evidence to it.
    /// </summary>
    public long EffectSeen { get; private set; } = long.MinValue;

    /// <summary>The later of <see cref="LastActivity"/> and <see cref="EffectSeen"/>: what keeps the incident open.</summary>
    public long OpenUntil => Math.Max(LastActivity, EffectSeen);

    /// <summary>The members in the order they joined.</summary>
    public List<IncidentMember> Members { get; } = [];

    /// <summary>Evidence that joined after the member cap was reached.</summary>
    public int MembersOmitted { get; private set; }

    /// <summary>Every entity key named by a member, with the latest time it was named.</summary>
    public Dictionary<string, long> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>How many distinct values of each entity name the incident holds (<c>model_id</c>: 3 when it names three models).</summary>
    public Dictionary<string, int> KeyNames { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The entities named by the incident's change events — what a change touched — each with the categories of signal
    /// those changes can move there (<see cref="Evidence.Effects"/>, united).
    /// </summary>
    public Dictionary<string, int> ChangedEntities { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The dormant change the incident adopted (docs/correlation.md, "Dormant changes"): a change that moves only usage,
    /// whose own candidate closed before its effect surfaced, taken in as root by the rising episode that opened the
    /// incident; <see langword="null"/> for any other incident.
    /// </summary>
    public Evidence? AdoptedChange { get; private set; }

    /// <summary>When the episode that adopted <see cref="AdoptedChange"/> started, in ticks.</summary>
    public long AdoptedAt { get; private set; } = long.MinValue;

    /// <summary>The member episode that adopted <see cref="AdoptedChange"/>, or <see langword="null"/>.</summary>
    public IncidentMember? AdoptedBy { get; private set; }

    /// <summary>
    /// Whether the adopting episode still shows the change's effect at <paramref name="ticks"/>: it is open, or closed
    /// less than a minute before (the model's usage is back within its detector's band after that).
    /// </summary>
    public bool AdoptionLasts(long ticks) =>
        AdoptedBy is { } episode && (episode.EndTicks == long.MinValue || ticks <= episode.EndTicks + TimeSpan.TicksPerMinute);

    /// <summary>
    /// Where the deviations of an aggregate series are summed from: the adopting episode when the incident adopted a dormant
    /// change (the change itself lies before the effect surfaced), else the onset.
    /// </summary>
    public long MeasuredFrom => AdoptedChange is null ? Onset : AdoptedAt;

    /// <summary>
    /// The (provider, region) pairs where the incident shows: each named together by one member — a failover in a region,
    /// an episode of a regional series, an aggregate series that moved with the incident — except the aggregates of a
    /// model one of the incident's changes names, which the change explains (a deploy's model moves in every region; that
    /// places nothing at its provider there). Naming a provider and a region in different members names no pair.
    /// </summary>
    public HashSet<(string Provider, string Region)> Placements { get; } = [];

    /// <summary>
    /// The models named only by region-scoped rises (<see cref="Evidence.IsRegionScopedRise"/>), by their
    /// <c>model_id=</c> key, with the <c>region=</c> keys of those rises: their aggregates are named only in those
    /// regions. A model any other member names (a change, an episode of another kind or of the whole model) is absent: it
    /// is named in every region.
    /// </summary>
    public Dictionary<string, HashSet<string>> RegionScopedModels { get; } = new(StringComparer.Ordinal);

    /// <summary>The distinct sources of the members.</summary>
    public HashSet<string> Sources { get; } = new(StringComparer.Ordinal);

    /// <summary>The aggregate series that name the incident's entities, with their summed deviations since its onset.</summary>
    public Dictionary<AggregateSeries, SeriesInvolvement> Involvements { get; } = [];

    /// <summary>The anomaly episodes among the members.</summary>
    public List<IncidentMember> Signals { get; } = [];

    /// <summary>The earliest change or new-address access that could have started the incident, or <see cref="long.MaxValue"/>.</summary>
    public long FirstRoot { get; private set; } = long.MaxValue;

    /// <summary>The earliest new-address access, or <see cref="long.MaxValue"/>.</summary>
    public long FirstAccess { get; private set; } = long.MaxValue;

    /// <summary>The earliest and latest policy violation (<see cref="long.MaxValue"/> / <see cref="long.MinValue"/> when none).</summary>
    public (long First, long Last) Violations { get; private set; } = (long.MaxValue, long.MinValue);

    /// <summary>Episodes among the members that have not closed yet.</summary>
    public int OpenEpisodes => _openEpisodes.Count;

    /// <summary>The id of the last lifecycle event emitted, the parent of the next.</summary>
    public Guid? LastEventId { get; set; }

    /// <summary>The number of lifecycle events emitted.</summary>
    public int Sequence { get; set; }

    /// <summary>The <c>detected_at</c> of the last lifecycle event, in ticks.</summary>
    public long LastEmittedTicks { get; set; } = long.MinValue;

    /// <summary>Members that joined (or episodes that closed) since the last lifecycle event.</summary>
    public int PendingChanges { get; set; }

    /// <summary>Whether the open event was emitted.</summary>
    public bool Opened => LastEventId is not null;

    /// <summary>The opening ids of the member episodes still open.</summary>
    public IEnumerable<Guid> OpenEpisodeIds => _openEpisodes.Keys;

    /// <summary>When the builder opened it, relative to the other incidents (its place in the builder's open list).</summary>
    public long Order { get; init; }

    /// <summary>
    /// Whether a time rule alone can join evidence to it (docs/correlation.md, "Grouping"): it holds an anomaly episode,
    /// a policy violation or an access from a new address. Once true, true while it is open.
    /// </summary>
    public bool JoinsByTime => Signals.Count > 0 || FirstAccess != long.MaxValue || Violations.First != long.MaxValue;

    /// <summary>
    /// The earliest bound past which the builder closes it now (<see cref="CorrelationStageOptions.MaxIncidentDuration"/>
    /// after its onset, or — with no episode open — <paramref name="gap"/> after its last activity).
    /// </summary>
    /// <param name="gap">The incident gap, in ticks.</param>
    /// <param name="maxDuration">The longest an incident lasts, in ticks.</param>
    public long CloseDeadline(long gap, long maxDuration) =>
        Math.Min(Onset + maxDuration, OpenEpisodes == 0 ? OpenUntil + gap : long.MaxValue);

    /// <summary>The builder's bookkeeping: whether the incident closed (it may still sit in the builder's open list until compacted).</summary>
    public bool IsClosed { get; set; }

    /// <summary>The builder's bookkeeping: the <see cref="LastActivity"/> of its latest entry in the builder's idle queue.</summary>
    public long QueuedActivity { get; set; } = long.MinValue;

    /// <summary>The builder's bookkeeping: whether the incident is in its list of incidents that join by time.</summary>
    public bool IsTimed { get; set; }

    /// <summary>The builder's bookkeeping: whether the incident is in its list of reported open incidents.</summary>
    public bool IsListedReported { get; set; }

    /// <summary>Scratch for <see cref="IncidentKeyIndex.Mark"/>: the mark that <see cref="MarkedKeys"/> belongs to.</summary>
    public long MarkStamp { get; set; }

    /// <summary>Scratch for <see cref="IncidentKeyIndex.Mark"/>: bit k set when the incident names the marked evidence's key k.</summary>
    public ulong MarkedKeys { get; set; }

    /// <summary>
    /// Adds an aggregate of a series the adopted change routes after the adopting episode ended, while the change's effect
    /// lasts (a template stays changed): the series stays a member and keeps the incident open (<see cref="EffectSeen"/>),
    /// but it does not renew the entities the incident names, so evidence that comes later joins the incident only as it
    /// would join one gone quiet.
    /// </summary>
    /// <returns>Whether it was new.</returns>
    public bool AddEffect(Evidence aggregate)
    {
        if (!Add(aggregate, new Affinity(1, 0), extendsActivity: false, renewsNames: false))
        {
            return false;
        }

        EffectSeen = Math.Max(EffectSeen, aggregate.Ticks);
        return true;
    }

    /// <summary>
    /// Adds a piece of evidence that joined with the given affinity; a repeated event is ignored. Unless
    /// <paramref name="places"/> is false, evidence naming a provider and a region places the incident there
    /// (<see cref="Placements"/>).
    /// </summary>
    /// <returns>Whether it was new.</returns>
    public bool Add(Evidence evidence, Affinity affinity, bool extendsActivity = true, bool renewsNames = true, bool places = true)
    {
        if (!_memberIds.Add(evidence.Event.EventId))
        {
            return false;
        }

        var ticks = evidence.Ticks;
        Onset = Math.Min(Onset, ticks);
        if (evidence.Kind != EvidenceKind.Aggregate)
        {
            FirstShown = Math.Min(FirstShown, ticks);
            if (evidence.Kind != EvidenceKind.Change)
            {
                FirstSymptom = Math.Min(FirstSymptom, ticks);
            }
        }

        LastEvidence = Math.Max(LastEvidence, ticks);
        if (extendsActivity)
        {
            LastActivity = Math.Max(LastActivity, ticks);
        }

        foreach (var key in renewsNames ? evidence.Keys : [])
        {
            if (Keys.TryGetValue(key, out var last))
            {
                Keys[key] = Math.Max(last, ticks);
            }
            else
            {
                Keys[key] = ticks;
                _index?.Add(key, this);
                var names = KeyNames.GetAlternateLookup<ReadOnlySpan<char>>();
                CollectionsMarshal.GetValueRefOrAddDefault(names, key.AsSpan(0, key.IndexOf('=', StringComparison.Ordinal)), out _)++;
            }
        }

        if (evidence.Kind != EvidenceKind.Aggregate)
        {
            ScopeModels(evidence);
        }

        Sources.Add(evidence.Source);
        if (places && evidence.PlacementOf() is { } placement && !evidence.IsRegionScopedRise
            && (evidence.Kind != EvidenceKind.Aggregate || !ChangedEntities.ContainsKey(evidence.Keys[0])))
        {
            Placements.Add(placement);
        }

        if (evidence.Kind == EvidenceKind.Change)
        {
            foreach (var key in evidence.Keys)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(ChangedEntities, key, out _) |= evidence.Effects;
            }
        }

        switch (evidence.Kind)
        {
            case EvidenceKind.Change when evidence.CanBeRoot:
                FirstRoot = Math.Min(FirstRoot, ticks);
                break;
            case EvidenceKind.Access when evidence.CanBeRoot:
                FirstRoot = Math.Min(FirstRoot, ticks);
                FirstAccess = Math.Min(FirstAccess, ticks);
                break;
            case EvidenceKind.PolicyViolation:
                Violations = (Math.Min(Violations.First, ticks), Math.Max(Violations.Last, ticks));
                break;
        }

        PendingChanges++;
        if (Members.Count >= _maxMembers)
        {
            MembersOmitted++;
            return true;
        }

        var member = new IncidentMember(evidence, affinity);
        Members.Add(member);
        if (evidence.Kind == EvidenceKind.Anomaly)
        {
            Signals.Add(member);
            _openEpisodes[evidence.Event.EventId] = member;
        }

        return true;
    }

    /// <summary>Updates <see cref="RegionScopedModels"/> with the models a member other than an aggregate names.</summary>
    private void ScopeModels(Evidence evidence)
    {
        foreach (var key in evidence.Keys)
        {
            if (!key.StartsWith("model_id=", StringComparison.Ordinal))
            {
                continue;
            }

            if (!evidence.IsRegionScopedRise)
            {
                (_wholeModels ??= new(StringComparer.Ordinal)).Add(key);
                RegionScopedModels.Remove(key);
            }
            else if (_wholeModels is null || !_wholeModels.Contains(key))
            {
                if (!RegionScopedModels.TryGetValue(key, out var regions))
                {
                    RegionScopedModels.Add(key, regions = new(StringComparer.Ordinal));
                }

                regions.UnionWith(evidence.ScopedRegionKeys);
            }
        }
    }

    /// <summary>Records that the incident, opened by <paramref name="change"/>, was adopted by <paramref name="episode"/> (a member).</summary>
    public void Adopted(Evidence change, Evidence episode)
    {
        AdoptedChange = change;
        AdoptedAt = episode.Ticks;
        AdoptedBy = Members.Find(member => member.Evidence == episode);
    }

    /// <summary>Closes a member episode: its end extends the incident's activity.</summary>
    /// <returns>Whether the episode was an open member.</returns>
    public bool CloseEpisode(Guid openingId, long endTicks)
    {
        if (!_openEpisodes.Remove(openingId, out var member))
        {
            return false;
        }

        member.EndTicks = endTicks;
        LastActivity = Math.Max(LastActivity, endTicks);
        PendingChanges++;
        return true;
    }

    /// <summary>Whether a member episode of the category moved the same way within <paramref name="window"/> ticks of <paramref name="ticks"/>.</summary>
    public bool HasSignal(SignalCategory category, int direction, long ticks, long window)
    {
        foreach (var signal in Signals)
        {
            var e = signal.Evidence;
            if (e.Category == category && e.Direction == direction && Math.Abs(e.Ticks - ticks) <= window)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a member episode of the category rose within [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public bool HasRise(SignalCategory category, long from, long to)
    {
        foreach (var signal in Signals)
        {
            var e = signal.Evidence;
            if (e.Category == category && e.Direction > 0 && e.Ticks >= from && e.Ticks <= to)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a member episode is of the category.</summary>
    public bool HasCategory(SignalCategory category)
    {
        foreach (var signal in Signals)
        {
            if (signal.Evidence.Category == category)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The earliest member episode's start, or <see cref="long.MaxValue"/>.</summary>
    public long FirstSignal()
    {
        var first = long.MaxValue;
        foreach (var signal in Signals)
        {
            first = Math.Min(first, signal.Evidence.Ticks);
        }

        return first;
    }
}
