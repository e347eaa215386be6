namespace AnalyticsHub.Events.Json;

/// <summary>The values a numeric payload field accepts, checked by <see cref="EventValidator"/>.</summary>
internal enum NumberRange : byte
{
    /// <summary>Any finite number.</summary>
    Finite,

    /// <summary>A finite number &gt;= 0.</summary>
    NonNegative,

    /// <summary>A finite number in 0..100.</summary>
    Percent,

    /// <summary>A finite number; outside 0..10 it is accepted with a warning (a CVSS-like score).</summary>
    ScoreOfTen,
}
