using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Xunit.Sdk;

namespace AnalyticsHub.Tests.Events;

/// <summary>
/// Structural comparison of JSON documents: keys in any order, numbers by value (integers exactly,
/// beyond 2^53 too), RFC 3339 timestamps as instants. Key sets must match exactly, so a skipped
/// optional written as <c>null</c> (or the other way round) is a difference.
/// </summary>
internal static class JsonTree
{
    /// <summary>Fails with the path of the first difference unless the two documents are equivalent.</summary>
    public static void AssertEquivalent(string expected, string actual)
    {
        using var expectedDoc = JsonDocument.Parse(expected);
        using var actualDoc = JsonDocument.Parse(actual);
        var difference = FindDifference(expectedDoc.RootElement, actualDoc.RootElement, "$");
        if (difference is not null)
        {
            throw new XunitException($"JSON differs at {difference}.{Environment.NewLine}Expected: {expected}{Environment.NewLine}Actual:   {actual}");
        }
    }

    /// <summary>The path and nature of the first difference, or null when equivalent.</summary>
    public static string? FindDifference(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: expected {expected.ValueKind} {expected.GetRawText()}, found {actual.ValueKind} {actual.GetRawText()}";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedKeys = expected.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                var actualKeys = actual.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                var missing = expectedKeys.Except(actualKeys).Order(StringComparer.Ordinal).ToList();
                var extra = actualKeys.Except(expectedKeys).Order(StringComparer.Ordinal).ToList();
                if (missing.Count > 0 || extra.Count > 0)
                {
                    return $"{path}: missing keys [{string.Join(", ", missing)}], unexpected keys [{string.Join(", ", extra)}]";
                }

                foreach (var property in expected.EnumerateObject())
                {
                    var difference = FindDifference(property.Value, actual.GetProperty(property.Name), $"{path}.{property.Name}");
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                return null;

            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                {
                    return $"{path}: expected {expected.GetArrayLength()} items, found {actual.GetArrayLength()}";
                }

                var index = 0;
                foreach (var (e, a) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    var difference = FindDifference(e, a, $"{path}[{index++}]");
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                return null;

            case JsonValueKind.Number:
                return NumbersEqual(expected.GetRawText(), actual.GetRawText())
                    ? null
                    : $"{path}: expected number {expected.GetRawText()}, found {actual.GetRawText()}";

            case JsonValueKind.String:
                var expectedText = expected.GetString()!;
                var actualText = actual.GetString()!;
                if (expectedText == actualText)
                {
                    return null;
                }

                return TryParseInstant(expectedText, out var e1) && TryParseInstant(actualText, out var a1) && e1 == a1
                    ? null
                    : $"{path}: expected \"{expectedText}\", found \"{actualText}\"";

            default:
                return null;
        }
    }

    private static bool NumbersEqual(string expected, string actual)
    {
        if (IsInteger(expected) && IsInteger(actual))
        {
            return BigInteger.Parse(expected, CultureInfo.InvariantCulture) == BigInteger.Parse(actual, CultureInfo.InvariantCulture);
        }

        return double.Parse(expected, CultureInfo.InvariantCulture) == double.Parse(actual, CultureInfo.InvariantCulture);
    }

    private static bool IsInteger(string raw) => raw.AsSpan().IndexOfAny(".eE") < 0;

    /// <summary>Parses an RFC 3339 timestamp with a zone to UTC ticks, truncating digits beyond 100 ns.</summary>
    public static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        // A zone is required: "Z" or an offset; a zone-less string never counts as an instant.
        var hasZone = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        return hasZone && text.Length >= 20 && text[4] == '-' && DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal,
            out instant);
    }
}
