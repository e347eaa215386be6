namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>Hits and counts of one scenario and target metric: top-1 and top-3 over the issues, specificity over the normal splits.</summary>
internal sealed record PetShopCell(int Issues, int Top1, int Top3, int SpecificityCases, int Specific)
{
    public static PetShopCell Empty { get; } = new(0, 0, 0, 0, 0);

    public double? Top1Recall => Issues == 0 ? null : (double)Top1 / Issues;

    public double? Top3Recall => Issues == 0 ? null : (double)Top3 / Issues;

    public double? Specificity => SpecificityCases == 0 ? null : (double)Specific / SpecificityCases;

    public PetShopCell Add(PetShopCell other) =>
        new(Issues + other.Issues, Top1 + other.Top1, Top3 + other.Top3, SpecificityCases + other.SpecificityCases, Specific + other.Specific);
}
