using System.Text.Json;
using AnalyticsHub.Events;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Events;

public sealed class AnalyticsEventFactoryTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private static readonly TokenUsageMetrics Usage = new()
    {
        ModelId = "gpt-4", RequestId = "r1", PromptTokens = 1, CompletionTokens = 2, TotalTokens = 3,
    };

    [Fact]
    public void Create_WithFakeTimeProvider_StampsTheProvidersTime()
    {
        var time = new FakeTimeProvider(Start);
        var factory = new AnalyticsEventFactory(SourceModule.LlmObservatory, "production", time);

        var first = factory.Create(Usage);
        time.Advance(TimeSpan.FromMilliseconds(1500));
        var second = factory.Create(Usage);

        Assert.Equal(Start, first.Timestamp);
        Assert.Equal(Start.AddMilliseconds(1500), second.Timestamp);
        Assert.Equal(TimeSpan.Zero, second.Timestamp.Offset);
    }

    [Fact]
    public void Create_WithExplicitTimestamp_UsesItInUtc()
    {
        var factory = new AnalyticsEventFactory(SourceModule.LlmObservatory, "production", new FakeTimeProvider(Start));

        var evt = factory.Create(Usage, timestamp: new DateTimeOffset(2024, 1, 1, 2, 0, 0, TimeSpan.FromHours(2)));

        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), evt.Timestamp);
        Assert.Equal(TimeSpan.Zero, evt.Timestamp.Offset);
    }

    [Fact]
    public void Create_FillsTheCommonFields()
    {
        var correlation = Guid.NewGuid();
        var parent = Guid.NewGuid();
        var factory = new AnalyticsEventFactory(SourceModule.LlmSentinel, "staging", new FakeTimeProvider(Start));

        var evt = factory.Create(Usage, Severity.Critical, correlationId: correlation, parentEventId: parent);

        Assert.Equal(SourceModule.LlmSentinel, evt.SourceModule);
        Assert.Equal("staging", evt.Common.Environment);
        Assert.Equal(Severity.Critical, evt.Severity);
        Assert.Equal(correlation, evt.Common.CorrelationId);
        Assert.Equal(parent, evt.Common.ParentEventId);
        Assert.Equal(SchemaVersion.Current, evt.Common.SchemaVersion);
        Assert.Equal(4, evt.EventId.Version);
        Assert.Same(Usage, evt.Payload);
    }

    [Fact]
    public void Create_TwoEvents_GetDistinctIds()
    {
        var factory = new AnalyticsEventFactory(SourceModule.LlmObservatory, "production", new FakeTimeProvider(Start));

        Assert.NotEqual(factory.Create(Usage).EventId, factory.Create(Usage).EventId);
    }

    public static TheoryData<EventPayload, EventType> PayloadsWithTheirEventType => new()
    {
        { Usage, EventType.Telemetry },
        { new AuthEvent { UserId = "u", Action = AuthAction.Login, Resource = "r", Success = true }, EventType.Security },
        { new BudgetAlertEvent { BudgetId = "b", BudgetName = "n", BudgetLimitUsd = 1, CurrentSpendUsd = 1, ThresholdPercent = 100, AlertType = BudgetAlertType.Exceeded }, EventType.Cost },
        { new DataLineageEvent { DataAssetId = "d", Operation = DataOperation.Read }, EventType.Governance },
    };

    [Theory]
    [MemberData(nameof(PayloadsWithTheirEventType))]
    public void Create_WithoutEventType_InfersItFromThePayload(EventPayload payload, EventType expected)
    {
        var factory = new AnalyticsEventFactory(SourceModule.LlmAnalyticsHub, "production", new FakeTimeProvider(Start));

        Assert.Equal(expected, factory.Create(payload).EventType);
        Assert.Equal(expected, AnalyticsEventFactory.DefaultEventType(payload));
    }

    [Fact]
    public void Create_WithExplicitEventType_KeepsIt()
    {
        var factory = new AnalyticsEventFactory(SourceModule.LlmObservatory, "production", new FakeTimeProvider(Start));

        Assert.Equal(EventType.Alert, factory.Create(Usage, eventType: EventType.Alert).EventType);
    }

    [Fact]
    public void Create_CustomPayloadWithoutEventType_ThrowsArgumentException()
    {
        var factory = new AnalyticsEventFactory(SourceModule.LlmAnalyticsHub, "production", new FakeTimeProvider(Start));
        var custom = new CustomPayload { CustomType = "anomaly", Data = JsonDocument.Parse("{}").RootElement };

        var exception = Assert.Throws<ArgumentException>(() => factory.Create(custom));

        Assert.Equal("payload", exception.ParamName);
    }

    [Fact]
    public void Create_CustomPayloadWithEventType_IsAccepted()
    {
        var factory = new AnalyticsEventFactory(SourceModule.LlmAnalyticsHub, "production", new FakeTimeProvider(Start));

        var evt = factory.Create(new CustomPayload { CustomType = "anomaly" }, eventType: EventType.Alert);

        Assert.Equal(EventType.Alert, evt.EventType);
    }

    [Fact]
    public void Create_WithTags_MergesThemOverTheDefaults()
    {
        var factory = new AnalyticsEventFactory(SourceModule.LlmObservatory, "production", new FakeTimeProvider(Start))
        {
            DefaultTags = new Dictionary<string, string> { ["team"] = "search", ["region"] = "eu" },
        };

        var evt = factory.Create(Usage, tags: new Dictionary<string, string> { ["region"] = "us", ["user"] = "u1" });

        Assert.Equal(new Dictionary<string, string> { ["team"] = "search", ["region"] = "us", ["user"] = "u1" }, evt.Common.Tags);
        Assert.Equal(2, factory.DefaultTags.Count);
        Assert.Equal("eu", factory.DefaultTags["region"]);
    }

    [Fact]
    public void Create_WithoutTags_UsesTheDefaults()
    {
        var factory = new AnalyticsEventFactory(SourceModule.LlmObservatory, "production", new FakeTimeProvider(Start))
        {
            DefaultTags = new Dictionary<string, string> { ["team"] = "search" },
        };

        Assert.Equal(new Dictionary<string, string> { ["team"] = "search" }, factory.Create(Usage).Common.Tags);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "search" }, factory.Create(Usage, tags: new Dictionary<string, string>()).Common.Tags);
    }

    [Fact]
    public void Create_WithTagsAndNoDefaults_CopiesTheTags()
    {
        var factory = new AnalyticsEventFactory(SourceModule.LlmObservatory, "production", new FakeTimeProvider(Start));
        var tags = new Dictionary<string, string> { ["a"] = "1" };

        var evt = factory.Create(Usage, tags: tags);
        tags["b"] = "2";

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, evt.Common.Tags);
    }

    [Fact]
    public void Create_NullPayload_ThrowsArgumentNullException()
    {
        var factory = new AnalyticsEventFactory(SourceModule.LlmObservatory, "production", new FakeTimeProvider(Start));

        Assert.Throws<ArgumentNullException>(() => factory.Create(null!));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Constructor_EmptyEnvironment_Throws(string? environment) =>
        Assert.ThrowsAny<ArgumentException>(() => new AnalyticsEventFactory(SourceModule.LlmObservatory, environment!));

    [Fact]
    public void Create_ThenSerializeAndRead_RoundTrips()
    {
        var factory = new AnalyticsEventFactory(SourceModule.LlmCostOps, "production", new FakeTimeProvider(Start.AddTicks(1)));

        var evt = factory.Create(Usage, tags: new Dictionary<string, string> { ["k"] = "<v>" });
        var json = AnalyticsEventJson.Serialize(evt);

        Assert.Contains("\"timestamp\":\"2024-01-15T10:30:00.000000100Z\"", json, StringComparison.Ordinal);
        Assert.Equal(json, AnalyticsEventJson.Serialize(EventJsonAssert.ReadClean(json)));
    }
}
