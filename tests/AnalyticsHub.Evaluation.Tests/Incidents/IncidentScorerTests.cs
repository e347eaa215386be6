using AnalyticsHub.Correlation;
using AnalyticsHub.Evaluation.Incidents;
using static AnalyticsHub.Evaluation.Tests.Incidents.IncidentTruths;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

public class IncidentScorerTests
{
    private static readonly string[] DeployTypes = ["causal_chain", "performance_degradation", "cost_impact"];
    private static readonly CorrelationType[] DeployTypesPredicted = [CorrelationType.CausalChain, CorrelationType.PerformanceDegradation, CorrelationType.CostImpact];

    private static Simulation.Traffic.GroundTruth ThreeIncidents() => Truth(
        Incident("deploy", [1, 2, 3, 4], EventRoot(1), DeployTypes, extraCostUsd: 2.0),
        Incident("outage", [10, 11, 12], ExternalRoot("openai", "us-east"), ["performance_degradation"], extraCostUsd: 1.0),
        Incident("surge", [20, 21], root: null, ["temporal", "anomaly"], extraCostUsd: 5.0, negativeControl: true));

    [Fact]
    public void Score_PerfectPredictions_ScoresOneEverywhere()
    {
        var score = Score(
            ThreeIncidents(),
            Predicted([1, 2, 3, 4], [Root(1)], DeployTypesPredicted, 2.0),
            Predicted([10, 11, 12], [RootCandidate.External("openai", "us-east")], [CorrelationType.PerformanceDegradation], 1.0),
            Predicted([20, 21], [], [CorrelationType.Temporal, CorrelationType.Anomaly], 5.0));

        Assert.Equal(3, score.MatchedIncidents);
        Assert.Equal(2, score.RootedIncidents);
        Assert.Equal(1.0, score.RootCauseAc1);
        Assert.Equal(1.0, score.RootCauseAc3);
        Assert.Equal(1.0, score.GroupingF1);
        Assert.Equal(1.0, score.TypeF1);
        Assert.Equal(0, score.NegativeControlRoots);
        Assert.Equal(0.0, score.ImpactCostMedianRelError);
    }

    [Fact]
    public void Score_NoPredictions_ScoresZeroAndLeavesMatchedMetricsUndefined()
    {
        var score = Score(ThreeIncidents());

        Assert.Equal(0, score.MatchedIncidents);
        Assert.Equal(0.0, score.RootCauseAc1);
        Assert.Equal(0.0, score.RootCauseAc3);
        Assert.Equal(0.0, score.GroupingF1);
        Assert.Null(score.TypeF1);
        Assert.Null(score.ImpactCostMedianRelError);
        Assert.Null(score.DistractorRate);
        Assert.Equal(0, score.NegativeControlRoots);
    }

    [Fact]
    public void Score_EverythingInOneGroup_MatchesOnlyTheLargestIncident()
    {
        var truth = Truth(Incident("a", [1, 2, 3, 4], EventRoot(1)), Incident("b", [5, 6], EventRoot(5)));

        var score = Score(truth, Predicted([1, 2, 3, 4, 5, 6], [Root(1)]));

        // J(a) = 4/6, J(b) = 2/6: only a matches; b is a root miss.
        Assert.Equal(1, score.MatchedIncidents);
        Assert.Equal(0.5, score.RootCauseAc1);
        // True pairs 6 + 1 = 7, predicted pairs C(6,2) = 15, both 7: F1 = 14 / 22.
        Assert.Equal(14.0 / 22.0, score.GroupingF1!.Value, 12);
    }

    [Fact]
    public void Score_WrongRoot_MissesTopOneAndTopThree()
    {
        var score = Score(Truth(Incident("a", [1, 2, 3], EventRoot(1))), Predicted([1, 2, 3], [Root(2), Root(3)]));

        Assert.Equal(1, score.MatchedIncidents);
        Assert.Equal(0.0, score.RootCauseAc1);
        Assert.Equal(0.0, score.RootCauseAc3);
    }

    [Fact]
    public void Score_RootAtRankTwo_CountsForTopThreeOnly()
    {
        var score = Score(Truth(Incident("a", [1, 2, 3], EventRoot(1))), Predicted([1, 2, 3], [Root(2), Root(1)]));

        Assert.Equal(0.0, score.RootCauseAc1);
        Assert.Equal(1.0, score.RootCauseAc3);
    }

    [Fact]
    public void Score_RootAtRankFour_Misses()
    {
        var score = Score(Truth(Incident("a", [1, 2, 3], EventRoot(1))), Predicted([1, 2, 3], [Root(2), Root(3), Root(9), Root(1)]));

        Assert.Equal(0.0, score.RootCauseAc3);
    }

    [Fact]
    public void Score_RightRootInUnmatchedGroup_IsAMiss()
    {
        var score = Score(Truth(Incident("a", [1, 2, 3, 4], EventRoot(1))), Predicted([1, 9, 8], [Root(1)]));

        Assert.Equal(0, score.MatchedIncidents);
        Assert.Equal(0.0, score.RootCauseAc1);
    }

    [Fact]
    public void Score_ExternalRoot_MatchesProviderAndRegionIgnoringCase()
    {
        var truth = Truth(Incident("outage", [1, 2], ExternalRoot("openai", "us-east")));

        Assert.Equal(1.0, Score(truth, Predicted([1, 2], [RootCandidate.External("OpenAI", "US-EAST")])).RootCauseAc1);
        Assert.Equal(0.0, Score(truth, Predicted([1, 2], [RootCandidate.External("openai", "eu-west")])).RootCauseAc3);
        Assert.Equal(0.0, Score(truth, Predicted([1, 2], [Root(1)])).RootCauseAc3);
    }

    [Fact]
    public void Score_EventRootNeverDelivered_IsLeftOutOfTheRootDenominator()
    {
        var truth = Truth(Incident("a", [1, 2], EventRoot(99, emitted: false)), Incident("b", [3, 4], EventRoot(3)));

        var score = Score(truth, Predicted([1, 2]), Predicted([3, 4], [Root(3)]));

        Assert.Equal(1, score.RootedIncidents);
        Assert.Equal(1.0, score.RootCauseAc1);
    }

    [Fact]
    public void Score_Distractors_MergedIntoATrueGroupContaminate_ReportedAloneDoNot()
    {
        var labels = new IncidentEventLabels { DistractorEvents = Set(50, 51, 52, 53) };
        var truth = Truth(Incident("a", [1, 2], EventRoot(1)));

        // 50 joins a group with true members; 51 and 52 form groups of their own (an unblamed blip); 53 is left out.
        var score = IncidentScorer.Score([Run(truth, labels, Predicted([1, 2, 50]), Predicted([51, 60]), Predicted([52]))]);

        Assert.Equal(4, score.DistractorEvents);
        Assert.Equal(1, score.DistractorEventsMerged);
        Assert.Equal(2, score.DistractorEventsAlone);
        Assert.Equal(0.25, score.DistractorRate);
        Assert.Equal(0.5, score.DistractorAloneRate);
    }

    [Fact]
    public void Score_DistractorInTwoGroups_TheFirstGroupDecides()
    {
        var labels = new IncidentEventLabels { DistractorEvents = Set(50) };
        var truth = Truth(Incident("a", [1, 2], EventRoot(1)));

        var aloneFirst = IncidentScorer.Score([Run(truth, labels, Predicted([50]), Predicted([1, 2, 50]))]);
        var mergedFirst = IncidentScorer.Score([Run(truth, labels, Predicted([1, 2, 50]), Predicted([50]))]);

        Assert.Equal((0L, 1L), (aloneFirst.DistractorEventsMerged, aloneFirst.DistractorEventsAlone));
        Assert.Equal((1L, 0L), (mergedFirst.DistractorEventsMerged, mergedFirst.DistractorEventsAlone));
    }

    [Fact]
    public void Score_DerivedEventWithEvidence_CountsAsEveryEvidenceEvent()
    {
        // 100 is an anomaly episode built from aggregates 3 and 4; 101 from request-level evidence only (nothing);
        // 102 is the episode's closing event, derived from 100 (its parent), so it stands for the same evidence.
        var labels = new IncidentEventLabels
        {
            DerivedEvidence = new Dictionary<Guid, IReadOnlyList<Guid>> { [Id(100)] = Ids(3, 4), [Id(101)] = [] },
            DerivedParents = new Dictionary<Guid, Guid> { [Id(100)] = Id(77), [Id(102)] = Id(100) },
        };
        var truth = Truth(Incident("a", [1, 2, 3, 4], EventRoot(1)));

        var score = IncidentScorer.Score([Run(truth, labels, Predicted([1, 2, 100, 101, 102], [Root(1)]))]);

        Assert.Equal(1, score.MatchedIncidents);
        Assert.Equal(1.0, score.GroupingF1);
    }

    [Fact]
    public void Score_Seeds_AreReportedInOrder()
    {
        var first = Truth(Incident("a", [1, 2], EventRoot(1))) with { Seed = 4 };
        var second = first with { Seed = 5 };

        Assert.Equal([4UL, 5UL], IncidentScorer.Score([Run(first), Run(second)]).Seeds);
    }

    [Fact]
    public void Score_NegativeControlMatchedByAGroupWithARoot_CountsOne()
    {
        var truth = Truth(Incident("a", [1, 2], EventRoot(1)), Incident("surge", [5, 6, 7], null, negativeControl: true));

        var named = Score(truth, Predicted([1, 2], [Root(1)]), Predicted([5, 6, 7], [Root(5), Root(6)]));
        var silent = Score(truth, Predicted([1, 2], [Root(1)]), Predicted([5, 6, 7]));

        Assert.Equal(1, named.NegativeControlRoots);
        Assert.Equal(0, silent.NegativeControlRoots);
    }

    [Fact]
    public void Score_ScenarioWithOnlyNegativeControls_CountsEveryPredictionThatNamesARoot()
    {
        var truth = Truth(Incident("surge", [5, 6, 7], null, negativeControl: true));

        var score = Score(truth, Predicted([5, 6, 7], [Root(5)]), Predicted([30, 31], [Root(30)]), Predicted([40, 41]));

        Assert.Equal(2, score.NegativeControlRoots);
        Assert.Equal(0, score.RootedIncidents);
        Assert.Null(score.RootCauseAc1);
    }

    [Fact]
    public void Score_DerivedEvents_CountAsTheirParents()
    {
        // 101 -> 100 -> 3 (a derived event of a derived event); 102 -> 1 names the root.
        var labels = new IncidentEventLabels
        {
            DerivedParents = new Dictionary<Guid, Guid> { [Id(100)] = Id(3), [Id(101)] = Id(100), [Id(102)] = Id(1) },
        };
        var truth = Truth(Incident("a", [1, 2, 3, 4], EventRoot(1)));

        var score = IncidentScorer.Score([Run(truth, labels, Predicted([1, 2, 101, 4, 102], [Root(102)]))]);

        Assert.Equal(1, score.MatchedIncidents);
        Assert.Equal(1.0, score.GroupingF1);
        Assert.Equal(1.0, score.RootCauseAc1);
    }

    [Fact]
    public void Score_DerivedEventWithoutItsParentMapped_CountsAsItself()
    {
        var truth = Truth(Incident("a", [1, 2, 3, 4], EventRoot(1)));

        var score = Score(truth, Predicted([1, 100, 101, 102], [Root(1)]));

        Assert.Equal(0, score.MatchedIncidents);
    }

    [Fact]
    public void Score_TypeF1_IsMicroAveragedOverMatchedPairs()
    {
        var truth = Truth(
            Incident("a", [1, 2], EventRoot(1), ["causal_chain", "cost_impact", "performance_degradation"]),
            Incident("b", [3, 4], EventRoot(3), ["security_incident"]),
            Incident("c", [5, 6], EventRoot(5), ["temporal"]));

        // a: tp 2, fn 1; b: tp 1, fp 1; c is unmatched and does not count.
        var score = Score(
            truth,
            Predicted([1, 2], types: [CorrelationType.CausalChain, CorrelationType.CostImpact]),
            Predicted([3, 4], types: [CorrelationType.SecurityIncident, CorrelationType.Anomaly, CorrelationType.Anomaly]));

        Assert.Equal(6.0 / 8.0, score.TypeF1!.Value, 12);
    }

    [Fact]
    public void Score_ImpactCost_IsTheMedianRelativeErrorWithAFloorOnTheTruth()
    {
        var truth = Truth(
            Incident("a", [1, 2], EventRoot(1), extraCostUsd: 2.0),
            Incident("b", [3, 4], EventRoot(3), extraCostUsd: 0.0),
            Incident("c", [5, 6], EventRoot(5), extraCostUsd: -4.0));

        // Errors: |3 - 2| / 2 = 0.5; |1 - 0| / 0.25 = 4; |-4 - -4| / 4 = 0. Median 0.5.
        var score = Score(truth, Predicted([1, 2], extraCostUsd: 3.0), Predicted([3, 4], extraCostUsd: 1.0), Predicted([5, 6], extraCostUsd: -4.0));

        Assert.Equal(0.5, score.ImpactCostMedianRelError!.Value, 12);
    }

    [Theory]
    [InlineData(0.05, 0.10, 0.2)] // a few cents off a few cents is judged in quarters of a dollar
    [InlineData(-1.43, -1.43, 0)]
    [InlineData(-2.0, 0.0, 1.0)] // a negative extra cost divides by its own size
    [InlineData(0.0, 0.25, 1.0)]
    public void Score_ImpactCost_DividesByAtLeastAQuarterDollar(double truthUsd, double predictedUsd, double expected)
    {
        var truth = Truth(Incident("a", [1, 2], EventRoot(1), extraCostUsd: truthUsd));

        var score = Score(truth, Predicted([1, 2], extraCostUsd: predictedUsd));

        Assert.Equal(expected, score.ImpactCostMedianRelError!.Value, 12);
        Assert.Equal(0.25, IncidentScorer.CostFloorUsd);
    }

    [Fact]
    public void Score_GroupingF1_IsTheMeanOverScenarios()
    {
        var truth = Truth(Incident("a", [1, 2, 3], EventRoot(1)));

        var score = IncidentScorer.Score([Run(truth, null, Predicted([1, 2, 3])), Run(truth, null)]);

        Assert.Equal([1.0, 0.0], score.ScenarioGroupingF1);
        Assert.Equal(0.5, score.GroupingF1);
        Assert.Equal(2, score.Scenarios);
    }

    [Fact]
    public void Score_EngineTime_GivesEventsPerSecond()
    {
        var truth = Truth(Incident("a", [1, 2], EventRoot(1)));
        var run = Run(truth, null) with { EventsObserved = 3000, EngineTime = TimeSpan.FromSeconds(1.5) };

        var score = IncidentScorer.Score([run, run]);

        Assert.Equal(6000, score.EventsObserved);
        Assert.Equal(2000.0, score.EventsPerSecond!.Value, 9);
    }

    [Fact]
    public void Score_NoEngineTime_LeavesEventsPerSecondUndefined()
    {
        Assert.Null(Score(Truth()).EventsPerSecond);
    }
}
