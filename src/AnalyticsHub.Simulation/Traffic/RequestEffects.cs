namespace AnalyticsHub.Simulation.Traffic;

/// <summary>What active incidents do to one request attempt, and which incident did each part (-1: none).</summary>
internal struct RequestEffects
{
    public double LatencyMultiplier;
    public int LatencyBy;
    public double TimeoutProbability;
    public int TimeoutBy;
    public double UnavailableProbability;
    public int UnavailableBy;
    public double BlockProbability;
    public int BlockBy;
    public double CompletionMultiplier;
    public int CompletionBy;
    public int RouteModel;
    public int RouteBy;

    public static RequestEffects None(int model) => new()
    {
        LatencyMultiplier = 1,
        LatencyBy = -1,
        TimeoutBy = -1,
        UnavailableBy = -1,
        BlockBy = -1,
        CompletionMultiplier = 1,
        CompletionBy = -1,
        RouteModel = model,
        RouteBy = -1,
    };
}
