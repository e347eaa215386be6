namespace AnalyticsHub.OpenTelemetry;

/// <summary>What the GenAI bridge listens to and how it turns spans into hub events (see docs/opentelemetry.md).</summary>
public sealed class GenAiTelemetryOptions
{
    /// <summary>The activity source of Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c> (its default name).</summary>
    public const string MicrosoftExtensionsAISource = "Experimental.Microsoft.Extensions.AI";

    /// <summary>The OpenAI SDK's chat client source (with <c>OpenAI.Experimental.EnableOpenTelemetry</c> on).</summary>
    public const string OpenAIChatSource = "OpenAI.ChatClient";

    /// <summary>The OpenAI SDK's responses client source.</summary>
    public const string OpenAIResponsesSource = "OpenAI.ResponsesClient";

    /// <summary>The prefix of Semantic Kernel's sources (<c>Microsoft.SemanticKernel.Diagnostics</c>).</summary>
    public const string SemanticKernelPrefix = "Microsoft.SemanticKernel";

    /// <summary>Activity sources listened to by exact name (ordinal).</summary>
    /// <remarks>
    /// By default Microsoft.Extensions.AI's and the OpenAI SDK's sources. A host that gives
    /// <c>UseOpenTelemetry(sourceName: ...)</c> its own name adds that name here.
    /// </remarks>
    public IList<string> Sources { get; } = [MicrosoftExtensionsAISource, OpenAIChatSource, OpenAIResponsesSource];

    /// <summary>Activity sources listened to by name prefix (ordinal); Semantic Kernel's by default.</summary>
    public IList<string> SourcePrefixes { get; } = [SemanticKernelPrefix];

    /// <summary>The <c>gen_ai.operation.name</c> values that become hub events; others (tool calls, agents) are skipped.</summary>
    public IList<string> Operations { get; } = ["chat", "text_completion", "generate_content", "embeddings"];

    /// <summary>The <c>environment</c> of every event the bridge produces; <c>production</c> by default.</summary>
    public string Environment { get; set; } = "production";

    /// <summary>
    /// <c>gen_ai.provider.name</c> (or <c>gen_ai.system</c>) values mapped to the price table's provider ids, compared
    /// ignoring case; a value not listed goes into the <c>provider</c> tag as it is.
    /// </summary>
    public IDictionary<string, string> ProviderAliases { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["azure.ai.openai"] = "openai",
        ["az.ai.openai"] = "openai",
        ["azure_openai"] = "openai",
        ["gcp.gemini"] = "google",
        ["gcp.vertex_ai"] = "google",
        ["gcp.gen_ai"] = "google",
        ["gemini"] = "google",
        ["vertex_ai"] = "google",
        ["mistral_ai"] = "mistral",
        ["aws.bedrock"] = "aws",
    };

    /// <summary>How many finished spans may wait for the background pump; 8,192 by default. A full queue drops and counts.</summary>
    public int QueueCapacity { get; set; } = 8192;

    /// <summary>The most events the pump hands the hub in one call; 256 by default.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>The window of the bridge's per-model <c>error_rate</c> events; one minute by default (whole seconds).</summary>
    public TimeSpan ErrorRateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after a window's end (by the clock) calls that ended inside it may still arrive; 5 s by default. Then
    /// the window's <c>error_rate</c> event is emitted, and a call of that window arriving later is left out of it
    /// (counted in <see cref="GenAiBridgeStatistics.LateForErrorRate"/>).
    /// </summary>
    public TimeSpan ErrorRateLateness { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether prompts and responses (<c>gen_ai.input.messages</c>, <c>gen_ai.output.messages</c>,
    /// <c>gen_ai.system_instructions</c>) are kept, as a <c>gen_ai_content</c> companion event that the hub's redaction
    /// rules run over. Off by default; the emitter must capture content too (M.E.AI: <c>EnableSensitiveData</c>), and the
    /// hub stores the messages only with <c>AnalyticsHubOptions.Privacy.StoreContent</c> (privacy by default: otherwise
    /// each of them is replaced by <c>[REDACTED:content]</c>).
    /// </summary>
    public bool CaptureContent { get; set; }

    /// <summary>The longest content text kept, in characters; longer texts are cut and kept as a plain string. 16,384 by default.</summary>
    public int MaxContentLength { get; set; } = 16_384;

    /// <summary>Every problem of these options, empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Sources.Count == 0 && SourcePrefixes.Count == 0)
        {
            problems.Add("GenAiTelemetry: Sources and SourcePrefixes are both empty, so no span would ever be read.");
        }

        foreach (var prefix in SourcePrefixes)
        {
            if (string.IsNullOrEmpty(prefix))
            {
                problems.Add("GenAiTelemetry: SourcePrefixes holds an empty prefix, which would listen to every source.");
            }
        }

        if (Operations.Count == 0)
        {
            problems.Add("GenAiTelemetry: Operations is empty, so no span would become an event.");
        }

        if (string.IsNullOrWhiteSpace(Environment))
        {
            problems.Add("GenAiTelemetry: Environment must not be empty.");
        }

        if (QueueCapacity < 1)
        {
            problems.Add($"GenAiTelemetry: QueueCapacity must be at least 1; it is {QueueCapacity}.");
        }

        if (MaxBatchSize < 1)
        {
            problems.Add($"GenAiTelemetry: MaxBatchSize must be at least 1; it is {MaxBatchSize}.");
        }

        if (ErrorRateWindow < TimeSpan.FromSeconds(1) || ErrorRateWindow.Ticks % TimeSpan.TicksPerSecond != 0 || ErrorRateWindow > TimeSpan.FromDays(1))
        {
            problems.Add($"GenAiTelemetry: ErrorRateWindow must be whole seconds between 1 s and 1 day; it is {ErrorRateWindow}.");
        }

        if (ErrorRateLateness < TimeSpan.Zero)
        {
            problems.Add($"GenAiTelemetry: ErrorRateLateness must not be negative; it is {ErrorRateLateness}.");
        }

        if (MaxContentLength < 1)
        {
            problems.Add($"GenAiTelemetry: MaxContentLength must be at least 1; it is {MaxContentLength}.");
        }

        return problems;
    }
}
