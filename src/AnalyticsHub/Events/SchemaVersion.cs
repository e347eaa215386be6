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

        var parts = version.Split('.');
        return parts.Length == 3 && parts[0] == "1" && IsNumber(parts[1]) && IsNumber(parts[2]);
    }

    private static bool IsNumber(string part) => part.Length is > 0 and <= 9 && part.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;
}
