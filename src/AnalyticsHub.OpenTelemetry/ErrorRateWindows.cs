using System.Globalization;
using AnalyticsHub.Cost;
using AnalyticsHub.Events;

namespace AnalyticsHub.OpenTelemetry;

/// <summary>
/// The bridge's per-model <c>error_rate</c> windows: calls and failures by <c>error.type</c> in fixed windows of event
/// time (the call's end), one event per model and window. Owned by the pump alone (single writer).
/// </summary>
/// <remarks>
/// A window closes when a later window of the same model opens, or when the clock passes its end plus the lateness;
/// <see cref="CloseAll"/> closes every open window (the bridge's stop). A call for a window already closed is counted
/// in <see cref="Late"/> and left out. The event's timestamp is the window's start.
/// </remarks>
internal sealed class ErrorRateWindows
{
    private static readonly DerivedIdSpace Ids = DerivedEvents.Space("otel_genai_error_rate");

    private readonly long _windowTicks;
    private readonly TimeSpan _lateness;
    private readonly string _environment;
    private readonly Dictionary<string, Window> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _closedUpTo = new(StringComparer.Ordinal);
    private readonly List<string> _due = [];

    public ErrorRateWindows(TimeSpan window, TimeSpan lateness, string environment)
    {
        _windowTicks = window.Ticks;
        _lateness = lateness;
        _environment = environment;
    }

    /// <summary>Calls left out because their window had already closed.</summary>
    public long Late { get; private set; }

    /// <summary>Windows open right now.</summary>
    public int OpenCount => _open.Count;

    /// <summary>Counts one call; emits the model's previous window when this call opens a later one.</summary>
    public void Add(string model, string? provider, DateTimeOffset end, string? errorType, List<AnalyticsEvent> events)
    {
        var start = end.UtcTicks - (end.UtcTicks % _windowTicks);
        if (_open.TryGetValue(model, out var window))
        {
            if (start < window.Start)
            {
                Late++;
                return;
            }

            if (start > window.Start)
            {
                events.Add(Close(model, window));
                window = Open(model, provider, start);
            }
        }
        else
        {
            if (_closedUpTo.TryGetValue(model, out var closedEnd) && start < closedEnd)
            {
                Late++;
                return;
            }

            window = Open(model, provider, start);
        }

        window.Total++;
        if (errorType is not null)
        {
            window.Failed++;
            window.Breakdown[errorType] = window.Breakdown.GetValueOrDefault(errorType) + 1;
        }
    }

    /// <summary>Emits every window whose end plus the lateness has passed by <paramref name="now"/>.</summary>
    public void CloseDue(DateTimeOffset now, List<AnalyticsEvent> events)
    {
        var horizon = (now - _lateness).UtcTicks;
        _due.Clear();
        foreach (var (model, window) in _open)
        {
            if (window.Start + _windowTicks <= horizon)
            {
                _due.Add(model);
            }
        }

        foreach (var model in _due)
        {
            events.Add(Close(model, _open[model]));
        }
    }

    /// <summary>Emits every open window.</summary>
    public void CloseAll(List<AnalyticsEvent> events)
    {
        _due.Clear();
        _due.AddRange(_open.Keys);
        foreach (var model in _due)
        {
            events.Add(Close(model, _open[model]));
        }
    }

    private Window Open(string model, string? provider, long start)
    {
        var window = new Window(start, provider);
        _open[model] = window;
        return window;
    }

    private AnalyticsEvent Close(string model, Window window)
    {
        _open.Remove(model);
        _closedUpTo[model] = window.Start + _windowTicks;
        var start = new DateTimeOffset(window.Start, TimeSpan.Zero);
        var tags = new Dictionary<string, string>(1, StringComparer.Ordinal);
        if (window.Provider is not null)
        {
            tags[CostCalculator.ProviderTag] = window.Provider;
        }

        return new AnalyticsEvent
        {
            Common = new CommonEventFields
            {
                EventId = Ids.FromName(string.Create(CultureInfo.InvariantCulture, $"{_environment}/{model}/{window.Start}")),
                Timestamp = start,
                SourceModule = SourceModule.LlmObservatory,
                EventType = EventType.Telemetry,
                Severity = window.Failed > 0 ? Severity.Warning : Severity.Info,
                Environment = _environment,
                Tags = tags,
            },
            Payload = new ErrorRateMetrics
            {
                ModelId = model,
                TotalRequests = window.Total,
                FailedRequests = window.Failed,
                ErrorRatePercent = window.Failed * 100.0 / window.Total,
                ErrorBreakdown = window.Breakdown,
                WindowDurationSeconds = (uint)(_windowTicks / TimeSpan.TicksPerSecond),
            },
        };
    }

    private sealed class Window(long start, string? provider)
    {
        public long Start { get; } = start;

        public string? Provider { get; } = provider;

        public ulong Total { get; set; }

        public ulong Failed { get; set; }

        public Dictionary<string, ulong> Breakdown { get; } = new(StringComparer.Ordinal);
    }
}
