using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AnalyticsHub.Events.Redaction;

/// <summary>
/// Masks or drops sensitive text in events before anything is stored: tag values and every string
/// field of the payload (JSON fields such as custom <c>data</c> and audit <c>changes</c> included).
/// </summary>
/// <remarks>
/// Clean events cost one vectorised hint scan per string and come back as the same instance; only
/// an event with a match is rebuilt. The structured fields detection relies on (<c>source_ip</c>,
/// <c>ip_address</c>, <c>user_id</c>) are exempt unless a rule names them in its paths. Counts per
/// rule are kept with <see cref="Interlocked"/>. Thread-safe.
/// </remarks>
public sealed class EventRedactor
{
    private static readonly string[] ExemptLeaves = ["source_ip", "ip_address", "user_id"];

    private readonly RedactionRule[] _rules;
    private readonly long[] _counts;

    [ThreadStatic]
    private static Scan? t_scan;

    /// <summary>Creates a redactor for <paramref name="rules"/>.</summary>
    /// <exception cref="ArgumentException">A rule is not usable; the message lists every problem.</exception>
    public EventRedactor(IEnumerable<RedactionRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = [.. rules];
        var problems = _rules.SelectMany(r => r.Validate()).ToList();
        if (_rules.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count() != _rules.Length)
        {
            problems.Add("Redaction rule names must be unique.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid redaction rules: " + string.Join(" ", problems), nameof(rules));
        }

        _counts = new long[_rules.Length];
    }

    /// <summary>The rules in force.</summary>
    public IReadOnlyList<RedactionRule> Rules => _rules;

    /// <summary>How many values each rule has redacted so far, by rule name.</summary>
    public IReadOnlyDictionary<string, long> Counts
    {
        get
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < _rules.Length; i++)
            {
                counts[_rules[i].Name] = Interlocked.Read(ref _counts[i]);
            }

            return counts;
        }
    }

    /// <summary>Returns <paramref name="evt"/> itself when nothing matched, else a redacted copy.</summary>
    public AnalyticsEvent Redact(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (_rules.Length == 0)
        {
            return evt;
        }

        var scan = t_scan ??= new Scan();
        scan.Start(this);
        try
        {
            Walk(evt, scan);
            return scan.Hits.Count == 0 ? evt : Rewrite(evt, scan.Hits);
        }
        finally
        {
            scan.Clear();
        }
    }

    /// <summary>Visits every string of the event with its path.</summary>
    private static void Walk(AnalyticsEvent evt, Scan scan)
    {
        scan.Visit("environment", evt.Common.Environment);
        scan.Push("tags");
        foreach (var (key, value) in evt.Common.Tags)
        {
            scan.Visit(key, value, isTag: true);
        }

        scan.Pop();
        scan.Push("payload");
        scan.Push("data");
        WalkPayload(evt.Payload, scan);
        scan.Pop();
        scan.Pop();
    }

    private static void WalkPayload(EventPayload payload, Scan s)
    {
        if (payload is TelemetryPayload telemetry)
        {
            s.Visit("model_id", telemetry.ModelId);
        }

        switch (payload)
        {
            case LatencyMetrics p:
                s.Visit("request_id", p.RequestId);
                break;
            case TokenUsageMetrics p:
                s.Visit("request_id", p.RequestId);
                break;
            case ThreatEvent p:
                s.Visit("threat_id", p.ThreatId);
                s.Visit("source_ip", p.SourceIp);
                s.Visit("target_resource", p.TargetResource);
                s.Visit("attack_vector", p.AttackVector);
                s.VisitList("indicators_of_compromise", p.IndicatorsOfCompromise);
                break;
            case VulnerabilityEvent p:
                s.Visit("vulnerability_id", p.VulnerabilityId);
                s.Visit("affected_component", p.AffectedComponent);
                s.Visit("description", p.Description);
                break;
            case ComplianceViolationEvent p:
                s.Visit("violation_id", p.ViolationId);
                s.Visit("requirement", p.Requirement);
                s.Visit("violation_description", p.ViolationDescription);
                break;
            case AuthEvent p:
                s.Visit("user_id", p.UserId);
                s.Visit("resource", p.Resource);
                s.Visit("failure_reason", p.FailureReason);
                break;
            case PrivacyEvent p:
                s.VisitList("data_subjects", p.DataSubjects);
                s.Visit("purpose", p.Purpose);
                break;
            case TokenCostEvent p:
                s.Visit("model_id", p.ModelId);
                s.Visit("request_id", p.RequestId);
                break;
            case ApiCostEvent p:
                s.Visit("api_endpoint", p.ApiEndpoint);
                break;
            case ResourceConsumptionEvent p:
                s.Visit("resource_id", p.ResourceId);
                break;
            case BudgetAlertEvent p:
                s.Visit("budget_name", p.BudgetName);
                break;
            case PolicyViolationEvent p:
                s.Visit("violation_description", p.ViolationDescription);
                s.Visit("resource_id", p.ResourceId);
                s.Visit("user_id", p.UserId);
                break;
            case AuditTrailEvent p:
                s.Visit("actor", p.Actor);
                s.Visit("resource_id", p.ResourceId);
                s.Visit("ip_address", p.IpAddress);
                s.Visit("user_agent", p.UserAgent);
                s.Push("changes");
                foreach (var (key, value) in p.Changes)
                {
                    s.VisitJson(key, value);
                }

                s.Pop();
                break;
            case ComplianceCheckEvent p:
                s.Push("findings");
                for (var i = 0; i < p.Findings.Count; i++)
                {
                    s.PushIndex(i);
                    s.Visit("description", p.Findings[i].Description);
                    s.Visit("evidence", p.Findings[i].Evidence);
                    s.Pop();
                }

                s.Pop();
                break;
            case DataLineageEvent p:
                s.Visit("source", p.Source);
                s.Visit("destination", p.Destination);
                s.Visit("transformation", p.Transformation);
                break;
            case CustomPayload p:
                s.VisitJson("data", p.Data);
                break;
        }
    }

    /// <summary>Applies the hits to the event's JSON form and reads it back: the rare, slow path.</summary>
    private AnalyticsEvent Rewrite(AnalyticsEvent evt, List<Hit> hits)
    {
        var root = JsonNode.Parse(AnalyticsEventJson.SerializeToUtf8Bytes(evt))!.AsObject();
        foreach (var hit in hits)
        {
            Interlocked.Increment(ref _counts[hit.Rule]);
            JsonNode? node = root;
            for (var i = 0; i < hit.Path.Length - 1; i++)
            {
                node = hit.Path[i] is int index ? node![index] : node![(string)hit.Path[i]];
            }

            var last = hit.Path[^1];
            if (hit.DropKey && node is JsonObject tags)
            {
                tags.Remove((string)last);
            }
            else if (last is int itemIndex)
            {
                node![itemIndex] = hit.Value;
            }
            else
            {
                node![(string)last] = hit.Value;
            }
        }

        var read = AnalyticsEventJson.Read(JsonSerializer.SerializeToUtf8Bytes(root, RedactionJsonContext.Default.JsonObject));

        // Redaction replaces strings with strings and removes tags, so the event stays readable.
        return read.Event ?? throw new InvalidOperationException("A redacted event could not be read back: " + string.Join("; ", read.Problems));
    }

    private readonly record struct Hit(object[] Path, int Rule, string Value, bool DropKey);

    /// <summary>The per-thread state of one redaction: the current path and the hits.</summary>
    private sealed class Scan
    {
        private readonly List<object> _path = [];
        private EventRedactor _owner = null!;

        public List<Hit> Hits { get; } = [];

        public void Start(EventRedactor owner) => _owner = owner;

        public void Clear()
        {
            _path.Clear();
            Hits.Clear();
        }

        public void Push(string name) => _path.Add(name);

        public void PushIndex(int index) => _path.Add(index);

        public void Pop() => _path.RemoveAt(_path.Count - 1);

        public void VisitList(string name, IReadOnlyList<string> values)
        {
            Push(name);
            for (var i = 0; i < values.Count; i++)
            {
                _path.Add(i);
                Check(values[i], name, isTag: false);
                Pop();
            }

            Pop();
        }

        public void Visit(string name, string? value, bool isTag = false)
        {
            if (value is null)
            {
                return;
            }

            _path.Add(name);
            Check(value, name, isTag);
            Pop();
        }

        public void VisitJson(string name, JsonElement value)
        {
            _path.Add(name);
            VisitValue(value, name);
            Pop();
        }

        private void VisitValue(JsonElement value, string leaf)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    Check(value.GetString()!, leaf, isTag: false);
                    break;
                case JsonValueKind.Object:
                    foreach (var property in value.EnumerateObject())
                    {
                        VisitJson(property.Name, property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        _path.Add(index++);
                        VisitValue(item, leaf);
                        Pop();
                    }

                    break;
            }
        }

        private void Check(string value, string leaf, bool isTag)
        {
            var rules = _owner._rules;
            string? path = null;
            var current = value;
            for (var r = 0; r < rules.Length; r++)
            {
                var rule = rules[r];
                if (rule.Paths.Count > 0)
                {
                    path ??= PathString();
                    if (!Contains(rule.Paths, path))
                    {
                        continue;
                    }
                }
                else if (!isTag && Array.IndexOf(ExemptLeaves, leaf) >= 0)
                {
                    continue;
                }

                if (rule.Pattern is null)
                {
                    // A named path is sensitive as a whole.
                    Add(rule, r, isTag, rule.EffectiveReplacement);
                    return;
                }

                if (rule.Hint is { } hint && current.AsSpan().IndexOfAny(hint) < 0)
                {
                    continue;
                }

                var replaced = Replace(rule, current, out var matched);
                if (!matched)
                {
                    continue;
                }

                if (rule.Action == RedactionAction.Drop)
                {
                    Add(rule, r, isTag, rule.EffectiveReplacement);
                    return;
                }

                current = replaced;
                Add(rule, r, isTag: false, current);
            }
        }

        private static string Replace(RedactionRule rule, string value, out bool matched)
        {
            var any = false;
            string result;
            try
            {
                result = rule.Pattern!.Replace(value, m =>
                {
                    if (rule.Verify is { } verify && !verify(m.Value))
                    {
                        return m.Value;
                    }

                    any = true;
                    return rule.EffectiveReplacement;
                });
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological value: treat the whole value as sensitive rather than let it through.
                any = true;
                result = rule.EffectiveReplacement;
            }

            matched = any;
            return result;
        }

        private void Add(RedactionRule rule, int index, bool isTag, string value)
        {
            // A later rule on the same value replaces the earlier hit: the value carries both redactions.
            var path = _path.ToArray();
            for (var i = Hits.Count - 1; i >= 0; i--)
            {
                if (Hits[i].Path.AsSpan().SequenceEqual(path))
                {
                    Hits[i] = Hits[i] with { Value = value };
                    Interlocked.Increment(ref _owner._counts[index]);
                    return;
                }
            }

            Hits.Add(new Hit(path, index, value, isTag && rule.Action == RedactionAction.Drop));
        }

        private string PathString()
        {
            var builder = new System.Text.StringBuilder();
            foreach (var segment in _path)
            {
                if (segment is int index)
                {
                    builder.Append('[').Append(index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
                }
                else
                {
                    if (builder.Length > 0)
                    {
                        builder.Append('.');
                    }

                    builder.Append((string)segment);
                }
            }

            return builder.ToString();
        }

        private static bool Contains(IReadOnlyList<string> paths, string path)
        {
            for (var i = 0; i < paths.Count; i++)
            {
                if (string.Equals(paths[i], path, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
