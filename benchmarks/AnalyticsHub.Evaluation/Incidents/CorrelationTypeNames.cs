using System.Diagnostics.CodeAnalysis;
using AnalyticsHub.Correlation;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>The snake_case wire names of <see cref="CorrelationType"/>, as the ground truth and the spec write them.</summary>
public static class CorrelationTypeNames
{
    private static readonly string[] Names =
    [
        "causal_chain", "temporal", "pattern_match", "anomaly", "cost_impact", "security_incident",
        "performance_degradation", "compliance_cascade",
    ];

    /// <summary>Every wire name, in enum order.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>The wire name of <paramref name="type"/>.</summary>
    /// <param name="type">A defined correlation type.</param>
    /// <returns>The snake_case name, e.g. <c>causal_chain</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not defined.</exception>
    public static string ToWire(CorrelationType type)
    {
        var i = (int)type;
        if ((uint)i >= (uint)Names.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "not a defined correlation type.");
        }

        return Names[i];
    }

    /// <summary>Reads a wire name, case-insensitively.</summary>
    /// <param name="name">The name, e.g. <c>cost_impact</c>.</param>
    /// <param name="type">The type when known.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> is one of the eight names.</returns>
    public static bool TryParse([NotNullWhen(true)] string? name, out CorrelationType type)
    {
        for (var i = 0; i < Names.Length && name is not null; i++)
        {
            if (string.Equals(name, Names[i], StringComparison.OrdinalIgnoreCase))
            {
                type = (CorrelationType)i;
                return true;
            }
        }

        type = default;
        return false;
    }
}
