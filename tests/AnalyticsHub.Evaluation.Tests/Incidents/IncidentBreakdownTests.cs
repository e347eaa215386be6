using AnalyticsHub.Evaluation.Incidents;
using static AnalyticsHub.Evaluation.Tests.Incidents.IncidentTruths;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

public class IncidentBreakdownTests
{
    [Fact]
    public void Write_SplitIncident_ShowsWhereItsMembersWentAndWhatEachPredictionHolds()
    {
        var truth = Truth(Incident("a", [1, 2, 3, 4], EventRoot(1)), Incident("b", [5, 6], EventRoot(5)));
        var run = new IncidentScenarioRun { Truth = truth, Predictions = [Predicted([1, 2, 3]), Predicted([4, 5, 6, 7])] };
        using var writer = new StringWriter();

        new IncidentBreakdown().Write(writer, "hub", run, []);

        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        // True pairs 6 + 1 = 7, predicted 3 + 6 = 9, both 3 + 1 = 4: F1 = 8 / 16.
        Assert.Equal("== hub, seed 1: grouping F1 0.500 (true pairs 7, predicted 9, both 4); 2 predicted", lines[0]);
        Assert.StartsWith("  T0 a ", lines[1]);
        Assert.EndsWith("4 members (6 pairs): P0 J=0.75; in P0:3 P1:1; only outside P0 derived×1", lines[1]);
        // A matched incident's true root, the prediction's ranked candidates and both extra costs follow it.
        Assert.StartsWith("      root derived#", lines[2]);
        Assert.EndsWith("; ranked none; extra cost true 0.000 predicted 0.000", lines[2]);
        Assert.EndsWith("2 members (1 pairs): P1 J=0.50; in P1:2", lines[3]);
        Assert.StartsWith("      root derived#", lines[4]);
        Assert.EndsWith(": T0:3", lines[5]);
        Assert.EndsWith(": T0:1 T1:2; outside derived×1", lines[6]);
        Assert.Equal("  pair loss (lost pairs: members in no incident, series never shown / series shown; members in another incident):", lines[7]);
        Assert.EndsWith("T0 4 members, 6 pairs, 3 together; lost not shown 0 (0), shown but left out 0 (0), elsewhere 3 (1)", lines[8]);
        Assert.EndsWith("P1 4 members, best T1: false pairs 5: event 5 (2); 1 outsiders of other incidents", lines[10]);
        Assert.Equal(13, lines.Length);
    }

    [Fact]
    public void Write_WrongFirstRoot_ListsEachCandidatesConfidenceAndEvidence_AndAnUnmatchedIncidentShowsItsLargestPiecesRoots()
    {
        // T0 is matched, its true root ranked second; T1 is split 3 / 2 (J 3/7 and 2/5), its larger piece P1.
        var truth = Truth(Incident("a", [1, 2, 3], EventRoot(1)), Incident("b", [5, 6, 7, 8, 9], EventRoot(5)));
        var wrong = Root(2) with { Confidence = 0.8, Why = "It precedes the first related effect by 60 s." };
        var right = Root(1) with { Confidence = 0.5, Why = "It touches what moved." };
        var run = new IncidentScenarioRun
        {
            Truth = truth,
            Predictions = [Predicted([1, 2, 3], [wrong, right]), Predicted([5, 6, 7, 10, 11], [Root(5) with { Confidence = 0.9 }]), Predicted([8, 9])],
        };
        using var writer = new StringWriter();

        new IncidentBreakdown().Write(writer, "hub", run, []);

        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^      root derived#\w+; ranked derived#\w+ \(0\.800\), \*derived#\w+ \(0\.500\); extra cost", lines[2]);
        Assert.Matches(@"^        #1 derived#\w+: It precedes the first related effect by 60 s\.$", lines[3]);
        Assert.Matches(@"^        #2 derived#\w+: It touches what moved\.$", lines[4]);
        Assert.Contains("unmatched; in P1:3 P2:2", lines[5]);
        Assert.Matches(@"^      \(unmatched; P1\) root derived#\w+; ranked \*derived#\w+ \(0\.900\); extra cost", lines[6]);
    }
}
