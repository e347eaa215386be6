using AnalyticsHub.Correlation;
using AnalyticsHub.Correlation.Impact;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>Impact arithmetic against hand computation (docs/correlation.md, "Impact").</summary>
public class ImpactAssessorTests
{
    private static readonly RootCauseAnalysis NoRoot = new() { Confidence = 0, CausalChain = [], ContributingFactors = [], Recommendations = [] };

    /// <summary>
    /// Feeds one series a minute at a time: per minute <paramref name="requests"/> latency events of
    /// <paramref name="latencyMs"/>, <paramref name="failures"/> of them failed and the last <paramref name="retries"/> retries
    /// (naming a parent event), each priced by the hub at <paramref name="usd"/>.
    /// </summary>
    internal static void Feed(UsageLedger ledger, RootCauseFixture f, string model, string region, int fromMinute, int toMinute, int requests, int failures, double latencyMs, double usd,
        int retries = 0, string tenant = "t1")
    {
        var provider = model.StartsWith("gpt", StringComparison.Ordinal) ? "openai" : "anthropic";
        for (var minute = fromMinute; minute < toMinute; minute++)
        {
            for (var i = 0; i < requests; i++)
            {
                var at = minute + (i / (double)(requests + 1));
                var status = i < failures ? "error" : "ok";
                var latency = f.Make(at, new LatencyMetrics { ModelId = model, RequestId = "r", TotalLatencyMs = latencyMs }, SourceModule.LlmObservatory,
                    ("region", region), ("tenant", tenant), ("provider", provider), ("status", status));
                ledger.Observe(i >= requests - retries ? latency with { Common = latency.Common with { ParentEventId = Guid.NewGuid() } } : latency);
                ledger.Observe(f.Make(at, new TokenCostEvent
                {
                    ModelId = model, RequestId = "r", PromptTokens = 10, CompletionTokens = 10, TotalTokens = 20, CostPerPromptToken = 0, CostPerCompletionToken = 0,
                    TotalCostUsd = usd, Currency = "USD",
                }, SourceModule.LlmAnalyticsHub, ("region", region), ("tenant", tenant), ("status", status)));
            }
        }
    }

    private static TimeRange Minutes(double from, double to) => new(RootCauseFixture.T0.AddMinutes(from), RootCauseFixture.T0.AddMinutes(to));

    [Fact]
    public void ImpactOfARegression_MatchesTheHandComputation()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        // Baseline hour: 10 requests a minute at 100 ms, 1 failed, $0.01 each.
        Feed(ledger, f, "gpt-4o", "eu-west-1", -60, 0, 10, 1, 100, 0.01);
        // Ten incident minutes: 20 requests a minute at 150 ms, 3 failed, 10 of them retries, $0.006 each.
        Feed(ledger, f, "gpt-4o", "eu-west-1", 0, 10, 20, 3, 150, 0.006, retries: 10);
        // Out of scope: another region of the model, and another model, both expensive.
        Feed(ledger, f, "gpt-4o", "us-east-1", -60, 10, 5, 0, 100, 1);
        Feed(ledger, f, "claude", "eu-west-1", -60, 10, 5, 0, 100, 1);
        var incident = f.Incident(f.ErrorRate(0, "gpt-4o", "eu-west-1", 15), f.Signal(1, "llm_latency.latency_ms", "gpt-4o", extra: [("region", "eu-west-1")]));

        var (impact, score) = new ImpactAssessor(ledger).Assess(incident, Minutes(0, 9.5), NoRoot);

        // Latency: 150 / 100 − 1 = 50 %. Errors: 3/20 − 1/10 = 5 points. Throughput rose: no decrease. 200 requests.
        var performance = impact.PerformanceImpact!;
        Assert.Equal(50, performance.LatencyIncreasePercent, 9);
        Assert.Equal(5, performance.ErrorRateIncreasePercent, 9);
        Assert.Equal(0, performance.ThroughputDecreasePercent);
        Assert.Equal(200UL, performance.AffectedRequests);
        // Cost: the hour spent $0.60 on 60 failed and $5.40 on 540 succeeded attempts for 600 first attempts; the window's
        // 100 first attempts would have spent $0.10 and $0.90. They spent 30 × $0.006 = $0.18 failed (+$0.08, counted) and
        // 170 × $0.006 = $1.02 succeeded: +$0.12, within 2 × √(170 × 0.006² + (1/6)² × 540 × 0.01²) = $0.175 of noise,
        // so not counted. Counterfactual $1.12, extra $0.08.
        var cost = impact.CostImpact!;
        Assert.Equal(0.08m, cost.AdditionalCostUsd);
        Assert.Equal(7.143, cost.CostIncreasePercent, 9);
        Assert.Equal(0.18m, cost.WastedResourcesUsd);
        // Score: performance max(0.5, 5/10, 0) = 0.5, cost 7.143 %: 1 − 0.5 × (1 − 0.07143) = 0.535715, medium.
        Assert.Equal(0.535715, score, 9);
        Assert.Equal(ImpactSeverity.Medium, impact.Severity);
        Assert.Equal(TimeSpan.FromHours(4), ImpactAssessment.ResponseTimeOf(impact.Severity));
        Assert.Null(impact.SecurityImpact);
        Assert.Equal(1UL, impact.BusinessImpact!.SlaViolations);
        Assert.Null(impact.BusinessImpact.RevenueImpactUsd);
        Assert.Equal(ReputationRisk.Low, impact.BusinessImpact.ReputationRisk);
        Assert.Equal([SourceModule.LlmObservatory], impact.AffectedModules);
    }

    [Fact]
    public void TooLittleBaseline_LeavesPerformanceAndCostOut()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        Feed(ledger, f, "gpt-4o", "eu-west-1", -5, 10, 10, 0, 100, 0.01);
        var incident = f.Incident(f.ErrorRate(0, "gpt-4o", "eu-west-1", 15), f.Signal(1, "llm_latency.latency_ms", "gpt-4o"));

        var (impact, score) = new ImpactAssessor(ledger).Assess(incident, Minutes(0, 9), NoRoot);

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

        var (impact, score) = new ImpactAssessor(new UsageLedger()).Assess(incident, Minutes(0, 10), NoRoot);

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
    public void DemandDrift_CostsNothing_FailedAttemptsAreExtra()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        // Baseline: 10 first attempts a minute at $0.01. Window: demand up by half (15 a minute), plus 2 retries a minute;
        // 2 attempts a minute fail, billed.
        Feed(ledger, f, "gpt-4o", "eu-west-1", -60, 0, 10, 0, 100, 0.01);
        Feed(ledger, f, "gpt-4o", "eu-west-1", 0, 10, 17, 2, 100, 0.01, retries: 2);
        var incident = f.Incident(f.Signal(0, "llm_latency.latency_ms", "gpt-4o"), f.ErrorRate(1, "gpt-4o", "eu-west-1", 12));

        var cost = new ImpactAssessor(ledger).Assess(incident, Minutes(0, 9.5), NoRoot).Impact.CostImpact!;

        // The same traffic at baseline: 150 first attempts × $0.01 = $1.50, all succeeded, and they did; the 20 failed
        // attempts are extra. The rate per minute would have said $1.70 − $1.00 = $0.70, most of it demand.
        Assert.Equal(0.2m, cost.AdditionalCostUsd);
        Assert.Equal(13.333, cost.CostIncreasePercent, 9);
    }

    [Fact]
    public void TrafficNewToASeries_CountsAgainstItsRate_TheOtherSeriesScaleWithDemand()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        Feed(ledger, f, "claude", "eu-west-1", -60, 10, 10, 0, 100, 0.01, tenant: "t1");
        Feed(ledger, f, "claude", "eu-west-1", 0, 10, 4, 0, 100, 0.01, tenant: "t1");
        // An attacker with t2's key on a model t2 hardly used (10 requests in the baseline hour, $0.10): 5 requests a
        // minute at $0.02, 30 times the baseline's demand per minute, so its spend counts against the baseline's $0.10 an
        // hour: $1.00 − $0.016667.
        Feed(ledger, f, "claude", "eu-west-1", -10, 0, 1, 0, 100, 0.01, tenant: "t2");
        Feed(ledger, f, "claude", "eu-west-1", 0, 10, 5, 0, 100, 0.02, tenant: "t2");
        var incident = f.Incident(f.Login(0, "key-t2-ci", "203.0.113.9", "t2"), f.Signal(1, "llm_token_usage.total_tokens", "claude"));

        var cost = new ImpactAssessor(ledger).Assess(incident, Minutes(0, 9.5), NoRoot).Impact.CostImpact!;

        Assert.Equal(0.983333m, cost.AdditionalCostUsd);
    }

    [Fact]
    public void ACostlierRequest_CountsBeyondTheNoise_NotWithinIt()
    {
        var f = new RootCauseFixture();
        var longer = new UsageLedger();
        var slightly = new UsageLedger();
        Feed(longer, f, "gpt-4o", "eu-west-1", -60, 0, 10, 0, 100, 0.01);
        Feed(slightly, f, "gpt-4o", "eu-west-1", -60, 0, 10, 0, 100, 0.01);
        // Longer completions: $0.015 a request for ten minutes, a shift of $0.50 against 2σ = $0.31.
        Feed(longer, f, "gpt-4o", "eu-west-1", 0, 10, 10, 0, 100, 0.015);
        // $0.0105 for one minute: a shift of $0.005 against 2σ = $0.067, taken as none.
        Feed(slightly, f, "gpt-4o", "eu-west-1", 0, 1, 10, 0, 100, 0.0105);
        var incident = f.Incident(f.Signal(0, "llm_token_usage.completion_tokens", "gpt-4o"));

        Assert.Equal(0.5m, new ImpactAssessor(longer).Assess(incident, Minutes(0, 9.5), NoRoot).Impact.CostImpact!.AdditionalCostUsd);
        Assert.Equal(0m, new ImpactAssessor(slightly).Assess(incident, Minutes(0, 0.5), NoRoot).Impact.CostImpact!.AdditionalCostUsd);
    }

    [Fact]
    public void ProportionalSurge_ItsExtraVolumeIsTheCost()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        Feed(ledger, f, "gpt-4o", "eu-west-1", -60, 0, 10, 0, 100, 0.01);
        Feed(ledger, f, "claude", "eu-west-1", -60, 0, 10, 0, 100, 0.02);
        Feed(ledger, f, "gpt-4o", "eu-west-1", 0, 10, 15, 0, 100, 0.01);
        Feed(ledger, f, "claude", "eu-west-1", 0, 10, 15, 0, 100, 0.02);
        var incident = f.Incident(f.Signal(0, "llm_throughput.requests_per_second", "gpt-4o"), f.Signal(0.5, "llm_throughput.requests_per_second", "claude"));

        var cost = new ImpactAssessor(ledger).Assess(incident, Minutes(0, 9.5), NoRoot).Impact.CostImpact!;

        // A surge is demand: against the baseline's $0.30 a minute, ten minutes at $0.45.
        Assert.Equal(1.5m, cost.AdditionalCostUsd);
        Assert.Equal(50, cost.CostIncreasePercent, 9);
    }

    [Fact]
    public void ARepeatedFault_AnEarlierIncidentThatEndedBeforeTheOnset_IsLeftOutOfTheBaseline()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        // Normal: 10 first attempts a minute at $0.01, none failed. The same fault twice, for 30 minutes from −50 and for
        // ten from 0: 12 attempts a minute, 2 of them failed (billed) and retried.
        Feed(ledger, f, "gpt-4o", "eu-west-1", -180, -50, 10, 0, 100, 0.01);
        Feed(ledger, f, "gpt-4o", "eu-west-1", -50, -20, 12, 2, 100, 0.01, retries: 2);
        Feed(ledger, f, "gpt-4o", "eu-west-1", -20, 0, 10, 0, 100, 0.01);
        Feed(ledger, f, "gpt-4o", "eu-west-1", 0, 10, 12, 2, 100, 0.01, retries: 2);
        var first = f.Incident(f.ErrorRate(-50, "gpt-4o", "eu-west-1", 15));
        var second = f.Incident(f.ErrorRate(0, "gpt-4o", "eu-west-1", 15));

        var assessor = new ImpactAssessor(ledger);
        var firstCost = assessor.Assess(first, Minutes(-50, -20.5), NoRoot).Impact.CostImpact!;
        var secondCost = assessor.Assess(second, Minutes(0, 9.5), NoRoot).Impact.CostImpact!;
        var secondAlone = new ImpactAssessor(ledger).Assess(second, Minutes(0, 9.5), NoRoot).Impact.CostImpact!;

        // The first fault ended at −21, before the second's onset: its minutes leave the second's baseline, which keeps
        // the hour's other 30 (−60 to −51 and −20 to −1; normal). Each fault's extra is its own failed spend:
        // 30 × 2 × $0.01 and 10 × 2 × $0.01.
        Assert.Equal(0.6m, firstCost.AdditionalCostUsd);
        Assert.Equal(0.2m, secondCost.AdditionalCostUsd);
        // Judged against the plain preceding hour, half of which is the first fault, the second fault's failures look
        // normal by half: the hour's $0.60 failed per 600 first attempts expects $0.10 of the window's $0.20.
        Assert.Equal(0.1m, secondAlone.AdditionalCostUsd);
    }

    [Fact]
    public void APieceOfTheSameFaultStillOpenAtTheOnset_StaysInTheBaseline()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        // Normal: 10 first attempts a minute at $0.01. One fault from −30 on (12 attempts a minute, 2 failed, billed and
        // retried), split over two incidents: a piece opened at −30 and still open, and one opened at 0.
        Feed(ledger, f, "gpt-4o", "eu-west-1", -180, -30, 10, 0, 100, 0.01);
        Feed(ledger, f, "gpt-4o", "eu-west-1", -30, 10, 12, 2, 100, 0.01, retries: 2);
        var earlierPiece = f.Incident(f.ErrorRate(-30, "gpt-4o", "eu-west-1", 15));
        var laterPiece = f.Incident(f.ErrorRate(0, "gpt-4o", "eu-west-1", 15));

        var assessor = new ImpactAssessor(ledger);
        assessor.Assess(earlierPiece, Minutes(-30, 9.5), NoRoot);
        var cost = assessor.Assess(laterPiece, Minutes(0, 9.5), NoRoot).Impact.CostImpact!;

        // The earlier piece had not ended at the onset (its window reaches 9): it is no earlier occurrence, and the later
        // piece's baseline is the whole hour, as without it: $0.60 failed per 600 first attempts expects $0.10 of the
        // window's $0.20 failed. Leaving the piece out would judge the later one against −60 to −31 alone ($0.20).
        Assert.Equal(0.1m, cost.AdditionalCostUsd);
    }

    [Fact]
    public void AFaultsMinutesBeforeItsIncidentsWindow_AreOutOfControl_AndLeaveTheBaseline()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        // Normal: 10 first attempts a minute at $0.01, 1 of them failed (not retried). A fault from −10 on, first shown at
        // 0: 30 attempts a minute, 21 failed (billed) and 20 of them retries, so the same 10 first attempts and 9 successes.
        Feed(ledger, f, "gpt-4o", "eu-west-1", -180, -10, 10, 1, 100, 0.01);
        Feed(ledger, f, "gpt-4o", "eu-west-1", -10, 10, 30, 21, 100, 0.01, retries: 20);
        var incident = f.Incident(f.ErrorRate(0, "gpt-4o", "eu-west-1", 15));

        var impact = new ImpactAssessor(ledger).Assess(incident, Minutes(0, 9.5), NoRoot).Impact;

        // The p-chart of the hour before the onset: pooled, 260 failures of 800 requests (p̄ 0.325), a fault minute's 21
        // of 30 lie above 30 × 0.325 + 3 × √(30 × 0.325 × 0.675) = 17.4; revised without them (p̄ 0.1), a normal minute's
        // 1 of 10 lies within 1 + 3 × √0.9 = 3.8. The baseline is the 50 normal minutes: $0.50 failed per 500 first
        // attempts expects $0.10 of the window's $2.10 failed; the succeeded $0.90 is the counterfactual's. Extra $2.00
        // (with the fault's ten minutes in the baseline, $2.60 failed per 600 expected $0.43: $1.67), and the error rate
        // rose from 10 % to 70 %, 60 points (not from 32.5 %).
        Assert.Equal(2m, impact.CostImpact!.AdditionalCostUsd);
        Assert.Equal(60, impact.PerformanceImpact!.ErrorRateIncreasePercent, 9);
    }

    [Fact]
    public void AFaultAfterAFailover_IsJudgedAgainstTheTrafficBeforeTheFailover_NotTheEmptiedMinutes()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        // claude in eu-west-1 serves 10 first attempts a minute at $0.01 but from −55 to −5, when an outage of its provider
        // moved all of it away. From 0 a regression: 12 attempts a minute, 2 failed (billed) and retried.
        Feed(ledger, f, "claude", "eu-west-1", -180, -55, 10, 0, 100, 0.01);
        Feed(ledger, f, "claude", "eu-west-1", -5, 0, 10, 0, 100, 0.01);
        Feed(ledger, f, "claude", "eu-west-1", 0, 10, 12, 2, 100, 0.01, retries: 2);
        var outage = f.Incident(f.Signal(-55, "llm_latency.latency_ms", "gpt-4o", extra: [("region", "eu-west-1")]));
        var external = NoRoot with
        {
            Candidates = [new RootCauseCandidate { Kind = RootCauseCandidateKind.External, Provider = "anthropic", Region = "eu-west-1", Confidence = 0.8, Evidence = [] }],
        };
        var regression = f.Incident(f.ErrorRate(0, "claude", "eu-west-1", 15));

        var assessor = new ImpactAssessor(ledger);
        assessor.Assess(outage, Minutes(-55, -5.5), external);
        var cost = assessor.Assess(regression, Minutes(0, 9.5), NoRoot).Impact.CostImpact!;
        var alone = new ImpactAssessor(ledger).Assess(regression, Minutes(0, 9.5), NoRoot).Impact.CostImpact!;

        // The regression's failed attempts: 10 × 2 × $0.01.
        Assert.Equal(0.2m, cost.AdditionalCostUsd);
        // Against the plain preceding hour (10 of its minutes had traffic) the series' demand looks new, and the window's
        // whole spend counts against the hour's $1.00 spread over 60 minutes: $1.20 − 10 × $1.00 ÷ 60.
        Assert.Equal(1.033333m, alone.AdditionalCostUsd);
    }

    [Fact]
    public void ASurgeOverlappingAChange_IsNotBilledToTheChange()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        // Demand on both models rises by half in the window (a surge); a template change makes claude's requests $0.01
        // dearer.
        Feed(ledger, f, "gpt-4o", "eu-west-1", -60, 0, 10, 0, 100, 0.01);
        Feed(ledger, f, "claude", "eu-west-1", -60, 0, 10, 0, 100, 0.02);
        Feed(ledger, f, "gpt-4o", "eu-west-1", 0, 10, 15, 0, 100, 0.01);
        Feed(ledger, f, "claude", "eu-west-1", 0, 10, 15, 0, 100, 0.03);
        var change = f.Change(0, "prompt_template_change", "chat", ("model_id", "claude"));
        var incident = f.Incident(change, f.Signal(1, "llm_throughput.requests_per_second", "gpt-4o"), f.Signal(1.5, "llm_throughput.requests_per_second", "claude"));
        var ranked = NoRoot with
        {
            Candidates = [new RootCauseCandidate { Kind = RootCauseCandidateKind.Event, EventId = change.EventId, Confidence = 0.9, Evidence = [] }],
        };

        var assessor = new ImpactAssessor(ledger);
        var changeCost = assessor.Assess(incident, Minutes(0, 9.5), ranked).Impact.CostImpact!;
        var surgeCost = assessor.Assess(incident, Minutes(0, 9.5), NoRoot).Impact.CostImpact!;

        // The change's cost is its dearer requests, 150 × $0.01; the surge's extra volume is the surge's. Named no cause,
        // the same incident is a surge: its whole rise, $6.00 against $0.30 a minute, is the cost.
        Assert.Equal(1.5m, changeCost.AdditionalCostUsd);
        Assert.Equal(3m, surgeCost.AdditionalCostUsd);
    }

    [Fact]
    public void AChangeOfAModel_IsCostedOnThatModel_NotOnAnotherModelsTrafficThatJoinedItsIncident()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        // A deploy regresses claude (from 0: 12 attempts a minute, 2 failed, billed and retried); in the same minutes a
        // failover from elsewhere quadruples gpt-4o's traffic (new traffic: 20 a minute against 5), and its latency
        // episode joined the deploy's incident.
        Feed(ledger, f, "claude", "eu-west-1", -60, 0, 10, 0, 100, 0.01);
        Feed(ledger, f, "claude", "eu-west-1", 0, 10, 12, 2, 100, 0.01, retries: 2);
        Feed(ledger, f, "gpt-4o", "eu-west-1", -60, 0, 5, 0, 100, 0.01);
        Feed(ledger, f, "gpt-4o", "eu-west-1", 0, 10, 20, 0, 100, 0.01);
        var deploy = f.Change(0, "deploy", "claude-serving@v2", ("model_id", "claude"));
        var incident = f.Incident(deploy, f.ErrorRate(1, "claude", "eu-west-1", 15), f.Signal(2, "llm_latency.latency_ms", "gpt-4o", extra: [("region", "eu-west-1")]));
        var ranked = NoRoot with
        {
            Candidates = [new RootCauseCandidate { Kind = RootCauseCandidateKind.Event, EventId = deploy.EventId, Confidence = 0.9, Evidence = [] }],
        };

        var assessor = new ImpactAssessor(ledger);
        var deployCost = assessor.Assess(incident, Minutes(0, 9.5), ranked).Impact.CostImpact!;
        var unexplained = assessor.Assess(incident, Minutes(0, 9.5), NoRoot).Impact.CostImpact!;

        // The deploy's cost: claude's failed attempts, 10 × 2 × $0.01. Named no cause, the incident's scope also holds
        // gpt-4o's new traffic: $2.00 against 10 × $0.05.
        Assert.Equal(0.2m, deployCost.AdditionalCostUsd);
        Assert.Equal(1.7m, unexplained.AdditionalCostUsd);
    }

    [Fact]
    public void Outage_TheFailedProvidersModelsJoinTheScope_TheFailoverSavesWhatTheCheaperModelCosts()
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        // Baseline in eu-west-1: gpt-4o (openai) 10 a minute at $0.01, claude 5 a minute at $0.005; in the window openai
        // fails over: claude serves all 15 a minute at $0.005. Another region of gpt-4o is out of scope.
        Feed(ledger, f, "gpt-4o", "eu-west-1", -60, 0, 10, 0, 100, 0.01);
        Feed(ledger, f, "claude", "eu-west-1", -60, 0, 5, 0, 100, 0.005);
        Feed(ledger, f, "claude", "eu-west-1", 0, 10, 15, 0, 100, 0.005);
        Feed(ledger, f, "gpt-4o", "us-east-1", -60, 10, 10, 0, 100, 1);
        var incident = f.Incident(f.Signal(0, "llm_latency.latency_ms", "claude", extra: [("region", "eu-west-1")]));
        var external = NoRoot with
        {
            Candidates = [new RootCauseCandidate { Kind = RootCauseCandidateKind.External, Provider = "openai", Region = "eu-west-1", Confidence = 0.8, Evidence = [] }],
        };

        var assessor = new ImpactAssessor(ledger);
        var outage = assessor.Assess(incident, Minutes(0, 9.5), external).Impact.CostImpact!;
        var fallbackOnly = assessor.Assess(incident, Minutes(0, 9.5), NoRoot).Impact.CostImpact!;

        // The hour cost $7.50 for 900 first attempts; the window's 150 would have cost $1.25 and cost $0.75.
        Assert.Equal(-0.5m, outage.AdditionalCostUsd);
        // Without the failed provider the scope sees claude's traffic triple, new traffic against its $0.025 a minute:
        // the spend that arrived ($0.75 − $0.25), not what left.
        Assert.Equal(0.5m, fallbackOnly.AdditionalCostUsd);
    }

    [Fact]
    public void Scope_AProviderInARegion_AdmitsItsModelsThereOnly()
    {
        var scope = new UsageScope();
        scope.AddProvider("openai", "eu-west-1");

        Assert.False(scope.IsEmpty);
        Assert.True(scope.Admits("gpt-4o", "eu-west-1", "t1", "openai"));
        Assert.False(scope.Admits("gpt-4o", "us-east-1", "t1", "openai"));
        Assert.False(scope.Admits("claude", "eu-west-1", "t1", "anthropic"));
        Assert.False(scope.Admits("gpt-4o", "eu-west-1", "t1"));
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
