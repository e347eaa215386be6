using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Redaction;
using AnalyticsHub.Hosting;
using AnalyticsHub.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Events.Redaction;

/// <summary>Privacy by default: content not stored unless opted in, identifiers pseudonymised on request (issue 37).</summary>
public sealed class PrivacyTests
{
    internal static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private static ServiceProvider Build(Action<AnalyticsHubOptions>? configure = null, Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleEvents.Now));
        register?.Invoke(services);
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    private static AnalyticsEvent Custom(int id, string json) => SampleEvents.Event(new CustomPayload { CustomType = "chat", Data = JsonDocument.Parse(json).RootElement }) with
    {
        Common = SampleEvents.Event(SampleEvents.Latency).Common with { EventId = new Guid(id, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1) },
    };

    private static AnalyticsEvent WithId(EventPayload payload, int id) => SampleEvents.Event(payload) with
    {
        Common = SampleEvents.Event(payload).Common with { EventId = new Guid(id, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2) },
    };

    private static async Task<AnalyticsEvent> StoredAsync(IAnalyticsHub hub, AnalyticsEvent evt)
    {
        var result = await hub.IngestAsync(evt);
        Assert.Equal(EventItemStatus.Stored, Assert.Single(await result.Completion).Status);
        return (await hub.Events.GetAsync(evt.EventId))!;
    }

    private const string Conversation = """{"prompt":"What is my balance?","messages":[{"role":"user","content":"hi"}],"response":{"text":"42"},"model_temperature":0.2,"note":"kept"}""";

    [Fact]
    public async Task Ingest_ByDefault_ReplacesEveryCatalogedContentValueWithThePlaceholder()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        var stored = await StoredAsync(hub, Custom(1, Conversation));

        var data = ((CustomPayload)stored.Payload).Data;
        Assert.Equal(PrivacyOptions.ContentPlaceholder, data.GetProperty("prompt").GetString());
        Assert.Equal(PrivacyOptions.ContentPlaceholder, data.GetProperty("messages").GetString());
        Assert.Equal(PrivacyOptions.ContentPlaceholder, data.GetProperty("response").GetString());
        Assert.Equal(0.2, data.GetProperty("model_temperature").GetDouble());
        Assert.Equal("kept", data.GetProperty("note").GetString());
        Assert.Equal(3, hub.Statistics.Redactions["content"]);
    }

    [Fact]
    public async Task Ingest_StoreContentOptedIn_StoresTheConversationAsSent()
    {
        await using var provider = Build(o => o.Privacy.StoreContent = true);
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        var stored = await StoredAsync(hub, Custom(2, Conversation));

        var data = ((CustomPayload)stored.Payload).Data;
        Assert.Equal("What is my balance?", data.GetProperty("prompt").GetString());
        Assert.Equal("hi", data.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.False(hub.Statistics.Redactions.ContainsKey("content"));
    }

    [Fact]
    public async Task Ingest_CustomContentKeysAndRedactionOff_StillKeepsContentOut()
    {
        await using var provider = Build(o =>
        {
            o.Redaction.Enabled = false;
            o.Privacy.ContentKeys = ["transcript"];
        });
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        var stored = await StoredAsync(hub, Custom(3, """{"transcript":"secret talk","prompt":"not catalogued here","mail":"a@b.example"}"""));

        var data = ((CustomPayload)stored.Payload).Data;
        Assert.Equal(PrivacyOptions.ContentPlaceholder, data.GetProperty("transcript").GetString());
        Assert.Equal("not catalogued here", data.GetProperty("prompt").GetString());
        Assert.Equal("a@b.example", data.GetProperty("mail").GetString());
    }

    [Fact]
    public async Task DerivedEvents_OfTheHub_AreExemptFromTheContentRule()
    {
        var stage = new ContentEmitter();
        await using var provider = Build(register: s => s.AddSingleton<IIngestionStage>(stage));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        await StoredAsync(hub, WithId(SampleEvents.Latency, 4));
        await hub.FlushAsync();

        var derived = (await hub.Events.GetAsync(stage.EmittedId))!;
        Assert.Equal("the hub's own summary", ((CustomPayload)derived.Payload).Data.GetProperty("response").GetString());
    }

    [Fact]
    public async Task Ingest_PseudonymizationKey_ReplacesIdentifiersWithTheDocumentedKeyedHashJoinableAcrossEvents()
    {
        await using var provider = Build(o => o.Privacy.PseudonymizationKey = Convert.ToBase64String(Key));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var auth = (AuthEvent)SampleEvents.AllPayloads().First(p => p is AuthEvent);
        var violation = (PolicyViolationEvent)SampleEvents.AllPayloads().First(p => p is PolicyViolationEvent);
        var audit = (AuditTrailEvent)SampleEvents.AllPayloads().First(p => p is AuditTrailEvent);

        var login = await StoredAsync(hub, WithId(auth with { UserId = "alice@example.com" }, 5));
        var breach = await StoredAsync(hub, WithId(violation with { UserId = "alice@example.com" }, 6));
        var other = await StoredAsync(hub, WithId(auth with { UserId = "bob" }, 7));
        var change = await StoredAsync(hub, WithId(audit with { IpAddress = "203.0.113.7" }, 8));

        var expected = "anon_" + Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes("alice@example.com"))[..16]);
        Assert.Equal(expected, ((AuthEvent)login.Payload).UserId);
        Assert.Equal(expected, ((PolicyViolationEvent)breach.Payload).UserId);
        Assert.NotEqual(expected, ((AuthEvent)other.Payload).UserId);
        Assert.Matches("^anon_[0-9a-f]{32}$", ((AuditTrailEvent)change.Payload).IpAddress);
        Assert.Equal(4, hub.Statistics.Redactions["pseudonymize"]);
    }

    [Fact]
    public async Task Ingest_NoPseudonymizationKey_LeavesIdentifiersAsSent()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var auth = (AuthEvent)SampleEvents.AllPayloads().First(p => p is AuthEvent);

        var stored = await StoredAsync(hub, WithId(auth with { UserId = "carol" }, 9));

        Assert.Equal("carol", ((AuthEvent)stored.Payload).UserId);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==")]
    public void Options_UnusablePseudonymizationKey_FailsAtStart(string key)
    {
        using var provider = Build(o => o.Privacy.PseudonymizationKey = key);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAnalyticsHub>());

        Assert.Contains("Privacy.PseudonymizationKey must be base64 of at least 32 bytes", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A stage that emits one derived event holding a <c>response</c> key, for the first batch it sees.</summary>
    private sealed class ContentEmitter : IIngestionStage
    {
        public Guid EmittedId { get; } = DerivedEvents.Space("privacy_test").FromName("summary");

        public string Name => "content_emitter";

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            if (batch.Events.Count > 0 && batch.Events[0].SourceModule != SourceModule.LlmAnalyticsHub)
            {
                batch.Emit(new AnalyticsEvent
                {
                    Common = DerivedEvents.Common(batch.Events[0], EmittedId, EventType.Audit, Severity.Info, new Dictionary<string, string>()),
                    Payload = new CustomPayload { CustomType = "summary", Data = JsonDocument.Parse("""{"response":"the hub's own summary"}""").RootElement },
                });
            }

            return ValueTask.CompletedTask;
        }
    }
}
