using System.Globalization;
using AnalyticsHub.Anomalies;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>
/// A grid of <see cref="AnomalyDetectorOptions"/>: every combination of the values given per option
/// (<c>--set Name=v1,v2,...</c> on the command line), starting from the frozen defaults.
/// </summary>
public static class AnomalyOptionGrid
{
    /// <summary>The option names a grid can vary, as spelt on the command line.</summary>
    public static readonly IReadOnlyList<string> OptionNames =
    [
        "Threshold", "Components", "LongWindow", "ShortWindow", "WarmUpPoints", "MinimumDeviation", "HistoryHalfLife",
        "SuppressionPoints", "SeasonalBucketSeconds", "SeasonalLearningRate", "ActivityGain",
    ];

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Expands the grid into labelled, validated option sets, in row-major order (the last option varies fastest).</summary>
    /// <param name="axes">Per option, its name and the values to try.</param>
    /// <returns>The configurations; one (the defaults, empty label) when <paramref name="axes"/> is empty.</returns>
    /// <exception cref="ArgumentException">An option name is unknown, a value does not parse, or a combination is invalid.</exception>
    public static IReadOnlyList<(string Label, AnomalyDetectorOptions Options)> Expand(IReadOnlyList<(string Name, string[] Values)> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var configurations = new List<(string Label, AnomalyDetectorOptions Options)> { (string.Empty, AnomalyDetectorOptions.Default) };
        foreach (var (name, values) in axes)
        {
            var next = new List<(string, AnomalyDetectorOptions)>(configurations.Count * values.Length);
            foreach (var (label, options) in configurations)
            {
                foreach (var value in values)
                {
                    next.Add(((label + " " + name + "=" + value).Trim(), Apply(options, name, value)));
                }
            }

            configurations = next;
        }

        foreach (var (label, options) in configurations)
        {
            var problems = options.Validate();
            if (problems.Count > 0)
            {
                throw new ArgumentException($"configuration '{label}': {string.Join(" ", problems)}", nameof(axes));
            }
        }

        return configurations;
    }

    /// <summary>Parses one <c>Name=v1,v2,...</c> argument.</summary>
    /// <param name="text">The argument.</param>
    /// <param name="axis">The option name and its values.</param>
    /// <returns>Whether the text has a name, an equals sign and at least one value.</returns>
    public static bool TryParseAxis(string text, out (string Name, string[] Values) axis)
    {
        axis = default;
        if (text.Split('=', 2) is not [var name, var values] || name.Length == 0 || values.Length == 0)
        {
            return false;
        }

        axis = (name, values.Split(','));
        return true;
    }

    /// <summary>Sets one option from its command-line spelling.</summary>
    /// <param name="options">The options to start from.</param>
    /// <param name="name">The option name (see <see cref="OptionNames"/>).</param>
    /// <param name="value">The value; components as flags joined by <c>|</c>, e.g. <c>Level|Shift</c>.</param>
    /// <returns>The options with that one value changed.</returns>
    /// <exception cref="ArgumentException">The name is unknown or the value does not parse.</exception>
    public static AnomalyDetectorOptions Apply(AnomalyDetectorOptions options, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return name switch
            {
                "Threshold" => options with { Threshold = double.Parse(value, Invariant) },
                "Components" => options with { Components = Enum.Parse<AnomalyDetectorComponents>(value.Replace('|', ','), ignoreCase: true) },
                "LongWindow" => options with { LongWindow = int.Parse(value, Invariant) },
                "ShortWindow" => options with { ShortWindow = int.Parse(value, Invariant) },
                "WarmUpPoints" => options with { WarmUpPoints = int.Parse(value, Invariant) },
                "MinimumDeviation" => options with { MinimumDeviation = double.Parse(value, Invariant) },
                "HistoryHalfLife" => options with { HistoryHalfLife = int.Parse(value, Invariant) },
                "SuppressionPoints" => options with { SuppressionPoints = int.Parse(value, Invariant) },
                "SeasonalBucketSeconds" => options with { SeasonalBucketSeconds = int.Parse(value, Invariant) },
                "SeasonalLearningRate" => options with { SeasonalLearningRate = double.Parse(value, Invariant) },
                "ActivityGain" => options with { ActivityGain = double.Parse(value, Invariant) },
                _ => throw new ArgumentException($"unknown option '{name}'; options: {string.Join(", ", OptionNames)}.", nameof(name)),
            };
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"option {name}: '{value}' is not a valid value.", nameof(value), ex);
        }
        catch (OverflowException ex)
        {
            throw new ArgumentException($"option {name}: '{value}' is out of range.", nameof(value), ex);
        }
    }
}
