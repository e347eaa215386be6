using System.Text.Json;
using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Tests.Events;

namespace AnalyticsHub.Tests.Api;

public sealed class ApiJsonTests
{
    private static readonly Guid RequestId = Guid.Parse("11111111-2222-3333-4444-555555555555");
    private static readonly DateTimeOffset At = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly ResponseMetadata Meta = new() { RequestId = RequestId, Timestamp = At };
    private const string MetaJson = """{"request_id":"11111111-2222-3333-4444-555555555555","timestamp":"2026-11-27T12:00:00Z","api_version":"1.0.0"}""";

    private static string Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    [Fact]
    public void ApiResponse_SuccessWithoutData_WritesDataNull()
    {
        var response = ApiResponse.Success().WithMeta(Meta);

        Assert.Equal($$"""{"status":"success","data":null,"meta":{{MetaJson}}}""", Json(response, ApiJsonContext.Canonical.ApiResponseNoContent));
    }

    [Fact]
    public void ApiResponse_Error_LeavesDataOut()
    {
        var error = ApiError.NotFound("No event 7.") with { Timestamp = At };
        var response = ApiResponse.Error<AnalyticsEvent>(error).WithMeta(Meta);

        Assert.Equal(
            $$"""{"status":"error","error":{"code":"not_found","message":"No event 7.","status_code":404,"timestamp":"2026-11-27T12:00:00Z"},"meta":{{MetaJson}}}""",
            Json(response, ApiJsonContext.Canonical.ApiResponseAnalyticsEvent));
    }

    [Fact]
    public void ResponseMetadata_Extra_IsFlattenedIntoMeta()
    {
        var meta = Meta with
        {
            ResponseTimeMs = 12,
            Extra = new Dictionary<string, JsonElement> { ["region"] = JsonDocument.Parse("\"eu\"").RootElement },
        };
        var response = ApiResponse.Success(42ul).WithMeta(meta);

        var json = Json(response, ApiJsonContext.Canonical.ApiResponseUInt64);

        Assert.Equal(
            """{"status":"success","data":42,"meta":{"request_id":"11111111-2222-3333-4444-555555555555","timestamp":"2026-11-27T12:00:00Z","api_version":"1.0.0","response_time_ms":12,"region":"eu"}}""",
            json);
        var back = JsonSerializer.Deserialize(json, ApiJsonContext.Canonical.ApiResponseUInt64)!;
        Assert.Equal("eu", back.Meta.Extra!["region"].GetString());
    }

    [Fact]
    public void ApiResponse_Event_UsesTheEventWireFormat()
    {
        var evt = SampleEvents.Event(SampleEvents.Latency);
        var response = ApiResponse.Success(evt).WithMeta(Meta);

        var json = Json(response, ApiJsonContext.Canonical.ApiResponseAnalyticsEvent);

        Assert.Equal($$"""{"status":"success","data":{{AnalyticsEventJson.Serialize(evt)}},"meta":{{MetaJson}}}""", json);
        Assert.Equal(evt.EventId, JsonSerializer.Deserialize(json, ApiJsonContext.Canonical.ApiResponseAnalyticsEvent)!.Data!.EventId);
    }

    [Fact]
    public void ApiError_FromProblems_FieldErrorsKeyedByPath()
    {
        IReadOnlyList<Problem> problems =
        [
            new(ProblemCodes.NumberOutOfRange, ProblemSeverity.Error, "per_page", "per_page must be between 1 and 1000; got 0."),
            new(ProblemCodes.EmptyValue, ProblemSeverity.Error, "environment", "environment must not be empty."),
            new(ProblemCodes.TokenTotalMismatch, ProblemSeverity.Warning, "payload.data.total_tokens", "ignored"),
            new(ProblemCodes.NumberOutOfRange, ProblemSeverity.Error, "per_page", "second"),
        ];

        var error = ApiError.FromProblems(problems) with { Timestamp = At };

        Assert.Equal(
            """{"code":"validation_error","message":"3 fields are invalid.","status_code":400,"field_errors":{"per_page":["per_page must be between 1 and 1000; got 0.","second"],"environment":["environment must not be empty."]},"timestamp":"2026-11-27T12:00:00Z"}""",
            Json(error, ApiJsonContext.Canonical.ApiError));
    }

    [Fact]
    public void ApiError_Constructors_HaveDecision20CodesAndStatuses()
    {
        var cases = new (ApiError Error, string Code, int Status)[]
        {
            (ApiError.BadRequest("m"), "bad_request", 400),
            (ApiError.ValidationError("m"), "validation_error", 400),
            (ApiError.InvalidCursor("m"), "invalid_cursor", 400),
            (ApiError.Unauthorized("m"), "unauthorized", 401),
            (ApiError.Forbidden("m"), "forbidden", 403),
            (ApiError.NotFound("m"), "not_found", 404),
            (ApiError.Conflict("m"), "conflict", 409),
            (ApiError.PayloadTooLarge("m"), "payload_too_large", 413),
            (ApiError.RateLimited("m"), "rate_limited", 429),
            (ApiError.InternalError("m"), "internal_error", 500),
            (ApiError.ServiceUnavailable("m"), "service_unavailable", 503),
        };

        Assert.All(cases, c => Assert.Equal((c.Code, c.Status), (c.Error.Code, (int)c.Error.StatusCode)));
    }

    [Fact]
    public void ApiError_WithDetails_WritesOnlyPresentMembers()
    {
        var error = ApiError.Conflict("Busy.") with { Timestamp = At };

        var json = Json(error.WithDetails(new ErrorDetails { Suggestions = ["retry"] }), ApiJsonContext.Canonical.ApiError);

        Assert.Equal("""{"code":"conflict","message":"Busy.","status_code":409,"details":{"suggestions":["retry"]},"timestamp":"2026-11-27T12:00:00Z"}""", json);
    }

    [Fact]
    public void PaginatedResponse_EmptyPage_GoldenJson()
    {
        var response = PaginatedResponse.Success<AnalyticsEvent>([], PaginationMetadata.Create(1, 50, 0, "/v1/events?env=prod")) with { Meta = Meta };

        Assert.Equal(
            $$$"""{"status":"success","data":[],"pagination":{"page":1,"per_page":50,"total_items":0,"total_pages":0,"has_next":false,"has_previous":false,"links":{"first":"/v1/events?env=prod&page=1&per_page=50","last":"/v1/events?env=prod&page=1&per_page=50","self_link":"/v1/events?env=prod&page=1&per_page=50"}},"meta":{{{MetaJson}}}}""",
            Json(response, ApiJsonContext.Canonical.PaginatedResponseAnalyticsEvent));
    }

    [Fact]
    public void PaginatedResponse_NextCursor_WrittenLast()
    {
        var response = PaginatedResponse.Success<AnalyticsEvent>([], PaginationMetadata.Create(1, 1, 0), "abc") with { Meta = Meta };

        var json = Json(response, ApiJsonContext.Canonical.PaginatedResponseAnalyticsEvent);

        Assert.EndsWith("""},"next_cursor":"abc"}""", json, StringComparison.Ordinal);
        Assert.DoesNotContain("links", json, StringComparison.Ordinal);
    }

    [Fact]
    public void StreamEvent_Heartbeat_WritesDataNull()
    {
        var frame = new StreamEvent<AnalyticsEvent>
        {
            EventId = RequestId,
            EventType = StreamEventType.Heartbeat,
            Sequence = 7,
            Timestamp = At,
        };

        Assert.Equal(
            """{"event_id":"11111111-2222-3333-4444-555555555555","event_type":"heartbeat","data":null,"sequence":7,"timestamp":"2026-11-27T12:00:00Z"}""",
            Json(frame, ApiJsonContext.Canonical.StreamEventAnalyticsEvent));
    }

    [Fact]
    public void StreamEvent_ErrorFrame_CarriesError()
    {
        var frame = new StreamEvent<AnalyticsEvent>
        {
            EventId = RequestId,
            EventType = StreamEventType.Error,
            Sequence = 3,
            Timestamp = At,
            Error = ApiError.Create(ProblemCodes.StreamGap, 429, "gap") with { Timestamp = At },
        };

        var json = Json(frame, ApiJsonContext.Canonical.StreamEventAnalyticsEvent);

        Assert.Contains("\"event_type\":\"error\",\"data\":null,", json, StringComparison.Ordinal);
        Assert.EndsWith("""  "error":{"code":"stream_gap","message":"gap","status_code":429,"timestamp":"2026-11-27T12:00:00Z"}}""".TrimStart(), json, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchResponse_ItemWithoutId_WritesItemIdNull()
    {
        var batch = BatchResponse.Create<NoContent>(
        [
            new BatchItemResult<NoContent> { Index = 0, Status = ItemStatus.Success },
            new BatchItemResult<NoContent> { Index = 1, ItemId = "b", Status = ItemStatus.Failed, Error = ApiError.BadRequest("bad") with { Timestamp = At } },
        ]) with { BatchId = RequestId };

        Assert.Equal(
            """{"batch_id":"11111111-2222-3333-4444-555555555555","total_items":2,"success_count":1,"failure_count":1,"results":[{"index":0,"item_id":null,"status":"success"},{"index":1,"item_id":"b","status":"failed","error":{"code":"bad_request","message":"bad","status_code":400,"timestamp":"2026-11-27T12:00:00Z"}}],"status":"partial_success"}""",
            Json(batch, ApiJsonContext.Canonical.BatchResponseNoContent));
    }

    [Theory]
    [InlineData(new[] { ItemStatus.Success, ItemStatus.Skipped }, BatchStatus.AllSuccess)]
    [InlineData(new[] { ItemStatus.Failed, ItemStatus.Failed }, BatchStatus.AllFailed)]
    [InlineData(new[] { ItemStatus.Failed, ItemStatus.Success }, BatchStatus.PartialSuccess)]
    [InlineData(new ItemStatus[0], BatchStatus.AllSuccess)]
    public void BatchResponse_Create_ComputesStatus(ItemStatus[] statuses, BatchStatus expected)
    {
        var batch = BatchResponse.Create<NoContent>([.. statuses.Select((s, i) => new BatchItemResult<NoContent> { Index = i, Status = s })]);

        Assert.Equal(expected, batch.Status);
    }

    [Fact]
    public void QueryResult_Defaults_WriteWarningsAndSkipCacheTtl()
    {
        var result = new QueryResult<IReadOnlyList<AnalyticsEvent>>
        {
            QueryId = RequestId,
            Status = QueryStatus.PartialSuccess,
            Metrics = new QueryMetrics { RecordsScanned = 5, RecordsReturned = 1 },
        };

        Assert.Equal(
            """{"query_id":"11111111-2222-3333-4444-555555555555","status":"partial_success","metrics":{"execution_time_ms":0,"records_scanned":5,"records_returned":1,"bytes_processed":0,"from_cache":false},"warnings":[]}""",
            Json(result, ApiJsonContext.Canonical.QueryResultIReadOnlyListAnalyticsEvent));
    }

    [Fact]
    public void PaginationParams_RoundTrip_SortOrderLowercase()
    {
        var json = Json(new PaginationParams { Page = 2, SortOrder = SortOrder.Desc }, ApiJsonContext.Canonical.PaginationParams);

        Assert.Equal("""{"page":2,"per_page":50,"sort_order":"desc"}""", json);
        Assert.Equal(SortOrder.Desc, JsonSerializer.Deserialize(json, ApiJsonContext.Canonical.PaginationParams)!.SortOrder);
    }

    [Theory]
    [InlineData("""{"page":1,"page":2}""")]
    [InlineData("""{"sort_order":1}""")]
    public void PaginationParams_DuplicateKeyOrNumericEnum_Rejected(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ApiJsonContext.Canonical.PaginationParams));
    }

    [Fact]
    public void Canonical_DoesNotEscapeHtml()
    {
        var error = ApiError.BadRequest("<script> & 'é'") with { Timestamp = At };

        Assert.Contains("\"message\":\"<script> & 'é'\"", Json(error, ApiJsonContext.Canonical.ApiError), StringComparison.Ordinal);
    }
}
