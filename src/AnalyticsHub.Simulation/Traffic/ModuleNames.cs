using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>The wire names of <see cref="SourceModule"/> (kebab-case), for configs and ground truth.</summary>
internal static class ModuleNames
{
    private static readonly string[] Names =
    [
        "llm-observatory", "llm-sentinel", "llm-cost-ops", "llm-governance-dashboard", "llm-registry",
        "llm-policy-engine", "llm-analytics-hub",
    ];

    public const int Count = 7;

    public static string AllowedList => string.Join(", ", Names);

    public static string Get(SourceModule module) => Names[(int)module];

    public static bool TryParse(string? name, out SourceModule module)
    {
        module = default;
        if (name is null)
        {
            return false;
        }

        if (string.Equals(name, "llm-costops", StringComparison.OrdinalIgnoreCase))
        {
            module = SourceModule.LlmCostOps;
            return true;
        }

        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(name, Names[i], StringComparison.OrdinalIgnoreCase))
            {
                module = (SourceModule)i;
                return true;
            }
        }

        return false;
    }
}
