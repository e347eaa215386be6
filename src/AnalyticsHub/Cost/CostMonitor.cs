using System.Collections.Concurrent;
using System.Text.Json;
using AnalyticsHub.Events;

namespace AnalyticsHub.Cost;

/// <summary>The state the <c>cost</c> and <c>budgets</c> stages share with the host.</summary>
internal sealed class CostMonitor : ICostMonitor
{
    private static readonly DerivedIdSpace UnknownModelIds = DerivedEvents.Space("unknown_model");

    public const string UnpricedCustomType = "unpriced_token_usage";
    private const int MaxModels = 1_000;
    private const int MaxWarned = 10_000;

    private readonly ConcurrentDictionary<string, long> _unknown = new(StringComparer.Ordinal);
    private readonly HashSet<(string, DateOnly)> _warned = [];
    private long _priced;
    private long _pricedMicroUsd;
    private long _unpriced;
    private long _alerts;
    private long _forecasts;

    public CostMonitor(CostCalculator calculator, BudgetTracker budgets)
    {
        Calculator = calculator;
        Budgets = budgets;
    }

    public CostCalculator Calculator { get; }

    public BudgetTracker Budgets { get; }

    public CostStatistics Statistics => new()
    {
        PricedRequests = Interlocked.Read(ref _priced),
        PricedCostUsd = Interlocked.Read(ref _pricedMicroUsd) / 1e9,
        UnpricedRequests = Interlocked.Read(ref _unpriced),
        UnknownModels = new Dictionary<string, long>(_unknown, StringComparer.Ordinal),
        BudgetAlerts = Interlocked.Read(ref _alerts),
        ForecastWarnings = Interlocked.Read(ref _forecasts),
    };

    public IReadOnlyList<BudgetState> GetBudgetStates() => Budgets.GetStates();

    public void Priced(double costUsd)
    {
        Interlocked.Increment(ref _priced);
        Interlocked.Add(ref _pricedMicroUsd, (long)Math.Round(costUsd * 1e9));
    }

    public void Alerted(bool forecast) => Interlocked.Increment(ref forecast ? ref _forecasts : ref _alerts);

    /// <summary>Counts an unpriced request; returns the warning event to emit the first time a model is seen on a (UTC) day.</summary>
    public AnalyticsEvent? Unpriced(AnalyticsEvent usageEvent, TokenUsageMetrics usage)
    {
        Interlocked.Increment(ref _unpriced);
        var key = _unknown.ContainsKey(usage.ModelId) || _unknown.Count < MaxModels ? usage.ModelId : "(other)";
        _unknown.AddOrUpdate(key, 1, static (_, n) => n + 1);

        // Called on the pipeline's single reader only, so the set needs no lock.
        var day = DateOnly.FromDateTime(usageEvent.Timestamp.UtcDateTime);
        if (_warned.Count >= MaxWarned)
        {
            _warned.Clear();
        }

        return _warned.Add((usage.ModelId, day)) ? Warning(usageEvent, usage, day) : null;
    }

    private AnalyticsEvent Warning(AnalyticsEvent usageEvent, TokenUsageMetrics usage, DateOnly day)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("reason", "unknown_model");
            writer.WriteString("model_id", usage.ModelId);
            writer.WriteString("request_id", usage.RequestId);
            writer.WriteString("price_table_version", Calculator.PriceTable.Version);
            writer.WriteString("message", $"No price for model '{usage.ModelId}'; its token_usage is counted as unpriced, not priced at zero. Add the model to the price table.");
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new AnalyticsEvent
        {
            Common = DerivedEvents.Common(usageEvent, UnknownModelIds.FromName(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{usage.ModelId}/{day:yyyy-MM-dd}")), EventType.Alert, Severity.Warning, usageEvent.Common.Tags),
            Payload = new CustomPayload { CustomType = UnpricedCustomType, Data = document.RootElement.Clone() },
        };
    }
}
