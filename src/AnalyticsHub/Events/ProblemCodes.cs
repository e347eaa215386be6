namespace AnalyticsHub.Events;

/// <summary>
/// The catalogue of problem codes. Every <see cref="EventProblem"/> carries one of these; there is no
/// catch-all code. Documented in <c>docs/events.md</c>.
/// </summary>
public static class ProblemCodes
{
    /// <summary>The input is empty or only white space.</summary>
    public const string EmptyInput = "empty_input";

    /// <summary>The input is not well-formed JSON (truncated, stray characters, bad literal, too deeply nested).</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>The input is not valid UTF-8, or a string escapes an unpaired surrogate.</summary>
    public const string InvalidUtf8 = "invalid_utf8";

    /// <summary>A value has the wrong JSON type, e.g. a number where a string belongs, or an enum given as a number.</summary>
    public const string InvalidType = "invalid_type";

    /// <summary>A required field is absent.</summary>
    public const string MissingField = "missing_field";

    /// <summary>A field that may not be null is <c>null</c>.</summary>
    public const string NullNotAllowed = "null_not_allowed";

    /// <summary>An object has the same key twice.</summary>
    public const string DuplicateKey = "duplicate_key";

    /// <summary>A string is not one of an enum's values (or a payload tag's variants); the message lists them.</summary>
    public const string InvalidEnumValue = "invalid_enum_value";

    /// <summary>A timestamp is not RFC 3339 with a zone (<c>Z</c> or an offset).</summary>
    public const string InvalidTimestamp = "invalid_timestamp";

    /// <summary>A UUID is not in the hyphenated 8-4-4-4-12 form.</summary>
    public const string InvalidUuid = "invalid_uuid";

    /// <summary>An integer field holds a fraction or an exponent.</summary>
    public const string NotAnInteger = "not_an_integer";

    /// <summary>A number does not fit its field: negative into an unsigned field, too large, or not finite.</summary>
    public const string NumberOutOfRange = "number_out_of_range";

    /// <summary><c>schema_version</c> is not a supported <c>1.x.y</c> version.</summary>
    public const string UnsupportedSchemaVersion = "unsupported_schema_version";

    /// <summary>The <c>event_type</c> does not agree with the payload (spec decision 3).</summary>
    public const string EventTypeMismatch = "event_type_mismatch";

    /// <summary>A number is NaN or infinite (only possible for events built in code).</summary>
    public const string NonFiniteNumber = "non_finite_number";

    /// <summary>A count, latency, token count or cost is negative.</summary>
    public const string NegativeValue = "negative_value";

    /// <summary>A percentage that must lie in 0..100 does not.</summary>
    public const string PercentOutOfRange = "percent_out_of_range";

    /// <summary>Warning: <c>severity_score</c> lies outside 0..10.</summary>
    public const string SeverityScoreOutOfRange = "severity_score_out_of_range";

    /// <summary>Warning: <c>total_tokens</c> differs from <c>prompt_tokens + completion_tokens</c>.</summary>
    public const string TokenTotalMismatch = "token_total_mismatch";

    /// <summary>A required string is empty.</summary>
    public const string EmptyValue = "empty_value";

    /// <summary>The timestamp lies further in the future than the allowed clock skew.</summary>
    public const string TimestampInFuture = "timestamp_in_future";

    /// <summary>The event's JSON is larger than the size limit.</summary>
    public const string EventTooLarge = "event_too_large";

    /// <summary>The event has more tags than the limit.</summary>
    public const string TooManyTags = "too_many_tags";

    /// <summary>A tag key is empty or longer than the limit.</summary>
    public const string TagKeyInvalid = "tag_key_invalid";

    /// <summary>A tag value is longer than the limit.</summary>
    public const string TagValueTooLong = "tag_value_too_long";

    /// <summary>Every code with its default severity and meaning, in the order of the documentation.</summary>
    public static IReadOnlyList<(string Code, ProblemSeverity Severity, string Meaning)> Catalogue { get; } =
    [
        (EmptyInput, ProblemSeverity.Error, "The input is empty or only white space."),
        (InvalidJson, ProblemSeverity.Error, "The input is not well-formed JSON."),
        (InvalidUtf8, ProblemSeverity.Error, "The input is not valid UTF-8, or a string escapes an unpaired surrogate."),
        (InvalidType, ProblemSeverity.Error, "A value has the wrong JSON type."),
        (MissingField, ProblemSeverity.Error, "A required field is absent."),
        (NullNotAllowed, ProblemSeverity.Error, "A field that may not be null is null."),
        (DuplicateKey, ProblemSeverity.Error, "An object has the same key twice."),
        (InvalidEnumValue, ProblemSeverity.Error, "A string is not one of the allowed values."),
        (InvalidTimestamp, ProblemSeverity.Error, "A timestamp is not RFC 3339 with a zone."),
        (InvalidUuid, ProblemSeverity.Error, "A UUID is not in the hyphenated form."),
        (NotAnInteger, ProblemSeverity.Error, "An integer field holds a fraction or an exponent."),
        (NumberOutOfRange, ProblemSeverity.Error, "A number does not fit its field."),
        (UnsupportedSchemaVersion, ProblemSeverity.Error, "schema_version is not 1.x.y."),
        (EventTypeMismatch, ProblemSeverity.Error, "event_type does not agree with the payload."),
        (NonFiniteNumber, ProblemSeverity.Error, "A number is NaN or infinite."),
        (NegativeValue, ProblemSeverity.Error, "A count, latency, token count or cost is negative."),
        (PercentOutOfRange, ProblemSeverity.Error, "A percentage that must lie in 0..100 does not."),
        (SeverityScoreOutOfRange, ProblemSeverity.Warning, "severity_score lies outside 0..10."),
        (TokenTotalMismatch, ProblemSeverity.Warning, "total_tokens differs from prompt_tokens + completion_tokens."),
        (EmptyValue, ProblemSeverity.Error, "A required string is empty."),
        (TimestampInFuture, ProblemSeverity.Error, "The timestamp is beyond the allowed future skew."),
        (EventTooLarge, ProblemSeverity.Error, "The event's JSON is larger than the size limit."),
        (TooManyTags, ProblemSeverity.Error, "The event has more tags than the limit."),
        (TagKeyInvalid, ProblemSeverity.Error, "A tag key is empty or longer than the limit."),
        (TagValueTooLong, ProblemSeverity.Error, "A tag value is longer than the limit."),
    ];
}
