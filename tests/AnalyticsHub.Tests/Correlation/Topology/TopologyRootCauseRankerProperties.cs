using AnalyticsHub.Correlation.Topology;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Correlation.Topology;

/// <summary>Laws of the topology ranker on the chain of <see cref="TopologyRootCauseRankerTests"/>.</summary>
public class TopologyRootCauseRankerProperties
{
    /// <summary>Deviations are in robust units of each series' own normal period: a positive affine change of one series' unit changes nothing.</summary>
    [Property(MaxTest = 50)]
    public bool Explain_IsInvariantToEachSeriesUnit(byte scaleSeed, sbyte offset, byte which)
    {
        var scale = 0.1 + (scaleSeed / 16.0);
        var entity = TopologyRootCauseRankerTests.All[which % TopologyRootCauseRankerTests.All.Length];
        var fault = new[] { 0, 0, 20.0, 30, 10, 0 };
        var shift = new Dictionary<string, double[]> { ["db"] = fault, ["search"] = fault, ["front"] = fault, ["cache"] = [0, 0, 0, 8, 0, 0] };
        var normal = TopologyRootCauseRankerTests.Normal(TopologyRootCauseRankerTests.All);
        var abnormal = TopologyRootCauseRankerTests.Abnormal(shift, TopologyRootCauseRankerTests.All);
        TopologySeries Rescale(TopologySeries s) =>
            s.Entity == entity ? new TopologySeries(s.Entity, s.Metric, s.Times, [.. s.Values.Select(v => (v * scale) + offset)]) : s;

        var ranker = new TopologyRootCauseRanker();
        var before = ranker.Explain(TopologyRootCauseRankerTests.Chain(), TopologyRootCauseRankerTests.Target, normal, abnormal).Candidates;
        var after = ranker.Explain(TopologyRootCauseRankerTests.Chain(), TopologyRootCauseRankerTests.Target, normal.Select(Rescale), abnormal.Select(Rescale)).Candidates;

        return before.Select(c => c.Entity).SequenceEqual(after.Select(c => c.Entity))
            && before.Zip(after).All(p => Math.Abs(p.First.Score - p.Second.Score) < 1e-9);
    }
}
