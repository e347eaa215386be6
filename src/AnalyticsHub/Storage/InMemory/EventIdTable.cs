using System.Runtime.InteropServices;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// The event store's id index: event id to sequence, in one open-addressing table (linear probing, keys and sequences
/// side by side), so a lookup usually touches one cache line where a <see cref="Dictionary{TKey, TValue}"/> touches two
/// (its bucket and its entry). Removal shifts the following run back, so no tombstones build up under eviction.
/// </summary>
/// <remarks>
/// The table doubles while at most three quarters full; its largest size follows from the store's
/// <see cref="InMemoryEventStoreOptions.MaxEvents"/>, so once the store holds that many events it stops growing.
/// Ids are mixed before use, so time-ordered ids (UUID v7) spread as well as random ones. Sequences are never 0 (an
/// empty slot). Not thread-safe: used under the store's lock.
/// </remarks>
internal sealed class EventIdTable
{
    private const int InitialBits = 12;

    private Slot[] _slots;
    private int _shift;
    private int _count;

    public EventIdTable()
    {
        _slots = new Slot[1 << InitialBits];
        _shift = 64 - InitialBits;
    }

    /// <summary>The ids held.</summary>
    public int Count => _count;

    /// <summary>Adds an id with its sequence unless the id is already held; then <paramref name="existing"/> is its sequence.</summary>
    public bool TryAdd(in Guid id, ulong sequence, out ulong existing)
    {
        if ((_count + 1) * 4L > _slots.Length * 3L)
        {
            Grow();
        }

        var mask = _slots.Length - 1;
        for (var i = Index(id); ; i = (i + 1) & mask)
        {
            ref var slot = ref _slots[i];
            if (slot.Sequence == 0)
            {
                slot.Id = id;
                slot.Sequence = sequence;
                _count++;
                existing = 0;
                return true;
            }

            if (slot.Id == id)
            {
                existing = slot.Sequence;
                return false;
            }
        }
    }

    /// <summary>The sequence of an id, when held.</summary>
    public bool TryGetValue(in Guid id, out ulong sequence)
    {
        var mask = _slots.Length - 1;
        for (var i = Index(id); ; i = (i + 1) & mask)
        {
            ref var slot = ref _slots[i];
            if (slot.Sequence == 0)
            {
                sequence = 0;
                return false;
            }

            if (slot.Id == id)
            {
                sequence = slot.Sequence;
                return true;
            }
        }
    }

    /// <summary>Removes an id; the slots after it that probed past it move back (backward-shift deletion).</summary>
    public bool Remove(in Guid id)
    {
        var mask = _slots.Length - 1;
        var i = Index(id);
        while (true)
        {
            ref var slot = ref _slots[i];
            if (slot.Sequence == 0)
            {
                return false;
            }

            if (slot.Id == id)
            {
                break;
            }

            i = (i + 1) & mask;
        }

        var hole = i;
        for (var j = (hole + 1) & mask; _slots[j].Sequence != 0; j = (j + 1) & mask)
        {
            // The slot at j may fill the hole when its home lies cyclically outside (hole, j].
            var home = Index(_slots[j].Id);
            if (((j - home) & mask) >= ((j - hole) & mask))
            {
                _slots[hole] = _slots[j];
                hole = j;
            }
        }

        _slots[hole] = default;
        _count--;
        return true;
    }

    private int Index(in Guid id)
    {
        var words = MemoryMarshal.Cast<Guid, ulong>(new ReadOnlySpan<Guid>(in id));
        var h = (words[0] ^ (words[1] * 0x9E3779B97F4A7C15UL)) * 0xBF58476D1CE4E5B9UL;
        return (int)((h ^ (h >> 29)) >> _shift);
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new Slot[old.Length * 2];
        _shift--;
        var mask = _slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot.Sequence == 0)
            {
                continue;
            }

            var i = Index(slot.Id);
            while (_slots[i].Sequence != 0)
            {
                i = (i + 1) & mask;
            }

            _slots[i] = slot;
        }
    }

    private struct Slot
    {
        public Guid Id;
        public ulong Sequence;
    }
}
