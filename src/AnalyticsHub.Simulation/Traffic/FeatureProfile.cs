namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A product feature: its typical prompt and completion sizes and how much of the prompt is cached.</summary>
internal sealed record FeatureProfile(string Name, double PromptMedian, double CompletionMedian, double CacheShare);
