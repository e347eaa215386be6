using AnalyticsHub.Storage.InMemory;

namespace AnalyticsHub.Tests.Storage.InMemory;

/// <summary>
/// The arrays an in-memory store keeps as long as its data start where only a gen2 collection reaches them (the
/// pinned-object heap), so young collections never copy them.
/// </summary>
public class KeptArraysTests
{
    [Fact]
    public void Allocate_GivesAZeroedArrayOutsideTheYoungGenerations()
    {
        var words = KeptArrays.Allocate<long>(37);

        Assert.Equal(37, words.Length);
        Assert.All(words, word => Assert.Equal(0, word));
        Assert.Equal(GC.MaxGeneration, GC.GetGeneration(words));
    }

    [Fact]
    public void EventBlock_ColumnsAndSealedIndexes_AreOutsideTheYoungGenerations()
    {
        var block = new EventBlock(1, 16);
        block.Seal();

        Array[] kept = [block.Ticks, block.Types, block.ByTime, block.ByGroup!, block.GroupStart!, block.BySeverity!, block.SeverityStart!];
        Assert.All(kept, array => Assert.Equal(GC.MaxGeneration, GC.GetGeneration(array)));
        Assert.Equal(EventBlock.Groups + 1, block.GroupStart!.Length);
    }
}
