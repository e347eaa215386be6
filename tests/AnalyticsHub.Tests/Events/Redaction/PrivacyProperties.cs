using AnalyticsHub.Events.Redaction;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Events.Redaction;

/// <summary>The pseudonym's laws: joinable (a function of the value), distinct values apart, keyed, in the documented format.</summary>
public sealed class PrivacyProperties
{
    private static readonly byte[] OtherKey = [.. PrivacyTests.Key.Select(b => (byte)(b ^ 0x5A))];

    [Property(MaxTest = 300)]
    public Property Pseudonym_IsAFunctionOfValueAndKey_InTheDocumentedFormat(NonNull<string> value)
    {
        var first = EventRedactor.Pseudonym(PrivacyTests.Key, value.Get);
        var again = EventRedactor.Pseudonym(PrivacyTests.Key, value.Get);
        var keyed = EventRedactor.Pseudonym(OtherKey, value.Get);
        return (first == again
                && first != keyed
                && first.Length == PrivacyOptions.PseudonymPrefix.Length + (2 * PrivacyOptions.PseudonymBytes)
                && first.StartsWith(PrivacyOptions.PseudonymPrefix, StringComparison.Ordinal)
                && first[PrivacyOptions.PseudonymPrefix.Length..].All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)))
            .ToProperty();
    }

    [Property(MaxTest = 300)]
    public Property Pseudonym_OfDistinctValues_Differ(NonNull<string> a, NonNull<string> b) =>
        (a.Get == b.Get || EventRedactor.Pseudonym(PrivacyTests.Key, a.Get) != EventRedactor.Pseudonym(PrivacyTests.Key, b.Get)).ToProperty();
}
