using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AnalyticsHub.Pipeline;

/// <summary>
/// The hub's one <see cref="System.Diagnostics.Metrics.Meter"/> and one <see cref="System.Diagnostics.ActivitySource"/>,
/// both named <c>AnalyticsHub</c>: the pipeline and every stage make their instruments on it, so a host collects all
/// of the hub's telemetry with <c>AddMeter("AnalyticsHub")</c> and <c>AddSource("AnalyticsHub")</c>.
/// </summary>
/// <remarks>
/// A stage makes its own instruments once, in its constructor (e.g. <c>meter.Meter.CreateCounter&lt;long&gt;(
/// "analyticshub.cost.priced", ...)</c>), named <c>analyticshub.&lt;stage&gt;.&lt;what&gt;</c>. The meter comes from
/// the host's <see cref="IMeterFactory"/> when there is one (so tests and hosts isolate hubs), else it is owned here.
/// </remarks>
public sealed class HubMeter : IDisposable
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "AnalyticsHub";

    private readonly bool _ownsMeter;

    /// <summary>Creates the hub's meter from <paramref name="meterFactory"/>, or a meter of its own when it is null.</summary>
    public HubMeter(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(Name) ?? new Meter(Name);
        _ownsMeter = meterFactory is null;
    }

    /// <summary>The activity source of the hub's spans (one per processed batch).</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>The meter on which the pipeline and the stages create their instruments.</summary>
    public Meter Meter { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }
}
