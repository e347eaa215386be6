namespace AnalyticsHub;

/// <summary>Temporary switches of the eighteenth grouping round (removed before adoption).</summary>
internal static class StudySwitches
{
    public static readonly bool Concentrated = Environment.GetEnvironmentVariable("AH_STUDY_CONC") == "1";
    public static readonly bool MeanScope = Environment.GetEnvironmentVariable("AH_STUDY_MEAN") == "1";
    public static readonly bool Trace = Environment.GetEnvironmentVariable("AH_STUDY_TRACE") == "1";
    public static readonly bool AnyRise = Environment.GetEnvironmentVariable("AH_STUDY_ANYRISE") == "1";
}
