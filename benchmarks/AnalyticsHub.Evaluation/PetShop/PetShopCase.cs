using AnalyticsHub.Correlation.Topology;

namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>One case to explain: the graph, the target, and the series of the normal and abnormal periods.</summary>
internal sealed record PetShopCase(DependencyGraph Graph, TopologyTarget Target, IReadOnlyList<TopologySeries> Normal, IReadOnlyList<TopologySeries> Abnormal);
