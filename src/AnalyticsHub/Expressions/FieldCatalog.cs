using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Expressions;

/// <summary>
/// Every field path the language knows: the common fields, tags, and a table from (payload variant,
/// field name) to a getter. Paths are resolved once at compile time; the interpreter resolves them on
/// every evaluation, which is what makes it the slow reference.
/// </summary>
internal static class FieldCatalog
{
    private const long UnixEpochTicks = 621355968000000000;

    private static readonly Dictionary<string, FieldBinding> CommonFields = new(StringComparer.Ordinal)
    {
        ["severity"] = Common(StaticType.Enum(EnumDomain.Severity), static e => Value.FromEnum(EnumDomain.Severity, (int)e.Common.Severity)),
        ["source_module"] = Common(StaticType.Enum(EnumDomain.SourceModule), static e => Value.FromEnum(EnumDomain.SourceModule, (int)e.Common.SourceModule)),
        ["event_type"] = Common(StaticType.Enum(EnumDomain.EventType), static e => Value.FromEnum(EnumDomain.EventType, (int)e.Common.EventType)),
        ["environment"] = Common(StaticType.String, static e => Value.FromString(e.Common.Environment)),
        ["schema_version"] = Common(StaticType.String, static e => Value.FromString(e.Common.SchemaVersion)),
        ["timestamp"] = Common(StaticType.Number, static e => Value.FromNumber((e.Common.Timestamp.UtcTicks - UnixEpochTicks) / (double)TimeSpan.TicksPerSecond)),
        ["payload.payload_type"] = Common(StaticType.Enum(EnumDomain.PayloadType), static e => Value.FromEnum(EnumDomain.PayloadType, (int)e.Payload.PayloadType)),
        ["payload.subtype"] = Common(StaticType.String, static e => Value.FromString(e.Payload.Subtype)),
    };

    private static readonly Dictionary<string, List<PayloadAccessor>> PayloadFields = BuildPayloadFields();

    private static readonly Dictionary<string, List<PayloadAccessor>> PayloadMaps = BuildPayloadMaps();

    private static readonly Dictionary<string, FieldBinding> UnfilteredPayloadBindings = BuildUnfiltered();

    private static readonly HashSet<string> Kinds = BuildKinds();

    /// <summary>Whether <paramref name="kind"/> names a payload family (<c>cost</c>) or variant (<c>token_cost</c>).</summary>
    public static bool IsPayloadKind(string kind) => Kinds.Contains(kind);

    /// <summary>The payload families and variants, for messages.</summary>
    public static string AllowedKinds => string.Join(", ", Kinds.Order(StringComparer.Ordinal));

    /// <summary>
    /// Binds a path: a variable (a name or dotted path declared by <paramref name="variables"/>), a common
    /// field, <c>tags.KEY</c>, <c>payload.data.FIELD</c> (or just <c>FIELD</c>), or an entry of a
    /// payload map (<c>payload.data.custom_metrics.KEY</c>). <paramref name="kind"/> restricts the
    /// payload fields that count as known, for the static type; the binding still reads every variant.
    /// </summary>
    public static FieldBinding? Resolve(FieldNode node, IVariableSource? variables, string? kind)
    {
        var segments = node.Segments;
        // A variable is a name (total_cost_usd) or a dotted path a source declares (budget.team_a.percent).
        if (variables is not null && variables.TryGetSlot(segments.Count == 1 ? segments[0] : node.Path, out var slot))
        {
            return new FieldBinding { Kind = FieldBindingKind.Variable, Type = StaticType.Any, Slot = slot };
        }

        if (CommonFields.TryGetValue(node.Path, out var common))
        {
            return common;
        }

        if (segments.Count == 2 && segments[0] == "tags")
        {
            return new FieldBinding { Kind = FieldBindingKind.Tag, Type = StaticType.String, Key = segments[1] };
        }

        // payload.data.x[.key] or the short form x[.key].
        var start = segments.Count >= 3 && segments[0] == "payload" && segments[1] == "data" ? 2 : 0;
        var rest = segments.Count - start;
        if (start == 0 && segments[0] is "payload" or "tags")
        {
            return null;
        }

        var name = start == 0 ? node.Path : node.Path["payload.data.".Length..];
        if (kind is null && UnfilteredPayloadBindings.TryGetValue(name, out var unfiltered))
        {
            return unfiltered;
        }

        if (PayloadFields.TryGetValue(name, out var fields))
        {
            return Filtered(FieldBindingKind.Payload, fields, kind, null);
        }

        if (rest == 2 && PayloadMaps.TryGetValue(segments[start], out var maps))
        {
            return Filtered(FieldBindingKind.PayloadMap, maps, kind, segments[start + 1]);
        }

        return null;
    }

    private static FieldBinding? Filtered(FieldBindingKind bindingKind, List<PayloadAccessor> accessors, string? kind, string? key)
    {
        StaticType? type = null;
        foreach (var accessor in accessors)
        {
            if (kind is null || accessor.Family == kind || accessor.Variant == kind)
            {
                type = type is null || type == accessor.Type ? accessor.Type : StaticType.Any;
            }
        }

        return type is null ? null : new FieldBinding { Kind = bindingKind, Type = type.Value, Accessors = [.. accessors], Key = key };
    }

    private static FieldBinding Common(StaticType type, Func<AnalyticsEvent, Value> get) =>
        new() { Kind = FieldBindingKind.Common, Type = type, Common = get };

    private static Dictionary<string, FieldBinding> BuildUnfiltered()
    {
        var result = new Dictionary<string, FieldBinding>(StringComparer.Ordinal);
        foreach (var (name, accessors) in PayloadFields)
        {
            result[name] = Filtered(FieldBindingKind.Payload, accessors, null, null)!;
        }

        return result;
    }

    private static HashSet<string> BuildKinds()
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var accessors in PayloadFields.Values)
        {
            foreach (var accessor in accessors)
            {
                kinds.Add(accessor.Family);
                kinds.Add(accessor.Variant);
            }
        }

        return kinds;
    }

    private static Dictionary<string, List<PayloadAccessor>> BuildPayloadMaps()
    {
        var maps = new Dictionary<string, List<PayloadAccessor>>(StringComparer.Ordinal);
        foreach (var variant in PayloadCatalog.Variants)
        {
            foreach (var field in variant.Schema.Fields)
            {
                if (field.Kind is FieldKind.UInt64Map or FieldKind.DoubleMap)
                {
                    Add(maps, field.Name, new PayloadAccessor(variant, field, null, StaticType.Number, null));
                }
            }
        }

        return maps;
    }

    /// <summary>Every scalar field of every variant (and of its nested objects, as <c>parent.field</c>), by path.</summary>
    private static Dictionary<string, List<PayloadAccessor>> BuildPayloadFields()
    {
        var fields = new Dictionary<string, List<PayloadAccessor>>(StringComparer.Ordinal);
        foreach (var variant in PayloadCatalog.Variants)
        {
            foreach (var field in variant.Schema.Fields)
            {
                if (field.Kind == FieldKind.OptionalObject)
                {
                    foreach (var nested in field.Nested!.Fields)
                    {
                        AddScalar(fields, variant, nested, field);
                    }
                }
                else
                {
                    AddScalar(fields, variant, field, null);
                }
            }
        }

        return fields;
    }

    private static void AddScalar(Dictionary<string, List<PayloadAccessor>> fields, PayloadVariant variant, FieldSpec field, FieldSpec? parent)
    {
        var domain = field.EnumTable is { } table && field.Kind is FieldKind.Enum or FieldKind.VariantTag ? EnumDomain.Of(table) : null;
        StaticType? type = field.Kind switch
        {
            FieldKind.String or FieldKind.OptionalString or FieldKind.OpenEnum => StaticType.String,
            FieldKind.Double or FieldKind.OptionalDouble or FieldKind.UInt32 or FieldKind.OptionalUInt32 or FieldKind.UInt64 => StaticType.Number,
            FieldKind.Boolean => StaticType.Boolean,
            FieldKind.Enum or FieldKind.VariantTag => StaticType.Enum(domain!),
            _ => null,
        };

        if (type is { } known)
        {
            var path = parent is null ? field.Name : parent.Name + "." + field.Name;
            Add(fields, path, new PayloadAccessor(variant, field, parent, known, domain));
        }
    }

    private static void Add(Dictionary<string, List<PayloadAccessor>> index, string name, PayloadAccessor accessor)
    {
        if (!index.TryGetValue(name, out var list))
        {
            index[name] = list = [];
        }

        list.Add(accessor);
    }
}
