using System.Diagnostics.CodeAnalysis;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>Incident engines by name: the two naive baselines and the oracle, plus any a host registers (the hub under <c>hub</c>).</summary>
/// <remarks>Names compare case-insensitively and keep their registration order. Not thread-safe for registration.</remarks>
public sealed class IncidentEngineRegistry
{
    /// <summary>The name of the fixed five-minute bucket baseline.</summary>
    public const string TimeBucketName = TimeBucketIncidentEngine.EngineName;

    /// <summary>The name of the shared-attribute baseline.</summary>
    public const string AttributeName = AttributeIncidentEngine.EngineName;

    /// <summary>The name of the oracle, whose scores are the ceilings.</summary>
    public const string OracleName = OracleIncidentEngine.EngineName;

    /// <summary>The name of the engine that runs the real hub (<see cref="HubIncidentEngine"/>).</summary>
    public const string HubName = "hub";

    private readonly List<IncidentEngineRegistration> _registrations = [];

    /// <summary>The registrations in the order they were added.</summary>
    public IReadOnlyList<IncidentEngineRegistration> Registrations => _registrations;

    /// <summary>Creates a registry holding the <c>time_bucket</c> and <c>attribute</c> baselines and the <c>oracle</c>.</summary>
    /// <returns>A new registry.</returns>
    public static IncidentEngineRegistry CreateWithBaselines()
    {
        var registry = new IncidentEngineRegistry();
        registry.Register(new IncidentEngineRegistration
        {
            Name = TimeBucketName,
            Create = static _ => new TimeBucketIncidentEngine(),
            Description = "every epoch-aligned 5-minute bucket of event time is one incident; its earliest events are the roots",
        });
        registry.Register(new IncidentEngineRegistration
        {
            Name = AttributeName,
            Create = static _ => new AttributeIncidentEngine(),
            Description = "one incident per (tenant, model, region); its earliest change events are the roots",
        });
        registry.Register(new IncidentEngineRegistration
        {
            Name = OracleName,
            Create = static scenario => new OracleIncidentEngine(scenario.PlannedTruth),
            Description = "the ceiling: reads the planned truth and groups what the membership rule makes identifiable",
        });
        return registry;
    }

    /// <summary>Adds an engine under its name.</summary>
    /// <param name="registration">The engine.</param>
    /// <exception cref="ArgumentException">The name is empty or already registered.</exception>
    public void Register(IncidentEngineRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentException.ThrowIfNullOrWhiteSpace(registration.Name, nameof(registration));
        if (TryGet(registration.Name, out _))
        {
            throw new ArgumentException($"an incident engine named '{registration.Name}' is already registered.", nameof(registration));
        }

        _registrations.Add(registration);
    }

    /// <summary>Looks an engine up by name.</summary>
    /// <param name="name">The name, case-insensitive.</param>
    /// <param name="registration">The engine when found.</param>
    /// <returns><see langword="true"/> when an engine has that name.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out IncidentEngineRegistration? registration)
    {
        foreach (var r in _registrations)
        {
            if (string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                registration = r;
                return true;
            }
        }

        registration = null;
        return false;
    }
}
