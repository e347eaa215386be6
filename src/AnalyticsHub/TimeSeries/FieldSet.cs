using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using AnalyticsHub.TimeSeries.Json;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// The fields of a time-series point: one typed map, written as a flat JSON object (decision 11).
/// The spec's named fields (<c>latency_ms</c>, <c>cost_usd</c>, ...) are typed accessors over the map.
/// </summary>
/// <remarks>Immutable; keys are unique and kept in the order given.</remarks>
[JsonConverter(typeof(FieldSetJsonConverter))]
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "FieldSet is the wire type's name (spec 1.5).")]
public sealed class FieldSet : IReadOnlyDictionary<string, FieldValue>
{
    private readonly string[] _names;
    private readonly FieldValue[] _values;

    /// <summary>Creates a field set from name/value pairs.</summary>
    /// <param name="fields">The fields; names must be unique and non-empty.</param>
    /// <exception cref="ArgumentException">A name is empty or repeated.</exception>
    public FieldSet(IEnumerable<KeyValuePair<string, FieldValue>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var names = new List<string>();
        var values = new List<FieldValue>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(fields));
            if (!seen.Add(name))
            {
                throw new ArgumentException($"Duplicate field '{name}'.", nameof(fields));
            }

            names.Add(name);
            values.Add(value);
        }

        _names = [.. names];
        _values = [.. values];
    }

    private FieldSet(string[] names, FieldValue[] values)
    {
        _names = names;
        _values = values;
    }

    /// <summary>A field set without fields.</summary>
    public static FieldSet Empty { get; } = new([], []);

    /// <summary>Creates a field set from arrays the caller hands over (not copied); names must be unique.</summary>
    internal static FieldSet FromArrays(string[] names, FieldValue[] values) => new(names, values);

    /// <summary>The field names, in order (no copy).</summary>
    internal ReadOnlySpan<string> NameSpan => _names;

    /// <summary>The names array itself (shared between points by the extractor; must not be changed): an identity to cache field numbers by.</summary>
    internal string[] NameArray => _names;

    /// <summary>The field values, in order (no copy).</summary>
    internal ReadOnlySpan<FieldValue> ValueSpan => _values;

    /// <inheritdoc/>
    public int Count => _names.Length;

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _names;

    /// <inheritdoc/>
    public IEnumerable<FieldValue> Values => _values;

    /// <inheritdoc/>
    public FieldValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No field '{key}'.");

    /// <summary><c>latency_ms</c>: a latency in milliseconds.</summary>
    public double? LatencyMs => Double("latency_ms");

    /// <summary><c>throughput</c>: requests per second.</summary>
    public double? Throughput => Double("throughput");

    /// <summary><c>error_count</c>: failed requests.</summary>
    public ulong? ErrorCount => UInt64("error_count");

    /// <summary><c>success_count</c>: successful requests.</summary>
    public ulong? SuccessCount => UInt64("success_count");

    /// <summary><c>token_count</c>: tokens.</summary>
    public ulong? TokenCount => UInt64("token_count");

    /// <summary><c>threat_count</c>: detected threats.</summary>
    public ulong? ThreatCount => UInt64("threat_count");

    /// <summary><c>severity_score</c>: a severity, nominally 0 to 10.</summary>
    public double? SeverityScore => Double("severity_score");

    /// <summary><c>blocked_count</c>: blocked threats or requests.</summary>
    public ulong? BlockedCount => UInt64("blocked_count");

    /// <summary><c>vulnerability_count</c>: vulnerabilities.</summary>
    public ulong? VulnerabilityCount => UInt64("vulnerability_count");

    /// <summary><c>cost_usd</c>: a cost in US dollars.</summary>
    public double? CostUsd => Double("cost_usd");

    /// <summary><c>token_cost</c>: a token cost in US dollars.</summary>
    public double? TokenCost => Double("token_cost");

    /// <summary><c>utilization_percent</c>: a utilisation (may exceed 100).</summary>
    public double? UtilizationPercent => Double("utilization_percent");

    /// <summary><c>violation_count</c>: policy or compliance violations.</summary>
    public ulong? ViolationCount => UInt64("violation_count");

    /// <summary><c>compliance_score</c>: a compliance score.</summary>
    public double? ComplianceScore => Double("compliance_score");

    /// <summary><c>audit_count</c>: audit-trail entries.</summary>
    public ulong? AuditCount => UInt64("audit_count");

    /// <inheritdoc/>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out FieldValue value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? _values[index] : default;
        return index >= 0;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, FieldValue>> GetEnumerator()
    {
        for (var i = 0; i < _names.Length; i++)
        {
            yield return new(_names[i], _values[i]);
        }
    }

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private double? Double(string key) => TryGetValue(key, out var value) && value.TryGetDouble(out var number) ? number : null;

    private ulong? UInt64(string key) => TryGetValue(key, out var value) && value.TryGetUInt64(out var number) ? number : null;
}
