using AnalyticsHub.Correlation;
using AnalyticsHub.Correlation.Impact;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>Impact arithmetic against hand computation (docs/correlation.md, "Impact").</summary>
public class ImpactAssessorTests
{
    /// <summary>
    /// Feeds one series a minute at a time: per minute <paramref name="requests"/> latency events of
    /// <paramref name="latencyMs"/>, <paramref name="failures"/> of them failed, each priced by the hub at <paramref name="usd"/>.
    /// </summary>
    private static void Feed(UsageLedger ledger, RootCauseFixture f, string model, string region, int fromMinute, int toMinute, int requests, int failures, double latencyMs, double usd)
    {
        for (var minute = fromMinute; minute < toMinute; minute++)
        {
            for (var i = 0; i < requests; i++)
            {
                var at = minute + (i / (double)(requests + 1));
                var status = i < failures ? "error" : "ok";
                ledger.Observe(f.Make(at, new LatencyMetrics { ModelId = model, RequestId = "r", TotalLatencyMs = latencyMs }, SourceModule.LlmObservatory,
                    ("region", region), ("tenant", "t1"), ("status", status)));
                ledger.Observe(f.Make(at, new TokenCostEvent
                {
                    ModelId = model, RequestId = "r", PromptTokens = 10, CompletionTokens = 10, TotalTokens = 20, CostPerPromptToken = 0, CostPerCompletionToken = 0,
                    TotalCostUsd = usd, Currency = "USD",
                }, SourceModule.LlmAnalyticsHub, ("region", region), ("tenant", "t1"), ("status", status)));
            }
        }
    }

    [Fact]
    public void ImpactOfARegression_MatchesTheHandComputation()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        // Baseline hour: 10 requests a minute at 100 ms, 1 failed, $0.01 each.
        Feed(ledger, f, "gpt-4o", "eu-west-1", -60, 0, 10, 1, 100, 0.01);
        // Ten incident minutes: 20 requests a minute at 150 ms, 3 failed, $0.006 each.
        Feed(ledger, f, "gpt-4o", "eu-west-1", 0, 10, 20, 3, 150, 0.006);
        // Out of scope: another region of the model, and another model, both expensive.
        Feed(ledger, f, "gpt-4o", "us-east-1", -60, 10, 5, 0, 100, 1);
        Feed(ledger, f, "claude", "eu-west-1", -60, 10, 5, 0, 100, 1);
        var incident = f.Incident(f.ErrorRate(0, "gpt-4o", "eu-west-1", 15), f.Signal(1, "llm_latency.latency_ms", "gpt-4o", extra: [("region", "eu-west-1")]));

        var (impact, score) = new ImpactAssessor(ledger).Assess(incident, new TimeRange(RootCauseFixture.T0, RootCauseFixture.T0.AddMinutes(9.5)));

        // Latency: 150 / 100 − 1 = 50 %. Errors: 3/20 − 1/10 = 5 points. Throughput rose: no decrease. 200 requests.
        var performance = impact.PerformanceImpact!;
        Assert.Equal(50, performance.LatencyIncreasePercent, 9);
        Assert.Equal(5, performance.ErrorRateIncreasePercent, 9);
        Assert.Equal(0, performance.ThroughputDecreasePercent);
        Assert.Equal(200UL, performance.AffectedRequests);
        // Cost: the hour cost $6.00, so ten minutes would have cost $1.00; they cost 200 × $0.006 = $1.20. Failed: 30 × $0.006.
        var cost = impact.CostImpact!;
        Assert.Equal(0.2m, cost.AdditionalCostUsd);
        Assert.Equal(20, cost.CostIncreasePercent, 9);
        Assert.Equal(0.18m, cost.WastedResourcesUsd);
        // Score: performance max(0.5, 5/10, 0) = 0.5, cost 0.2: 1 − 0.5 × 0.8 = 0.6, high.
        Assert.Equal(0.6, score, 9);
        Assert.Equal(ImpactSeverity.High, impact.Severity);
        Assert.Equal(TimeSpan.FromHours(1), ImpactAssessment.ResponseTimeOf(impact.Severity));
        Assert.Null(impact.SecurityImpact);
        Assert.Equal(1UL, impact.BusinessImpact!.SlaViolations);
        Assert.Null(impact.BusinessImpact.RevenueImpactUsd);
        Assert.Equal(ReputationRisk.Medium, impact.BusinessImpact.ReputationRisk);
        Assert.Equal([SourceModule.LlmObservatory], impact.AffectedModules);
    }

    [Fact]
    public void TooLittleBaseline_LeavesPerformanceAndCostOut()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        Feed(ledger, f, "gpt-4o", "eu-west-1", -5, 10, 10, 0, 100, 0.01);
        var incident = f.Incident(f.ErrorRate(0, "gpt-4o", "eu-west-1", 15), f.Signal(1, "llm_latency.latency_ms", "gpt-4o"));

        var (impact, score) = new ImpactAssessor(ledger).Assess(incident, new TimeRange(RootCauseFixture.T0, RootCauseFixture.T0.AddMinutes(9)));

        Assert.Null(impact.PerformanceImpact);
        Assert.Null(impact.CostImpact);
        Assert.Equal(0, score);
        Assert.Equal(ImpactSeverity.Negligible, impact.Severity);
    }

    [Fact]
    public void LeakedKey_SecurityPartCountsThreatsAndExposedPrincipals()
    {
        var f = new RootCauseFixture();
        var incident = f.Incident(f.Login(0, "key-t1-ci", "203.0.113.9", "t1"), f.Threat(10, "203.0.113.9", "t1"));

        var (impact, score) = new ImpactAssessor(new UsageLedger()).Assess(incident, new TimeRange(RootCauseFixture.T0, RootCauseFixture.T0.AddMinutes(10)));

        var security = impact.SecurityImpact!;
        Assert.Equal(1UL, security.ThreatsDetected);
        Assert.Equal(1UL, security.VulnerabilitiesExposed);
        Assert.True(security.DataAtRisk);
        Assert.Equal(0UL, security.ComplianceViolations);
        Assert.Equal(0.9, score, 9);
        Assert.Equal(ImpactSeverity.Critical, impact.Severity);
        Assert.Equal(ReputationRisk.High, impact.BusinessImpact!.ReputationRisk);
        Assert.Equal(1UL, impact.BusinessImpact.UsersAffected);
    }

    [Fact]
    public void Scope_ANamedTenantRestrictsItsModel_AModelNamedAloneAdmitsEveryRegion()
    {
        var scope = new UsageScope();
        scope.Add("claude", null, "t1");
        scope.Add("gpt-4o", "eu-west-1", null);
        scope.Add("gpt-4o", null, null);

        Assert.True(scope.Admits("claude", "eu-west-1", "t1"));
        Assert.False(scope.Admits("claude", "eu-west-1", "t2"));
        Assert.True(scope.Admits("gpt-4o", "us-east-1", "t9"));
        Assert.False(scope.Admits("mistral", "eu-west-1", "t1"));
    }
}
