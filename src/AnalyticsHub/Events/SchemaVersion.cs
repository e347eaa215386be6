namespace AnalyticsHub.Events;

/// <summary>The schema versions this library reads and writes.</summary>
public static class SchemaVersion
{
    /// <summary>The version written by default: <c>1.0.0</c>.</summary>
    public const string Current = "1.0.0";

    /// <summary>What is accepted, for messages: any <c>1.x.y</c>.</summary>
    public const string Supported = "1.x.y";

    /// <summary>Whether <paramref name="version"/> is a supported version: <c>1.minor.patch</c> with decimal parts.</summary>
    public static bool IsSupported(string? version)
    {
        if (version is null)
        {
            return false;
        }

        var rest = version.AsSpan();
        if (!rest.StartsWith("1."))
        {
            return false;
        }

        rest = rest[2..];
        var dot = rest.IndexOf('.');
        return dot > 0 && IsNumber(rest[..dot]) && IsNumber(rest[(dot + 1)..]);
    }

    private static bool IsNumber(ReadOnlySpan<char> part) => part.Length is > 0 and <= 9 && part.IndexOfAnyExceptInRange('0', '9') < 0;
}
