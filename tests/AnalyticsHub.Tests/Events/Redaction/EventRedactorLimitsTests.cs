using System.Text;
using System.Text.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Redaction;

namespace AnalyticsHub.Tests.Events.Redaction;

/// <summary>Provider key shapes, and redaction whose cost grows with the text, not with the square of its matches (issue 37).</summary>
public sealed class EventRedactorLimitsTests
{
    private readonly EventRedactor _redactor = new(RedactionRule.Defaults);

    private static AnalyticsEvent Note(string text) =>
        SampleEvents.Event(SampleEvents.Latency) with { Common = SampleEvents.Event(SampleEvents.Latency).Common with { Tags = new Dictionary<string, string> { ["note"] = text } } };

    private static AnalyticsEvent CustomWithKeys(int count)
    {
        var json = new StringBuilder("{");
        for (var i = 0; i < count; i++)
        {
            json.Append(i == 0 ? "" : ",").Append("\"u").Append(i).Append("@x.io\":").Append(i);
        }

        return SampleEvents.Event(new CustomPayload { CustomType = "contacts", Data = JsonDocument.Parse(json.Append('}').ToString()).RootElement });
    }

    [Theory]
    [InlineData("aws AKIAIOSFODNN7EXAMPLE used", "aws [REDACTED:api_key] used")]
    [InlineData("temp ASIAY34FZKBOKMUTVV7A", "temp [REDACTED:api_key]")]
    [InlineData("openai sk-proj-abcdefghijklmnopqrstuvwx1234", "openai [REDACTED:api_key]")]
    [InlineData("anthropic sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789", "anthropic [REDACTED:api_key]")]
    [InlineData("google AIzaSyA1234567890abcdefghijklmnopqrstuv", "google [REDACTED:api_key]")]
    [InlineData("gh ghp_abcdefghijklmnopqrstuvwxyz0123456789", "gh [REDACTED:api_key]")]
    [InlineData("pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "pat [REDACTED:api_key]")]
    [InlineData("api-key: 0123456789abcdef0123456789abcdef", "api-key: [REDACTED:api_key]")]
    [InlineData("Ocp-Apim-Subscription-Key=\"0123456789ABCDEF0123456789ABCDEF\"", "Ocp-Apim-Subscription-Key=\"[REDACTED:api_key]\"")]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "jwt [REDACTED:jwt]")]
    public void Redact_ProviderKeyShapes_AreMasked(string text, string expected) =>
        Assert.Equal(expected, _redactor.Redact(Note(text)).Common.Tags["note"]);

    [Theory]
    [InlineData("trace 4bf92f3577b34da6a3ce929d0e0e4736")]
    [InlineData("request 0123456789abcdef0123456789abcdef done")]
    [InlineData("AKIA is a prefix")]
    [InlineData("sketch")]
    public void Redact_IdsThatLookLikeKeys_Survive(string text) =>
        Assert.Equal(text, _redactor.Redact(Note(text)).Common.Tags["note"]);

    [Fact]
    public void Redact_TextThatMakesABacktrackingMatchSlow_IsLeftAloneWhateverTheTiming()
    {
        // No e-mail here, but a backtracking engine needs quadratic time to be sure; with a wall-clock limit, a slow
        // match (or, under load, a thread paused mid-match on an ordinary value such as "gemini-1.5-pro") masked the
        // whole value, so what was stored depended on timing.
        var half = string.Concat(Enumerable.Repeat("a.", 10_000));
        var text = half + "a@" + half + "a";

        var redacted = _redactor.Redact(Note(text));

        Assert.Equal(text, redacted.Common.Tags["note"]);
    }

    [Fact]
    public void BuiltInRules_RunInLinearTimeWithoutAClock()
    {
        foreach (var rule in new[] { RedactionRule.Email, RedactionRule.ApiKey, RedactionRule.Jwt, RedactionRule.BearerToken, RedactionRule.CreditCard, RedactionRule.IpAddress })
        {
            Assert.True(rule.Pattern!.Options.HasFlag(System.Text.RegularExpressions.RegexOptions.NonBacktracking), rule.Name);
            Assert.Equal(System.Text.RegularExpressions.Regex.InfiniteMatchTimeout, rule.Pattern.MatchTimeout);
        }
    }

    [Fact]
    public void CustomPattern_ThatNeedsBacktracking_StillWorks()
    {
        var options = new RedactionOptions { BuiltInRules = [], Rules = [new RedactionRuleOptions { Name = "pin", Pattern = @"(?<=pin=)\d{4}" }] };
        var problems = new List<string>();
        var redactor = new EventRedactor(options.Build(problems));

        Assert.Empty(problems);
        Assert.Equal("pin=[REDACTED:pin] and 1234", redactor.Redact(Note("pin=1234 and 1234")).Common.Tags["note"]);
    }

    [Fact]
    public void Redact_ThousandsOfRedactedKeysInOneObject_CostsLinearAllocationAndKeepsThemApart()
    {
        var allocations = new List<long>();
        foreach (var count in new[] { 2_000, 4_000 })
        {
            var evt = CustomWithKeys(count);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var redacted = _redactor.Redact(evt);
            allocations.Add(GC.GetAllocatedBytesForCurrentThread() - before);

            var data = ((CustomPayload)redacted.Payload).Data;
            var names = data.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(count, names.Count);
            Assert.Equal(count, names.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal("[REDACTED:email]", names[0]);
            Assert.Equal("[REDACTED:email]#" + count, names[^1]);
            Assert.Equal(count - 1, data.GetProperty("[REDACTED:email]#" + count).GetInt32());
        }

        // Doubling the matches at most (about) doubles the work; quadratic renaming would quadruple it.
        Assert.InRange((double)allocations[1] / allocations[0], 1.5, 2.6);
    }
}
