namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>A root-cause method the harness scores: the ranked candidate entities of a case, best first (none = no root cause).</summary>
internal interface IPetShopMethod
{
    string Name { get; }

    IReadOnlyList<string> Rank(PetShopCase @case);
}
