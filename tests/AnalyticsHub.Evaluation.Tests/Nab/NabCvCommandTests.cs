using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Evaluation.Nab;

namespace AnalyticsHub.Evaluation.Tests.Nab;

public sealed class NabCvCommandTests : IDisposable
{
    private readonly TempNabFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("--data")]
    [InlineData("--data x --colour red")]
    [InlineData("--data x --set Threshold")]
    [InlineData("--data x --set Colour=1")]
    [InlineData("--data x --detector zscore --set Threshold=0.5")]
    [InlineData("--data x --detector no-such-detector")]
    public async Task RunAsync_BadArguments_ExitsWithUsageError(string arguments)
    {
        Assert.Equal(2, await NabCvCommand.RunAsync(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task RunAsync_MissingFolder_ExitsWithUsageError()
    {
        Assert.Equal(2, await NabCvCommand.RunAsync(["--data", Path.Combine(_folder.Root, "missing")]));
    }

    [Fact]
    public async Task RunAsync_Grid_WritesMeanWorstAndEveryFold()
    {
        foreach (var (category, spikeAt) in new[] { ("a", 700), ("b", 800), ("c", 900) })
        {
            _folder.WriteCsv(category, "f.csv", Csv(1000, spikeAt));
        }

        _folder.WriteCsv("none", "quiet.csv", Csv(1000, spikeAt: -1));
        _folder.WriteWindows($$"""
            {
              "a/f.csv": [["{{Stamp(695)}}", "{{Stamp(710)}}"]],
              "b/f.csv": [["{{Stamp(795)}}", "{{Stamp(810)}}"]],
              "c/f.csv": [["{{Stamp(895)}}", "{{Stamp(910)}}"]],
              "none/quiet.csv": []
            }
            """);
        var json = Path.Combine(_folder.Root, "out", "cv.json");

        var exit = await NabCvCommand.RunAsync(["--data", _folder.Root, "--set", "MinimumDeviation=6,8", "--json", json]);

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var root = document.RootElement;
        var folds = root.GetProperty("folds").EnumerateArray().ToArray();
        Assert.Equal(["a", "b", "c"], folds.Select(static f => f.GetProperty("held_out").GetString()));
        var scores = folds.Select(static f => f.GetProperty("score").GetDouble()).ToArray();
        Assert.Equal(Math.Round(scores.Average(), 4), root.GetProperty("mean").GetDouble(), 3);
        Assert.Equal(scores.Min(), root.GetProperty("worst").GetDouble(), 4);
        Assert.Equal(2, root.GetProperty("configurations").GetInt32());
        Assert.StartsWith("MinimumDeviation=", root.GetProperty("final").GetProperty("selected").GetString(), StringComparison.Ordinal);
        // A 40-sigma spike in clean noise is found in every held-out category.
        Assert.All(folds, static f => Assert.Equal(1, f.GetProperty("windows_hit").GetInt32()));
    }

    private static string Stamp(int row) => NabTestData.At(row).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Csv(int rows, int spikeAt)
    {
        var random = new Random(rows + spikeAt);
        var lines = Enumerable.Range(0, rows).Select(i =>
            Stamp(i) + "," + (100 + random.NextDouble() + (i == spikeAt ? 40 : 0)).ToString("R", CultureInfo.InvariantCulture));
        return "timestamp,value\n" + string.Join('\n', lines) + "\n";
    }
}
