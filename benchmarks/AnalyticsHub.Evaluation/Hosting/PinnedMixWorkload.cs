using AnalyticsHub.Events;
using AnalyticsHub.Metadata;
using AnalyticsHub.Policies;

namespace AnalyticsHub.Evaluation.Hosting;

/// <summary>
/// The pinned mix of PERFORMANCE.md: 70% latency, 15% token usage, 5% error rate, 5% cost, 3% security,
/// 2% governance events over 20 models, 3 environments, 10 regions and 50 tenants; seeded.
/// </summary>
public static class PinnedMixWorkload
{
    private static readonly string[] Environments = ["production", "staging", "development"];

    /// <summary>Builds <paramref name="count"/> valid events ending at <paramref name="end"/>, one per 10 ms.</summary>
    public static AnalyticsEvent[] Create(int count, DateTimeOffset end, int seed = 42)
    {
        var random = new Random(seed);
        var events = new AnalyticsEvent[count];
        var start = end - TimeSpan.FromMilliseconds(10.0 * count);
        for (var i = 0; i < count; i++)
        {
            var model = "model-" + random.Next(20).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
            var tags = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["tenant"] = "tenant-" + random.Next(50).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["region"] = "region-" + random.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var roll = random.Next(100);
            var requestId = "req-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            EventPayload payload = roll switch
            {
                < 70 => new LatencyMetrics
                {
                    ModelId = model, RequestId = requestId,
                    TotalLatencyMs = Math.Round(200 * Math.Exp(0.9 * Normal(random)), 1), TtftMs = Math.Round(40 * Math.Exp(0.5 * Normal(random)), 1),
                },
                < 85 => Usage(model, requestId, random),
                < 90 => new ErrorRateMetrics
                {
                    ModelId = model, TotalRequests = 1000, FailedRequests = (ulong)random.Next(30), ErrorRatePercent = random.NextDouble() * 3,
                    WindowDurationSeconds = 60, ErrorBreakdown = new Dictionary<string, ulong> { ["timeout"] = 3 },
                },
                < 95 => new TokenCostEvent
                {
                    ModelId = model, RequestId = requestId, PromptTokens = 800, CompletionTokens = 200, TotalTokens = 1000,
                    CostPerPromptToken = 2.5e-6, CostPerCompletionToken = 1e-5, TotalCostUsd = 0.004, Currency = "USD",
                },
                < 98 => new AuthEvent { UserId = "user-" + random.Next(500).ToString(System.Globalization.CultureInfo.InvariantCulture), Action = AuthAction.Login, Resource = "api", Success = random.Next(20) != 0 },
                _ => new AuditTrailEvent { Action = "config_change", Actor = "ci", ResourceType = "model", ResourceId = model },
            };
            var module = payload switch
            {
                TelemetryPayload => SourceModule.LlmObservatory,
                SecurityPayload => SourceModule.LlmSentinel,
                CostPayload => SourceModule.LlmCostOps,
                _ => SourceModule.LlmGovernanceDashboard,
            };
            events[i] = new AnalyticsEvent
            {
                Common = new CommonEventFields
                {
                    EventId = new Guid(i, (short)seed, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 1),
                    Timestamp = start + TimeSpan.FromMilliseconds(10.0 * i),
                    SourceModule = module,
                    EventType = AnalyticsEventFactory.DefaultEventType(payload),
                    Severity = Severity.Info,
                    Environment = Environments[random.Next(3)],
                    Tags = tags,
                },
                Payload = payload,
            };
        }

        return events;
    }

    /// <summary>
    /// The pinned mix's 10 active policies: global, one blocking rule each on the events' common fields and tags, none
    /// of which any pinned-mix event matches (so every event is checked against all ten and none is blocked).
    /// </summary>
    public static async Task AddActivePoliciesAsync(PolicyRegistry registry)
    {
        string[] conditions =
        [
            "tags.region == \"region-{0}\" && severity == \"critical\"",
            "environment == \"env-{0}\"",
            "tags.tenant == \"tenant-{0}\"",
            "severity == \"critical\" && environment in [\"production\", \"env-{0}\"]",
            "tags.region != \"region-0\" && tags.tenant == \"none-{0}\"",
        ];
        for (var i = 0; i < 10; i++)
        {
            var condition = string.Format(System.Globalization.CultureInfo.InvariantCulture, conditions[i % conditions.Length], 1000 + i);
            var result = await registry.Policies.CreateAsync(new PolicyDefinition
            {
                PolicyId = "pinned-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Name = "pinned mix policy " + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Description = "one of the pinned mix's 10 active policies",
                Version = "1",
                PolicyType = PolicyType.Usage,
                Rules = [new PolicyRule { RuleId = "r", Name = "rule", Condition = condition, Action = PolicyAction.Block, Severity = RuleSeverity.High, Enabled = true }],
                Enforcement = EnforcementMode.Active,
                Scope = new PolicyScope { ScopeType = ScopeType.Global, Targets = [] },
                Owner = new OwnerInfo { UserId = "bench", Username = "bench" },
                CreatedAt = DateTimeOffset.UnixEpoch,
                UpdatedAt = DateTimeOffset.UnixEpoch,
                Status = PolicyStatus.Active,
            }).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException(string.Join("; ", result.Problems));
            }
        }

        if (registry.InForce.Policies != 10)
        {
            throw new InvalidOperationException($"Expected 10 policies in force; the registry has {registry.InForce.Policies}.");
        }
    }

    private static TokenUsageMetrics Usage(string model, string requestId, Random random)
    {
        var prompt = (uint)random.Next(50, 4000);
        var completion = (uint)random.Next(10, 1000);
        return new TokenUsageMetrics { ModelId = model, RequestId = requestId, PromptTokens = prompt, CompletionTokens = completion, TotalTokens = prompt + completion };
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
