using System.Buffers;
using System.Text.RegularExpressions;

namespace AnalyticsHub.Events.Redaction;

/// <summary>
/// One redaction rule: a pattern to find in tag values and free-text fields, or named paths whose
/// whole value is sensitive; what to do with a match; and how matches are counted.
/// </summary>
/// <remarks>
/// Paths are the event's JSON paths: <c>tags.&lt;key&gt;</c>, <c>environment</c>,
/// <c>payload.data.&lt;field&gt;</c>, items as <c>[i]</c>, and keys inside JSON fields
/// (<c>payload.data.changes.owner</c>). A rule without paths also scans object keys (tag keys, map
/// keys, keys inside JSON); a rule with paths only the values at them. Identifying fields
/// (<c>source_ip</c>, <c>ip_address</c>, <c>user_id</c>) are skipped by rules that <see cref="SparesIdentifiers"/>.
/// </remarks>
public sealed record RedactionRule
{
    /// <summary>The rule's name, used in replacements and in the per-rule counts.</summary>
    public required string Name { get; init; }

    /// <summary>What to look for; <see langword="null"/> means the whole value of every path in <see cref="Paths"/>.</summary>
    public Regex? Pattern { get; init; }

    /// <summary>Where the rule applies; empty means every tag value and free-text field.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Mask the match or drop the whole value.</summary>
    public RedactionAction Action { get; init; } = RedactionAction.Mask;

    /// <summary>The text put in place of a match; <c>[REDACTED:name]</c> by default.</summary>
    public string? Replacement { get; init; }

    /// <summary>
    /// A cheap test that must pass before the pattern runs (e.g. "contains '@'"), so that clean text
    /// costs a vectorised scan rather than a regex match. <see langword="null"/> runs the pattern always.
    /// </summary>
    public SearchValues<char>? Hint { get; init; }

    /// <summary>
    /// Like <see cref="Hint"/>, with strings: the pattern runs only on text holding one of them (a vectorised
    /// multi-string search), so a rule for many prefixed key shapes costs one scan on clean text.
    /// </summary>
    public SearchValues<string>? HintStrings { get; init; }

    /// <summary>A further check of each regex match (e.g. the Luhn checksum of a card number).</summary>
    public Func<string, bool>? Verify { get; init; }

    /// <summary>
    /// Whether the rule leaves alone the fields that identify a person or host for security analysis
    /// (<c>user_id</c>, <c>source_ip</c>, <c>ip_address</c>) unless it names them in <see cref="Paths"/>.
    /// True for the built-in e-mail and IP-address rules; secrets (keys, tokens, card numbers) are masked everywhere.
    /// </summary>
    public bool SparesIdentifiers { get; init; }

    internal string EffectiveReplacement => Replacement ?? $"[REDACTED:{Name}]";

    /// <summary>
    /// How long a pattern that needs the backtracking engine (lookarounds, backreferences: only custom rules) may run
    /// on one value before the value is redacted whole. The built-in rules and every custom pattern the linear engine
    /// accepts run without a limit (<see cref="Compile"/>), so their result never depends on timing.
    /// </summary>
    internal static readonly TimeSpan BacktrackingTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Compiles a redaction pattern with the linear-time engine (<see cref="RegexOptions.NonBacktracking"/>) and no time
    /// limit: its cost is linear in the text, so hostile input cannot stall it and the outcome depends only on the text.
    /// A wall-clock limit would not: a thread paused by the scheduler or a garbage collection mid-match (common under
    /// load) would hit it on ordinary text, and the value would be redacted whole by chance. A pattern the linear engine
    /// cannot run (lookarounds, backreferences) falls back to backtracking with <see cref="BacktrackingTimeout"/>.
    /// </summary>
    internal static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, Regex.InfiniteMatchTimeout);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, BacktrackingTimeout);
        }
    }

    /// <summary>The name of the group a pattern may capture to keep part of a match (e.g. a key's name) unmasked.</summary>
    internal const string KeepGroup = "keep";

    /// <summary>E-mail addresses (on by default).</summary>
    public static RedactionRule Email { get; } = new()
    {
        Name = "email",
        Pattern = Compile(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"),
        Hint = SearchValues.Create("@"),
        SparesIdentifiers = true,
    };

    /// <summary>
    /// Provider key shapes, from their published formats (on by default): OpenAI and Anthropic <c>sk-</c> keys
    /// (<c>sk-proj-</c>, <c>sk-svcacct-</c>, <c>sk-ant-api03-</c> ...), AWS access key ids (<c>AKIA</c>, <c>ASIA</c> and the
    /// other four-letter prefixes, 20 characters), Google API keys (<c>AIza</c>, 39 characters), GitHub tokens
    /// (<c>ghp_</c>, <c>gho_</c>, <c>ghu_</c>, <c>ghs_</c>, <c>ghr_</c>, <c>github_pat_</c>), Slack tokens (<c>xox?-</c>), and
    /// Azure's bare 32-hex keys only right after an <c>api-key</c> or <c>Ocp-Apim-Subscription-Key</c> name (so trace
    /// and request ids, also 32 hex digits, survive).
    /// </summary>
    public static RedactionRule ApiKey { get; } = new()
    {
        Name = "api_key",
        Pattern = Compile(
            @"\b(?:sk-(?:ant-(?:api|admin)\d\d-|proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{16,}"
            + @"|(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA|A3T[A-Z0-9])[A-Z0-9]{16}"
            + @"|AIza[0-9A-Za-z_\-]{35}"
            + @"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}"
            + @"|xox[abposr]-[A-Za-z0-9\-]{10,})"
            + @"|(?<keep>(?i:api[-_]?key|ocp-apim-subscription-key)[""']?[ \t]{0,3}[:=][ \t]{0,3}[""']?)[0-9a-fA-F]{32}\b"),
        HintStrings = SearchValues.Create(
            ["sk-", "AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "AROA", "APKA", "ASCA", "A3T", "AIza",
             "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "api-key", "api_key", "apikey", "ocp-apim-subscription-key"],
            StringComparison.OrdinalIgnoreCase),
    };

    /// <summary>JSON Web Tokens: three base64url parts, the first two JSON objects (<c>eyJ</c>), on by default.</summary>
    public static RedactionRule Jwt { get; } = new()
    {
        Name = "jwt",
        Pattern = Compile(@"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*"),
        HintStrings = SearchValues.Create(["eyJ"], StringComparison.Ordinal),
    };

    /// <summary>Bearer tokens in authorization strings (on by default).</summary>
    public static RedactionRule BearerToken { get; } = new()
    {
        Name = "bearer_token",
        Pattern = Compile(@"\b[Bb]earer\s+[A-Za-z0-9\-._~+/]{8,}=*"),
        Hint = SearchValues.Create("Bb"),
    };

    /// <summary>Payment card numbers of 13–19 digits, spaces or dashes allowed, that pass the Luhn check (on by default).</summary>
    public static RedactionRule CreditCard { get; } = new()
    {
        Name = "credit_card",
        Pattern = Compile(@"\b(?:\d[ \-]?){12,18}\d\b"),
        Hint = SearchValues.Create("0123456789"),
        Verify = PassesLuhn,
    };

    /// <summary>IPv4 and IPv6 addresses in free text (off by default: addresses are often needed for security analysis).</summary>
    public static RedactionRule IpAddress { get; } = new()
    {
        Name = "ip_address",
        Pattern = Compile(
            @"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b|\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b"),
        Hint = SearchValues.Create(".:"),
        SparesIdentifiers = true,
    };

    // The length of the shortest text each built-in pattern matches (every element of these patterns matches one UTF-16
    // character, \b none): e-mail a@b.cc; API key xox?- and 10 characters (the other shapes are longer: sk- and 16,
    // AKIA and 16, apikey= and 32 hex); JWT eyJ, 8, '.', eyJ, 8, '.'; bearer, a space and 8; card 13 digits; IPv4 0.0.0.0.
    private static readonly (Regex Pattern, int Length)[] ShortestMatches =
    [
        (Email.Pattern!, 6), (ApiKey.Pattern!, 15), (Jwt.Pattern!, 24), (BearerToken.Pattern!, 15), (CreditCard.Pattern!, 13),
        (IpAddress.Pattern!, 7),
    ];

    /// <summary>
    /// The length of the shortest text <paramref name="pattern"/> can match when it is a built-in rule's pattern (the
    /// same instance: a rule copied with another pattern does not inherit it), else 0. Shorter text cannot hold a
    /// match, so a scan may skip it before the hint's search and the pattern.
    /// </summary>
    internal static int ShortestMatchOf(Regex? pattern)
    {
        foreach (var (known, length) in ShortestMatches)
        {
            if (ReferenceEquals(known, pattern))
            {
                return length;
            }
        }

        return 0;
    }

    /// <summary>The rules that are on by default: e-mails, API keys, JWTs, bearer tokens and card numbers.</summary>
    public static IReadOnlyList<RedactionRule> Defaults { get; } = [Email, ApiKey, Jwt, BearerToken, CreditCard];

    /// <summary>The built-in rule called <paramref name="name"/>, or <see langword="null"/>.</summary>
    public static RedactionRule? BuiltIn(string name) => name switch
    {
        "email" => Email,
        "api_key" => ApiKey,
        "jwt" => Jwt,
        "bearer_token" => BearerToken,
        "credit_card" => CreditCard,
        "ip_address" => IpAddress,
        _ => null,
    };

    /// <summary>Lists what is wrong with this rule; empty when it is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("A redaction rule needs a name.");
        }

        if (Pattern is null && Paths.Count == 0)
        {
            problems.Add($"Redaction rule '{Name}' needs a pattern, paths, or both.");
        }

        foreach (var path in Paths)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                problems.Add($"Redaction rule '{Name}' has an empty path.");
            }
        }

        return problems;
    }

    private static bool PassesLuhn(string candidate)
    {
        var sum = 0;
        var digits = 0;
        for (var i = candidate.Length - 1; i >= 0; i--)
        {
            var c = candidate[i];
            if (c is < '0' or > '9')
            {
                continue;
            }

            var d = c - '0';
            if ((digits & 1) == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            digits++;
        }

        return digits is >= 13 and <= 19 && sum % 10 == 0;
    }
}
