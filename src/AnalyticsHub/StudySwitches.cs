namespace AnalyticsHub;

/// <summary>TEMPORARY study switches (environment variable AH_STUDY, comma-separated); removed before merge.</summary>
internal static class StudySwitches
{
    private static readonly string[] Flags = (Environment.GetEnvironmentVariable("AH_STUDY") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static readonly bool P = On("P");
    public static readonly bool Share = On("S");
    public static readonly bool ScopeLatency = On("L");
    public static readonly bool ShareOfLevel = On("V");
    public static readonly string? Trace = Environment.GetEnvironmentVariable("AH_TRACE");

    public static double Number(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : fallback;

    private static bool On(string flag) => Array.IndexOf(Flags, flag) >= 0;
}
