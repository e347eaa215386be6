using AnalyticsHub.Correlation.Topology;

namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>A scenario: the call graph, the normal metrics and the issues of the selected splits.</summary>
internal sealed record PetShopScenario(string Name, DependencyGraph Graph, PetShopTable Normal, IReadOnlyList<PetShopIssue> Issues);
