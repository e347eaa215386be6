using AnalyticsHub.Evaluation.PetShop;

namespace AnalyticsHub.Evaluation.Tests.PetShop;

public class PetShopLoaderTests
{
    private static readonly string[] Train = ["train"];

    [Fact]
    public void Load_SyntheticFolder_ReadsGraphMetricsAndIssues()
    {
        using var folder = new PetShopFolder();

        var scenario = Assert.Single(PetShopLoader.Load(folder.Root, PetShopLoader.Splits));

        Assert.Equal("chain", scenario.Name);
        Assert.Equal(["B", "D"], scenario.Graph.CalleesOf("A"));
        Assert.Equal(["C"], scenario.Graph.CalleesOf("B"));
        Assert.Equal(120, scenario.Normal.Times.Length);
        Assert.Equal(8, scenario.Normal.Columns.Count);
        Assert.True(double.IsNaN(scenario.Normal.Values[7][1]));
        var issue = Assert.Single(scenario.Issues);
        Assert.Equal(("train", "issue_0", "A", "latency", "Average", "C"), (issue.Split, issue.Name, issue.Target.Node, issue.Target.Metric, issue.Target.Statistic, issue.Target.RootCause));
    }

    [Fact]
    public void Load_ScenarioFolderItselfAndMissingSplitFolder_AreAccepted()
    {
        using var folder = new PetShopFolder();

        var scenario = Assert.Single(PetShopLoader.Load(folder.Scenario, ["test"]));

        Assert.Empty(scenario.Issues);
    }

    [Fact]
    public void Load_MissingFolder_IsMissingFolder()
    {
        var error = Assert.Throws<PetShopFormatException>(() => PetShopLoader.Load("/no/such/petshop", Train));

        Assert.Equal(("missing_folder", "/no/such/petshop"), (error.Code, error.Path));
    }

    [Fact]
    public void Load_FolderWithoutGraph_IsNoScenarios()
    {
        using var folder = new PetShopFolder();
        File.Delete(Path.Combine(folder.Scenario, "graph.csv"));

        var error = Assert.Throws<PetShopFormatException>(() => PetShopLoader.Load(folder.Root, Train));

        Assert.Equal(("no_scenarios", folder.Root), (error.Code, error.Path));
    }

    [Theory]
    [InlineData("metrics.csv", "header", "bad_header", ":2")]
    [InlineData("metrics.csv", "ragged", "ragged_row", ":11")]
    [InlineData("metrics.csv", "text", "not_a_number", ":11")]
    [InlineData("metrics.csv", "time", "time_order", ":11")]
    [InlineData("target.json", "field", "missing_field", "#target.agg")]
    [InlineData("target.json", "node", "unknown_node", "#root_cause.node")]
    [InlineData("target.json", "json", "bad_json", "")]
    [InlineData("target.json", "delete", "missing_file", "")]
    public void Load_MalformedIssueFile_NamesTheCodeAndPath(string file, string damage, string code, string suffix)
    {
        using var folder = new PetShopFolder();
        var path = folder.IssueFile(file);
        var lines = File.ReadAllLines(path);
        switch (damage)
        {
            case "header":
                lines[1] = "metric,latency";
                File.WriteAllLines(path, lines);
                break;
            case "ragged":
                File.AppendAllLines(path, ["1700070000.0,1,2"]);
                break;
            case "text":
                File.AppendAllLines(path, ["1700070000.0" + string.Concat(Enumerable.Repeat(",abc", 8))]);
                break;
            case "time":
                File.AppendAllLines(path, ["1.0" + string.Concat(Enumerable.Repeat(",1", 8))]);
                break;
            case "field":
                File.WriteAllText(path, File.ReadAllText(path).Replace("\"agg\": \"Average\", ", string.Empty, StringComparison.Ordinal));
                break;
            case "node":
                File.WriteAllText(path, PetShopFolder.Target("A", "latency", 1, "Z"));
                break;
            case "json":
                File.WriteAllText(path, "{\"target\": ");
                break;
            default:
                File.Delete(path);
                break;
        }

        var error = Assert.Throws<PetShopFormatException>(() => PetShopLoader.Load(folder.Root, Train));

        Assert.Equal(code, error.Code);
        Assert.Equal(path + suffix, error.Path);
        Assert.StartsWith($"{code} at {path}{suffix}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_GraphWithARaggedRow_IsRaggedRow()
    {
        using var folder = new PetShopFolder();
        var path = Path.Combine(folder.Scenario, "graph.csv");
        File.AppendAllLines(path, ["E,1"]);

        var error = Assert.Throws<PetShopFormatException>(() => PetShopLoader.Load(folder.Root, Train));

        Assert.Equal(("ragged_row", path + ":6"), (error.Code, error.Path));
    }

    [Fact]
    public void SeriesStore_FeedsOneSeriesPerComponentMetricAndStatistic_WithoutEmptyCells()
    {
        using var folder = new PetShopFolder();
        var scenario = Assert.Single(PetShopLoader.Load(folder.Root, Train));

        var store = PetShopSeriesStore.Of(scenario);
        var normal = store.Read("noissue");
        var issue = store.Read("train/issue_0");

        Assert.Equal(8, normal.Count);
        Assert.Equal(119, Assert.Single(normal, s => s is { Entity: "D", Metric: "availability/Average" }).Times.Count);
        Assert.All(normal.Where(s => s.Metric == "latency/Average"), s => Assert.Equal(120, s.Times.Count));
        Assert.Equal(scenario.Normal.Values[2][5], Assert.Single(normal, s => s is { Entity: "C", Metric: "latency/Average" }).Values[5]);
        Assert.All(issue, s => Assert.InRange(s.Times.Count, 5, 6));
    }
}
