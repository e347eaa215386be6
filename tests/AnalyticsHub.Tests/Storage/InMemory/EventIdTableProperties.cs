using AnalyticsHub.Storage.InMemory;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Storage.InMemory;

/// <summary>The event store's open-addressing id table behaves as a dictionary under any mix of adds and removals.</summary>
public class EventIdTableProperties
{
    [Property(MaxTest = 300)]
    public bool AddsAndRemoves_AnyOrder_AgreeWithDictionary(byte[] keys, bool[] removes) =>
        AgreesWithDictionary(keys, removes, uint.MaxValue);

    /// <summary>
    /// The same law when fingerprints keep only the bits that place a slot (12 of 32), so every id that shares a home
    /// shares its fingerprint: the id read back from the stored event decides every lookup.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool AddsAndRemoves_FingerprintsCollide_AgreeWithDictionary(byte[] keys, bool[] removes) =>
        AgreesWithDictionary(keys, removes, 0xFFF0_0000u);

    /// <summary>
    /// Prefetching the slot a probe starts at (<see cref="EventIdTable.PrefetchHome"/>) for held, missing and removed ids,
    /// before and after the table grows, changes nothing the table holds.
    /// </summary>
    [Fact]
    public void PrefetchHome_AnyIdBeforeAndAfterGrowth_ChangesNothing()
    {
        var table = new EventIdTable(sequence => Sequential((int)sequence - 1), 10_000);
        const int Count = 8_000; // past the first sizes: the table grows while ids are prefetched ahead
        for (var i = 0; i < Count; i++)
        {
            table.PrefetchHome(Sequential(i + 8));
            table.PrefetchHome(Sequential(i));
            Assert.True(table.TryAdd(Sequential(i), (ulong)i + 1, out _));
        }

        for (var i = 0; i < Count; i += 2)
        {
            table.PrefetchHome(Sequential(i));
            Assert.True(table.Remove(Sequential(i)));
            table.PrefetchHome(Sequential(i));
        }

        Assert.Equal(Count / 2, table.Count);
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal(i % 2 == 1, table.TryGetValue(Sequential(i), out var sequence));
            Assert.Equal(i % 2 == 1 ? (ulong)i + 1 : 0, sequence);
        }
    }

    [Fact]
    public void TryAdd_ManyTimeOrderedIdsThenEvictOldest_KeepsTheNewest()
    {
        // Ids that differ only in their first bytes (as time-ordered ids do) and a table that grows many times.
        var table = new EventIdTable(sequence => Sequential((int)sequence - 1), 1_000_000);
        const int Count = 100_000;
        for (var i = 0; i < Count; i++)
        {
            Assert.True(table.TryAdd(Sequential(i), (ulong)i + 1, out _));
        }

        for (var i = 0; i < Count / 2; i++)
        {
            Assert.True(table.Remove(Sequential(i)));
        }

        Assert.Equal(Count / 2, table.Count);
        Assert.False(table.TryGetValue(Sequential(10), out _));
        Assert.True(table.TryGetValue(Sequential(Count - 1), out var last));
        Assert.Equal((ulong)Count, last);
        Assert.False(table.TryAdd(Sequential(Count / 2), 7, out var existing));
        Assert.Equal((ulong)(Count / 2) + 1, existing);
    }

    /// <summary>
    /// The table doubles while small and then grows straight to the size its cap needs (1.5 slots per id; here 10,000
    /// ids, so 4,096 slots, then 15,000, then 30,000 when filled past three quarters): under random adds and removals
    /// (with fingerprints that collide, so the read-back decides) it stays a dictionary across each growth, including
    /// at sizes that are not powers of two.
    /// </summary>
    [Theory]
    [InlineData(uint.MaxValue)]
    [InlineData(0xFFF0_0000u)]
    public void AddsAndRemoves_GrowingToThePlannedSizeAndPast_AgreeWithDictionary(uint fingerprintMask)
    {
        var random = new Random(36);
        var stored = new Dictionary<ulong, Guid>();
        var table = new EventIdTable(sequence => stored[sequence], 10_000, fingerprintMask);
        var expected = new Dictionary<Guid, ulong>();
        var capacities = new List<int> { table.Capacity };
        ulong next = 1;
        for (var i = 0; i < 40_000; i++)
        {
            var id = Sequential(random.Next(40_000));
            if (random.Next(5) == 0)
            {
                Assert.Equal(expected.Remove(id), table.Remove(id));
                continue;
            }

            stored[next] = id;
            var added = table.TryAdd(id, next, out var existing);
            Assert.Equal(expected.TryAdd(id, next), added);
            if (!added)
            {
                Assert.Equal(expected[id], existing);
            }

            next++;
            if (table.Capacity != capacities[^1])
            {
                capacities.Add(table.Capacity);
            }
        }

        Assert.Equal([4_096, 15_000, 30_000], capacities);
        Assert.Equal(expected.Count, table.Count);
        for (var k = 0; k < 40_000; k++)
        {
            var id = Sequential(k);
            Assert.Equal(expected.TryGetValue(id, out var e), table.TryGetValue(id, out var s));
            Assert.Equal(e, s);
        }
    }

    [Fact]
    public void TryAdd_StoreAtADefaultCap_DoublesWhileSmallThenGrowsOnceToTheCapsSize()
    {
        var table = new EventIdTable(sequence => Sequential((int)sequence - 1), 1_000_000);
        var capacities = new List<int> { table.Capacity };
        for (var i = 0; i < 200_000; i++)
        {
            Assert.True(table.TryAdd(Sequential(i), (ulong)i + 1, out _));
            if (table.Capacity != capacities[^1])
            {
                capacities.Add(table.Capacity);
            }
        }

        // A doubling to 262,144 would reach an eighth of the 1,500,000 slots a million ids need: the table grows to those.
        Assert.Equal([4_096, 8_192, 16_384, 32_768, 65_536, 131_072, 1_500_000], capacities);
    }

    private static bool AgreesWithDictionary(byte[] keys, bool[] removes, uint fingerprintMask)
    {
        // Few distinct keys (a byte each) so adds collide with held ids and removals hit and miss. The table reads an
        // id back by its sequence, as the store reads it from the stored event.
        var stored = new Dictionary<ulong, Guid>();
        var table = new EventIdTable(sequence => stored[sequence], 100_000, fingerprintMask);
        var expected = new Dictionary<Guid, ulong>();
        ulong next = 1;
        for (var i = 0; i < keys.Length; i++)
        {
            var id = Id(keys[i]);
            if (removes.Length > 0 && removes[i % removes.Length])
            {
                if (table.Remove(id) != expected.Remove(id))
                {
                    return false;
                }

                continue;
            }

            stored[next] = id;
            var added = table.TryAdd(id, next, out var existing);
            if (added != expected.TryAdd(id, next) || (!added && existing != expected[id]))
            {
                return false;
            }

            next++;
        }

        return table.Count == expected.Count
            && Enumerable.Range(0, 256).All(k => table.TryGetValue(Id((byte)k), out var s) == expected.TryGetValue(Id((byte)k), out var e) && s == e);
    }

    private static Guid Id(byte key) => new(key, 0, 0, [0, 0, 0, 0, 0, 0, 0, (byte)(key % 3)]);

    private static Guid Sequential(int i) => new(i, 0, 0x7000, [0x80, 0, 0, 0, 0, 0, 0, 1]);
}
