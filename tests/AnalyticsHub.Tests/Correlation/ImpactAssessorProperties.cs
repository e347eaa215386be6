using AnalyticsHub.Correlation;
using AnalyticsHub.Correlation.Impact;
using AnalyticsHub.Events;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>
/// The cost estimate's laws (docs/correlation.md, "Impact"): demand alone costs nothing extra; what another incident's
/// minutes hold never moves a later incident's cost.
/// </summary>
public sealed class ImpactAssessorProperties
{
    private static readonly RootCauseAnalysis NoRoot = new() { Confidence = 0, CausalChain = [], ContributingFactors = [], Recommendations = [] };

    /// <summary>
    /// Tenants whose demand per minute scales by any factor from 0 to <see cref="ImpactAssessor.NewTrafficRatio"/> between
    /// the baseline and the window, each at its own unchanged price per request, and no retries: the additional cost is 0,
    /// whatever the tenants' mix.
    /// </summary>
    [Property(MaxTest = 60)]
    public Property PureDemandScaling_HasNoAdditionalCost((byte Before, byte During, byte PriceMills)[] tenants)
    {
        var f = new RootCauseFixture();
        var ledger = new UsageLedger();
        decimal spend = 0;
        for (var i = 0; i < Math.Min(tenants.Length, 4); i++)
        {
            var (before, during, mills) = tenants[i];
            var price = (1 + (mills % 50)) / 1000.0;
            var rate = 1 + (before % 12);
            var scaled = during % ((ImpactAssessor.NewTrafficRatio * rate) + 1);
            ImpactAssessorTests.Feed(ledger, f, "gpt-4o", "eu-west-1", -20, 0, rate, 0, 100, price, tenant: "t" + i);
            ImpactAssessorTests.Feed(ledger, f, "gpt-4o", "eu-west-1", 0, 5, (int)scaled, 0, 100, price, tenant: "t" + i);
            spend += 5 * scaled * (decimal)price;
        }

        var incident = f.Incident(f.Signal(0, "llm_latency.latency_ms", "gpt-4o"));
        var cost = new ImpactAssessor(ledger).Assess(incident, new TimeRange(RootCauseFixture.T0, RootCauseFixture.T0.AddMinutes(4.5)), NoRoot).Impact.CostImpact;

        return (tenants.Length == 0 ? cost is null : cost is { } c && Math.Abs(c.AdditionalCostUsd) <= 0.000001m)
            .ToProperty().Label($"{tenants.Length} tenants, window spend {spend}, additional {cost?.AdditionalCostUsd}");
    }

    /// <summary>
    /// A series' minutes inside an earlier incident's window hold any traffic — none (a failover moved it away), more,
    /// failures, another price — and a later incident on the same series costs exactly what it costs when those minutes
    /// were normal: an incident that ended before the onset is no baseline.
    /// </summary>
    [Property(MaxTest = 40)]
    public Property AnEarlierIncidentsMinutes_NeverMoveALaterIncidentsCost(byte requests, byte failures, byte priceMills, byte length)
    {
        var f = new RootCauseFixture();
        var disturbedFrom = -21 - (length % 40);
        var during = requests % 30;
        var (normal, disturbed) = (new UsageLedger(), new UsageLedger());
        foreach (var ledger in new[] { normal, disturbed })
        {
            ImpactAssessorTests.Feed(ledger, f, "gpt-4o", "eu-west-1", -150, disturbedFrom, 10, 1, 100, 0.01);
            ImpactAssessorTests.Feed(ledger, f, "gpt-4o", "eu-west-1", -20, 0, 10, 1, 100, 0.01);
            ImpactAssessorTests.Feed(ledger, f, "gpt-4o", "eu-west-1", 0, 10, 14, 3, 150, 0.012, retries: 3);
        }

        ImpactAssessorTests.Feed(normal, f, "gpt-4o", "eu-west-1", disturbedFrom, -20, 10, 1, 100, 0.01);
        ImpactAssessorTests.Feed(disturbed, f, "gpt-4o", "eu-west-1", disturbedFrom, -20, during, Math.Min(during, failures % 10), 400, (1 + (priceMills % 40)) / 1000.0);
        var earlier = f.Incident(f.ErrorRate(disturbedFrom, "gpt-4o", "eu-west-1", 30));
        var later = f.Incident(f.ErrorRate(0, "gpt-4o", "eu-west-1", 20));

        decimal CostOf(UsageLedger ledger)
        {
            var assessor = new ImpactAssessor(ledger);
            assessor.Assess(earlier, new TimeRange(RootCauseFixture.T0.AddMinutes(disturbedFrom), RootCauseFixture.T0.AddMinutes(-20.5)), NoRoot);
            return assessor.Assess(later, new TimeRange(RootCauseFixture.T0, RootCauseFixture.T0.AddMinutes(9.5)), NoRoot).Impact.CostImpact!.AdditionalCostUsd;
        }

        var (expected, actual) = (CostOf(normal), CostOf(disturbed));
        return (expected == actual).ToProperty().Label($"window from {disturbedFrom}: {during} requests a minute; normal {expected}, disturbed {actual}");
    }
}
