namespace AnalyticsHub.Correlation.Patterns;

/// <summary>
/// The latest pattern matches by the events they hold, so an incident learns the pattern its members matched. Bounded:
/// the oldest matches are forgotten first.
/// </summary>
internal sealed class PatternMatchLog(int capacity)
{
    /// <summary>The matches remembered by default.</summary>
    public const int DefaultCapacity = 4_096;

    private readonly Dictionary<Guid, PatternMatch> _byEvent = [];
    private readonly Queue<PatternMatch> _order = new();

    /// <summary>The matches remembered.</summary>
    public int Count => _order.Count;

    /// <summary>Remembers a match under each of its events (a later match of an event replaces an earlier one).</summary>
    public void Add(PatternMatch match)
    {
        if (_order.Count >= capacity)
        {
            var oldest = _order.Dequeue();
            foreach (var id in oldest.EventIds)
            {
                if (_byEvent.TryGetValue(id, out var held) && ReferenceEquals(held, oldest))
                {
                    _byEvent.Remove(id);
                }
            }
        }

        _order.Enqueue(match);
        foreach (var id in match.EventIds)
        {
            _byEvent[id] = match;
        }
    }

    /// <summary>The match of an incident: among the matches holding one of its members, the one that ended last (then by pattern id).</summary>
    public PatternMatch? Of(Incident incident)
    {
        PatternMatch? best = null;
        if (_byEvent.Count == 0)
        {
            return null;
        }

        foreach (var member in incident.Members)
        {
            if (_byEvent.TryGetValue(member.Evidence.Event.EventId, out var match)
                && (best is null || match.EndTicks > best.EndTicks
                    || (match.EndTicks == best.EndTicks && string.CompareOrdinal(match.Pattern.Pattern.PatternId, best.Pattern.Pattern.PatternId) < 0)))
            {
                best = match;
            }
        }

        return best;
    }
}
