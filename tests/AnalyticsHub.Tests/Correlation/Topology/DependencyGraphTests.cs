using AnalyticsHub.Correlation.Topology;
using FsCheck.Xunit;

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

    /// <summary>The dependencies are exactly the services reachable along calls (a fixed-point closure as reference).</summary>
    [Property]
    public bool DependenciesOf_IsTheReachableSet(byte[] edges, byte start)
    {
        var graph = new DependencyGraph();
        var pairs = new List<(int, int)>();
        for (var i = 0; i + 1 < edges.Length; i += 2)
        {
            var (from, to) = (edges[i] % 8, edges[i + 1] % 8);
            if (from != to)
            {
                graph.AddCall($"s{from}", $"s{to}");
                pairs.Add((from, to));
            }
        }

        var origin = $"s{start % 8}";
        if (!graph.Contains(origin))
        {
            return graph.DependenciesOf(origin).Count == 0;
        }

        var reach = new HashSet<int> { start % 8 };
        while (pairs.Where(p => reach.Contains(p.Item1)).Select(p => p.Item2).Where(reach.Add).ToList().Count > 0)
        {
        }

        var found = graph.DependenciesOf(origin);
        return found[0] == origin && found.Count == reach.Count && found.ToHashSet().SetEquals(reach.Select(r => $"s{r}"));
    }
}
