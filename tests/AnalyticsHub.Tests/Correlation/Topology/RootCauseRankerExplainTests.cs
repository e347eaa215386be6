using AnalyticsHub.Correlation.RootCause;
using AnalyticsHub.Correlation.Topology;

namespace AnalyticsHub.Tests.Correlation.Topology;

public class RootCauseRankerExplainTests
{
    private const string Metric = "latency";
    private static readonly DateTimeOffset T0 = new(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    /// <summary>front calls search, search calls db; front also calls cache.</summary>
    internal static DependencyGraph Chain() => new DependencyGraph().AddCall("front", "search").AddCall("search", "db").AddCall("front", "cache");

    private static double Noise(int seed, int i) => (((seed * 7919) + (i * 104729)) % 1000 / 1000.0) - 0.5;

    private static TopologySeries Series(string entity, DateTimeOffset start, int count, Func<int, double> value) =>
        new(entity, Metric, [.. Enumerable.Range(0, count).Select(i => start + (i * Step))], [.. Enumerable.Range(0, count).Select(value)]);

    internal static List<TopologySeries> Normal(params string[] entities) =>
        [.. entities.Select((e, k) => Series(e, T0, 200, i => 10 + Noise(k + 1, i)))];

    /// <summary>Six abnormal observations starting a day after the normal period; <paramref name="shift"/> per entity from row 2.</summary>
    internal static List<TopologySeries> Abnormal(Dictionary<string, double[]> shift, params string[] entities) =>
        [.. entities.Select((e, k) => Series(e, T0.AddDays(1), 6, i => 10 + Noise(k + 11, i) + (shift.TryGetValue(e, out var s) ? s[i] : 0)))];

    internal static TopologyTarget Target => new("front", Metric, T0.AddDays(1) + (1.5 * Step));

    internal static readonly string[] All = ["front", "search", "db", "cache"];

    [Fact]
    public void Explain_FaultAtTheEndOfTheChain_RanksItAboveItsSymptoms()
    {
        var fault = new[] { 0, 0, 20.0, 30, 10, 0 };
        var shift = new Dictionary<string, double[]> { ["db"] = fault, ["search"] = fault, ["front"] = fault };

        var explanation = new RootCauseRanker().Explain(Chain(), Target, Normal(All), Abnormal(shift, All));

        Assert.Equal(TopologyOutcome.Explained, explanation.Outcome);
        Assert.Equal("db", explanation.Root!.Entity);
        Assert.True(explanation.Root.Explained > 0.95);
        Assert.Equal(1, explanation.Root.Own);
        Assert.Equal(T0.AddDays(1) + (2 * Step), explanation.Root.Onset);
        Assert.DoesNotContain(explanation.Candidates.Skip(1), c => c.Score > 0.5);
    }

    [Fact]
    public void Explain_CalleeThatDeviatesOtherwise_LeavesTheRootToTheService()
    {
        var shift = new Dictionary<string, double[]>
        {
            ["front"] = [0, 0, 20, 30, 10, 0],
            ["search"] = [0, 0, 20, 30, 10, 0],
            ["db"] = [0, 0, 0, 0, 12, 12],
        };

        var explanation = new RootCauseRanker().Explain(Chain(), Target, Normal(All), Abnormal(shift, All));

        Assert.Equal("search", explanation.Root!.Entity);
        Assert.DoesNotContain(explanation.Candidates, c => c.Entity == "db");
    }

    [Fact]
    public void Explain_NoDeviation_FindsNoRootCause()
    {
        var explanation = new RootCauseRanker().Explain(Chain(), Target, Normal(All), Abnormal([], All));

        Assert.Equal(TopologyOutcome.TargetNotAnomalous, explanation.Outcome);
        Assert.Empty(explanation.Candidates);
        Assert.Null(explanation.Root);
    }

    [Fact]
    public void Explain_LevelShiftedBeforeTheTarget_IsNoOnset()
    {
        var shifted = new[] { 30.0, 30, 30, 30, 30, 30 };
        var explanation = new RootCauseRanker().Explain(
            Chain(), Target, Normal(All), Abnormal(new() { ["front"] = shifted, ["search"] = shifted }, All));

        Assert.Equal(TopologyOutcome.TargetNotAnomalous, explanation.Outcome);
    }

    [Fact]
    public void Explain_TargetOutsideTheGraphOrWithoutSeries_IsUnknown()
    {
        var ranker = new RootCauseRanker();

        Assert.Equal(TopologyOutcome.TargetUnknown, ranker.Explain(Chain(), Target with { Entity = "other" }, Normal(All), Abnormal([], All)).Outcome);
        Assert.Equal(TopologyOutcome.TargetUnknown, ranker.Explain(Chain(), Target with { Metric = "errors" }, Normal(All), Abnormal([], All)).Outcome);
        Assert.Equal(TopologyOutcome.TargetUnknown, ranker.Explain(Chain(), Target, Normal("search"), Abnormal([], All)).Outcome);
    }

    [Fact]
    public void Explain_ServiceItselfDegraded_IsItsOwnRoot()
    {
        var explanation = new RootCauseRanker().Explain(
            Chain(), Target, Normal(All), Abnormal(new() { ["front"] = [0, 0, 25, 25, 0, 0] }, All));

        Assert.Equal(["front"], explanation.Candidates.Select(c => c.Entity));
    }

    [Fact]
    public void Explain_AvailabilityMostlyAtItsCeiling_UsesTheSpreadOfTheCentralValues()
    {
        // 80 % of normal values are 100 (MAD 0); a drop to 90 is far outside the central spread, 99.9 is not.
        var normal = new List<TopologySeries> { Series("front", T0, 200, i => i % 5 == 0 ? 99.5 + (Noise(3, i) * 0.5) : 100) };
        var graph = new DependencyGraph().AddService("front");
        var target = Target;

        var drop = new RootCauseRanker().Explain(graph, target, normal, [Series("front", T0.AddDays(1), 6, i => i is 2 or 3 ? 90 : 100)]);
        var blip = new RootCauseRanker().Explain(graph, target, normal, [Series("front", T0.AddDays(1), 6, i => i == 2 ? 99.9 : 100)]);

        Assert.Equal(TopologyOutcome.Explained, drop.Outcome);
        Assert.Equal(TopologyOutcome.TargetNotAnomalous, blip.Outcome);
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RootCauseRanker(new RootCauseRankerOptions { AnomalyThreshold = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RootCauseRanker(new RootCauseRankerOptions { AnomalyThreshold = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RootCauseRanker(new RootCauseRankerOptions { Window = TimeSpan.FromMinutes(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RootCauseRanker(new RootCauseRankerOptions { MinimumNormalValues = 1 }));
    }

    [Fact]
    public void Series_MismatchedOrUnorderedOrDuplicated_Throw()
    {
        Assert.Throws<ArgumentException>(() => new TopologySeries("a", Metric, [T0], [1, 2]));
        Assert.Throws<ArgumentException>(() => new TopologySeries("a", Metric, [T0, T0], [1, 2]));
        Assert.Throws<ArgumentException>(() => new TopologySeries("a", Metric, [T0], [double.PositiveInfinity]));
        var twice = Normal("front", "front");
        Assert.Throws<ArgumentException>(() => new RootCauseRanker().Explain(Chain(), Target, twice, Abnormal([], All)));
    }
}
