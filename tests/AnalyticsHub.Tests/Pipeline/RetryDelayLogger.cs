using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Tests.Pipeline;

/// <summary>Keeps the step and delay of every retry the pipeline logs (the structured <c>Step</c> and <c>Delay</c> of its retry message).</summary>
internal sealed class RetryDelayLogger : ILogger, ILoggerProvider
{
    private readonly List<(string Step, TimeSpan Delay)> _retries = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<(string Step, TimeSpan Delay)> Retries
    {
        get
        {
            lock (_gate)
            {
                return [.. _retries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id != 1 || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return;
        }

        var step = values.First(v => v.Key == "Step").Value as string ?? "";
        var delay = (TimeSpan)values.First(v => v.Key == "Delay").Value!;
        lock (_gate)
        {
            _retries.Add((step, delay));
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }
}
