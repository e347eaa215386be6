namespace AnalyticsHub.Events;

/// <summary>
/// The catalogue of problem codes. Every <see cref="Problem"/> carries one of these; there is no
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

    /// <summary>A batch holds more items than the limit; the item with this index and the rest were not read.</summary>
    public const string TooManyItems = "too_many_items";

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
        (TooManyItems, ProblemSeverity.Error, "A batch holds more items than the limit; this item and the rest were not read."),
    ];

    // Formerly TimeSeriesErrorCodes.

    /// <summary>The measurement is missing or empty.</summary>
    public const string MeasurementRequired = "measurement_required";

    /// <summary>A point's measurement differs from its batch's.</summary>
    public const string MeasurementMismatch = "measurement_mismatch";

    /// <summary>The time range is empty or reversed (end must be after start).</summary>
    public const string InvalidTimeRange = "invalid_time_range";

    /// <summary>A window string cannot be parsed or is out of bounds.</summary>
    public const string InvalidWindow = "invalid_window";

    /// <summary>Aggregations name different windows.</summary>
    public const string ConflictingWindows = "conflicting_windows";

    /// <summary>Both <c>aggregation</c> and <c>aggregations</c> are given.</summary>
    public const string ConflictingAggregations = "conflicting_aggregations";

    /// <summary>A percentile outside 0..100.</summary>
    public const string InvalidPercentile = "invalid_percentile";

    /// <summary>A field or tag name is empty, or a tag key is repeated.</summary>
    public const string InvalidName = "invalid_name";

    /// <summary>A tag condition has the wrong number of values.</summary>
    public const string InvalidTagCondition = "invalid_tag_condition";

    /// <summary>A regular expression does not parse.</summary>
    public const string InvalidRegex = "invalid_regex";

    /// <summary>A fill strategy without aggregation by time window.</summary>
    public const string FillRequiresWindow = "fill_requires_window";

    /// <summary>The query would produce more time buckets than the limit.</summary>
    public const string TooManyBuckets = "too_many_buckets";

    /// <summary>The query would produce more groups than the limit.</summary>
    public const string TooManyGroups = "too_many_groups";

    /// <summary>Too many aggregations, conditions or fields in one query.</summary>
    public const string TooComplex = "too_complex";

    /// <summary>A point has no fields.</summary>
    public const string FieldsRequired = "fields_required";

    /// <summary>A custom tag repeats a known tag's key, or a tag key or value is empty or too long.</summary>
    public const string InvalidTag = "invalid_tag";

    /// <summary>Writing would exceed the distinct values allowed for a tag key of a measurement.</summary>
    public const string TagCardinalityExceeded = "tag_cardinality_exceeded";

    /// <summary>Writing would exceed the series allowed for a measurement.</summary>
    public const string SeriesLimitExceeded = "series_limit_exceeded";

    /// <summary>A point has more fields than allowed, or would give its series more distinct fields than allowed.</summary>
    public const string FieldLimitExceeded = "field_limit_exceeded";

    /// <summary>A rollup resolution is not whole minutes dividing a day, or a bucket start is not aligned to it.</summary>
    public const string InvalidResolution = "invalid_resolution";

    /// <summary>A rollup bucket is malformed (missing sketch, or statistics and sketch disagree on the count).</summary>
    public const string InvalidRollup = "invalid_rollup";

    /// <summary>A retention policy is malformed (see the message).</summary>
    public const string InvalidRetentionPolicy = "invalid_retention_policy";

    /// <summary>A continuous query with this id is already registered.</summary>
    public const string ContinuousQueryExists = "continuous_query_exists";

    /// <summary>A continuous query is malformed (source/destination, window, fields).</summary>
    public const string InvalidContinuousQuery = "invalid_continuous_query";

    // Formerly PriceTableErrorCodes.

    /// <summary>A price is negative or not a number, or a count is out of range.</summary>
    public const string InvalidPrice = "invalid_price";

    /// <summary>A date is not <c>yyyy-MM-dd</c>.</summary>
    public const string InvalidDate = "invalid_date";

    /// <summary>An id is empty or has white space around it.</summary>
    public const string InvalidId = "invalid_id";

    /// <summary>Two rows of one provider name the same model (or alias) with the same effective date.</summary>
    public const string DuplicateModel = "duplicate_model";

    /// <summary>Tiers are not in strictly ascending order of <c>above_prompt_tokens</c>.</summary>
    public const string UnorderedTiers = "unordered_tiers";

    /// <summary>A price-table file cannot be read.</summary>
    public const string FileNotReadable = "file_not_readable";

    // Formerly ExpressionErrorCodes.

    /// <summary>The text is longer than <see cref="Expressions.ExpressionLimits.MaxLength"/>.</summary>
    public const string TooLong = "expression_too_long";

    /// <summary>Parentheses, unary operators, calls or lists nest deeper than <see cref="Expressions.ExpressionLimits.MaxDepth"/>, or the tree is taller than <see cref="Expressions.ExpressionLimits.MaxTreeHeight"/>.</summary>
    public const string TooDeep = "expression_too_deep";

    /// <summary>The text is empty or only whitespace.</summary>
    public const string Empty = "empty_expression";

    /// <summary>A character that starts no token.</summary>
    public const string UnexpectedCharacter = "unexpected_character";

    /// <summary>A token where another was expected.</summary>
    public const string UnexpectedToken = "unexpected_token";

    /// <summary>The text ends where more was expected.</summary>
    public const string UnexpectedEnd = "unexpected_end";

    /// <summary>A string literal without its closing quote.</summary>
    public const string UnterminatedString = "unterminated_string";

    /// <summary>An unknown escape sequence in a string literal.</summary>
    public const string InvalidEscape = "invalid_escape";

    /// <summary>A string literal longer than <see cref="Expressions.ExpressionLimits.MaxStringLength"/>.</summary>
    public const string StringTooLong = "string_too_long";

    /// <summary>A malformed number literal, or one longer than <see cref="Expressions.ExpressionLimits.MaxNumberLength"/> characters.</summary>
    public const string InvalidNumber = "invalid_number";

    /// <summary>A list with more than <see cref="Expressions.ExpressionLimits.MaxListLength"/> items or a call with too many arguments.</summary>
    public const string ListTooLong = "list_too_long";

    /// <summary>A call of a function the language does not have.</summary>
    public const string UnknownFunction = "unknown_function";

    /// <summary>A function called with the wrong number of arguments.</summary>
    public const string WrongArity = "wrong_arity";

    /// <summary>A field path that names no field (of the declared payload kind, when one is given) and no variable.</summary>
    public const string UnknownField = "unknown_field";

    /// <summary>A composite metric that would read itself, directly or through other composite metrics.</summary>
    public const string CompositeCycle = "composite_cycle";

    /// <summary>A payload kind in the compile options that is neither a payload family nor a variant.</summary>
    public const string UnknownPayloadKind = "unknown_payload_kind";

    /// <summary>A string compared with an enum field that is none of the enum's wire names.</summary>
    public const string UnknownEnumValue = "unknown_enum_value";

    /// <summary>Operands whose types can never fit the operator (e.g. a string compared with a number).</summary>
    public const string TypeMismatch = "type_mismatch";

    /// <summary>An ordering comparison (<c>&lt;</c> ...) of values that have no order, such as an unordered enum or booleans.</summary>
    public const string NotOrdered = "not_ordered";

    // Formerly QueryProblemCodes.

    /// <summary>A cursor was given together with a page other than 1; a cursor replaces the page.</summary>
    public const string CursorWithPage = "cursor_with_page";

    // Metadata (docs/metadata.md).

    /// <summary>A metadata document with this id already exists (also when soft-deleted).</summary>
    public const string AlreadyExists = "already_exists";

    /// <summary>A metadata write named an older revision than the stored one; nothing was overwritten.</summary>
    public const string RevisionConflict = "revision_conflict";

    /// <summary>A metadata document is soft-deleted: restore it before changing it.</summary>
    public const string ItemDeleted = "item_deleted";

    /// <summary>A restore of a metadata document that is not deleted.</summary>
    public const string ItemNotDeleted = "item_not_deleted";

    /// <summary>An asset written with the status <c>deleted</c>, which only a delete sets.</summary>
    public const string InvalidStatus = "invalid_status";

    /// <summary>A policy scope that cannot apply: targets on a global scope, none on another, or a global exclusion without its key.</summary>
    public const string InvalidScope = "invalid_scope";

    /// <summary>Two items of one list share an id or name (widgets, saved queries, template variables, schema fields, dependencies).</summary>
    public const string DuplicateId = "duplicate_id";

    /// <summary>A URL is not an absolute http or https URL.</summary>
    public const string InvalidUrl = "invalid_url";

    /// <summary>An e-mail destination has no <c>@</c> between a local part and a domain.</summary>
    public const string InvalidEmail = "invalid_email";

    /// <summary>A currency is not a three-letter ISO 4217 code.</summary>
    public const string InvalidCurrency = "invalid_currency";

    /// <summary>A billing unit is not <c>token</c>, <c>1k_tokens</c> or <c>1m_tokens</c>.</summary>
    public const string InvalidBillingUnit = "invalid_billing_unit";

    /// <summary>Warning: a model's prices are kept but do not feed the hub's USD price table (another currency, or a draft).</summary>
    public const string PriceNotApplied = "price_not_applied";

    /// <summary>Warning: the asset-specific metadata does not fit the asset type (e.g. dataset metadata on a model).</summary>
    public const string MetadataTypeMismatch = "metadata_type_mismatch";

    /// <summary>Warning: a prompt template uses a <c>{{variable}}</c> it does not declare.</summary>
    public const string UndeclaredVariable = "undeclared_variable";

    /// <summary>A grid widget reaches beyond the layout's columns, or has no width or height.</summary>
    public const string WidgetOutOfBounds = "widget_out_of_bounds";

    /// <summary>Two widgets of a grid layout cover the same cell.</summary>
    public const string WidgetsOverlap = "widgets_overlap";

    /// <summary>A widget's or saved query's query is not the JSON of a query of its source type.</summary>
    public const string InvalidQuery = "invalid_query";

    /// <summary>A query names a measurement the hub does not write and the host did not declare.</summary>
    public const string UnknownMeasurement = "unknown_measurement";

    /// <summary>A dashboard is shared with nobody, or private with a share list.</summary>
    public const string InvalidVisibility = "invalid_visibility";

    /// <summary>An axis minimum is not below its maximum.</summary>
    public const string InvalidAxisRange = "invalid_axis_range";

    /// <summary>A time zone is not an IANA id the system knows.</summary>
    public const string InvalidTimezone = "invalid_timezone";

    /// <summary>A list filter key that the kind does not index.</summary>
    public const string UnknownFilter = "unknown_filter";

    // Formerly ApiErrorCodes.

    /// <summary><c>bad_request</c> (400): the request cannot be understood.</summary>
    public const string BadRequest = "bad_request";

    /// <summary><c>validation_error</c> (400): arguments are wrong; <c>field_errors</c> says which, keyed by path.</summary>
    public const string ValidationError = "validation_error";

    /// <summary><c>invalid_cursor</c> (400): a paging cursor is malformed, of another version, or made by another query.</summary>
    public const string InvalidCursor = "invalid_cursor";

    /// <summary><c>unauthorized</c> (401): no valid credentials.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary><c>forbidden</c> (403): the credentials do not allow this.</summary>
    public const string Forbidden = "forbidden";

    /// <summary><c>not_found</c> (404): no such resource.</summary>
    public const string NotFound = "not_found";

    /// <summary><c>conflict</c> (409): the request conflicts with the current state.</summary>
    public const string Conflict = "conflict";

    /// <summary><c>duplicate_event</c> (409): an event with this id is already stored.</summary>
    public const string DuplicateEvent = "duplicate_event";

    /// <summary><c>payload_too_large</c> (413): the request body exceeds a limit.</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary><c>rate_limited</c> (429): too many requests.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary><c>stream_gap</c> (429): a slow subscriber's buffer overflowed; the details name the missed sequences.</summary>
    public const string StreamGap = "stream_gap";

    /// <summary><c>internal_error</c> (500): a bug or an unexpected failure.</summary>
    public const string InternalError = "internal_error";

    /// <summary><c>service_unavailable</c> (503): try again later.</summary>
    public const string ServiceUnavailable = "service_unavailable";
}
