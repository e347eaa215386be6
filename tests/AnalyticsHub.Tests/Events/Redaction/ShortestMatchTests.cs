using System.Text.RegularExpressions;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Redaction;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Events.Redaction;

/// <summary>
/// The shortest match a built-in rule's pattern can have (<see cref="RedactionRule.ShortestMatchOf"/>), by which the
/// redactor skips shorter text before the hint's search and the pattern: no shorter text matches, and text of exactly
/// that length can, so the bound is the shortest match itself.
/// </summary>
public class ShortestMatchTests
{
    // Each built-in rule with a text of exactly its shortest match's length that its pattern matches.
    public static TheoryData<string, string> ShortestMatches => new()
    {
        { "email", "a@b.cc" },
        { "api_key", "xoxb-1234567890" },
        { "jwt", "eyJabcdefgh.eyJabcdefgh." },
        { "bearer_token", "Bearer abcdefgh" },
        { "credit_card", "4111111111111" },
        { "ip_address", "1.2.3.4" },
    };

    // Pieces of the built-in patterns' matches (and near misses), put together in any order: the texts the property
    // cuts into windows shorter than each rule's shortest match.
    private static readonly Gen<string> PatternLikeText =
        Gen.Choose(0, 10).SelectMany(n => Gen.ArrayOf(Gen.Elements(
            "a", "@", "b.cc", ".", "xoxb-", "sk-", "sk-proj-", "AKIA", "ghp_", "apikey", "api-key=", "=", ":", " ", "-", "_",
            "eyJ", "abcdefgh", "Bearer ", "bearer\t", "4111", "1", "0", "255.", "1.2.3.4", "fe80:", "1234567890"), n))
            .Select(string.Concat);

    private static AnalyticsEvent WithTags(Dictionary<string, string> tags)
    {
        var evt = SampleEvents.Event(SampleEvents.Latency);
        return evt with { Common = evt.Common with { Tags = tags } };
    }

    [Theory]
    [MemberData(nameof(ShortestMatches))]
    public void ShortestMatchOf_BuiltInRule_IsTheLengthOfAMatch(string rule, string shortest)
    {
        var builtIn = RedactionRule.BuiltIn(rule)!;

        Assert.Equal(shortest.Length, RedactionRule.ShortestMatchOf(builtIn.Pattern));
        Assert.Matches(builtIn.Pattern!, shortest);
    }

    [Property(MaxTest = 100)]
    public Property ShortestMatchOf_NoShorterTextMatches() =>
        Prop.ForAll(PatternLikeText.ToArbitrary(), text =>
        {
            foreach (var (rule, _) in ShortestMatches.Select(row => ((string)row[0], (string)row[1])))
            {
                var pattern = RedactionRule.BuiltIn(rule)!.Pattern!;
                var shortest = RedactionRule.ShortestMatchOf(pattern);
                for (var start = 0; start < text.Length; start++)
                {
                    for (var length = 1; length < shortest && start + length <= text.Length; length++)
                    {
                        if (pattern.IsMatch(text.AsSpan(start, length)))
                        {
                            return false.Label($"{rule} matches '{text.Substring(start, length)}'");
                        }
                    }
                }
            }

            return true.ToProperty();
        });

    [Fact]
    public void ShortestMatchOf_RuleCopiedWithAnotherPattern_IsUnknown()
    {
        var copied = RedactionRule.CreditCard with { Name = "short_numbers", Pattern = new Regex(@"\d{4}") };

        Assert.Equal(0, RedactionRule.ShortestMatchOf(copied.Pattern));
        Assert.Equal(0, RedactionRule.ShortestMatchOf(null));
    }

    [Fact]
    public void Redact_RuleCopiedWithAShorterPattern_StillRedactsShortText()
    {
        // The copy keeps the card rule's hint (any digit) but not its 13-character bound: four digits are redacted.
        var redactor = new EventRedactor([RedactionRule.CreditCard with { Name = "pin", Pattern = new Regex(@"\b\d{4}\b"), Verify = null }]);
        var evt = WithTags(new() { ["pin"] = "1234" });

        var redacted = redactor.Redact(evt);

        Assert.Equal("[REDACTED:pin]", redacted.Common.Tags["pin"]);
    }

    [Theory]
    [InlineData("4111 1111 111", "4111 1111 111")]
    [InlineData("4111 1111 1111 1111", "[REDACTED:credit_card]")]
    [InlineData("xoxb-123456789", "xoxb-123456789")]
    [InlineData("xoxb-1234567890", "[REDACTED:api_key]")]
    public void Redact_DefaultRules_TextAroundTheShortestMatch(string value, string expected)
    {
        var redactor = new EventRedactor(RedactionRule.Defaults);
        var evt = WithTags(new() { ["note"] = value });

        Assert.Equal(expected, redactor.Redact(evt).Common.Tags["note"]);
    }
}
