using System.Text.Json;
using System.Text.RegularExpressions;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Redaction;
using AnalyticsHub.Hosting;
using AnalyticsHub.Tests.Events;

namespace AnalyticsHub.Tests.Events.Redaction;

public class EventRedactorTests
{
    private readonly EventRedactor _redactor = new(RedactionRule.Defaults);

    private static AnalyticsEvent WithTags(AnalyticsEvent evt, Dictionary<string, string> tags) =>
        evt with { Common = evt.Common with { Tags = tags } };

    [Fact]
    public void Redact_CleanEvent_ReturnsTheSameInstance()
    {
        foreach (var payload in SampleEvents.AllPayloads())
        {
            var evt = SampleEvents.Event(payload);
            Assert.Same(evt, _redactor.Redact(evt));
        }

        Assert.All(_redactor.Counts.Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public void Redact_EmailInTagValue_MasksOnlyTheAddress()
    {
        var evt = WithTags(SampleEvents.Event(SampleEvents.Latency), new() { ["owner"] = "contact jane.doe@example.com today", ["team"] = "ml" });

        var redacted = _redactor.Redact(evt);

        Assert.Equal("contact [REDACTED:email] today", redacted.Common.Tags["owner"]);
        Assert.Equal("ml", redacted.Common.Tags["team"]);
        Assert.Equal(evt.EventId, redacted.EventId);
        Assert.Equal(1, _redactor.Counts["email"]);
    }

    [Fact]
    public void Redact_SecretsInFreeTextFields_AreMasked()
    {
        var threat = new ThreatEvent
        {
            ThreatId = "t1", ThreatType = ThreatType.DataExfiltration, ThreatLevel = ThreatLevel.Critical, TargetResource = "chat",
            AttackVector = "header Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def",
            MitigationStatus = MitigationStatus.Detected,
            IndicatorsOfCompromise = ["key sk-proj-abcdefghijklmnopqrstuvwx used", "card 4111 1111 1111 1111"],
        };

        var redacted = (ThreatEvent)_redactor.Redact(SampleEvents.Event(threat)).Payload;

        Assert.Equal("header Authorization: [REDACTED:bearer_token]", redacted.AttackVector);
        Assert.Equal("key [REDACTED:api_key] used", redacted.IndicatorsOfCompromise[0]);
        Assert.Equal("card [REDACTED:credit_card]", redacted.IndicatorsOfCompromise[1]);
    }

    [Fact]
    public void Redact_NumberFailingLuhn_IsLeftAlone()
    {
        var evt = WithTags(SampleEvents.Event(SampleEvents.Latency), new() { ["order"] = "4111 1111 1111 1112" });
        Assert.Same(evt, _redactor.Redact(evt));
    }

    [Fact]
    public void Redact_EmailInsideCustomJsonAndAuditChanges_IsMaskedAtDepth()
    {
        var custom = new CustomPayload
        {
            CustomType = "note",
            Data = JsonDocument.Parse("""{"who":{"emails":["a@b.io", 3, {"x":"c@d.org"}]},"n":1}""").RootElement,
        };
        var audit = new AuditTrailEvent
        {
            Action = "config_change", Actor = "ci", ResourceType = "model", ResourceId = "m",
            Changes = new Dictionary<string, JsonElement> { ["owner"] = JsonDocument.Parse("\"ops@corp.example\"").RootElement },
        };

        var redactedCustom = (CustomPayload)_redactor.Redact(SampleEvents.Event(custom)).Payload;
        var redactedAudit = (AuditTrailEvent)_redactor.Redact(SampleEvents.Event(audit)).Payload;

        Assert.Equal("""{"who":{"emails":["[REDACTED:email]",3,{"x":"[REDACTED:email]"}]},"n":1}""", redactedCustom.Data.GetRawText());
        Assert.Equal("[REDACTED:email]", redactedAudit.Changes["owner"].GetString());
    }

    [Fact]
    public void Redact_StructuredSecurityFields_AreExemptUnlessNamed()
    {
        var auth = new AuthEvent { UserId = "jane@example.com", Action = AuthAction.Login, Resource = "api", Success = false, FailureReason = "jane@example.com locked" };
        var redacted = (AuthEvent)_redactor.Redact(SampleEvents.Event(auth)).Payload;
        Assert.Equal("jane@example.com", redacted.UserId);
        Assert.Equal("[REDACTED:email] locked", redacted.FailureReason);

        var naming = new EventRedactor([RedactionRule.Email with { Paths = ["payload.data.user_id"] }]);
        var named = (AuthEvent)naming.Redact(SampleEvents.Event(auth)).Payload;
        Assert.Equal("[REDACTED:email]", named.UserId);
        Assert.Equal("jane@example.com locked", named.FailureReason);
    }

    [Fact]
    public void Redact_IpRule_MasksFreeTextButNotSourceIp()
    {
        var redactor = new EventRedactor([RedactionRule.IpAddress]);
        var threat = new ThreatEvent
        {
            ThreatId = "t", ThreatType = ThreatType.UnauthorizedAccess, ThreatLevel = ThreatLevel.Low, SourceIp = "203.0.113.9",
            TargetResource = "r", AttackVector = "from 198.51.100.7 via proxy", MitigationStatus = MitigationStatus.Blocked,
        };

        var redacted = (ThreatEvent)redactor.Redact(SampleEvents.Event(threat)).Payload;

        Assert.Equal("203.0.113.9", redacted.SourceIp);
        Assert.Equal("from [REDACTED:ip_address] via proxy", redacted.AttackVector);
    }

    [Fact]
    public void Redact_DropRuleOnTag_RemovesTheTag()
    {
        var redactor = new EventRedactor([RedactionRule.Email with { Action = RedactionAction.Drop }]);
        var evt = WithTags(SampleEvents.Event(SampleEvents.Latency), new() { ["user"] = "x y@z.com", ["team"] = "ml" });

        var redacted = redactor.Redact(evt);

        Assert.False(redacted.Common.Tags.ContainsKey("user"));
        Assert.Equal("ml", redacted.Common.Tags["team"]);
    }

    [Fact]
    public void Redact_NamedPathWithoutPattern_ReplacesTheWholeValue()
    {
        var redactor = new EventRedactor([new RedactionRule { Name = "customer", Paths = ["tags.customer", "payload.data.request_id"], Replacement = "***" }]);
        var evt = WithTags(SampleEvents.Event(SampleEvents.Latency), new() { ["customer"] = "ACME Corp" });

        var redacted = redactor.Redact(evt);

        Assert.Equal("***", redacted.Common.Tags["customer"]);
        Assert.Equal("***", ((LatencyMetrics)redacted.Payload).RequestId);
        Assert.Equal(2, redactor.Counts["customer"]);
    }

    [Fact]
    public void Redact_TwoRulesOnOneValue_ApplyBoth()
    {
        var evt = WithTags(SampleEvents.Event(SampleEvents.Latency), new() { ["note"] = "a@b.com and Bearer abcdefghijkl" });

        var redacted = _redactor.Redact(evt);

        Assert.Equal("[REDACTED:email] and [REDACTED:bearer_token]", redacted.Common.Tags["note"]);
        Assert.Equal(1, _redactor.Counts["email"]);
        Assert.Equal(1, _redactor.Counts["bearer_token"]);
    }

    [Fact]
    public void Constructor_InvalidRules_ListsEveryProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => new EventRedactor(
        [
            new RedactionRule { Name = "" , Pattern = new Regex("x") },
            new RedactionRule { Name = "nothing" },
            RedactionRule.Email,
            RedactionRule.Email,
        ]));

        Assert.Contains("needs a name", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'nothing' needs a pattern", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unique", ex.Message, StringComparison.Ordinal);
    }
}
