namespace AnalyticsHub.Simulation.Traffic;

/// <summary>The simulated world: models with prices, regions, features and tenants, built from a seed.</summary>
internal sealed class World
{
    public const int BatchFeature = 5;

    public static readonly string[] Regions = ["us-east-1", "eu-west-1", "us-west-2"];

    public static readonly ModelProfile[] CatalogModels =
    [
        new("gpt-4o", "openai", 2.50, 10.00, 1.25, 2.50, 450, 80, false, 0.004),
        new("gpt-4o-mini", "openai", 0.15, 0.60, 0.075, 0.15, 300, 120, false, 0.003),
        new("o3-mini", "openai", 1.10, 4.40, 0.55, 1.10, 900, 150, true, 0.005),
        new("claude-3-5-sonnet", "anthropic", 3.00, 15.00, 0.30, 3.75, 600, 70, false, 0.004),
        new("claude-3-5-haiku", "anthropic", 0.80, 4.00, 0.08, 1.00, 350, 110, false, 0.003),
        new("gemini-1.5-pro", "google", 1.25, 5.00, 0.3125, 1.25, 500, 90, false, 0.005),
        new("llama-3.1-70b", "self-hosted", 0.60, 0.80, 0.60, 0.60, 400, 60, false, 0.006),
    ];

    public static readonly FeatureProfile[] CatalogFeatures =
    [
        new("chat", 900, 320, 0.5),
        new("summarize", 3200, 220, 0.2),
        new("search", 2100, 160, 0.4),
        new("codegen", 1400, 650, 0.3),
        new("agent", 4200, 420, 0.6),
        new("batch-enrich", 650, 90, 0.1),
    ];

    public const string PriceVersion = "2025-01";

    internal World(ModelProfile[] models, FeatureProfile[] features, TenantProfile[] tenants)
    {
        Models = models;
        Features = features;
        Tenants = tenants;
    }

    public ModelProfile[] Models { get; }

    public FeatureProfile[] Features { get; }

    public TenantProfile[] Tenants { get; }

    /// <summary>The model with the most expected traffic: the natural target of incidents.</summary>
    public int TopModel { get; private set; }

    /// <summary>The region with the most tenants' traffic.</summary>
    public int TopRegion { get; private set; }

    public double[] ExpectedModelShare { get; private set; } = [];

    public static World Build(ScenarioConfig config)
    {
        var rng = SimRandom.ForStream(config.Seed, 0x3041D);
        var world = config.World;
        var features = CatalogFeatures;
        var models = CatalogModels;
        var tenants = new TenantProfile[world.Tenants];
        var shares = new double[world.Tenants];
        var total = 0.0;
        for (var i = 0; i < shares.Length; i++)
        {
            shares[i] = rng.LogNormal(1.0, 0.6);
            total += shares[i];
        }

        // Preferred models per feature: the interactive features lean on a few popular models,
        // so incidents on the top model touch most tenants.
        int[][] preferred =
        [
            [3, 0, 4],
            [1, 4, 5],
            [1, 3, 6],
            [3, 0, 2],
            [2, 3, 0],
        ];
        int[] fallback = [0, 4, 5, 0, 3];

        for (var i = 0; i < tenants.Length; i++)
        {
            var users = new string[world.UsersPerTenant];
            for (var u = 0; u < users.Length; u++)
            {
                users[u] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"t{i + 1:00}-user-{u + 1:0000}");
            }

            var cdf = new double[BatchFeature];
            var sum = 0.0;
            for (var f = 0; f < cdf.Length; f++)
            {
                sum += rng.Uniform(0.2, 1.0) * (f == 0 ? 2.0 : 1.0);
                cdf[f] = sum;
            }

            for (var f = 0; f < cdf.Length; f++)
            {
                cdf[f] /= sum;
            }

            var primary = new int[BatchFeature];
            var secondary = new int[BatchFeature];
            for (var f = 0; f < BatchFeature; f++)
            {
                var pick = rng.Chance(0.7) ? 0 : 1 + rng.Next(2);
                primary[f] = preferred[f][pick];
                secondary[f] = primary[f] == fallback[f] ? preferred[f][(pick + 1) % 3] : fallback[f];
            }

            tenants[i] = new TenantProfile
            {
                Index = i,
                Id = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"tenant-{i + 1:00}"),
                Region = i % Regions.Length,
                Share = shares[i] / total,
                Users = users,
                FeatureCdf = cdf,
                PrimaryModel = primary,
                SecondaryModel = secondary,
                BudgetId = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"budget-tenant-{i + 1:00}-daily"),
            };
        }

        var result = new World(models, features, tenants);
        result.Estimate(config);
        return result;
    }

    /// <summary>Expected model shares and daily spend per tenant, from the feature mix and prices; sets budgets at about 1.4× a normal day.</summary>
    private void Estimate(ScenarioConfig config)
    {
        var modelShare = new double[Models.Length];
        var regionShare = new double[Regions.Length];
        // The daily shape averages to 0.55 and weekdays dominate; 86,400 s a day.
        var requestsPerDay = config.World.PeakRequestsPerSecond * 0.55 * 86_400;
        foreach (var tenant in Tenants)
        {
            var spend = 0.0;
            var previous = 0.0;
            for (var f = 0; f < BatchFeature; f++)
            {
                var weight = tenant.FeatureCdf[f] - previous;
                previous = tenant.FeatureCdf[f];
                var feature = Features[f];
                modelShare[tenant.PrimaryModel[f]] += tenant.Share * weight * 0.85;
                modelShare[tenant.SecondaryModel[f]] += tenant.Share * weight * 0.15;
                var cost = (0.85 * CostOf(Models[tenant.PrimaryModel[f]], feature)) + (0.15 * CostOf(Models[tenant.SecondaryModel[f]], feature));
                spend += weight * cost;
            }

            regionShare[tenant.Region] += tenant.Share;
            tenant.DailyBudgetUsd = Math.Round(Math.Max(1.0, spend * requestsPerDay * tenant.Share * 1.4), 2);
        }

        ExpectedModelShare = modelShare;
        TopModel = ArgMax(modelShare);
        TopRegion = ArgMax(regionShare);
    }

    private static double CostOf(ModelProfile model, FeatureProfile feature)
    {
        // Lognormal means are above the medians: exp(sigma²/2) with sigma 0.6 and 0.5.
        var prompt = feature.PromptMedian * 1.197;
        var completion = feature.CompletionMedian * 1.133;
        var cached = prompt * feature.CacheShare * 0.5;
        return (((prompt - cached) * model.PromptPerMillion) + (cached * model.CachedPerMillion) + (completion * model.CompletionPerMillion)) / 1e6;
    }

    private static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
