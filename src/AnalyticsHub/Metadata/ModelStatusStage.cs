using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Pipeline;

namespace AnalyticsHub.Metadata;

/// <summary>
/// The <c>model_status</c> stage: an event that uses a model whose registry asset is deprecated or archived (its
/// <c>model_id</c>, by asset name, alias or dated id) raises one warning event per model and UTC day (event time) — a
/// custom <c>model_status_warning</c> alert from the hub with the first such event as parent.
/// </summary>
/// <remarks>
/// It reads telemetry payloads and producers' <c>token_cost</c> events (the hub's own derived events are skipped, so a
/// token_usage event and the hub's cost of it count once). The per-day memory is bounded: past
/// <see cref="MaxRemembered"/> (model, day) pairs it starts afresh, which at worst repeats a warning.
/// </remarks>
internal sealed class ModelStatusStage(MetadataRegistry registry, HubMeter meter) : IIngestionStage
{
    public const string WarningCustomType = "model_status_warning";
    private const int MaxRemembered = 10_000;

    private static readonly DerivedIdSpace WarningIds = DerivedEvents.Space("model_status_warning");

    private readonly Counter<long> _warnings = meter.Meter.CreateCounter<long>("analyticshub.model_status.warnings", "{event}", "Warning events raised for the use of deprecated or archived models.");
    private readonly HashSet<(string AssetId, DateOnly Day)> _warned = [];

    public string Name => "model_status";

    public async ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        await registry.EnsureModelsLoadedAsync(cancellationToken).ConfigureAwait(false);
        if (registry.Models.Count == 0)
        {
            return;
        }

        foreach (var evt in batch.Events)
        {
            var modelId = evt.SourceModule == SourceModule.LlmAnalyticsHub ? null : evt.Payload switch
            {
                TelemetryPayload telemetry => telemetry.ModelId,
                TokenCostEvent cost => cost.ModelId,
                _ => null,
            };
            if (modelId is null || registry.FindModel(modelId) is not { Status: AssetStatus.Deprecated or AssetStatus.Archived } model)
            {
                continue;
            }

            var day = DateOnly.FromDateTime(evt.Timestamp.UtcDateTime);
            if (_warned.Count >= MaxRemembered)
            {
                _warned.Clear();
            }

            if (_warned.Add((model.AssetId, day)))
            {
                batch.Emit(Warning(evt, modelId, model, day));
                _warnings.Add(1, new KeyValuePair<string, object?>("status", model.Status == AssetStatus.Deprecated ? "deprecated" : "archived"));
            }
        }
    }

    private static AnalyticsEvent Warning(AnalyticsEvent trigger, string modelId, RegisteredModel model, DateOnly day)
    {
        var status = model.Status == AssetStatus.Deprecated ? "deprecated" : "archived";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("reason", status + "_model");
            writer.WriteString("model_id", modelId);
            writer.WriteString("asset_id", model.AssetId);
            writer.WriteString("asset_version", model.Version);
            writer.WriteString("status", status);
            writer.WriteString("day", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.WriteString("message", $"Model '{modelId}' is {status} in the metadata registry (asset '{model.AssetId}'); move its traffic to a supported model.");
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new AnalyticsEvent
        {
            Common = DerivedEvents.Common(trigger, WarningIds.FromName(string.Create(CultureInfo.InvariantCulture, $"{model.AssetId}/{day:yyyy-MM-dd}")), EventType.Alert, Severity.Warning, trigger.Common.Tags),
            Payload = new CustomPayload { CustomType = WarningCustomType, Data = document.RootElement.Clone() },
        };
    }
}
