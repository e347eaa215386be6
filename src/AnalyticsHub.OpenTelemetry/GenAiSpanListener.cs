using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using AnalyticsHub.Pipeline;

namespace AnalyticsHub.OpenTelemetry;

/// <summary>
/// The bridge's <see cref="ActivityListener"/>: on the caller's thread, when a GenAI span stops, it copies what the
/// hub needs into a pooled <see cref="GenAiCall"/>, offers it to a bounded queue with <c>TryWrite</c> and returns.
/// </summary>
/// <remarks>
/// It never blocks and never throws into the caller: a full queue drops the call (counted), and an exception while
/// copying is caught and counted. It asks for <see cref="ActivitySamplingResult.AllData"/>, which creates the span
/// without marking it recorded, so the host's own sampler still decides what its exporters see.
/// </remarks>
internal sealed class GenAiSpanListener : IDisposable
{
    private readonly FrozenSet<string> _sources;
    private readonly string[] _prefixes;
    private readonly FrozenSet<string> _operations;
    private readonly bool _captureContent;
    private readonly GenAiCallPool _pool;
    private readonly ChannelWriter<GenAiCall> _queue;
    private readonly ActivityListener _listener;
    private long _observed;
    private long _ignored;
    private long _dropped;
    private long _copyFailures;

    public GenAiSpanListener(GenAiTelemetryOptions options, GenAiCallPool pool, ChannelWriter<GenAiCall> queue)
    {
        _sources = options.Sources.ToFrozenSet(StringComparer.Ordinal);
        _prefixes = [.. options.SourcePrefixes];
        _operations = options.Operations.ToFrozenSet(StringComparer.Ordinal);
        _captureContent = options.CaptureContent;
        _pool = pool;
        _queue = queue;
        _listener = new ActivityListener
        {
            ShouldListenTo = ShouldListenTo,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            SampleUsingParentId = static (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.AllData,
            ActivityStopped = OnStopped,
        };
    }

    /// <summary>GenAI spans of a recognised operation copied and queued (or dropped).</summary>
    public long Observed => Interlocked.Read(ref _observed);

    /// <summary>Spans of the listened sources that are no chat, completion or embedding call (tool calls, agents, ...).</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    /// <summary>Calls dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Spans whose copy failed (counted, never thrown into the caller).</summary>
    public long CopyFailures => Interlocked.Read(ref _copyFailures);

    /// <summary>Starts listening; spans that stop from now on are copied.</summary>
    public void Start() => ActivitySource.AddActivityListener(_listener);

    /// <summary>Stops listening.</summary>
    public void Dispose() => _listener.Dispose();

    /// <summary>Whether a source is one of the GenAI sources; never the hub's own (<c>AnalyticsHub</c>, <c>AnalyticsHub.*</c>).</summary>
    public bool ShouldListenTo(ActivitySource source)
    {
        var name = source.Name;
        if (IsHubSource(name))
        {
            return false;
        }

        if (_sources.Contains(name))
        {
            return true;
        }

        foreach (var prefix in _prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a source belongs to the hub itself, whose spans the bridge never reads.</summary>
    internal static bool IsHubSource(string name) =>
        name.StartsWith(HubMeter.Name, StringComparison.Ordinal)
        && (name.Length == HubMeter.Name.Length || name[HubMeter.Name.Length] == '.');

    private void OnStopped(Activity activity)
    {
        GenAiCall? call = null;
        try
        {
            call = _pool.Rent();
            if (!Copy(activity, call))
            {
                Interlocked.Increment(ref _ignored);
                _pool.Return(call);
                return;
            }

            Interlocked.Increment(ref _observed);
            if (!_queue.TryWrite(call))
            {
                Interlocked.Increment(ref _dropped);
                _pool.Return(call);
            }
        }
#pragma warning disable CA1031 // The listener runs on the application's thread: nothing may escape into the caller's AI call.
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _copyFailures);
            if (call is not null)
            {
                _pool.Return(call);
            }
        }
    }

    /// <summary>Copies the span's fields; false when it is no call of a recognised operation.</summary>
    internal bool Copy(Activity activity, GenAiCall call)
    {
        foreach (ref readonly var tag in activity.EnumerateTagObjects())
        {
            var value = tag.Value;
            switch (tag.Key)
            {
                case GenAiAttributes.OperationName:
                    call.Operation = value as string;
                    break;
                case GenAiAttributes.ProviderName:
                    call.Provider = value as string ?? call.Provider;
                    break;
                case GenAiAttributes.System:
                    call.Provider ??= value as string;
                    break;
                case GenAiAttributes.RequestModel:
                    call.RequestModel = value as string;
                    break;
                case GenAiAttributes.ResponseModel:
                    call.ResponseModel = value as string;
                    break;
                case GenAiAttributes.ResponseId:
                    call.ResponseId = value as string;
                    break;
                case GenAiAttributes.ErrorType:
                    call.ErrorType = value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture);
                    break;
                case GenAiAttributes.TimeToFirstChunk:
                    call.TimeToFirstChunkSeconds = ToDouble(value);
                    break;
                case GenAiAttributes.InputTokens:
                case GenAiAttributes.PromptTokens:
                    call.InputTokens = ToCount(value);
                    break;
                case GenAiAttributes.OutputTokens:
                case GenAiAttributes.CompletionTokens:
                    call.OutputTokens = ToCount(value);
                    break;
                case GenAiAttributes.CacheReadInputTokens:
                    call.CacheReadTokens = ToCount(value);
                    break;
                case GenAiAttributes.CacheWriteInputTokens:
                    call.CacheWriteTokens = ToCount(value);
                    break;
                case GenAiAttributes.ReasoningOutputTokens:
                    call.ReasoningTokens = ToCount(value);
                    break;
                case GenAiAttributes.InputMessages when _captureContent:
                    call.InputMessages = value as string;
                    break;
                case GenAiAttributes.OutputMessages when _captureContent:
                    call.OutputMessages = value as string;
                    break;
                case GenAiAttributes.SystemInstructions when _captureContent:
                    call.SystemInstructions = value as string;
                    break;
            }
        }

        if (call.Operation is null || !_operations.Contains(call.Operation))
        {
            return false;
        }

        call.Source = activity.Source.Name;
        call.TraceId = activity.TraceId;
        call.SpanId = activity.SpanId;
        call.StartTicks = activity.StartTimeUtc.Ticks;
        call.DurationTicks = activity.Duration.Ticks;
        if (activity.Status == ActivityStatusCode.Error || call.ErrorType is not null)
        {
            call.Failed = true;
            call.StatusDescription = activity.StatusDescription;
        }

        return true;
    }

    private static long ToCount(object? value) => value switch
    {
        int i when i >= 0 => i,
        long l when l >= 0 => l,
        short s when s >= 0 => s,
        uint u => u,
        ulong u when u <= long.MaxValue => (long)u,
        double d when d >= 0 && d <= long.MaxValue => (long)d,
        string s when long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => GenAiCall.Absent,
    };

    private static double ToDouble(object? value) => value switch
    {
        double d when d >= 0 && double.IsFinite(d) => d,
        float f when f >= 0 && float.IsFinite(f) => f,
        int i when i >= 0 => i,
        long l when l >= 0 => l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0 && double.IsFinite(parsed) => parsed,
        _ => double.NaN,
    };
}
