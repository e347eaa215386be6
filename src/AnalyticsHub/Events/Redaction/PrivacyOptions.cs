namespace AnalyticsHub.Events.Redaction;

/// <summary>
/// Privacy by default: conversation content (prompts, responses) is not stored unless the host opts in, and identifiers
/// (user ids, IP addresses) can be pseudonymised with a keyed hash. Applied at ingestion, with redaction; the hub's own
/// derived events are exempt (they never pass the ingestion front door).
/// </summary>
public sealed class PrivacyOptions
{
    /// <summary>The placeholder that replaces a content value that is not stored.</summary>
    public const string ContentPlaceholder = "[REDACTED:content]";

    /// <summary>The prefix of a pseudonym: <c>anon_</c> and 32 lowercase hex digits.</summary>
    public const string PseudonymPrefix = "anon_";

    /// <summary>The bytes of the HMAC-SHA256 a pseudonym keeps (128 bits, 32 hex digits).</summary>
    public const int PseudonymBytes = 16;

    /// <summary>The smallest key accepted, in bytes (the HMAC-SHA256 block's recommended minimum is the hash size).</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>
    /// The catalogued content keys: where producers and the OpenTelemetry bridge put prompts and responses in a custom
    /// event's <c>data</c>.
    /// </summary>
    public static IReadOnlyList<string> DefaultContentKeys { get; } =
    [
        "prompt", "prompts", "system_prompt", "completion", "completions", "response", "responses", "messages",
        "input_messages", "output_messages", "system_instructions",
    ];

    /// <summary>
    /// Whether conversation content is stored as sent; <see langword="false"/> by default: the value of every content
    /// key at the top level of a custom event's <c>data</c> (<see cref="ContentKeys"/>) is replaced by
    /// <see cref="ContentPlaceholder"/>, whatever it holds (text, messages array, object), and counted under
    /// <c>content</c> in <c>IngestionStatistics.Redactions</c>.
    /// </summary>
    public bool StoreContent { get; set; }

    /// <summary>The content keys; <see langword="null"/> (the default) for <see cref="DefaultContentKeys"/>.</summary>
    public string[]? ContentKeys { get; set; }

    /// <summary>
    /// The key that pseudonymises identifiers, base64 (at least 32 bytes once decoded); <see langword="null"/> (the
    /// default) leaves them as sent. When set, every identifier field of the payload catalog (<c>user_id</c>,
    /// <c>source_ip</c>, <c>ip_address</c>) is replaced by <see cref="PseudonymPrefix"/> + the first
    /// <see cref="PseudonymBytes"/> bytes of HMAC-SHA256(key, UTF-8 value) in lowercase hex, counted under
    /// <c>pseudonymize</c>: the same value gives the same pseudonym (joinable across events and fields), and without the
    /// key it cannot be reversed or recomputed.
    /// </summary>
    public string? PseudonymizationKey { get; set; }

    /// <summary>The decoded key, or null when pseudonymisation is off or the key is not usable (see <see cref="Validate"/>).</summary>
    internal byte[]? DecodeKey()
    {
        if (PseudonymizationKey is null)
        {
            return null;
        }

        var bytes = new byte[PseudonymizationKey.Length];
        return Convert.TryFromBase64String(PseudonymizationKey, bytes, out var written) && written >= MinimumKeyBytes ? bytes[..written] : null;
    }

    internal void Validate(List<string> problems)
    {
        if (PseudonymizationKey is not null && DecodeKey() is null)
        {
            problems.Add($"Privacy.PseudonymizationKey must be base64 of at least {MinimumKeyBytes} bytes (e.g. 32 random bytes: Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).");
        }

        foreach (var key in ContentKeys ?? [])
        {
            if (string.IsNullOrEmpty(key))
            {
                problems.Add("Privacy.ContentKeys must not hold empty keys.");
                break;
            }
        }
    }
}
