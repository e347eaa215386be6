using AnalyticsHub.Storage.InMemory;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Storage.InMemory;

/// <summary>The append-only posting lists behind the inverted index: every published prefix stays what it was.</summary>
public class PostingListProperties
{
    [Property]
    public bool ToArray_AfterLaterAppends_ReturnsThePrefixOfThatCount(int[] gaps, byte cut)
    {
        var list = new PostingList();
        var expected = new List<int>();
        var next = 0;
        var snapshots = new List<(int Count, int[] Ids)>();
        foreach (var gap in gaps)
        {
            next += 1 + (Math.Abs(gap % 1000));
            list.Add(next);
            expected.Add(next);
            if (expected.Count % (1 + (cut % 7)) == 0)
            {
                snapshots.Add((list.Count, list.ToArray(list.Count)));
            }
        }

        return list.Count == expected.Count
            && list.ToArray(expected.Count).SequenceEqual(expected)
            && snapshots.TrueForAll(s => s.Ids.SequenceEqual(expected.Take(s.Count)) && list.ToArray(s.Count).SequenceEqual(s.Ids));
    }

    [Fact]
    public void ToArray_SameCountTwice_ReturnsTheCachedArray()
    {
        var list = new PostingList();
        list.Add(1);
        list.Add(5);

        Assert.Same(list.ToArray(2), list.ToArray(2));
        Assert.Empty(list.ToArray(0));
    }
}
