using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

/// <summary>
/// The scenario configs the engine was not tuned on (<c>benchmarks/AnalyticsHub.Evaluation/Scenarios/*.json</c>, scored in
/// docs/benchmarks.md) stay loadable: each is a valid config named after its file.
/// </summary>
public class ScenarioConfigFilesTests
{
    [Fact]
    public void EveryScenarioConfig_LoadsAndIsValid_AndIsNamedAfterItsFile()
    {
        var files = Directory.GetFiles(Path.Combine(FindRoot(), "benchmarks", "AnalyticsHub.Evaluation", "Scenarios"), "*.json");

        Assert.True(files.Length >= 6, $"{files.Length} scenario configs");
        Assert.All(files, file =>
        {
            var config = ScenarioConfigJson.Load(file);
            config.EnsureValid();
            Assert.Equal(Path.GetFileNameWithoutExtension(file), config.Name);
        });
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AnalyticsHub.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No AnalyticsHub.sln above {AppContext.BaseDirectory}.");
    }
}
