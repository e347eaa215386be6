using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// One generation pass: builds the world, plans incidents and sources, and streams events in delivery
/// order from a priority queue of per-source next-event times, applying the delivery knobs (late
/// roots, skew, duplicates, gaps, a silent module) on the way out.
/// </summary>
internal sealed class SimulationRun
{
    private static readonly Dictionary<IncidentTemplate, double> DefaultMinutes = new()
    {
        [IncidentTemplate.DeployRegression] = 40,
        [IncidentTemplate.LeakedApiKey] = 60,
        [IncidentTemplate.PromptTemplateChange] = 240,
        [IncidentTemplate.ProviderOutage] = 40,
        [IncidentTemplate.PolicyMisconfiguration] = 30,
        [IncidentTemplate.MarketingSurge] = 90,
    };

    private readonly ScenarioConfig _config;
    private readonly SimContext _ctx;
    private readonly List<EventSource> _sources = [];
    private readonly List<Incident> _incidents = [];
    private readonly List<DistractorIncident> _distractors = [];
    private readonly List<DecoyBuilder> _decoys = [];
    private readonly long[] _gapStart;
    private readonly long[] _gapEnd;
    private readonly int _silentModule = -1;
    private readonly long _silentStart;
    private readonly long _silentEnd;
    private long _emitted;
    private long _duplicates;
    private long _dropped;

    public SimulationRun(ScenarioConfig config, long start, long end)
    {
        _config = config;
        var world = World.Build(config);
        _ctx = new SimContext(config, world, start, end);
        var knobs = config.Knobs;
        _gapStart = new long[knobs.Gaps.Count];
        _gapEnd = new long[knobs.Gaps.Count];
        for (var i = 0; i < _gapStart.Length; i++)
        {
            _gapStart[i] = start + SimTime.FromMinutes(knobs.Gaps[i].StartMinutes);
            _gapEnd[i] = _gapStart[i] + SimTime.FromMinutes(knobs.Gaps[i].DurationMinutes);
        }

        if (knobs.SilentModule is { } silent && ModuleNames.TryParse(silent.Module, out var module))
        {
            _silentModule = (int)module;
            _silentStart = start + SimTime.FromMinutes(silent.StartMinutes);
            _silentEnd = _silentStart + SimTime.FromMinutes(silent.DurationMinutes);
        }

        Plan(world, start, end);
    }

    public long Start => _ctx.Start;

    public long End => _ctx.End;

    /// <summary>The largest number of items the run held queued at once (sources, retries, duplicates).</summary>
    public int PeakQueued { get; private set; }

    public IReadOnlyList<Incident> Incidents => _incidents;

    public IReadOnlyList<DistractorIncident> Distractors => _distractors;

    private void Plan(World world, long start, long end)
    {
        var config = _config;
        var knobs = config.Knobs;
        var seed = config.Seed;
        var planRng = SimRandom.ForStream(seed, 0x9A11);
        var duration = end - start;
        var interval = config.World.AggregateIntervalSeconds * SimTime.Second;
        var late = SimTime.FromSeconds(knobs.LateRootSeconds);
        var schedule = new ScheduledSource(SimRandom.ForStream(seed, 0x5C4ED));
        var traffic = TrafficModel.For(config, world);

        // Automatic schedule: incidents in [20%, 90%] of the timeline, in slots or, when overlapping, in pairs.
        var count = config.Incidents.Count;
        var spanStart = start + (long)(0.2 * duration);
        var spanEnd = start + (long)(0.9 * duration);
        var slots = knobs.OverlapIncidents ? (count + 1) / 2 : count;
        var slot = slots > 0 ? (spanEnd - spanStart) / slots : 0;
        var all = new List<Incident>();
        var previousStart = spanStart;
        for (var i = 0; i < count; i++)
        {
            var spec = config.Incidents[i];
            var minutes = spec.DurationMinutes ?? DefaultMinutes[spec.Template];
            long incidentStart;
            if (spec.StartMinutes is { } startMinutes)
            {
                incidentStart = start + SimTime.FromMinutes(startMinutes);
            }
            else
            {
                var s = knobs.OverlapIncidents ? i / 2 : i;
                incidentStart = spanStart + (s * slot) + (long)(planRng.NextDouble() * 0.1 * slot);
                if (knobs.OverlapIncidents && i % 2 == 1)
                {
                    // The second of a pair starts while the first is under way.
                    incidentStart = previousStart + SimTime.FromMinutes(planRng.Uniform(8, 20));
                }

                if (spec.DurationMinutes is null && !knobs.OverlapIncidents)
                {
                    minutes = Math.Min(minutes, Math.Max(5, 0.8 * slot / (double)SimTime.Minute));
                }
            }

            previousStart = incidentStart;
            var incidentEnd = Math.Min(end, incidentStart + SimTime.FromMinutes(minutes));
            var template = Wire(spec.Template);
            var truth = new IncidentTruthBuilder(
                $"inc-{i + 1}-{template}", template, incidentStart, incidentEnd, knobs.MaxMembersPerIncident, CorrelationTypes(spec.Template));
            var setup = new IncidentSetup(
                all.Count, incidentStart, incidentEnd, knobs.EffectSize * (spec.EffectSize ?? 1.0), knobs.LagJitter,
                SimRandom.ForStream(seed, 0x1000UL + (ulong)i), truth, world, traffic, late, end);
            Incident incident = spec.Template switch
            {
                IncidentTemplate.DeployRegression => new DeployRegressionIncident(setup, interval),
                IncidentTemplate.LeakedApiKey => new LeakedApiKeyIncident(setup),
                IncidentTemplate.PromptTemplateChange => new PromptTemplateChangeIncident(setup),
                IncidentTemplate.ProviderOutage => new ProviderOutageIncident(setup, interval),
                IncidentTemplate.PolicyMisconfiguration => new PolicyMisconfigurationIncident(setup, interval),
                _ => new MarketingSurgeIncident(setup),
            };
            all.Add(incident);
            _incidents.Add(incident);
        }

        for (var i = 0; i < knobs.Distractors; i++)
        {
            var at = start + (long)(planRng.Uniform(0.2, 0.95) * duration);
            var minutes = planRng.Uniform(5, 10);
            var truth = new IncidentTruthBuilder($"distractor-{i + 1}", "distractor", at, Math.Min(end, at + SimTime.FromMinutes(minutes)), 1, []);
            var setup = new IncidentSetup(
                all.Count, truth.Start, truth.End, knobs.EffectSize, 0, SimRandom.ForStream(seed, 0x2000UL + (ulong)i), truth, world, traffic, 0, end);
            var distractor = new DistractorIncident(setup, i);
            all.Add(distractor);
            _distractors.Add(distractor);
        }

        _ctx.Incidents = [.. all];
        foreach (var incident in all)
        {
            incident.Plan(schedule, _sources);
        }

        if (knobs.DecoyDeploy)
        {
            PlanDecoy(schedule, planRng, world, start);
        }

        var peak = config.World.PeakRequestsPerSecond;
        foreach (var tenant in world.Tenants)
        {
            _sources.Add(new RequestSource(TrafficKind.Tenant, tenant, peak * tenant.Share, SimRandom.ForStream(seed, 0x100UL + (ulong)tenant.Index), start));
        }

        if (config.NightlyBatch)
        {
            _sources.Add(new RequestSource(TrafficKind.NightlyBatch, world.Tenants[0], Math.Max(0.05, 0.8 * peak), SimRandom.ForStream(seed, 0xBA7C4), start));
        }

        _sources.Add(new AggregateSource(SimRandom.ForStream(seed, 0xA66), start, config.World.AggregateIntervalSeconds));
        _sources.Add(new BackgroundSource(SimRandom.ForStream(seed, 0xB6), start, peak));
        _sources.Add(schedule.Seal());
    }

    private void PlanDecoy(ScheduledSource schedule, SimRandom rng, World world, long start)
    {
        Incident? target = null;
        foreach (var incident in _incidents)
        {
            if (incident.Truth.Root is null or { Kind: "event" } && !incident.Truth.NegativeControl && incident is not ProviderOutageIncident)
            {
                if (target is null || incident.Start < target.Start)
                {
                    target = incident;
                }
            }
        }

        if (target is null)
        {
            return;
        }

        var at = target.Start - SimTime.FromMinutes(rng.Uniform(2, 6));
        if (at <= start)
        {
            return;
        }

        var version = "v3." + rng.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".0";
        var decoy = new DecoyBuilder("deploy", "embedding-service@" + version, target.Truth.Id);
        _decoys.Add(decoy);
        var other = world.Models[(world.TopModel + 4) % world.Models.Length];
        schedule.Add(at, (ctx, r) =>
        {
            var item = ctx.Emit(
                SourceModule.LlmRegistry,
                at,
                new AuditTrailEvent
                {
                    Action = "deploy",
                    Actor = "ci-bot",
                    ResourceType = "service_deployment",
                    ResourceId = "embedding-service@" + version,
                    Changes = Changes.Of(("image", "embedding-service:" + version)),
                    IpAddress = "10.0.4.17",
                    UserAgent = "deployctl/2.3",
                },
                Severity.Info,
                SimContext.Tags(("service", "embedding-service"), ("model_id", other.Id)),
                r);
            decoy.EventId = ctx.Outbox[item].Event.EventId;
            decoy.Ticks = ctx.Outbox[item].Event.Timestamp.UtcTicks;
            ctx.MarkDecoy(item, decoy);
        });
    }

    public IEnumerable<AnalyticsEvent> Events()
    {
        var ctx = _ctx;
        var end = ctx.End;
        var queue = new PriorityQueue<int, (long Ticks, int Index)>(_sources.Count);
        for (var i = 0; i < _sources.Count; i++)
        {
            if (_sources[i].Next <= end)
            {
                queue.Enqueue(i, (_sources[i].Next, i));
            }
        }

        var duplicates = new PriorityQueue<AnalyticsEvent, (long Ticks, long Order)>();
        var duplicateRate = _config.Knobs.DuplicateRate;
        var knobRng = SimRandom.ForStream(_config.Seed, 0xD0B1E);
        long order = 0;
        while (true)
        {
            var hasSource = queue.TryPeek(out var index, out var key);
            var sourceTicks = hasSource ? key.Ticks : long.MaxValue;
            if (duplicates.TryPeek(out var duplicate, out var dueKey) && dueKey.Ticks <= sourceTicks)
            {
                duplicates.Dequeue();
                _duplicates++;
                _emitted++;
                yield return duplicate;
                continue;
            }

            if (!hasSource)
            {
                break;
            }

            queue.Dequeue();
            var source = _sources[index];
            ctx.Outbox.Clear();
            ctx.Marks.Clear();
            source.Step(ctx);
            if (source.Next <= end)
            {
                queue.Enqueue(index, (source.Next, index));
            }

            var queued = queue.Count + duplicates.Count + ctx.PendingRetries;
            if (queued > PeakQueued)
            {
                PeakQueued = queued;
            }

            Deliver(ctx);
            var outbox = ctx.Outbox;
            for (var i = 0; i < outbox.Count; i++)
            {
                var item = outbox[i];
                if (item.Dropped)
                {
                    continue;
                }

                _emitted++;
                if (duplicateRate > 0 && knobRng.NextDouble() < duplicateRate)
                {
                    duplicates.Enqueue(item.Event, (item.EmitTicks + SimTime.FromSeconds(knobRng.Uniform(0.5, 30)), order++));
                }

                yield return item.Event;
            }
        }
    }

    /// <summary>Applies gaps and the silent module, then commits the member marks of delivered items.</summary>
    private void Deliver(SimContext ctx)
    {
        var outbox = ctx.Outbox;
        if (_gapStart.Length > 0 || _silentModule >= 0)
        {
            for (var i = 0; i < outbox.Count; i++)
            {
                var item = outbox[i];
                var t = item.EmitTicks;
                var dropped = _silentModule == (int)item.Event.SourceModule && t >= _silentStart && t < _silentEnd;
                for (var g = 0; g < _gapStart.Length && !dropped; g++)
                {
                    dropped = t >= _gapStart[g] && t < _gapEnd[g];
                }

                if (dropped)
                {
                    item.Dropped = true;
                    outbox[i] = item;
                    _dropped++;
                }
            }
        }

        var marks = ctx.Marks;
        for (var i = 0; i < marks.Count; i++)
        {
            var mark = marks[i];
            var item = outbox[mark.Item];
            if (item.Dropped)
            {
                continue;
            }

            if (mark.Decoy is { } decoy)
            {
                decoy.Emitted = true;
            }
            else
            {
                mark.Truth!.Commit(item.Event, mark.Stage, mark.Role, mark.Member);
            }
        }
    }

    public GroundTruth BuildTruth()
    {
        var incidents = new IncidentTruth[_incidents.Count];
        for (var i = 0; i < incidents.Length; i++)
        {
            incidents[i] = _incidents[i].Truth.Build();
        }

        var distractors = new DistractorTruth[_distractors.Count];
        for (var i = 0; i < distractors.Length; i++)
        {
            distractors[i] = _distractors[i].Build();
        }

        var decoys = new DecoyTruth[_decoys.Count];
        for (var i = 0; i < decoys.Length; i++)
        {
            decoys[i] = _decoys[i].Build();
        }

        var knobs = _config.Knobs;
        var skew = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var s in knobs.ClockSkew)
        {
            if (ModuleNames.TryParse(s.Module, out var module))
            {
                skew[ModuleNames.Get(module)] = s.Seconds;
            }
        }

        var gaps = new TruthWindow[_gapStart.Length];
        for (var i = 0; i < gaps.Length; i++)
        {
            gaps[i] = new TruthWindow(SimTime.ToOffset(_gapStart[i]), SimTime.ToOffset(_gapEnd[i]));
        }

        var models = new ModelTruth[_ctx.World.Models.Length];
        for (var i = 0; i < models.Length; i++)
        {
            var m = _ctx.World.Models[i];
            models[i] = new ModelTruth
            {
                ModelId = m.Id,
                Provider = m.Provider,
                PromptPerMillion = m.PromptPerMillion,
                CompletionPerMillion = m.CompletionPerMillion,
                CachedInputPerMillion = m.CachedPerMillion,
                CacheCreationPerMillion = m.CacheWritePerMillion,
            };
        }

        return new GroundTruth
        {
            Scenario = _config.Name,
            Seed = _config.Seed,
            Start = SimTime.ToOffset(Start),
            End = SimTime.ToOffset(End),
            Environment = _config.Environment,
            Incidents = incidents,
            Distractors = distractors,
            Decoys = decoys,
            BenignPatterns = _config.NightlyBatch ? [new BenignPatternTruth { Name = "nightly_batch", Tag = "benign=nightly_batch", Windows = NightlyWindows() }] : [],
            Delivery = new DeliveryTruth
            {
                EventsEmitted = _emitted,
                DuplicatesEmitted = _duplicates,
                EventsDropped = _dropped,
                ClockSkewSeconds = skew,
                Gaps = gaps,
                SilentModule = _silentModule >= 0 ? ModuleNames.Get((SourceModule)_silentModule) : null,
                SilentWindow = _silentModule >= 0 ? new TruthWindow(SimTime.ToOffset(_silentStart), SimTime.ToOffset(_silentEnd)) : null,
            },
            Models = models,
        };
    }

    private List<TruthWindow> NightlyWindows()
    {
        var windows = new List<TruthWindow>();
        for (var day = Start / SimTime.Day * SimTime.Day; day <= End; day += SimTime.Day)
        {
            var from = Math.Max(Start, day + (2 * SimTime.Hour));
            var to = Math.Min(End, day + (3 * SimTime.Hour));
            if (from < to)
            {
                windows.Add(new TruthWindow(SimTime.ToOffset(from), SimTime.ToOffset(to)));
            }
        }

        return windows;
    }

    private static string Wire(IncidentTemplate template) => template switch
    {
        IncidentTemplate.DeployRegression => "deploy_regression",
        IncidentTemplate.LeakedApiKey => "leaked_api_key",
        IncidentTemplate.PromptTemplateChange => "prompt_template_change",
        IncidentTemplate.ProviderOutage => "provider_outage",
        IncidentTemplate.PolicyMisconfiguration => "policy_misconfiguration",
        _ => "marketing_surge",
    };

    private static string[] CorrelationTypes(IncidentTemplate template) => template switch
    {
        IncidentTemplate.DeployRegression => ["causal_chain", "performance_degradation", "cost_impact"],
        IncidentTemplate.LeakedApiKey => ["security_incident", "causal_chain", "cost_impact", "compliance_cascade"],
        IncidentTemplate.PromptTemplateChange => ["causal_chain", "cost_impact", "pattern_match"],
        IncidentTemplate.ProviderOutage => ["performance_degradation", "causal_chain", "cost_impact"],
        IncidentTemplate.PolicyMisconfiguration => ["compliance_cascade", "causal_chain", "performance_degradation"],
        _ => ["temporal", "anomaly"],
    };
}
