using AnalyticsHub.Pipeline;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Pipeline;

/// <summary>Laws of the retries: whatever the options and the jitter, no wait exceeds the cap and the time limit holds.</summary>
public sealed class PipelineResilienceProperties
{
    [Property(MaxTest = 100)]
    public async Task Retries_AnyOptions_EveryWaitWithinTheCapAndTheStepWithinMaxRetryTime(int seed)
    {
        var random = new Random(seed);
        var baseDelay = TimeSpan.FromMilliseconds(random.Next(0, 2_000));
        var options = new IngestionOptions
        {
            MaxRetries = random.Next(1, 26),
            RetryBaseDelay = baseDelay,
            RetryMaxDelay = baseDelay + TimeSpan.FromMilliseconds(random.Next(0, 30_000)),
            MaxRetryTime = TimeSpan.FromSeconds(random.Next(1, 120)),
        };

        var (waits, outcome, elapsed, attempts) = await PipelineResilienceTests.RunAlwaysFailingAsync(options, random.NextDouble);

        Assert.All(waits, wait => Assert.InRange(wait, TimeSpan.Zero, options.RetryMaxDelay));
        Assert.InRange(attempts, 1, options.MaxRetries + 1);
        Assert.True(elapsed <= options.MaxRetryTime, $"took {elapsed}, limit {options.MaxRetryTime}");
        Assert.NotNull(outcome.Exception);
    }
}
