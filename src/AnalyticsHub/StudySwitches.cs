namespace AnalyticsHub;

/// <summary>TEMPORARY study switches (environment variable AH_STUDY, comma-separated); removed before merge.</summary>
internal static class StudySwitches
{
    private static readonly string[] Flags = (Environment.GetEnvironmentVariable("AH_STUDY") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static readonly bool P = On("P");
    public static readonly bool RegionScope = On("R");
    public static readonly string? Trace = Environment.GetEnvironmentVariable("AH_TRACE");

    private static bool On(string flag) => Array.IndexOf(Flags, flag) >= 0;
}
