using AnalyticsHub.Evaluation.Hosting;

namespace AnalyticsHub.Evaluation.Tests.Hosting;

/// <summary>Tests that write to <see cref="Console"/> and read it back; they run one at a time.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>
/// The CI part of the fault and load suite: the <c>reliability</c> harness at its <c>--ci</c> size (hostile inputs at a
/// quarter of their full size, then 40,000 events from 8 producers into a store that fails, hangs, commits then throws
/// and recovers, with a stop during the load). Each check in the harness asserts exact accounting; this test fails
/// when any of them does and shows the harness's report.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public class ReliabilityCommandTests
{
    [Fact]
    public async Task Reliability_CiSize_EveryCheckPasses()
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        int exit;
        try
        {
            exit = await ReliabilityCommand.RunAsync(["--ci"]);
        }
        finally
        {
            Console.SetOut(previous);
        }

        var report = output.ToString();
        Assert.True(exit == 0, report);
        Assert.Contains("reliability: every check passed", report, StringComparison.Ordinal);
        Assert.Contains("faults under load: 8 producers, 40,000 events", report, StringComparison.Ordinal);
    }
}
