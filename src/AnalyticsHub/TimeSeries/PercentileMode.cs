using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.TimeSeries;

/// <summary>How percentiles and medians are computed (decision 9).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<PercentileMode>))]
public enum PercentileMode
{
    /// <summary>Exactly, by selection over the values, with R-7 interpolation (decision 10). The default.</summary>
    Exact,

    /// <summary>From a mergeable quantile sketch, within its stated relative error.</summary>
    Sketch,
}
