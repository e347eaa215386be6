using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Storage;

public sealed class EventQueryTests
{
    private readonly FakeTimeProvider _clock = new(SampleEvents.Now);

    [Fact]
    public void Validate_Defaults_IsValid()
    {
        Assert.Null(new EventQuery().ValidateApi());
        Assert.Equal(SortOrder.Desc, new EventQuery().Order);
        Assert.Equal(50u, new EventQuery().PerPage);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1001u)]
    public void Validate_PerPageOutOfRange_FieldErrorOnPerPage(uint perPage)
    {
        var error = new EventQuery { PerPage = perPage }.ValidateApi(_clock)!;

        Assert.Equal(ProblemCodes.ValidationError, error.Code);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(["per_page"], error.FieldErrors!.Keys);
        Assert.Equal(_clock.GetUtcNow(), error.Timestamp);
    }

    [Theory]
    [InlineData(1u, 1000u, true)]
    [InlineData(10u, 1000u, true)]
    [InlineData(11u, 1000u, false)]
    [InlineData(200u, 50u, true)]
    [InlineData(201u, 50u, false)]
    public void Validate_OffsetDepth_LimitedToTenThousandRows(uint page, uint perPage, bool valid)
    {
        var error = new EventQuery { Page = page, PerPage = perPage }.ValidateApi();

        Assert.Equal(valid, error is null);
        if (!valid)
        {
            Assert.Contains("next_cursor", error!.FieldErrors!["page"][0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_PageZero_FieldErrorOnPage()
    {
        Assert.True(new EventQuery { Page = 0 }.ValidateApi()!.FieldErrors!.ContainsKey("page"));
    }

    [Fact]
    public void Validate_EmptyTimeRange_FieldErrorOnTo()
    {
        var error = new EventQuery { From = SampleEvents.Now, To = SampleEvents.Now }.ValidateApi()!;

        Assert.True(error.FieldErrors!.ContainsKey("to"));
    }

    [Fact]
    public void Validate_SeveralProblems_ListsEachByPath()
    {
        var error = new EventQuery
        {
            SourceModules = [SourceModule.LlmSentinel, (SourceModule)42],
            EventTypes = [],
            Environment = "",
            Subtype = "",
            MinSeverity = (Severity)9,
            PayloadType = (PayloadType)9,
            Tags = new Dictionary<string, string> { [""] = "x" },
        }.ValidateApi()!;

        Assert.Equal(
            new[] { "source_modules[1]", "event_types", "min_severity", "environment", "tags", "payload_type", "subtype" }.Order(),
            error.FieldErrors!.Keys.Order());
        Assert.Contains("llm-observatory", error.FieldErrors["source_modules[1]"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("AAAA")]
    [InlineData("")]
    public void Validate_MalformedCursor_InvalidCursor(string cursor)
    {
        var error = new EventQuery { Cursor = cursor }.ValidateApi()!;

        Assert.Equal(ProblemCodes.InvalidCursor, error.Code);
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void Validate_CursorOfAnotherVersion_InvalidCursor()
    {
        var query = new EventQuery();
        var cursor = EventCursor.Encode(query.Fingerprint(), SampleEvents.Now.UtcTicks, 5);
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(cursor);
        bytes[0] = 2;

        var error = (query with { Cursor = System.Buffers.Text.Base64Url.EncodeToString(bytes) }).ValidateApi()!;

        Assert.Equal(ProblemCodes.InvalidCursor, error.Code);
        Assert.Contains("version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CursorOfAnotherQuery_InvalidCursor()
    {
        var cursor = EventCursor.Encode(new EventQuery { Environment = "prod" }.Fingerprint(), SampleEvents.Now.UtcTicks, 5);

        var error = new EventQuery { Environment = "staging", Cursor = cursor }.ValidateApi()!;

        Assert.Equal(ProblemCodes.InvalidCursor, error.Code);
        Assert.Contains("another query", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CursorWithPageTwo_ValidationErrorOnPage()
    {
        var query = new EventQuery();
        var cursor = EventCursor.Encode(query.Fingerprint(), SampleEvents.Now.UtcTicks, 5);

        var error = (query with { Cursor = cursor, Page = 2 }).ValidateApi()!;

        Assert.Equal(ProblemCodes.ValidationError, error.Code);
        Assert.True(error.FieldErrors!.ContainsKey("page"));
    }

    [Fact]
    public void Fingerprint_SameFiltersInAnotherOrder_AreEqual()
    {
        var a = new EventQuery { SourceModules = [SourceModule.LlmSentinel, SourceModule.LlmRegistry], Tags = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, PerPage = 5 };
        var b = new EventQuery { SourceModules = [SourceModule.LlmRegistry, SourceModule.LlmSentinel], Tags = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }, PerPage = 9 };

        Assert.Equal(a.Fingerprint(), b.Fingerprint());
        Assert.NotEqual(a.Fingerprint(), (a with { Order = SortOrder.Asc }).Fingerprint());
        Assert.NotEqual(a.Fingerprint(), (a with { Tags = new Dictionary<string, string> { ["a"] = "1|b=2" } }).Fingerprint());
    }

    [Fact]
    public void ValidateFilter_IgnoresPaging()
    {
        Assert.Null(new EventQuery { PerPage = 0, Cursor = "junk" }.ValidateFilterApi());
    }
}

/// <summary>A query's problems as the API reports them (how a host answers an invalid query).</summary>
internal static class EventQueryApiErrors
{
    public static ApiError? ValidateApi(this EventQuery query, TimeProvider? clock = null) =>
        query.Validate() is { Count: > 0 } problems ? ApiError.FromProblems(problems, "The event query is invalid.", clock) : null;

    public static ApiError? ValidateFilterApi(this EventQuery query) =>
        query.ValidateFilter() is { Count: > 0 } problems ? ApiError.FromProblems(problems, "The event filter is invalid.") : null;
}
