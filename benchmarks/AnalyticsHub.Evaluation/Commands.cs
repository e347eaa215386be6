using AnalyticsHub.Evaluation.Nab;

namespace AnalyticsHub.Evaluation;

/// <summary>
/// The named harness commands (<c>nab</c>, <c>incidents</c>, ...). Each takes the remaining
/// command-line arguments and returns the process exit code.
/// </summary>
internal static class Commands
{
    private static readonly Dictionary<string, Func<string[], Task<int>>> Registry = new(StringComparer.Ordinal)
    {
        ["nab"] = NabCommand.RunAsync,
        ["anomaly-tune"] = AnomalyTuneCommand.RunAsync,
        ["nab-cv"] = NabCvCommand.RunAsync,
        ["anomaly-windows"] = Anomalies.AnomalyWindowsCommand.RunAsync,
        ["sketch-accuracy"] = Metrics.SketchAccuracyCommand.RunAsync,
        ["metric-runs"] = Metrics.MetricRunsCommand.RunAsync,
        ["simulate"] = Traffic.SimulateCommand.RunAsync,
        ["volume-truth"] = Traffic.VolumeTruthCommand.RunAsync,
        ["incidents"] = Incidents.IncidentsCommand.RunAsync,
        ["ts-memory"] = TimeSeries.TimeSeriesMemoryCommand.RunAsync,
        ["hub-ingest"] = Hosting.HubIngestCommand.RunAsync,
        ["reliability"] = Hosting.ReliabilityCommand.RunAsync,
        ["http-ingest"] = Hosting.HttpIngestCommand.RunAsync,
        ["ts-retention"] = TimeSeries.TimeSeriesRetentionCommand.RunAsync,
        ["pg-ingest"] = PostgreSql.PostgreSqlIngestCommand.RunAsync,
        ["pg-ts-layout"] = PostgreSql.PostgreSqlPointLayoutCommand.RunAsync,
        ["pg-ts"] = PostgreSql.PostgreSqlTimeSeriesCommand.RunAsync,
        ["petshop"] = PetShop.PetShopCommand.RunAsync,
    };

    public static IEnumerable<string> Names => Registry.Keys.Order(StringComparer.Ordinal);

    public static bool TryGet(string name, out Func<string[], Task<int>> command) =>
        Registry.TryGetValue(name, out command!);
}
