using System.Globalization;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// A traffic scenario: the world, its length, the incidents to inject, every difficulty knob and the seed.
/// Read one from JSON with <see cref="ScenarioConfigJson"/>, or start from <see cref="Easy"/>,
/// <see cref="Medium"/> or <see cref="Hard"/>.
/// </summary>
/// <remarks>
/// The same config, seed and end instant give the same events and truth on every run. Settable like an
/// options class (so JSON keys left out keep their defaults); each preset property returns a fresh copy.
/// </remarks>
public sealed record ScenarioConfig
{
    /// <summary>A name for reports, e.g. the difficulty tier.</summary>
    public string Name { get; set; } = "custom";

    /// <summary>The seed of every random draw.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>When the scenario's timeline ends; the <see cref="TimeProvider"/>'s now when absent.</summary>
    public DateTimeOffset? End { get; set; }

    /// <summary>The scenario's length in hours; 0.25..2,160 (90 days), 6 by default.</summary>
    public double DurationHours { get; set; } = 6;

    /// <summary>The environment written into every event.</summary>
    public string Environment { get; set; } = "production";

    /// <summary>The world: tenants, users, request volume.</summary>
    public WorldConfig World { get; set; } = new();

    /// <summary>Whether a tenant runs a benign nightly batch job (02:00–03:00 UTC), tagged <c>benign=nightly_batch</c>.</summary>
    public bool NightlyBatch { get; set; } = true;

    /// <summary>The incidents to inject.</summary>
    public IReadOnlyList<IncidentConfig> Incidents { get; set; } = [];

    /// <summary>The difficulty knobs.</summary>
    public ScenarioKnobs Knobs { get; set; } = new();

    /// <summary>The easy tier: six quiet hours, one strong deploy regression, clean delivery.</summary>
    public static ScenarioConfig Easy => new()
    {
        Name = "easy",
        Seed = 1001,
        DurationHours = 6,
        World = new WorldConfig { Tenants = 4, UsersPerTenant = 30, PeakRequestsPerSecond = 2 },
        Incidents = [new IncidentConfig { Template = IncidentTemplate.DeployRegression }],
        Knobs = new ScenarioKnobs { EffectSize = 2.0, Noise = 0.5 },
    };

    /// <summary>The medium tier: a day, four incidents (one a negative control), two distractors, a decoy deploy, a little duplication and skew.</summary>
    public static ScenarioConfig Medium => new()
    {
        Name = "medium",
        Seed = 2002,
        DurationHours = 24,
        World = new WorldConfig { Tenants = 8, UsersPerTenant = 40, PeakRequestsPerSecond = 3 },
        Incidents =
        [
            new IncidentConfig { Template = IncidentTemplate.DeployRegression },
            new IncidentConfig { Template = IncidentTemplate.LeakedApiKey },
            new IncidentConfig { Template = IncidentTemplate.PromptTemplateChange },
            new IncidentConfig { Template = IncidentTemplate.MarketingSurge },
        ],
        Knobs = new ScenarioKnobs
        {
            EffectSize = 1.0,
            LagJitter = 0.2,
            Noise = 1.0,
            Distractors = 2,
            DecoyDeploy = true,
            DuplicateRate = 0.001,
            ClockSkew = [new ModuleClockSkew { Module = "llm-sentinel", Seconds = 20 }],
        },
    };

    /// <summary>The hard tier: two days, all six templates overlapping, weak effects, heavy noise, distractors, late roots, skew, duplicates, gaps and a silent module.</summary>
    public static ScenarioConfig Hard => new()
    {
        Name = "hard",
        Seed = 3003,
        DurationHours = 48,
        World = new WorldConfig { Tenants = 12, UsersPerTenant = 60, PeakRequestsPerSecond = 4 },
        Incidents =
        [
            new IncidentConfig { Template = IncidentTemplate.DeployRegression },
            new IncidentConfig { Template = IncidentTemplate.LeakedApiKey },
            new IncidentConfig { Template = IncidentTemplate.PromptTemplateChange },
            new IncidentConfig { Template = IncidentTemplate.ProviderOutage },
            new IncidentConfig { Template = IncidentTemplate.PolicyMisconfiguration },
            new IncidentConfig { Template = IncidentTemplate.MarketingSurge },
        ],
        Knobs = new ScenarioKnobs
        {
            EffectSize = 0.6,
            LagJitter = 0.5,
            Noise = 1.5,
            OverlapIncidents = true,
            Distractors = 5,
            DecoyDeploy = true,
            LateRootSeconds = 180,
            DuplicateRate = 0.01,
            ClockSkew =
            [
                new ModuleClockSkew { Module = "llm-sentinel", Seconds = 75 },
                new ModuleClockSkew { Module = "llm-cost-ops", Seconds = -30 },
            ],
            Gaps =
            [
                new TimeGap { StartMinutes = 700, DurationMinutes = 4 },
                new TimeGap { StartMinutes = 2100, DurationMinutes = 6 },
            ],
            SilentModule = new SilentModuleWindow { Module = "llm-governance-dashboard", StartMinutes = 1500, DurationMinutes = 45 },
        },
    };

    /// <summary>The preset of a difficulty tier: <c>easy</c>, <c>medium</c> or <c>hard</c>.</summary>
    /// <exception cref="ArgumentException">An unknown tier.</exception>
    public static ScenarioConfig ForTier(string tier) => tier?.ToUpperInvariant() switch
    {
        "EASY" => Easy,
        "MEDIUM" => Medium,
        "HARD" => Hard,
        _ => throw new ArgumentException($"Unknown tier '{tier}'; use easy, medium or hard.", nameof(tier)),
    };

    /// <summary>Lists every problem of this config, each with its JSON path; empty when it is usable.</summary>
    public IReadOnlyList<ScenarioConfigProblem> Validate()
    {
        var problems = new List<ScenarioConfigProblem>();
        Range(problems, "$.duration_hours", DurationHours, 0.25, 2160);
        if (string.IsNullOrWhiteSpace(Environment))
        {
            problems.Add(new("$.environment", "The environment must not be empty."));
        }

        if (World is null)
        {
            problems.Add(new("$.world", "The world must not be null."));
        }
        else
        {
            Range(problems, "$.world.tenants", World.Tenants, 1, 100);
            Range(problems, "$.world.users_per_tenant", World.UsersPerTenant, 1, 10_000);
            Range(problems, "$.world.peak_requests_per_second", World.PeakRequestsPerSecond, 0.01, 10_000);
            Range(problems, "$.world.aggregate_interval_seconds", World.AggregateIntervalSeconds, 10, 3600);
        }

        var minutes = DurationHours * 60;
        if (Incidents is null)
        {
            problems.Add(new("$.incidents", "The incident list must not be null (use [] for none)."));
        }
        else
        {
            for (var i = 0; i < Incidents.Count; i++)
            {
                var path = $"$.incidents[{i}]";
                var incident = Incidents[i];
                if (incident is null)
                {
                    problems.Add(new(path, "An incident must not be null."));
                    continue;
                }

                if (!Enum.IsDefined(incident.Template))
                {
                    problems.Add(new(path + ".template", $"Unknown template {incident.Template}."));
                }

                if (incident.StartMinutes is { } start)
                {
                    Range(problems, path + ".start_minutes", start, 0, minutes);
                }

                if (incident.DurationMinutes is { } duration)
                {
                    Range(problems, path + ".duration_minutes", duration, 5, 10_080);
                }

                if (incident.EffectSize is { } effect)
                {
                    Range(problems, path + ".effect_size", effect, 0.05, 10);
                }
            }
        }

        if (Knobs is null)
        {
            problems.Add(new("$.knobs", "The knobs must not be null."));
        }
        else
        {
            ValidateKnobs(problems, Knobs, minutes);
        }

        return problems;
    }

    /// <summary>Throws when <see cref="Validate"/> finds problems, listing all of them.</summary>
    /// <exception cref="ScenarioConfigException">The config is not usable.</exception>
    public void EnsureValid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ScenarioConfigException(problems);
        }
    }

    private static void ValidateKnobs(List<ScenarioConfigProblem> problems, ScenarioKnobs knobs, double minutes)
    {
        Range(problems, "$.knobs.effect_size", knobs.EffectSize, 0.05, 10);
        Range(problems, "$.knobs.lag_jitter", knobs.LagJitter, 0, 0.9);
        Range(problems, "$.knobs.noise", knobs.Noise, 0, 5);
        Range(problems, "$.knobs.distractors", knobs.Distractors, 0, 50);
        Range(problems, "$.knobs.late_root_seconds", knobs.LateRootSeconds, 0, 3600);
        Range(problems, "$.knobs.duplicate_rate", knobs.DuplicateRate, 0, 0.5);
        Range(problems, "$.knobs.max_members_per_incident", knobs.MaxMembersPerIncident, 1, 100_000);
        if (knobs.ClockSkew is null)
        {
            problems.Add(new("$.knobs.clock_skew", "The list must not be null (use [])."));
        }
        else
        {
            for (var i = 0; i < knobs.ClockSkew.Count; i++)
            {
                var path = $"$.knobs.clock_skew[{i}]";
                if (knobs.ClockSkew[i] is not { } skew)
                {
                    problems.Add(new(path, "An entry must not be null."));
                    continue;
                }

                Module(problems, path + ".module", skew.Module);
                Range(problems, path + ".seconds", skew.Seconds, -240, 240);
            }
        }

        if (knobs.Gaps is null)
        {
            problems.Add(new("$.knobs.gaps", "The list must not be null (use [])."));
        }
        else
        {
            for (var i = 0; i < knobs.Gaps.Count; i++)
            {
                var path = $"$.knobs.gaps[{i}]";
                if (knobs.Gaps[i] is not { } gap)
                {
                    problems.Add(new(path, "An entry must not be null."));
                    continue;
                }

                Range(problems, path + ".start_minutes", gap.StartMinutes, 0, minutes);
                Range(problems, path + ".duration_minutes", gap.DurationMinutes, 0.1, 1440);
            }
        }

        if (knobs.SilentModule is { } silent)
        {
            Module(problems, "$.knobs.silent_module.module", silent.Module);
            Range(problems, "$.knobs.silent_module.start_minutes", silent.StartMinutes, 0, minutes);
            Range(problems, "$.knobs.silent_module.duration_minutes", silent.DurationMinutes, 0.1, 10_080);
        }
    }

    private static void Module(List<ScenarioConfigProblem> problems, string path, string? name)
    {
        if (!ModuleNames.TryParse(name, out _))
        {
            problems.Add(new(path, $"'{name}' is not a module; use one of {ModuleNames.AllowedList}."));
        }
    }

    private static void Range(List<ScenarioConfigProblem> problems, string path, double value, double min, double max)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            problems.Add(new(path, string.Create(CultureInfo.InvariantCulture, $"{value} lies outside {min}..{max}.")));
        }
    }
}
