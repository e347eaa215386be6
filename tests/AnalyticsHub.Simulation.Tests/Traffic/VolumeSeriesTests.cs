using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Simulation.Tests.Traffic;

/// <summary>The truth lists a rate-boosting incident's volume series by material share (docs/simulation.md, "Volume series").</summary>
public sealed class VolumeSeriesTests
{
    private const int Sonnet = 3;
    private const int Haiku = 4;
    private const int Gpt4o = 0;
    private const int Gpt4oMini = 1;

    /// <summary>A Wednesday, 13:00 UTC: the busy hours.</summary>
    private static readonly long Start = new DateTimeOffset(2025, 3, 12, 13, 0, 0, TimeSpan.Zero).UtcTicks;

    [Fact]
    public void Surge_SecondaryWithALargeShareIsListed_DilutedSecondaryAndDilutedPrimaryAreNot()
    {
        // Every tenant in us-east-1. Tenant 0 surges alone on its models; tenant 2 surges on models the quiet tenant 1
        // carries ten times over.
        TenantProfile[] tenants =
        [
            Tenant(0, 0.20, primary: Sonnet, secondary: Haiku),
            Tenant(1, 0.50, primary: Gpt4o, secondary: Gpt4oMini),
            Tenant(2, 0.05, primary: Gpt4o, secondary: Gpt4oMini),
        ];
        var surge = Surge(tenants);

        Assert.Equal(
            [("claude-3-5-sonnet", "us-east-1"), ("claude-3-5-haiku", "us-east-1")],
            Throughput(surge.Truth));
        var candidates = surge.VolumeCandidates.ToDictionary(c => c.Model);
        Assert.Equal("secondary", candidates[Haiku].Scope);
        Assert.True(candidates[Haiku].Listed);
        Assert.Equal("secondary", candidates[Gpt4oMini].Scope);
        Assert.False(candidates[Gpt4oMini].Listed);
        Assert.Equal("primary", candidates[Gpt4o].Scope);
        Assert.False(candidates[Gpt4o].Listed);
        Assert.InRange(candidates[Gpt4o].AddedPerSecond / candidates[Gpt4o].BaselinePerSecond, 0.17, 0.19);
    }

    [Theory]
    [InlineData(Gpt4oMini, true)]
    [InlineData(Sonnet, false)]
    public void LeakedKey_AttackersSeries_ListedOnlyWhenNotDilutedByTheRegionsTraffic(int busyTenantsModel, bool listed)
    {
        // The key's tenant (index 1) never uses claude-3-5-sonnet, so the attacker calls it; a busy tenant in the same
        // region either leaves that series to the attacker or carries five times the attacker's rate on it.
        TenantProfile[] tenants = [Tenant(0, 0.9, primary: busyTenantsModel, secondary: busyTenantsModel), Tenant(1, 0.1, Gpt4oMini, Haiku)];
        var world = new World(World.CatalogModels, World.CatalogFeatures, tenants);
        var traffic = new TrafficModel(tenants, 10, nightlyBatch: false, noise: 1.0, aggregateIntervalSeconds: 60);
        var end = Start + (50 * TimeSpan.TicksPerMinute);
        var truth = new IncidentTruthBuilder("inc-1-leaked_api_key", "leaked_api_key", Start, end, 100, []);

        var key = new LeakedApiKeyIncident(new IncidentSetup(0, Start, end, 1.0, 0, new SimRandom(1), truth, world, traffic, 0, end));

        var candidate = Assert.Single(key.VolumeCandidates);
        Assert.Equal((Sonnet, "attacker", listed), (candidate.Model, candidate.Scope, candidate.Listed));
        Assert.Equal(listed ? [("claude-3-5-sonnet", "us-east-1")] : [], Throughput(truth).ToArray());
    }

    [Fact]
    public void Surge_TenantSeriesListedWhole_CostAndTokens()
    {
        var surge = Surge([Tenant(0, 0.5, Sonnet, Haiku), Tenant(1, 0.5, Gpt4o, Gpt4oMini)]);

        var tenantSeries = surge.Truth.Series.Where(s => s.Tags.ContainsKey("tenant")).Select(s => (s.Measurement, s.Tags["tenant"])).ToArray();
        Assert.Equal([("token_cost", "tenant-01"), ("token_usage", "tenant-01")], tenantSeries);
    }

    [Fact]
    public void TrafficModel_ModelShare_PrimaryAndSecondaryOfEveryFeature()
    {
        var tenant = Tenant(0, 1.0, Sonnet, Haiku);

        Assert.Equal(0.85, TrafficModel.ModelShare(tenant, Sonnet), 9);
        Assert.Equal(0.15, TrafficModel.ModelShare(tenant, Haiku), 9);
        Assert.Equal(0, TrafficModel.ModelShare(tenant, Gpt4o));
    }

    [Fact]
    public void TrafficModel_BusySeries_MaterialAtThreeTimesTheWander()
    {
        var traffic = new TrafficModel([], 1, nightlyBatch: false, noise: 1.0, aggregateIntervalSeconds: 60);

        // 100 requests per second for an hour: the Poisson part vanishes, the bound is 3 × 0.12.
        Assert.True(traffic.IsMaterial(37, 100, 3600));
        Assert.False(traffic.IsMaterial(35, 100, 3600));
    }

    [Fact]
    public void Generate_AllTemplates_SameSeedSameVolumeSeries_AndEveryListedOneInTheTruth()
    {
        var a = new TrafficSimulation(Scenarios.AllTemplates(), Scenarios.Clock());
        var b = new TrafficSimulation(Scenarios.AllTemplates(), Scenarios.Clock());

        var candidates = a.PlannedVolumeCandidates();
        Assert.Equal(candidates, b.PlannedVolumeCandidates());
        Assert.Equal(GroundTruthJson.Write(a.PlannedGroundTruth()), GroundTruthJson.Write(b.PlannedGroundTruth()));
        Assert.Contains(candidates, c => c.Listed && c.IncidentId.EndsWith("marketing_surge", StringComparison.Ordinal));
        var truth = a.PlannedGroundTruth();
        foreach (var incident in truth.Incidents.Where(i => i.Template is "marketing_surge" or "leaked_api_key"))
        {
            var listed = candidates.Where(c => c.IncidentId == incident.Id && c.Listed)
                .Select(c => (World.CatalogModels[c.Model].Id, World.Regions[c.Region]))
                .Order();
            var series = incident.AffectedSeries.Where(s => s.Measurement == "throughput").Select(s => (s.Tags["model_id"], s.Tags["region"])).Order();
            Assert.Equal(listed, series);
        }
    }

    private static TenantProfile Tenant(int index, double share, int primary, int secondary) => new()
    {
        Index = index,
        Id = $"tenant-{index + 1:00}",
        Region = 0,
        Share = share,
        Users = ["u"],
        FeatureCdf = [0.2, 0.4, 0.6, 0.8, 1.0],
        PrimaryModel = [primary, primary, primary, primary, primary],
        SecondaryModel = [secondary, secondary, secondary, secondary, secondary],
        BudgetId = "budget",
    };

    private static MarketingSurgeIncident Surge(TenantProfile[] tenants)
    {
        var world = new World(World.CatalogModels, World.CatalogFeatures, tenants);
        var traffic = new TrafficModel(tenants, 10, nightlyBatch: false, noise: 1.0, aggregateIntervalSeconds: 60);
        var end = Start + (90 * TimeSpan.TicksPerMinute);
        var truth = new IncidentTruthBuilder("inc-1-marketing_surge", "marketing_surge", Start, end, 100, []);
        return new MarketingSurgeIncident(new IncidentSetup(0, Start, end, 1.0, 0, new SimRandom(1), truth, world, traffic, 0, end));
    }

    private static IEnumerable<(string Model, string Region)> Throughput(IncidentTruthBuilder truth) =>
        truth.Series.Where(s => s.Measurement == "throughput").Select(s => (s.Tags["model_id"], s.Tags["region"]));
}
