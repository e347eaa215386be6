using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Samples.WebHost;

/// <summary>Ingests the simulator's traffic, ending at the host's start, so the dashboard has something to show.</summary>
/// <param name="scenario">A tier (<c>easy</c>, <c>medium</c>, <c>hard</c>) or the path of a scenario JSON file.</param>
public sealed class SimulatorReplay(string scenario) : BackgroundService
{
    private readonly TaskCompletionSource<long> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the number of events ingested once all are stored; faults when the replay failed.</summary>
    public Task<long> Completion => _done.Task;

    /// <summary>The scenario replayed.</summary>
    public ScenarioConfig Config { get; } = scenario.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
        ? ScenarioConfigJson.Load(scenario)
        : ScenarioConfig.ForTier(scenario);

    /// <summary>The hub the host runs; set by the host before start.</summary>
    public required IAnalyticsHub Hub { get; init; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var simulation = new TrafficSimulation(Config, TimeProvider.System);
            var batch = new List<AnalyticsEvent>(1000);
            long count = 0;
            foreach (var evt in simulation.Generate())
            {
                batch.Add(evt);
                if (batch.Count == batch.Capacity)
                {
                    count += await IngestAsync(batch, stoppingToken).ConfigureAwait(false);
                }
            }

            count += await IngestAsync(batch, stoppingToken).ConfigureAwait(false);
            await Hub.FlushAsync(stoppingToken).ConfigureAwait(false);
            _done.TrySetResult(count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _done.TrySetCanceled(stoppingToken);
        }
        catch (Exception ex)
        {
            _done.TrySetException(ex);
            throw;
        }
    }

    private async Task<int> IngestAsync(List<AnalyticsEvent> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var result = await Hub.IngestAsync(batch.ToArray(), cancellationToken).ConfigureAwait(false);
        batch.Clear();
        return result.AcceptedCount;
    }
}
