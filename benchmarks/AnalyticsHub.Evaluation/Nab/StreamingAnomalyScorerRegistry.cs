using System.Diagnostics.CodeAnalysis;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>Detectors by name: the three baselines, plus any a host registers (such as the hub's own under <c>default</c>).</summary>
/// <remarks>Names compare case-insensitively. Not thread-safe for registration; register everything before running.</remarks>
public sealed class StreamingAnomalyScorerRegistry
{
    /// <summary>The name of the null baseline.</summary>
    public const string NullName = "null";

    /// <summary>The name of the random baseline.</summary>
    public const string RandomName = "random";

    /// <summary>The name of the z-score baseline.</summary>
    public const string ZScoreName = "zscore";

    /// <summary>The name reserved for the hub's own detector.</summary>
    public const string DefaultName = "default";

    /// <summary>The frozen threshold of the null baseline (it never scores above 0, so any positive value gives the same result).</summary>
    public const double NullThreshold = 0.5;

    /// <summary>The frozen threshold of the random baseline, chosen on the NAB tuning set.</summary>
    public const double RandomThreshold = 0.9985;

    /// <summary>The frozen threshold of the z-score baseline, chosen on the NAB tuning set.</summary>
    public const double ZScoreThreshold = 0.99998;

    private readonly Dictionary<string, StreamingAnomalyScorerRegistration> _registrations = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the registered names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _registrations.Keys.Order(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Creates a registry holding the <c>null</c>, <c>random</c> and <c>zscore</c> baselines.</summary>
    /// <returns>A new registry.</returns>
    public static StreamingAnomalyScorerRegistry CreateWithBaselines()
    {
        var registry = new StreamingAnomalyScorerRegistry();
        registry.Register(new StreamingAnomalyScorerRegistration
        {
            Name = NullName,
            DefaultThreshold = NullThreshold,
            Create = static () => new NullAnomalyScorer(),
            Description = "always 0; never detects",
        });
        registry.Register(new StreamingAnomalyScorerRegistration
        {
            Name = RandomName,
            DefaultThreshold = RandomThreshold,
            Create = static () => new RandomAnomalyScorer(),
            Description = "uniform [0,1) from a seeded SplitMix64",
        });
        registry.Register(new StreamingAnomalyScorerRegistration
        {
            Name = ZScoreName,
            DefaultThreshold = ZScoreThreshold,
            Create = static () => new ZScoreAnomalyScorer(),
            Description = "1 - exp(-z^2/8) against the trailing 576 points",
        });
        return registry;
    }

    /// <summary>Adds a detector under its name.</summary>
    /// <param name="registration">The detector.</param>
    /// <exception cref="ArgumentException">The name is empty or already registered, or the threshold is not finite.</exception>
    public void Register(StreamingAnomalyScorerRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentException.ThrowIfNullOrWhiteSpace(registration.Name, nameof(registration));
        if (!double.IsFinite(registration.DefaultThreshold))
        {
            throw new ArgumentException($"detector '{registration.Name}' has a threshold that is not finite.", nameof(registration));
        }

        if (!_registrations.TryAdd(registration.Name, registration))
        {
            throw new ArgumentException($"a detector named '{registration.Name}' is already registered.", nameof(registration));
        }
    }

    /// <summary>Looks a detector up by name.</summary>
    /// <param name="name">The name, case-insensitive.</param>
    /// <param name="registration">The detector when found.</param>
    /// <returns><see langword="true"/> when a detector has that name.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out StreamingAnomalyScorerRegistration? registration) =>
        _registrations.TryGetValue(name, out registration);
}
