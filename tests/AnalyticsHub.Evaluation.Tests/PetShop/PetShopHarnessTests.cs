using System.Text.Json;
using AnalyticsHub.Correlation.RootCause;
using AnalyticsHub.Correlation.Topology;
using AnalyticsHub.Evaluation.PetShop;

namespace AnalyticsHub.Evaluation.Tests.PetShop;

public class PetShopHarnessTests
{
    private static readonly string[] Train = ["train"];

    [Fact]
    public void Evaluate_Topology_FindsTheFaultAtTheEndOfTheChainAndNothingOnNormalData()
    {
        using var folder = new PetShopFolder();
        var evaluator = new PetShopEvaluator(PetShopLoader.Load(folder.Root, Train));

        var cell = evaluator.Evaluate(new TopologyMethod(new RootCauseRankerOptions())).Cells["chain"]["latency"];

        Assert.Equal(new PetShopCell(1, 1, 1, 5, 5), cell);
    }

    [Fact]
    public void TraversalMad_HandCase_RanksRootsByTheirAnomalousPathsAfterSearchingForTheTarget()
    {
        // T calls X, Y and P; X calls Z; P calls Q; W stands alone. Normal: 10 and 11 alternating (median 10.5, MAD 0.5).
        var graph = new DependencyGraph().AddCall("T", "X").AddCall("T", "Y").AddCall("T", "P").AddCall("X", "Z").AddCall("P", "Q").AddService("W");
        var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        TopologySeries Series(string entity, DateTimeOffset start, double[] values) =>
            new(entity, "latency/Average", [.. values.Select((_, i) => start.AddMinutes(5 * i))], values);
        var normal = new[] { "T", "X", "Y", "Z", "P", "Q", "W" }.Select(e => Series(e, t0, [.. Enumerable.Range(0, 20).Select(i => 10.0 + (i % 2))])).ToList();

        // Only the fourth row is abnormal, so the baseline moves on from the third; scores there: T 6, X 10, Z 20, Y 40, Q 100, W 80.
        var at3 = new Dictionary<string, double> { ["T"] = 13.5, ["X"] = 15.5, ["Z"] = 20.5, ["Y"] = 30.5, ["P"] = 10.5, ["Q"] = 60.5, ["W"] = 50.5 };
        var start = t0.AddDays(1);
        var abnormal = at3.Select(p => Series(p.Key, start, [10.5, 10.5, 10.5, p.Value, 10.5])).ToList();

        var ranked = new TraversalMadMethod().Rank(new PetShopCase(graph, new TopologyTarget("T", "latency/Average", start), normal, abnormal));

        // Y (6 + 40) before Z (6 + 10 + 20); X has an anomalous callee; Q's path passes the normal P; W is unreachable.
        Assert.Equal(["Y", "Z"], ranked);
    }

    [Fact]
    public void TraversalMad_TargetNeverAnomalous_ReturnsNothing()
    {
        var graph = new DependencyGraph().AddCall("T", "X");
        var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        TopologySeries Series(string entity, double[] values) =>
            new(entity, "m", [.. values.Select((_, i) => t0.AddMinutes(5 * i))], values);
        var normal = new[] { Series("T", [.. Enumerable.Range(0, 20).Select(i => 10.0 + (i % 2))]), Series("X", [.. Enumerable.Range(0, 20).Select(i => 10.0 + (i % 2))]) };
        var abnormal = new[] { Series("T", [10, 11, 10, 11]), Series("X", [10, 11, 90, 90]) };

        Assert.Empty(new TraversalMadMethod().Rank(new PetShopCase(graph, new TopologyTarget("T", "m", t0), normal, abnormal)));
    }

    [Fact]
    public async Task Command_WritesPooledAndPerScenarioMetricScoresBesideTheReference()
    {
        using var folder = new PetShopFolder();
        var json = Path.Combine(folder.Root, "out.json");

        var code = await PetShopCommand.RunAsync(["--data", folder.Root, "--json", json]);

        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = document.RootElement;
        Assert.Equal("topology", root.GetProperty("method").GetString());
        Assert.Equal("train", root.GetProperty("split").GetString());
        Assert.Equal(1, root.GetProperty("top1").GetDouble());
        Assert.Equal(1, root.GetProperty("top3").GetDouble());
        Assert.Equal(1, root.GetProperty("specificity").GetDouble());
        var latency = root.GetProperty("scenarios").GetProperty("chain").GetProperty("metrics").GetProperty("latency");
        Assert.Equal(
            ["top1", "top3", "specificity", "issues", "specificity_cases"],
            latency.EnumerateObject().Select(p => p.Name));
        Assert.Equal(5, latency.GetProperty("specificity_cases").GetInt32());
        var reference = root.GetProperty("reference");
        Assert.Equal("traversal-mad", reference.GetProperty("method").GetString());
        Assert.Equal(1, reference.GetProperty("top1").GetDouble());
        Assert.False(root.TryGetProperty("cv", out _));
    }

    [Fact]
    public async Task Command_TestSplitWithoutTestFolder_ScoresNothingAndSaysSo()
    {
        using var folder = new PetShopFolder();
        var json = Path.Combine(folder.Root, "out.json");

        var code = await PetShopCommand.RunAsync(["--data", folder.Root, "--split", "test", "--method", "traversal-mad", "--json", json]);

        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("top1").ValueKind);
        Assert.Equal(0, document.RootElement.GetProperty("issues").GetInt32());
        Assert.False(document.RootElement.TryGetProperty("reference", out _));
    }

    [Theory]
    [InlineData("--method", "random")]
    [InlineData("--split", "validation")]
    [InlineData("--frobnicate", "1")]
    public async Task Command_BadArguments_ExitWithUsage(string name, string value)
    {
        using var folder = new PetShopFolder();

        Assert.Equal(2, await PetShopCommand.RunAsync(["--data", folder.Root, name, value]));
        Assert.Equal(2, await PetShopCommand.RunAsync([]));
    }

    [Fact]
    public async Task Command_MalformedFolder_ExitsWithOne()
    {
        Assert.Equal(1, await PetShopCommand.RunAsync(["--data", "/no/such/petshop"]));
    }
}
