namespace AnalyticsHub.Events;

/// <summary>
/// Checks an event against every rule of the spec (decisions 3, 4, 7 and 8): event type and payload
/// agree, numbers are finite and in range, required strings are non-empty, the timestamp is not too
/// far in the future, tags are within limits. Returns all problems at once.
/// </summary>
/// <remarks>
/// Errors reject the event; warnings (<see cref="ProblemCodes.SeverityScoreOutOfRange"/>,
/// <see cref="ProblemCodes.TokenTotalMismatch"/>) accept it. The JSON size limit is checked where the
/// bytes are known, by <see cref="EventBatchReader"/>. Thread-safe.
/// </remarks>
public sealed class EventValidator
{
    private const string Data = "payload.data.";

    private readonly EventValidationOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a validator.</summary>
    /// <param name="options">The limits; the defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for the future-skew rule; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public EventValidator(EventValidationOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new EventValidationOptions();
        _options.EnsureValid();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The limits in force.</summary>
    public EventValidationOptions Options => _options;

    /// <summary>Every problem of <paramref name="evt"/>; empty when it is clean.</summary>
    public IReadOnlyList<Problem> Validate(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var sink = default(Sink);
        ValidateCommon(ref sink, evt);
        ValidatePayload(ref sink, evt.Payload);
        return sink.Problems ?? (IReadOnlyList<Problem>)[];
    }

    private void ValidateCommon(ref Sink sink, AnalyticsEvent evt)
    {
        var common = evt.Common;
        if (!SchemaVersion.IsSupported(common.SchemaVersion))
        {
            sink.Error(ProblemCodes.UnsupportedSchemaVersion, "schema_version",
                $"Schema version '{common.SchemaVersion}' is not supported; supported versions: {SchemaVersion.Supported}.");
        }

        if (!Agrees(common.EventType, evt.Payload.PayloadType))
        {
            sink.Error(ProblemCodes.EventTypeMismatch, "event_type",
                $"event_type '{Json.WireEnums.EventType.GetName(common.EventType)}' does not agree with a {Json.WireEnums.PayloadType.GetName(evt.Payload.PayloadType)} payload; "
                + $"use '{Json.WireEnums.PayloadType.GetName(evt.Payload.PayloadType)}', 'alert', 'audit' or 'lifecycle'.");
        }

        Enum("source_module", common.SourceModule, ref sink);
        Enum("event_type", common.EventType, ref sink);
        Enum("severity", common.Severity, ref sink);
        Text(ref sink, "environment", common.Environment);

        // Saturating: a clock near the end of time plus the skew stays representable.
        var now = _timeProvider.GetUtcNow();
        var latest = _options.MaxFutureSkew >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + _options.MaxFutureSkew;
        if (common.Timestamp > latest)
        {
            sink.Error(ProblemCodes.TimestampInFuture, "timestamp",
                $"The timestamp {Json.RfcTimestamp.ToString(common.Timestamp)} is more than {_options.MaxFutureSkew} ahead of the clock.");
        }

        var tags = common.Tags;
        if (tags is null)
        {
            sink.Error(ProblemCodes.NullNotAllowed, "tags", "'tags' may not be null.");
            return;
        }

        if (tags.Count > _options.MaxTags)
        {
            sink.Error(ProblemCodes.TooManyTags, "tags", $"The event has {tags.Count} tags; at most {_options.MaxTags} are allowed.");
        }

        if (tags is Dictionary<string, string> concrete)
        {
            // The common case: enumerate without boxing an enumerator.
            foreach (var (key, value) in concrete)
            {
                CheckTag(ref sink, key, value);
            }
        }
        else
        {
            foreach (var (key, value) in tags)
            {
                CheckTag(ref sink, key, value);
            }
        }
    }

    private void CheckTag(ref Sink sink, string key, string? value)
    {
        if (key.Length == 0 || key.Length > _options.MaxTagKeyLength)
        {
            sink.Error(ProblemCodes.TagKeyInvalid, "tags." + key,
                $"Tag keys must have 1..{_options.MaxTagKeyLength} characters; this one has {key.Length}.");
        }

        if (value is null)
        {
            sink.Error(ProblemCodes.NullNotAllowed, "tags." + key, "Tag values may not be null.");
        }
        else if (value.Length > _options.MaxTagValueLength)
        {
            sink.Error(ProblemCodes.TagValueTooLong, "tags." + key,
                $"Tag values may have at most {_options.MaxTagValueLength} characters; this one has {value.Length}.");
        }
    }

    /// <summary>Decision 3: a module payload needs its own event type or alert/audit/lifecycle; custom takes any.</summary>
    private static bool Agrees(EventType eventType, PayloadType payloadType) =>
        payloadType == PayloadType.Custom
        || eventType is EventType.Alert or EventType.Audit or EventType.Lifecycle
        || (int)eventType == (int)payloadType;

    private static void ValidatePayload(ref Sink sink, EventPayload payload)
    {
        ValidateObject(ref sink, Json.PayloadCatalog.Of(payload).Schema, payload, Data);
        if (payload is ITokenCounts tokens)
        {
            TokenTotal(ref sink, tokens.PromptTokens, tokens.CompletionTokens, tokens.TotalTokens);
        }
    }

    /// <summary>Checks every field of <paramref name="record"/> by its kind and range in the payload catalog.</summary>
    private static void ValidateObject(ref Sink sink, Json.ObjectSchema schema, object record, string prefix)
    {
        foreach (var field in schema.Fields)
        {
            // The common kinds read their value through a typed getter and build the path only for a problem.
            switch (field.Kind)
            {
                case Json.FieldKind.String:
                    var text = field.GetText!(record);
                    if (string.IsNullOrEmpty(text))
                    {
                        Text(ref sink, field.PathUnder(prefix), text);
                    }

                    continue;
                case Json.FieldKind.Double:
                    Number(ref sink, field, prefix, field.GetNumber!(record));
                    continue;
                case Json.FieldKind.OptionalDouble:
                    if (field.GetOptionalNumber!(record) is { } number)
                    {
                        Number(ref sink, field, prefix, number);
                    }

                    continue;
                case Json.FieldKind.UInt32 or Json.FieldKind.OptionalUInt32 or Json.FieldKind.UInt64 or Json.FieldKind.Boolean
                    or Json.FieldKind.OptionalString or Json.FieldKind.VariantTag:
                    continue;
            }

            var slot = field.Get!(record);
            var path = field.PathUnder(prefix);
            switch (field.Kind)
            {
                case Json.FieldKind.Enum when slot.Bits >= (ulong)field.EnumTable!.Names.Length:
                    sink.Error(ProblemCodes.InvalidEnumValue, path, $"{slot.Bits} is not a defined {field.EnumTable.TypeName}.");
                    break;
                case Json.FieldKind.OpenEnum when (int)slot.Bits == field.EnumTable!.Names.Length - 1 && string.IsNullOrEmpty(slot.OptionalString):
                    sink.Error(ProblemCodes.EmptyValue, path, $"An other {field.Name.Replace('_', ' ')} needs a name.");
                    break;
                case Json.FieldKind.StringList:
                    List(ref sink, path, slot.Object as IReadOnlyList<string>);
                    break;
                case Json.FieldKind.DoubleMap:
                    Map(ref sink, path, slot.Object as IReadOnlyDictionary<string, double>);
                    break;
                case Json.FieldKind.UInt64Map or Json.FieldKind.JsonMap when slot.Object is null:
                    sink.Error(ProblemCodes.NullNotAllowed, path, "This map may not be null.");
                    break;
                case Json.FieldKind.OptionalObject when slot.Object is { } nested:
                    ValidateObject(ref sink, field.Nested!, nested, field.NestedPrefixUnder(prefix));
                    break;
                case Json.FieldKind.ObjectList when slot.Object is IReadOnlyList<object> items:
                    for (var i = 0; i < items.Count; i++)
                    {
                        ValidateObject(ref sink, field.Nested!, items[i], $"{path}[{i}].");
                    }

                    break;
            }
        }
    }

    /// <summary>Checks a number against its range; the path is built only when there is a problem.</summary>
    private static void Number(ref Sink sink, Json.FieldSpec field, string prefix, double value)
    {
        var bad = !double.IsFinite(value) || field.Range switch
        {
            Json.NumberRange.NonNegative => value < 0,
            Json.NumberRange.Percent or Json.NumberRange.ScoreOfTen => value < 0 || value > (field.Range == Json.NumberRange.Percent ? 100 : 10),
            _ => false,
        };
        if (bad)
        {
            Number(ref sink, field.PathUnder(prefix), value, field.Range);
        }
    }

    private static void Number(ref Sink sink, string path, double value, Json.NumberRange range)
    {
        if (!Finite(ref sink, path, value))
        {
            return;
        }

        switch (range)
        {
            case Json.NumberRange.NonNegative when value < 0:
                sink.Error(ProblemCodes.NegativeValue, path, $"{value} is negative; this value must be >= 0.");
                break;
            case Json.NumberRange.Percent when value is < 0 or > 100:
                sink.Error(ProblemCodes.PercentOutOfRange, path, $"{value} lies outside 0..100.");
                break;
            case Json.NumberRange.ScoreOfTen when value is < 0 or > 10:
                sink.Warning(ProblemCodes.SeverityScoreOutOfRange, path, $"{path[Data.Length..]} {value} lies outside 0..10.");
                break;
        }
    }

    private static void Text(ref Sink sink, string path, string? value)
    {
        if (value is null)
        {
            sink.Error(ProblemCodes.NullNotAllowed, path, "This field may not be null.");
        }
        else if (value.Length == 0)
        {
            sink.Error(ProblemCodes.EmptyValue, path, "This field may not be empty.");
        }
    }

    private static void List(ref Sink sink, string path, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            sink.Error(ProblemCodes.NullNotAllowed, path, "This list may not be null.");
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null)
            {
                sink.Error(ProblemCodes.NullNotAllowed, $"{path}[{i}]", "List items may not be null.");
            }
        }
    }

    private static void Map(ref Sink sink, string path, IReadOnlyDictionary<string, double>? values)
    {
        if (values is null)
        {
            sink.Error(ProblemCodes.NullNotAllowed, path, "This map may not be null.");
            return;
        }

        foreach (var (key, value) in values)
        {
            if (!double.IsFinite(value))
            {
                Finite(ref sink, path + "." + key, value);
            }
        }
    }

    private static void Enum<TEnum>(string path, TEnum value, ref Sink sink)
        where TEnum : struct, System.Enum
    {
        if (!System.Enum.IsDefined(value))
        {
            sink.Error(ProblemCodes.InvalidEnumValue, path, $"{value} is not a defined {typeof(TEnum).Name}.");
        }
    }

    private static bool Finite(ref Sink sink, string path, double? value)
    {
        if (value is { } number && !double.IsFinite(number))
        {
            sink.Error(ProblemCodes.NonFiniteNumber, path, $"{number} is not a finite number.");
            return false;
        }

        return true;
    }

    private static void TokenTotal(ref Sink sink, uint prompt, uint completion, uint total)
    {
        if ((ulong)prompt + completion != total)
        {
            sink.Warning(ProblemCodes.TokenTotalMismatch, Data + "total_tokens",
                $"total_tokens {total} differs from prompt_tokens + completion_tokens = {(ulong)prompt + completion}.");
        }
    }

    /// <summary>Collects problems, allocating only when there is one.</summary>
    private struct Sink
    {
        public List<Problem>? Problems;

        public void Error(string code, string path, string message) =>
            (Problems ??= []).Add(new Problem(code, ProblemSeverity.Error, path, message));

        public void Warning(string code, string path, string message) =>
            (Problems ??= []).Add(new Problem(code, ProblemSeverity.Warning, path, message));
    }
}
