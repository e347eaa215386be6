using AnalyticsHub.Hosting;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Pipeline;

public class StageGraphTests
{
    private static readonly HandOff<string> Words = HandOff.Produced("test.words", string.Empty);
    private static readonly HandOff<string> Shout = HandOff.Produced("test.shout", string.Empty);
    private static readonly HandOff<string> Count = HandOff.Computed("test.count", static batch => batch.Events.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Order_ConsumerRegisteredFirst_RunsAfterItsProducer()
    {
        var logger = new ListLogger();
        var order = StageGraph.Order([Stage("shouter", produces: [Shout], consumes: [Words]), Stage("speaker", produces: [Words]), Stage("listener", consumes: [Shout])], [], logger);

        Assert.Equal(["speaker", "shouter", "listener"], order.Select(n => n.Name));
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public void Order_UnrelatedStages_KeepRegistrationOrder()
    {
        var order = StageGraph.Order([Stage("c"), Stage("a"), Stage("b", consumes: [Count])], [], new ListLogger());

        Assert.Equal(["c", "a", "b"], order.Select(n => n.Name));
    }

    [Fact]
    public void Order_ProducerDisabled_DisablesConsumersTransitivelyWithOneLineEach()
    {
        var logger = new ListLogger();
        var order = StageGraph.Order(
            [Stage("speaker", produces: [Words]), Stage("shouter", produces: [Shout], consumes: [Words]), Stage("listener", consumes: [Shout]), Stage("other")],
            ["speaker"],
            logger);

        Assert.Equal(["other"], order.Select(n => n.Name));
        Assert.Equal(2, logger.Entries.Count);
        Assert.Contains("Stage shouter is disabled: it consumes test.words, and its producer 'speaker' is disabled", logger.Entries[0].Message, StringComparison.Ordinal);
        Assert.Contains("Stage listener is disabled: it consumes test.shout, and its producer 'shouter' was disabled in turn", logger.Entries[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Order_NoProducerRegistered_DisablesTheConsumer()
    {
        var logger = new ListLogger();
        var order = StageGraph.Order([Stage("listener", consumes: [Shout]), Stage("counter", consumes: [Count])], [], logger);

        Assert.Equal(["counter"], order.Select(n => n.Name));
        Assert.Contains("no registered stage produces it", Assert.Single(logger.Entries).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Order_UnknownDisabledName_IsLoggedNotFatal()
    {
        var logger = new ListLogger();
        var order = StageGraph.Order([Stage("a")], ["metrix"], logger);

        Assert.Equal(["a"], order.Select(n => n.Name));
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("metrix", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Order_TwoProducersOfOneHandOff_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StageGraph.Order([Stage("a", produces: [Words]), Stage("b", produces: [Words])], [], new ListLogger()));
        Assert.Contains("'a' and 'b' both produce 'test.words'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Order_Cycle_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StageGraph.Order(
            [Stage("a", produces: [Words], consumes: [Shout]), Stage("b", produces: [Shout], consumes: [Words])], [], new ListLogger()));
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Order_DuplicateNames_Throw() =>
        Assert.Throws<InvalidOperationException>(() => StageGraph.Order([Stage("a"), Stage("a")], [], new ListLogger()));

    [Fact]
    public void Order_ProducingAComputedHandOff_Throws() =>
        Assert.Throws<InvalidOperationException>(() => StageGraph.Order([Stage("a", produces: [Count])], [], new ListLogger()));

    [Fact]
    public void Batch_GetAndPut_AreCheckedAgainstTheRunningStage()
    {
        var batch = new IngestionBatch([]);
        var speaker = new StageNode(Stage("speaker", produces: [Words]), 0);
        var listener = new StageNode(Stage("listener", consumes: [Words]), 1);

        batch.Stage = listener;
        Assert.Equal(string.Empty, batch.Get(Words));
        Assert.Throws<InvalidOperationException>(() => batch.Put(Words, "hi"));
        Assert.Throws<InvalidOperationException>(() => batch.Get(Shout));

        batch.Stage = speaker;
        batch.Put(Words, "hello");
        batch.Put(Words, "hello again");

        batch.Stage = listener;
        Assert.Equal("hello again", batch.Get(Words));
    }

    [Fact]
    public void Batch_ComputedHandOff_IsComputedOncePerBatch()
    {
        var calls = 0;
        var counted = HandOff.Computed("test.calls", batch => (++calls).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var batch = new IngestionBatch([]) { Stage = new StageNode(Stage("a", consumes: [counted]), 0) };

        Assert.Equal("1", batch.Get(counted));
        Assert.Equal("1", batch.Get(counted));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Hub_MetricsDisabled_DisablesAnomaliesAndLogsWhy()
    {
        var logger = new ListLogger();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleEvents.Now));
        services.AddLogging(builder => builder.AddProvider(logger));
        services.AddAnalyticsHub(o => o.DisabledStages = ["metrics"]);
        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        var result = await hub.IngestAsync(SampleEvents.Event(SampleEvents.Latency));
        await result.Completion;

        Assert.Contains(logger.Entries, e => e.Message.Contains("Stage anomalies is disabled: it consumes metrics.closed_windows, and its producer 'metrics' is disabled", StringComparison.Ordinal));
        var started = Assert.Single(logger.Entries, e => e.Message.StartsWith("Analytics hub started", StringComparison.Ordinal));
        Assert.DoesNotContain("anomalies", started.Message, StringComparison.Ordinal);
        Assert.Contains("time_series", started.Message, StringComparison.Ordinal);
        Assert.Equal(1, hub.Statistics.Stored);
    }

    private static FakeStage Stage(string name, HandOff[]? produces = null, HandOff[]? consumes = null) => new(name, produces ?? [], consumes ?? []);

    private sealed class FakeStage(string name, HandOff[] produces, HandOff[] consumes) : IIngestionStage
    {
        public string Name => name;

        public IReadOnlyList<HandOff> Produces => produces;

        public IReadOnlyList<HandOff> Consumes => consumes;

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
