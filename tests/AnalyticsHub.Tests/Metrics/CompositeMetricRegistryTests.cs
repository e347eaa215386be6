using AnalyticsHub.Events;
using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Metrics;

/// <summary>Composite metrics defined in a registry: refused definitions with their positions, order, dimensions, windows.</summary>
public class CompositeMetricRegistryTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 15, 10, 0, 0, TimeSpan.Zero);

    private sealed class Sink : ICompositeMetricSink
    {
        public List<(CompositeMetric Metric, IReadOnlyDictionary<string, string> Tags)> Values { get; } = [];

        public void OnCompositeMetric(CompositeMetric metric, IReadOnlyDictionary<string, string> tags) => Values.Add((metric, tags));
    }

    private static CompositeMetricDefinition Ratio(string id, string numerator, string denominator, IReadOnlyList<string>? dimensions = null, IReadOnlyList<TimeWindow>? windows = null) =>
        new(id, "", $"{id} = num / den",
        [
            new() { Name = "num", SourceModule = "test", MetricName = numerator, Stat = StatType.Sum },
            new() { Name = "den", SourceModule = "test", MetricName = denominator, Stat = StatType.Sum },
        ], dimensions, windows);

    [Fact]
    public void Constructor_FormulaReadsAnUnknownName_UnknownFieldAtItsPosition()
    {
        var error = Assert.Throws<CompositeMetricException>(() => new CompositeMetricDefinition("x", "", "x = num / requests",
            [new() { Name = "num", SourceModule = "test", MetricName = "a" }]));
        var problem = Assert.Single(error.Problems);
        Assert.Equal(ProblemCodes.UnknownField, problem.Code);
        Assert.Equal(new TextLocation(10, 1, 11), problem.Location);
        Assert.Contains("requests", problem.Message, StringComparison.Ordinal);
        Assert.Equal("x", error.MetricId);
    }

    [Fact]
    public void Constructor_RepeatedComponentName_DuplicateKeyWithPath()
    {
        var error = Assert.Throws<CompositeMetricException>(() => new CompositeMetricDefinition("x", "", "a",
        [
            new() { Name = "a", SourceModule = "test", MetricName = "m1" },
            new() { Name = "a", SourceModule = "test", MetricName = "m2" },
        ]));
        Assert.Equal((ProblemCodes.DuplicateKey, "$.components[1].name"), (error.Problems[0].Code, error.Problems[0].Path));
    }

    [Fact]
    public void TryAdd_TwoCompositesReadingEachOther_SecondRefusedWithCycleAtTheComponentPosition()
    {
        var registry = new CompositeMetricRegistry();
        Assert.Empty(registry.TryAdd(Ratio("a", "b", "m")));
        var problems = registry.TryAdd(Ratio("b", "m", "a"));

        var problem = Assert.Single(problems);
        Assert.Equal(ProblemCodes.CompositeCycle, problem.Code);
        Assert.Equal(10, problem.Location!.Value.Position); // "b = num / den": den, which reads a, which reads b
        Assert.Contains("b -> a -> b", problem.Message, StringComparison.Ordinal);
        Assert.Equal(["a"], registry.Definitions.Select(d => d.MetricId));
    }

    [Fact]
    public void TryAdd_CompositeReadingItself_Refused()
    {
        var problems = new CompositeMetricRegistry().TryAdd(Ratio("a", "a", "m"));
        Assert.Equal(ProblemCodes.CompositeCycle, Assert.Single(problems).Code);
        Assert.Equal(4, problems[0].Location!.Value.Position);
    }

    [Fact]
    public void TryAdd_NameInUse_Conflict()
    {
        var registry = new CompositeMetricRegistry([Ratio("a", "x", "y")]);
        var problem = Assert.Single(registry.TryAdd(Ratio("a", "x", "z")));
        Assert.Equal((ProblemCodes.Conflict, "$.metric_id"), (problem.Code, problem.Path));
    }

    [Fact]
    public void Constructor_DefinitionsInAnyOrder_OrderedAfterWhatTheyRead()
    {
        var registry = new CompositeMetricRegistry([Ratio("top", "middle", "m"), Ratio("middle", "bottom", "m"), Ratio("bottom", "m", "n")]);
        Assert.Equal(["bottom", "middle", "top"], registry.Definitions.Select(d => d.MetricId));
        Assert.True(registry.Remove("top"));
        Assert.False(registry.Remove("top"));
        Assert.Equal(["bottom", "middle"], registry.Definitions.Select(d => d.MetricId));
    }

    [Fact]
    public void Evaluator_CompositeOfComposite_ReadsTheValueOfTheSameWindow()
    {
        var sink = new Sink();
        var registry = new CompositeMetricRegistry(
        [
            new CompositeMetricDefinition("doubled", "", "ratio * 2", [new() { Name = "ratio", SourceModule = "test", MetricName = "ratio", Stat = StatType.Avg }]),
            Ratio("ratio", "cost", "requests"),
        ]);
        var aggregator = new WindowedAggregator(new WindowedAggregatorOptions { Windows = [TimeWindow.OneMinute] }, new CompositeMetricEvaluator(registry, sink));
        aggregator.Record("cost", null, T0, 3);
        aggregator.Record("requests", null, T0, 4);
        aggregator.Flush();

        Assert.Equal([("ratio", 0.75), ("doubled", 1.5)], sink.Values.Select(v => (v.Metric.Name, v.Metric.Value)));
    }

    [Fact]
    public void Evaluator_Dimensions_OneValuePerTagValueFromThatValuesSeriesOnly()
    {
        var sink = new Sink();
        var evaluator = new CompositeMetricEvaluator([Ratio("cost_per_request", "cost", "requests", dimensions: ["model"])], sink);
        var aggregator = new WindowedAggregator(new WindowedAggregatorOptions { Windows = [TimeWindow.OneMinute] }, evaluator);
        foreach (var (model, region, cost, requests) in new[] { ("a", "eu", 1.0, 4.0), ("a", "us", 2.0, 2.0), ("b", "eu", 5.0, 10.0) })
        {
            var tags = new Dictionary<string, string> { ["model"] = model, ["region"] = region };
            aggregator.Record("cost", tags, T0, cost);
            aggregator.Record("requests", tags, T0, requests);
        }

        aggregator.Flush();

        var byModel = sink.Values.ToDictionary(v => v.Tags["model"], v => v.Metric.Value);
        Assert.Equal(2, byModel.Count);
        Assert.Equal(0.5, byModel["a"], 12); // (1 + 2) / (4 + 2)
        Assert.Equal(0.5, byModel["b"], 12);
        Assert.All(sink.Values, v => Assert.Equal(["model"], v.Tags.Keys));
    }

    [Fact]
    public void Evaluator_Windows_EvaluatedOnTheConfiguredSizesOnly()
    {
        var sink = new Sink();
        var evaluator = new CompositeMetricEvaluator([Ratio("hourly", "cost", "requests", windows: [TimeWindow.OneHour])], sink);
        var aggregator = new WindowedAggregator(new WindowedAggregatorOptions { Windows = [TimeWindow.OneMinute, TimeWindow.OneHour] }, evaluator);
        aggregator.Record("cost", null, T0, 1);
        aggregator.Record("requests", null, T0, 2);
        aggregator.Flush();

        Assert.Equal(TimeWindow.OneHour, Assert.Single(sink.Values).Metric.Window);
    }

    [Fact]
    public void Evaluator_DefinitionAddedAtRuntime_EvaluatedFromTheNextClosePass()
    {
        var sink = new Sink();
        var registry = new CompositeMetricRegistry();
        var aggregator = new WindowedAggregator(
            new WindowedAggregatorOptions { Windows = [TimeWindow.OneMinute], AllowedLateness = TimeSpan.Zero }, new CompositeMetricEvaluator(registry, sink));
        aggregator.Record("cost", null, T0, 1);
        aggregator.Record("requests", null, T0, 2);
        aggregator.Record("cost", null, T0.AddMinutes(1), 3); // closes minute 0 with no definition
        registry.Add(Ratio("r", "cost", "requests"));
        aggregator.Record("requests", null, T0.AddMinutes(1), 4);
        aggregator.Flush();

        var value = Assert.Single(sink.Values);
        Assert.Equal((T0.AddMinutes(1), 0.75), (value.Metric.Timestamp, value.Metric.Value));
    }

    /// <summary>
    /// Law: each statistic a component reads, per dimension value, is that statistic of every value of the series with
    /// that value, whether the evaluator merges only the windows' statistics (sum, count, ...) or their sketches too
    /// (percentiles).
    /// </summary>
    [Property(MaxTest = 100)]
    public void Evaluator_EveryStatPerDimension_TheStatisticOfThatValuesSeries(int seed)
    {
        var random = new Random(seed);
        var stats = new[] { StatType.Sum, StatType.Count, StatType.Avg, StatType.Min, StatType.Max, StatType.P50, StatType.P95, StatType.P99 };
        var sink = new Sink();
        var evaluator = new CompositeMetricEvaluator(
            [.. stats.Select(stat => new CompositeMetricDefinition("m_" + stat, "", "x", [new() { Name = "x", SourceModule = "test", MetricName = "m", Stat = stat }], ["model"]))],
            sink);
        var aggregator = new WindowedAggregator(new WindowedAggregatorOptions { Windows = [TimeWindow.OneMinute] }, evaluator);
        var expected = new Dictionary<string, (StreamingStats Stats, QuantileSketch Sketch)>();
        var count = random.Next(1, 60);
        for (var i = 0; i < count; i++)
        {
            var model = random.Next(2) == 0 ? "a" : "b";
            var value = Math.Round(random.NextDouble() * 1000, 3);
            aggregator.Record("m", new Dictionary<string, string> { ["model"] = model, ["region"] = "r" + random.Next(3) }, T0.AddSeconds(random.Next(60)), value);
            var (modelStats, sketch) = expected.TryGetValue(model, out var found) ? found : (default(StreamingStats), new QuantileSketch());
            modelStats.TryAdd(value);
            sketch.TryAdd(value);
            expected[model] = (modelStats, sketch);
        }

        aggregator.Flush();

        Assert.Equal(expected.Count * stats.Length, sink.Values.Count);
        foreach (var (metric, tags) in sink.Values)
        {
            var (modelStats, sketch) = expected[tags["model"]];
            var want = Enum.Parse<StatType>(metric.Name["m_".Length..]) switch
            {
                StatType.Sum => modelStats.Sum,
                StatType.Count => modelStats.Count,
                StatType.Avg => modelStats.Mean,
                StatType.Min => modelStats.Min,
                StatType.Max => modelStats.Max,
                StatType.P50 => sketch.Quantile(0.50),
                StatType.P95 => sketch.Quantile(0.95),
                _ => sketch.Quantile(0.99),
            };
            Assert.True(Math.Abs(want - metric.Value) <= 1e-9 * Math.Max(1, Math.Abs(want)), $"{metric.Name} {tags["model"]}: {metric.Value:R}, expected {want:R}");
        }
    }

    [Fact]
    public void Evaluator_DefinitionAddedBetweenTheWindowsOfOnePass_ThatPassEvaluatedAsMerged()
    {
        var sink = new Sink();
        var registry = new CompositeMetricRegistry([Ratio("r", "cost", "requests", dimensions: ["model"])]);
        var evaluator = new CompositeMetricEvaluator(registry, sink);
        var tags = new Dictionary<string, string> { ["model"] = "a" };
        var aggregator = new WindowedAggregator(new WindowedAggregatorOptions { Windows = [TimeWindow.OneMinute] }, new AddingSink(evaluator, registry));
        aggregator.Record("cost", tags, T0, 1);
        aggregator.Record("requests", tags, T0, 4);
        aggregator.Flush();

        // The definition added during the pass is evaluated from the next pass: this one is evaluated as it was merged,
        // although the new definition (read by r, so ordered first) takes the first dimension set.
        var value = Assert.Single(sink.Values);
        Assert.Equal(("r", 0.25), (value.Metric.Name, value.Metric.Value));
    }

    [Fact]
    public void Evaluator_WindowsOfTwoAggregatorsInOnePass_SeriesWithTheSameKeyIdKeptApart()
    {
        var sink = new Sink();
        var evaluator = new CompositeMetricEvaluator([Ratio("r", "cost", "requests", dimensions: ["model"])], sink);
        var held = new HoldingSink();
        var options = new WindowedAggregatorOptions { Windows = [TimeWindow.OneMinute] };
        var costs = new WindowedAggregator(options, held);
        var requests = new WindowedAggregator(options, held);
        costs.Record("cost", new Dictionary<string, string> { ["model"] = "a" }, T0, 3);
        requests.Record("requests", new Dictionary<string, string> { ["model"] = "b" }, T0, 5);
        requests.Record("requests", new Dictionary<string, string> { ["model"] = "a" }, T0, 4);
        costs.Flush();
        requests.Flush();

        // Series id 0 is cost{a} in one aggregator and requests{b} in the other: each window is merged as its own series.
        foreach (var window in held.Windows)
        {
            evaluator.OnWindowClosed(in window);
        }

        evaluator.OnClosePassCompleted(DateTimeOffset.MaxValue);
        var value = Assert.Single(sink.Values);
        Assert.Equal(("a", 0.75), (value.Tags["model"], value.Metric.Value));
        Assert.Equal(1, evaluator.MissingComponents); // model b has requests only
    }

    /// <summary>Keeps the closed windows (their statistics; the composites here read no sketch) for a later pass.</summary>
    private sealed class HoldingSink : IClosedWindowSink
    {
        public List<ClosedWindow> Windows { get; } = [];

        public void OnWindowClosed(in ClosedWindow window) => Windows.Add(window);

        public void OnClosePassCompleted(DateTimeOffset closedUpTo)
        {
        }
    }

    /// <summary>After the first window of the pass, adds a composite named after r's numerator, per region.</summary>
    private sealed class AddingSink(CompositeMetricEvaluator evaluator, CompositeMetricRegistry registry) : IClosedWindowSink
    {
        public void OnWindowClosed(in ClosedWindow window)
        {
            evaluator.OnWindowClosed(in window);
            if (registry.Definitions.Count == 1)
            {
                registry.Add(new CompositeMetricDefinition("cost", "", "requests * 2", [new() { Name = "requests", SourceModule = "test", MetricName = "requests" }], ["region"]));
            }
        }

        public void OnClosePassCompleted(DateTimeOffset closedUpTo) => evaluator.OnClosePassCompleted(closedUpTo);
    }
}
