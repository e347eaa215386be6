using AnalyticsHub.Evaluation.Nab;
using AnalyticsHub.Simulation.Tests.Traffic;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Tests.Nab;

public sealed class NabSeriesExporterTests
{
    [Fact]
    public void NabSeriesExporter_Scenario_FolderLoadsWithWindows()
    {
        var simulation = new TrafficSimulation(Scenarios.AllTemplates(), Scenarios.Clock());
        var exporter = new NabSeriesExporter(simulation.PlannedGroundTruth());
        foreach (var evt in simulation.Generate())
        {
            exporter.Observe(evt);
        }

        using var folder = new TempNabFolder();
        exporter.Write(folder.Root);
        var corpus = NabLoader.Load(folder.Root);

        Assert.Equal(exporter.SeriesCount, corpus.Series.Length);
        Assert.True(corpus.Series.Length >= 10);
        Assert.All(corpus.Series, s => Assert.NotEmpty(s.Windows));
        Assert.Contains(corpus.Series, s => s.Category == "deploy_regression");
    }
}
