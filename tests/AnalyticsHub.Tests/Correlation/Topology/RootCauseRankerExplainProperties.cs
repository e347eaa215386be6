using AnalyticsHub.Correlation.RootCause;
using AnalyticsHub.Correlation.Topology;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Correlation.Topology;

/// <summary>Laws of the ranking of a metric violation on the chain of <see cref="RootCauseRankerExplainTests"/>.</summary>
public class RootCauseRankerExplainProperties
{
    /// <summary>Deviations are in robust units of each series' own normal period: a positive affine change of one series' unit changes nothing.</summary>
    [Property(MaxTest = 50)]
    public bool Explain_IsInvariantToEachSeriesUnit(byte scaleSeed, sbyte offset, byte which)
    {
        var scale = 0.1 + (scaleSeed / 16.0);
        var entity = RootCauseRankerExplainTests.All[which % RootCauseRankerExplainTests.All.Length];
        var fault = new[] { 0, 0, 20.0, 30, 10, 0 };
        var shift = new Dictionary<string, double[]> { ["db"] = fault, ["search"] = fault, ["front"] = fault, ["cache"] = [0, 0, 0, 8, 0, 0] };
        var normal = RootCauseRankerExplainTests.Normal(RootCauseRankerExplainTests.All);
        var abnormal = RootCauseRankerExplainTests.Abnormal(shift, RootCauseRankerExplainTests.All);
        TopologySeries Rescale(TopologySeries s) =>
            s.Entity == entity ? new TopologySeries(s.Entity, s.Metric, s.Times, [.. s.Values.Select(v => (v * scale) + offset)]) : s;

        var ranker = new RootCauseRanker();
        var before = ranker.Explain(RootCauseRankerExplainTests.Chain(), RootCauseRankerExplainTests.Target, normal, abnormal).Candidates;
        var after = ranker.Explain(RootCauseRankerExplainTests.Chain(), RootCauseRankerExplainTests.Target, normal.Select(Rescale), abnormal.Select(Rescale)).Candidates;

        return before.Select(c => c.Entity).SequenceEqual(after.Select(c => c.Entity))
            && before.Zip(after).All(p => Math.Abs(p.First.Score - p.Second.Score) < 1e-9);
    }
}
