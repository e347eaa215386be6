namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>One issue: its split (<c>train</c> or <c>test</c>), folder name, metrics and target.</summary>
internal sealed record PetShopIssue(string Split, string Name, PetShopTable Metrics, PetShopTarget Target);
