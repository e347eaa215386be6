using AnalyticsHub.Correlation.Topology;

namespace AnalyticsHub.Tests.Correlation.Topology;

public class DependencyGraphTests
{
    [Fact]
    public void AddCall_RegistersBothServicesOnceAndTheEdgeBothWays()
    {
        var graph = new DependencyGraph().AddCall("front", "search").AddCall("front", "search").AddCall("search", "db").AddService("front");

        Assert.Equal(["front", "search", "db"], graph.Services);
        Assert.Equal(2, graph.CallCount);
        Assert.Equal(["search"], graph.CalleesOf("front"));
        Assert.Equal(["front"], graph.CallersOf("search"));
        Assert.Empty(graph.CalleesOf("db"));
        Assert.Empty(graph.CalleesOf("unknown"));
        Assert.False(graph.Contains("unknown"));
    }

    [Fact]
    public void AddCall_ToItselfOrWithoutAName_Throws()
    {
        var graph = new DependencyGraph();

        Assert.Throws<ArgumentException>(() => graph.AddCall("a", "a"));
        Assert.Throws<ArgumentException>(() => graph.AddCall(" ", "a"));
        Assert.Throws<ArgumentException>(() => graph.AddService(""));
    }

    [Fact]
    public void DependenciesOf_FollowsCallsTransitivelyThroughACycleOnce()
    {
        var graph = new DependencyGraph().AddCall("a", "b").AddCall("b", "c").AddCall("c", "b").AddCall("d", "a");

        Assert.Equal(["a", "b", "c"], graph.DependenciesOf("a"));
        Assert.Equal(["c", "b"], graph.DependenciesOf("c"));
        Assert.Empty(graph.DependenciesOf("x"));
    }

    [Fact]
    public void FromCallTags_ReadsCallerAndCalleeAndRegistersLoneServices()
    {
        var graph = DependencyGraph.FromCallTags(
        [
            new Dictionary<string, string> { ["caller"] = "front", ["callee"] = "search" },
            new Dictionary<string, string> { ["caller"] = "front", ["callee"] = "search" },
            new Dictionary<string, string> { ["callee"] = "cache" },
            new Dictionary<string, string> { ["region"] = "eu" },
            new Dictionary<string, string> { ["from"] = "search", ["to"] = "db" },
        ]);
        var custom = DependencyGraph.FromCallTags([new Dictionary<string, string> { ["from"] = "search", ["to"] = "db" }], "from", "to");

        Assert.Equal(["front", "search", "cache"], graph.Services);
        Assert.Equal(1, graph.CallCount);
        Assert.Equal(["db"], custom.CalleesOf("search"));
    }

    [Fact]
    public void Hops_CountsTheFewestCallsFromAServiceToADependency()
    {
        var graph = new DependencyGraph().AddCall("a", "b").AddCall("b", "c").AddCall("a", "c").AddCall("c", "d").AddService("e");

        Assert.Equal(0, graph.Hops("a", "a"));
        Assert.Equal(1, graph.Hops("a", "c"));
        Assert.Equal(2, graph.Hops("a", "d"));
        Assert.Equal(-1, graph.Hops("d", "a"));
        Assert.Equal(-1, graph.Hops("a", "e"));
        Assert.Equal(-1, graph.Hops("a", "unknown"));
    }
}
