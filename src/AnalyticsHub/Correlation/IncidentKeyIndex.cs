namespace AnalyticsHub.Correlation;

/// <summary>
/// The open incidents that name each entity key: a piece of evidence looks each of its keys up once, instead of once per
/// open incident, and the incidents that name none of them are passed over without a lookup (docs/correlation.md, "Cost").
/// </summary>
/// <remarks>
/// Holds open incidents only: an incident adds its keys as it learns them (<see cref="Incident.Add"/>) and the builder
/// removes it when it closes. <see cref="Mark"/> leaves its answer on the incidents themselves
/// (<see cref="Incident.MarkStamp"/>, <see cref="Incident.MarkedKeys"/>), so asking costs no allocation and no hashing.
/// Single-threaded.
/// </remarks>
internal sealed class IncidentKeyIndex
{
    /// <summary>The most keys of one piece of evidence that <see cref="Mark"/> records; <see cref="Names"/> looks further ones up directly.</summary>
    public const int MarkedKeyLimit = 64;

    private const int SpareLimit = 1_024;

    private readonly Dictionary<string, List<Incident>> _byKey = new(StringComparer.Ordinal);
    private readonly Stack<List<Incident>> _spare = new();
    private long _stamp;
    private int _markedCount;

    /// <summary>The keys named by at least one open incident.</summary>
    public int Count => _byKey.Count;

    /// <summary>Records that an open incident names a key (called once per key and incident).</summary>
    public void Add(string key, Incident incident)
    {
        if (!_byKey.TryGetValue(key, out var incidents))
        {
            incidents = _spare.Count > 0 ? _spare.Pop() : new List<Incident>(4);
            _byKey.Add(key, incidents);
        }

        incidents.Add(incident);
    }

    /// <summary>Forgets an incident that closed.</summary>
    public void Remove(Incident incident)
    {
        foreach (var key in incident.Keys.Keys)
        {
            if (_byKey.TryGetValue(key, out var incidents) && SwapRemove(incidents, incident) && incidents.Count == 0)
            {
                _byKey.Remove(key);
                if (_spare.Count < SpareLimit)
                {
                    _spare.Push(incidents);
                }
            }
        }
    }

    /// <summary>Removes an incident from a key's list by moving the last one into its place: the lists are unordered, and the oldest incidents, the ones that close, sit at the front.</summary>
    private static bool SwapRemove(List<Incident> incidents, Incident incident)
    {
        var at = incidents.IndexOf(incident);
        if (at < 0)
        {
            return false;
        }

        var last = incidents.Count - 1;
        incidents[at] = incidents[last];
        incidents.RemoveAt(last);
        return true;
    }

    /// <summary>Forgets every incident.</summary>
    public void Clear()
    {
        _byKey.Clear();
        _spare.Clear();
    }

    /// <summary>
    /// Marks, on each open incident, which of the first <paramref name="count"/> of <paramref name="keys"/> it names;
    /// <see cref="Names"/> then answers for these keys from the mark and looks any further key up directly.
    /// </summary>
    /// <param name="keys">The evidence's keys.</param>
    /// <param name="count">How many of the leading keys to mark: all of them, or only the ones the caller will ask about, so an incident that names only the others is never visited.</param>
    /// <param name="marked">Receives each incident that names at least one of the marked keys, once (in no particular order).</param>
    public void Mark(string[] keys, int count, List<Incident> marked)
    {
        var stamp = ++_stamp;
        _markedCount = Math.Min(Math.Min(count, keys.Length), MarkedKeyLimit);
        for (var k = 0; k < _markedCount; k++)
        {
            if (!_byKey.TryGetValue(keys[k], out var incidents))
            {
                continue;
            }

            foreach (var incident in incidents)
            {
                if (incident.MarkStamp != stamp)
                {
                    incident.MarkStamp = stamp;
                    incident.MarkedKeys = 0;
                    marked.Add(incident);
                }

                incident.MarkedKeys |= 1UL << k;
            }
        }
    }

    /// <summary>Whether the last mark reached an open incident: it names one of the marked keys.</summary>
    public bool IsMarked(Incident incident) => incident.MarkStamp == _stamp;

    /// <summary>Whether an open incident names none of <paramref name="keys"/> (then <see cref="Names"/> is false for each of them); known from the mark only when the last one marked them all, otherwise false.</summary>
    public bool NamesNone(Incident incident, string[] keys) => keys.Length <= _markedCount && incident.MarkStamp != _stamp;

    /// <summary>Whether an open incident names <paramref name="keys"/>[<paramref name="k"/>] (the keys last marked): from the mark for a marked key, by a lookup for any other.</summary>
    public bool Names(Incident incident, string[] keys, int k) => k < _markedCount
        ? incident.MarkStamp == _stamp && (incident.MarkedKeys & (1UL << k)) != 0
        : incident.Keys.ContainsKey(keys[k]);
}
