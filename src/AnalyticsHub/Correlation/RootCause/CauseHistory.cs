using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation.RootCause;

/// <summary>
/// What root-cause ranking remembers besides the open incidents: the latest change events (so a change that did not join
/// the incident it caused is still a candidate, and a failover that did not join still marks an outage), and when each anomaly series opened its
/// recent episodes (the counterfactual: did the series move before the candidate, or in the same hours of earlier days).
/// </summary>
/// <remarks>
/// Bounded: <see cref="MaxChanges"/> changes, <see cref="MaxSources"/> series with at most <see cref="OpeningsPerSource"/>
/// openings each (the oldest are forgotten). Single-threaded.
/// </remarks>
internal sealed class CauseHistory
{
    /// <summary>The most recent changes kept.</summary>
    public const int MaxChanges = 256;

    /// <summary>The most series whose openings are kept; openings of further series are not recorded (counted in <see cref="SourcesDropped"/>).</summary>
    public const int MaxSources = 10_000;

    /// <summary>The openings kept per series.</summary>
    public const int OpeningsPerSource = 32;

    private static readonly IReadOnlyDictionary<string, string> NoProviders = new Dictionary<string, string>();
    private readonly Evidence?[] _changes = new Evidence?[MaxChanges];
    private readonly HashSet<Guid> _changeIds = [];
    private readonly Dictionary<string, Queue<long>> _openings = new(StringComparer.Ordinal);
    private int _head;

    /// <summary>The event time of the first event seen, the start of the history (<see cref="long.MaxValue"/> before any).</summary>
    public long Start { get; private set; } = long.MaxValue;

    /// <summary>Series whose openings were not recorded because <see cref="MaxSources"/> was reached.</summary>
    public long SourcesDropped { get; private set; }

    /// <summary>The changes kept.</summary>
    public int ChangeCount => _changeIds.Count;

    /// <summary>Whether a change was ever forgotten to make room (<see cref="MaxChanges"/>): what came before the oldest kept one is then unknown.</summary>
    public bool ForgotChanges { get; private set; }

    /// <summary>The series whose openings are kept.</summary>
    public int SourceCount => _openings.Count;

    /// <summary>Takes the next event: keeps it when it is a change event.</summary>
    /// <param name="evt">The event.</param>
    /// <param name="evidence">The event already classified as evidence, if it was (a change is then not classified again).</param>
    public void Observe(AnalyticsEvent evt, Evidence? evidence = null)
    {
        if (evt.SourceModule != SourceModule.LlmAnalyticsHub)
        {
            Start = Math.Min(Start, evt.Timestamp.UtcTicks);
        }

        if (evt.Payload is not AuditTrailEvent audit || !Evidence.IsChange(audit.Action) || _changeIds.Contains(evt.EventId))
        {
            return;
        }

        if ((evidence is { Kind: EvidenceKind.Change } ? evidence : Evidence.TryCreate(evt, NoProviders)) is not { } change)
        {
            return;
        }

        if (_changes[_head] is { } old)
        {
            _changeIds.Remove(old.Event.EventId);
            ForgotChanges = true;
        }

        _changes[_head] = change;
        _changeIds.Add(evt.EventId);
        _head = (_head + 1) % MaxChanges;
    }

    /// <summary>Records an anomaly episode's opening (the incident builder's evidence), once per opening event.</summary>
    public void Opened(Evidence anomaly)
    {
        if (!_openings.TryGetValue(anomaly.Source, out var openings))
        {
            if (_openings.Count >= MaxSources)
            {
                SourcesDropped++;
                return;
            }

            openings = new Queue<long>(4);
            _openings.Add(anomaly.Source, openings);
        }

        if (openings.Count >= OpeningsPerSource)
        {
            openings.Dequeue();
        }

        openings.Enqueue(anomaly.Ticks);
    }

    /// <summary>The kept changes with times in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public IEnumerable<Evidence> ChangesBetween(long from, long to)
    {
        foreach (var change in _changes)
        {
            if (change is not null && change.Ticks >= from && change.Ticks <= to)
            {
                yield return change;
            }
        }
    }

    /// <summary>Whether the series opened an episode in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public bool OpenedBetween(string source, long from, long to)
    {
        if (_openings.TryGetValue(source, out var openings))
        {
            foreach (var ticks in openings)
            {
                if (ticks >= from && ticks < to)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
