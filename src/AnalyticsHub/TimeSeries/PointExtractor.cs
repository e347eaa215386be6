using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// Turns analytics events into time-series points, the seed's "metrics collection" pattern: one measurement per
/// payload kind, low-cardinality tags (source module, environment, model, region, tenant and a few enum values of
/// the payload), and the payload's numbers as fields. The full mapping is the table in <c>docs/timeseries.md</c>.
/// </summary>
/// <remarks>
/// Identifiers (request, user, resource ids) never become tags: they are unbounded and would trip the store's
/// cardinality guard. Of the event's own tags only <c>region</c>, <c>service</c>, <c>version</c> and <c>tenant</c> are copied.
/// The measurement, tags and point fields come from the payload catalog (<c>Events/Json/PayloadCatalog.cs</c>); only
/// the fields computed from several payload fields (<c>success_count</c>, <c>blocked_count</c>...) are written here.
/// </remarks>
public static class PointExtractor
{
    /// <summary>The event tag copied as the <c>tenant</c> point tag.</summary>
    public const string TenantTag = "tenant";

    /// <summary>Extracts the point of one event.</summary>
    /// <param name="analyticsEvent">The event.</param>
    /// <returns>The point: measurement per payload kind, event timestamp, tags and fields as in the mapping table.</returns>
    public static TimeSeriesPoint Extract(AnalyticsEvent analyticsEvent)
    {
        ArgumentNullException.ThrowIfNull(analyticsEvent);
        var interner = TagSetInterner.Shared;
        lock (interner.Gate)
        {
            return Extract(analyticsEvent, interner);
        }
    }

    /// <summary>
    /// Extracts the points of <paramref name="events"/> as the next rows of <paramref name="columns"/>, taking the tag-set
    /// table's lock once: no point object per event, the field values copied into the columns' shared arrays.
    /// </summary>
    internal static void ExtractAll(IReadOnlyList<AnalyticsEvent> events, PointColumns columns)
    {
        var interner = TagSetInterner.Shared;
        lock (interner.Gate)
        {
            for (var i = 0; i < events.Count; i++)
            {
                var analyticsEvent = events[i];
                var (measurement, tags, fields) = Collect(analyticsEvent, interner);
                columns.Add(measurement, tags, analyticsEvent.Timestamp.UtcTicks, fields.SharedNames(), fields.Values);
            }
        }
    }

    private static TimeSeriesPoint Extract(AnalyticsEvent analyticsEvent, TagSetInterner interner)
    {
        var (measurement, tags, fields) = Collect(analyticsEvent, interner);
        return new TimeSeriesPoint
        {
            Measurement = measurement,
            Timestamp = analyticsEvent.Timestamp,
            Tags = tags,
            Fields = fields.Build(),
        };
    }

    /// <summary>The measurement, tags and fields of one event's point; the fields are the calling thread's builder, valid until its next use.</summary>
    private static (string Measurement, TagSet Tags, PointFieldsBuilder Fields) Collect(AnalyticsEvent analyticsEvent, TagSetInterner interner)
    {
        var payload = analyticsEvent.Payload;
        var variant = PayloadCatalog.Of(payload);
        var fields = PointFieldsBuilder.Rent();
        if (variant.EventCount is { } eventCount)
        {
            fields.Add(eventCount, 1UL);
        }

        AddDerived(fields, payload);
        string? modelId = null;
        interner.Scratch.Clear();
        AddFields(fields, variant.Schema, payload, ref modelId, interner.Scratch);
        return (variant.Measurement, BuildTags(interner, analyticsEvent.Common, modelId), fields);
    }

    /// <summary>The point fields and tags the payload catalog marks on <paramref name="record"/>'s fields.</summary>
    private static void AddFields(PointFieldsBuilder fields, ObjectSchema schema, object record, ref string? modelId, PointTagMap tags)
    {
        foreach (var field in schema.Fields)
        {
            if (field.PointField is null && !field.CanBeTag && field.Kind != FieldKind.OptionalObject)
            {
                continue;
            }

            var slot = field.Get!(record);
            if (!slot.Present)
            {
                continue;
            }

            if (field.CanBeTag)
            {
                var text = field.EnumTable is { } table ? table.Names[(int)slot.Bits] : slot.String;
                if (field.Name == "model_id")
                {
                    modelId = text;
                }
                else
                {
                    tags[field.Name] = text;
                }
            }

            AddValue(fields, field, slot, ref modelId, tags);
        }
    }

    private static void AddValue(PointFieldsBuilder fields, FieldSpec field, FieldSlot slot, ref string? modelId, PointTagMap tags)
    {
        var name = field.PointField;
        switch (field.Kind)
        {
            case FieldKind.OptionalObject:
                AddFields(fields, field.Nested!, slot.Object!, ref modelId, tags);
                break;
            case FieldKind.Double or FieldKind.OptionalDouble when name is not null:
                fields.Add(name, slot.Double);
                break;
            case FieldKind.UInt32 or FieldKind.OptionalUInt32 or FieldKind.UInt64 when name is not null:
                fields.Add(name, slot.Bits);
                break;
            case FieldKind.Boolean when name is not null:
                fields.Add(name, slot.Boolean);
                break;
            case FieldKind.StringList or FieldKind.ObjectList or FieldKind.JsonMap when name is not null:
                fields.Add(name, (ulong)CountOf(slot.Object!));
                break;
            case FieldKind.UInt64Map when name is not null:
                foreach (var (key, count) in slot.As<IReadOnlyDictionary<string, ulong>>())
                {
                    fields.Add(name + key, count);
                }

                break;
            case FieldKind.DoubleMap when name is not null:
                foreach (var (key, value) in slot.As<IReadOnlyDictionary<string, double>>())
                {
                    fields.Add(name + key, value);
                }

                break;
        }
    }

    /// <summary>The items of a list (of strings or records: the interface is covariant) or the keys of a JSON map.</summary>
    private static int CountOf(object value) => value switch
    {
        IReadOnlyCollection<object> items => items.Count,
        IReadOnlyCollection<KeyValuePair<string, JsonElement>> map => map.Count,
        _ => throw new InvalidOperationException($"A {value.GetType().Name} has no count."),
    };

    /// <summary>The point fields computed from several payload fields rather than read from one.</summary>
    private static void AddDerived(PointFieldsBuilder fields, EventPayload payload)
    {
        switch (payload)
        {
            case ErrorRateMetrics p:
                fields.Add("success_count", p.TotalRequests >= p.FailedRequests ? p.TotalRequests - p.FailedRequests : 0);
                break;
            case ThreatEvent p:
                fields.Add("blocked_count", p.MitigationStatus == MitigationStatus.Blocked ? 1UL : 0UL).Add("threat_level_score", (ulong)p.ThreatLevel + 1);
                break;
            case AuthEvent p:
                fields.Add("success_count", p.Success ? 1UL : 0UL).Add("failure_count", p.Success ? 0UL : 1UL);
                break;
            case ComplianceCheckEvent p:
                var failed = 0UL;
                foreach (var finding in p.Findings)
                {
                    failed += finding.Status == ComplianceStatus.Fail ? 1UL : 0UL;
                }

                fields.Add("failed_finding_count", failed);
                break;
            case CustomPayload p:
                AddJsonNumbers(fields, p.Data);
                break;
        }
    }

    /// <summary>
    /// The tags every extracted point gets: the event's module, environment, the model when the payload has one, and
    /// region/service/version/tenant from the event's tags; shared by every point with the same tags (<see cref="TagSetInterner"/>).
    /// </summary>
    /// <param name="interner">The calling thread's interner; its scratch map holds the payload-specific tags.</param>
    /// <param name="common">The event's common fields.</param>
    /// <param name="modelId">The payload's model, if any.</param>
    /// <returns>The tag set.</returns>
    private static TagSet BuildTags(TagSetInterner interner, CommonEventFields common, string? modelId)
    {
        string? region = null, service = null, version = null, tenant = null;
        var hasTenant = false;
        var tags = common.Tags;
        if (tags is Dictionary<string, string> map && map.Count <= ScannedTags && IsOrdinal(map.Comparer))
        {
            // An event carries a few tags: one pass over them costs less than a hashed lookup per copied key (four
            // hashes and probes per event, a fifth of the time_series stage on the hub's pinned mix). Only for an
            // ordinal map, where a key matches exactly when it is equal.
            foreach (var (key, value) in map)
            {
                switch (key)
                {
                    case "region":
                        region = value;
                        break;
                    case "service":
                        service = value;
                        break;
                    case "version":
                        version = value;
                        break;
                    case TenantTag:
                        (tenant, hasTenant) = (value, true);
                        break;
                }
            }
        }
        else if (tags.Count > 0)
        {
            tags.TryGetValue("region", out region);
            tags.TryGetValue("service", out service);
            tags.TryGetValue("version", out version);
            hasTenant = tags.TryGetValue(TenantTag, out tenant);
        }

        if (hasTenant)
        {
            interner.Scratch.TryAdd(TenantTag, tenant!);
        }

        return interner.Get(WireEnums.SourceModule.GetName(common.SourceModule), common.Environment, modelId, region, service, version, interner.Scratch);
    }

    /// <summary>The most event tags <see cref="BuildTags"/> reads in one pass; a larger map is looked up key by key.</summary>
    private const int ScannedTags = 8;

    private static bool IsOrdinal(IEqualityComparer<string> comparer) =>
        ReferenceEquals(comparer, EqualityComparer<string>.Default) || ReferenceEquals(comparer, StringComparer.Ordinal);

    private static void AddJsonNumbers(PointFieldsBuilder fields, JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in data.EnumerateObject())
        {
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Number:
                    var raw = value.GetRawText();
                    if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && value.TryGetInt64(out var signed))
                    {
                        fields.Add(property.Name, FieldValue.FromInt64(signed));
                    }
                    else if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && value.TryGetUInt64(out var unsigned))
                    {
                        fields.Add(property.Name, unsigned);
                    }
                    else if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                    {
                        fields.Add(property.Name, number);
                    }

                    break;
                case JsonValueKind.True:
                case JsonValueKind.False:
                    fields.Add(property.Name, value.ValueKind == JsonValueKind.True);
                    break;
                default:
                    break;
            }
        }
    }
}
