namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>A method's scores: per scenario and target metric (e.g. <c>latency</c>), and pooled.</summary>
internal sealed record PetShopScores(string Method, IReadOnlyDictionary<string, IReadOnlyDictionary<string, PetShopCell>> Cells)
{
    public PetShopCell Pooled => Cells.Values.SelectMany(m => m.Values).Aggregate(PetShopCell.Empty, (a, b) => a.Add(b));

    public PetShopCell Scenario(string scenario) => Cells[scenario].Values.Aggregate(PetShopCell.Empty, (a, b) => a.Add(b));
}
