using System.Runtime.InteropServices;
using AnalyticsHub.Pipeline;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// The event store's id index: event id to sequence, in one open-addressing table (linear probing). A slot holds a
/// 32-bit fingerprint of the id and the sequence, 12 bytes where the id itself would take 24 with its sequence: the
/// id is read back from the stored event (through the store's callback) only when a fingerprint matches, which
/// almost always means the id is held. Removal shifts the following run back, so no tombstones build up under
/// eviction.
/// </summary>
/// <remarks>
/// The table grows when it would be more than three quarters full. It starts small (4,096 slots) and doubles while the
/// store is small; once a doubling would reach an eighth of the size the store's
/// <see cref="InMemoryEventStoreOptions.MaxEvents"/> needs (one and a half slots per event: two thirds full at the cap,
/// room for the batch appended before eviction), it grows straight to that size, so a filling store skips the last
/// doublings (the largest tables and their copies) and a small one never holds a table sized for the cap. Should it
/// still fill past three quarters it doubles. Any size works: a slot's home is the fingerprint scaled to the table (its top bits, as a fraction of the size), so the
/// table grows without reading an id back. Ids are mixed before use, so time-ordered ids (UUID v7) spread as well as
/// random ones. Sequences are never 0 (an empty slot), and every sequence in the table must resolve to its event's id
/// until the id is removed. Not thread-safe: used under the store's lock.
/// </remarks>
internal sealed class EventIdTable
{
    private const int InitialBits = 12;

    private readonly Func<ulong, Guid> _idOf;
    private readonly uint _fingerprintMask;
    private readonly int _plannedSize;
    private Slot[] _slots;
    private int _count;

    /// <summary>Creates an empty table.</summary>
    /// <param name="idOf">The id of the event stored at a sequence the table holds.</param>
    /// <param name="maxIds">The most ids the table is expected to hold (the store's cap): the size it grows to once it is large.</param>
    /// <param name="fingerprintMask">
    /// Tests only: fewer fingerprint bits, so distinct ids share fingerprints and the read-back decides. The top 12 bits
    /// must stay set (they place a slot in the initial table).
    /// </param>
    public EventIdTable(Func<ulong, Guid> idOf, long maxIds, uint fingerprintMask = uint.MaxValue)
    {
        _idOf = idOf;
        _fingerprintMask = fingerprintMask;
        _slots = new Slot[1 << InitialBits];
        _plannedSize = (int)Math.Min(Math.Max(maxIds + (maxIds / 2), 2L << InitialBits), MaxSize);
    }

    /// <summary>The largest table: slots addressed by an int, and an array below the runtime's limit.</summary>
    private const int MaxSize = 1 << 30;

    /// <summary>The slots allocated now.</summary>
    public int Capacity => _slots.Length;

    /// <summary>The ids held.</summary>
    public int Count => _count;

    /// <summary>Adds an id with its sequence unless the id is already held; then <paramref name="existing"/> is its sequence.</summary>
    public bool TryAdd(in Guid id, ulong sequence, out ulong existing)
    {
        if ((_count + 1) * 4L > _slots.Length * 3L)
        {
            Grow();
        }

        var fingerprint = Fingerprint(id);
        for (var i = Home(fingerprint); ; i = Next(i))
        {
            ref var slot = ref _slots[i];
            if (slot.Sequence == 0)
            {
                slot.Fingerprint = fingerprint;
                slot.Sequence = sequence;
                _count++;
                existing = 0;
                return true;
            }

            if (slot.Fingerprint == fingerprint && _idOf(slot.Sequence) == id)
            {
                existing = slot.Sequence;
                return false;
            }
        }
    }

    /// <summary>
    /// Starts loading the slot where a probe for <paramref name="id"/> begins (<see cref="CacheHint"/>): a caller adding a
    /// batch of ids calls it some ids ahead, so the probe of a random slot of a large table does not wait on memory.
    /// Changes nothing; the hint is stale, and harmless, if the table grows before the probe.
    /// </summary>
    public void PrefetchHome(in Guid id) => CacheHint.Prefetch(ref _slots[Home(Fingerprint(id))]);

    /// <summary>The sequence of an id, when held.</summary>
    public bool TryGetValue(in Guid id, out ulong sequence)
    {
        var i = Find(id);
        sequence = i < 0 ? 0 : _slots[i].Sequence;
        return i >= 0;
    }

    /// <summary>Removes an id; the slots after it that probed past it move back (backward-shift deletion).</summary>
    public bool Remove(in Guid id)
    {
        var hole = Find(id);
        if (hole < 0)
        {
            return false;
        }

        for (var j = Next(hole); _slots[j].Sequence != 0; j = Next(j))
        {
            // The slot at j may fill the hole when its home lies cyclically outside (hole, j].
            var home = Home(_slots[j].Fingerprint);
            if (Distance(home, j) >= Distance(hole, j))
            {
                _slots[hole] = _slots[j];
                hole = j;
            }
        }

        _slots[hole] = default;
        _count--;
        return true;
    }

    /// <summary>The slot that holds <paramref name="id"/>, or -1.</summary>
    private int Find(in Guid id)
    {
        var fingerprint = Fingerprint(id);
        for (var i = Home(fingerprint); ; i = Next(i))
        {
            ref var slot = ref _slots[i];
            if (slot.Sequence == 0)
            {
                return -1;
            }

            if (slot.Fingerprint == fingerprint && _idOf(slot.Sequence) == id)
            {
                return i;
            }
        }
    }

    private uint Fingerprint(in Guid id)
    {
        var words = MemoryMarshal.Cast<Guid, ulong>(new ReadOnlySpan<Guid>(in id));
        var h = (words[0] ^ (words[1] * 0x9E3779B97F4A7C15UL)) * 0xBF58476D1CE4E5B9UL;
        return (uint)((h ^ (h >> 29)) >> 32) & _fingerprintMask;
    }

    /// <summary>A fingerprint's home: its value as a fraction of 2^32, scaled to the table (its top bits when the size is a power of two).</summary>
    private int Home(uint fingerprint) => (int)(((ulong)fingerprint * (uint)_slots.Length) >> 32);

    private int Next(int i) => i + 1 == _slots.Length ? 0 : i + 1;

    /// <summary>How many steps forward, wrapping around, slot <paramref name="to"/> is from slot <paramref name="from"/>.</summary>
    private int Distance(int from, int to) => to >= from ? to - from : to - from + _slots.Length;

    private void Grow()
    {
        var old = _slots;
        var doubled = (int)Math.Min(old.Length * 2L, MaxSize);
        var size = doubled < _plannedSize && doubled * 8L >= _plannedSize ? _plannedSize : doubled;
        if (size <= old.Length)
        {
            throw new InvalidOperationException("The event id table is full.");
        }

        _slots = new Slot[size];
        foreach (var slot in old)
        {
            if (slot.Sequence == 0)
            {
                continue;
            }

            var i = Home(slot.Fingerprint);
            while (_slots[i].Sequence != 0)
            {
                i = Next(i);
            }

            _slots[i] = slot;
        }
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Slot
    {
        public uint Fingerprint;
        public ulong Sequence;
    }
}
