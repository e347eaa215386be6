using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Events.Redaction;

/// <summary>
/// Masks or drops sensitive text in events before anything is stored: the environment, tag keys and
/// values, and every text the payload catalog marks (string fields, list items, open-enum names, the
/// keys of every map, and custom <c>data</c> and audit <c>changes</c> walked whole, keys included).
/// </summary>
/// <remarks>
/// What is scanned comes from the payload catalog, so a new field is redacted as soon as it is in the
/// table. Clean events cost one vectorised hint scan per string and come back as the same instance; only
/// an event with a match is rebuilt. Fields the catalog marks as identifiers (<c>source_ip</c>,
/// <c>ip_address</c>, <c>user_id</c>) are left to rules that spare identifiers (the built-in e-mail and IP
/// rules) unless a rule names them in its paths. Counts per rule are kept with <see cref="Interlocked"/>.
/// Thread-safe.
/// </remarks>
internal sealed class EventRedactor
{
    private const string ContentCount = "content";
    private const string PseudonymCount = "pseudonymize";

    private readonly RedactionRule[] _rules;

    // Per rule, the length of the shortest text its pattern matches (RedactionRule.ShortestMatchOf; 0 when not known).
    private readonly int[] _shortestMatches;

    // One count per rule, then the content and pseudonym counts (indexes _rules.Length and _rules.Length + 1).
    private readonly long[] _counts;
    private readonly HashSet<string>? _contentKeys;
    private readonly byte[]? _pseudonymKey;

    [ThreadStatic]
    private static Scan? t_scan;

    /// <summary>Creates a redactor for <paramref name="rules"/>.</summary>
    /// <exception cref="ArgumentException">A rule is not usable; the message lists every problem.</exception>
    public EventRedactor(IEnumerable<RedactionRule> rules)
        : this(rules, null)
    {
    }

    /// <summary>
    /// Creates a redactor for <paramref name="rules"/> that also applies <paramref name="privacy"/>: content not stored
    /// unless opted in, identifiers pseudonymised when a key is given (null: neither, as with the rules alone).
    /// </summary>
    /// <exception cref="ArgumentException">A rule is not usable, or the pseudonymisation key is not; the message lists every problem.</exception>
    public EventRedactor(IEnumerable<RedactionRule> rules, PrivacyOptions? privacy)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = [.. rules];
        var problems = _rules.SelectMany(r => r.Validate()).ToList();
        if (_rules.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count() != _rules.Length)
        {
            problems.Add("Redaction rule names must be unique.");
        }

        privacy?.Validate(problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid redaction rules: " + string.Join(" ", problems), nameof(rules));
        }

        _counts = new long[_rules.Length + 2];
        _shortestMatches = Array.ConvertAll(_rules, rule => RedactionRule.ShortestMatchOf(rule.Pattern));
        if (privacy is { StoreContent: false })
        {
            _contentKeys = new HashSet<string>(privacy.ContentKeys ?? PrivacyOptions.DefaultContentKeys, StringComparer.Ordinal);
        }

        _pseudonymKey = privacy?.DecodeKey();
    }

    /// <summary>The rules in force.</summary>
    public IReadOnlyList<RedactionRule> Rules => _rules;

    /// <summary>How many values each rule has redacted so far, by rule name.</summary>
    public IReadOnlyDictionary<string, long> Counts
    {
        get
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < _rules.Length; i++)
            {
                counts[_rules[i].Name] = Interlocked.Read(ref _counts[i]);
            }

            if (_contentKeys is not null)
            {
                counts[ContentCount] = Interlocked.Read(ref _counts[_rules.Length]);
            }

            if (_pseudonymKey is not null)
            {
                counts[PseudonymCount] = Interlocked.Read(ref _counts[_rules.Length + 1]);
            }

            return counts;
        }
    }

    /// <summary>Returns <paramref name="evt"/> itself when nothing matched, else a redacted copy.</summary>
    public AnalyticsEvent Redact(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (_rules.Length == 0 && _contentKeys is null && _pseudonymKey is null)
        {
            return evt;
        }

        var scan = t_scan ??= new Scan();
        scan.Start(this);
        try
        {
            Walk(evt, scan);
            return scan.Hits.Count == 0 ? evt : Rewrite(evt, scan.Hits);
        }
        finally
        {
            scan.Clear();
        }
    }

    /// <summary>Visits every string of the event with its path.</summary>
    private static void Walk(AnalyticsEvent evt, Scan scan)
    {
        scan.Visit("environment", evt.Common.Environment, Sensitivity.Content);
        scan.Push("tags");
        if (evt.Common.Tags is Dictionary<string, string> dictionary)
        {
            // The concrete dictionary's enumerator is a struct: enumerating it through the interface would box it per event.
            foreach (var (key, value) in dictionary)
            {
                VisitTag(scan, key, value);
            }
        }
        else
        {
            foreach (var (key, value) in evt.Common.Tags)
            {
                VisitTag(scan, key, value);
            }
        }

        scan.Pop();
        scan.Push("payload");
        scan.Push("data");
        WalkObject(PayloadCatalog.Of(evt.Payload).Schema, evt.Payload, scan);
        scan.Pop();
        scan.Pop();
    }

    private static void VisitTag(Scan scan, string key, string value)
    {
        scan.VisitKey(key, isTag: true);
        scan.Visit(key, value, Sensitivity.Content, isTag: true);
    }

    /// <summary>Visits the text of every field the payload catalog gives a sensitivity, and of nested objects.</summary>
    private static void WalkObject(ObjectSchema schema, object record, Scan s)
    {
        foreach (var field in schema.Fields)
        {
            if (field.Sensitivity == Sensitivity.None && field.Nested is null)
            {
                continue;
            }

            var slot = field.Get!(record);
            if (!slot.Present || slot.Object is null)
            {
                continue;
            }

            var sensitivity = field.Sensitivity;
            switch (slot.Object)
            {
                case string text when field.Kind == FieldKind.OpenEnum:
                    s.Push(field.Name);
                    s.Visit("other", text, sensitivity);
                    s.Pop();
                    break;
                case string text:
                    s.Visit(field.Name, text, sensitivity);
                    break;
                case IReadOnlyList<string> items:
                    s.VisitList(field.Name, items, sensitivity);
                    break;
                case JsonElement { ValueKind: JsonValueKind.Object } json when record is CustomPayload && s.ContentKeys is { } contentKeys:
                    // Conversation content at the top of a custom event's data is not stored unless the host opted in.
                    s.Push(field.Name);
                    foreach (var property in json.EnumerateObject())
                    {
                        if (contentKeys.Contains(property.Name))
                        {
                            s.Replace(property.Name, PrivacyOptions.ContentPlaceholder, s.ContentRule);
                            continue;
                        }

                        s.VisitKey(property.Name);
                        s.VisitJson(property.Name, property.Value, sensitivity);
                    }

                    s.Pop();
                    break;
                case JsonElement json:
                    s.VisitJson(field.Name, json, sensitivity);
                    break;
                case IReadOnlyDictionary<string, JsonElement> map:
                    s.Push(field.Name);
                    foreach (var (key, value) in map)
                    {
                        s.VisitKey(key);
                        s.VisitJson(key, value, sensitivity);
                    }

                    s.Pop();
                    break;
                case IReadOnlyDictionary<string, ulong> counts:
                    VisitKeys(s, field.Name, counts.Keys);
                    break;
                case IReadOnlyDictionary<string, double> numbers:
                    VisitKeys(s, field.Name, numbers.Keys);
                    break;
                case IReadOnlyList<object> objects:
                    s.Push(field.Name);
                    for (var i = 0; i < objects.Count; i++)
                    {
                        s.PushIndex(i);
                        WalkObject(field.Nested!, objects[i], s);
                        s.Pop();
                    }

                    s.Pop();
                    break;
                case var nested when field.Nested is not null:
                    s.Push(field.Name);
                    WalkObject(field.Nested, nested, s);
                    s.Pop();
                    break;
            }
        }
    }

    private static void VisitKeys(Scan s, string name, IEnumerable<string> keys)
    {
        s.Push(name);
        foreach (var key in keys)
        {
            s.VisitKey(key);
        }

        s.Pop();
    }

    /// <summary>Applies the hits to the event's JSON form and reads it back: the rare, slow path.</summary>
    private AnalyticsEvent Rewrite(AnalyticsEvent evt, List<Hit> hits)
    {
        var root = JsonNode.Parse(AnalyticsEventJson.SerializeToUtf8Bytes(evt))!.AsObject();

        // Values first, under their original keys; then keys, so every path still names the nodes it was found at.
        foreach (var hit in hits)
        {
            if (!hit.IsKey)
            {
                Apply(root, hit);
            }
        }

        // Keys: every parent is found first (paths name the original keys), then each parent object is rebuilt once
        // with all its renamed keys, so a thousand redacted keys in one object cost a thousand steps, not a million.
        List<(JsonObject Parent, Hit Hit)>? keyHits = null;
        for (var i = hits.Count - 1; i >= 0; i--)
        {
            var hit = hits[i];
            if (!hit.IsKey)
            {
                continue;
            }

            Interlocked.Increment(ref _counts[hit.Rule]);
            (keyHits ??= []).Add((Parent(root, hit.Path).AsObject(), hit));
        }

        if (keyHits is not null)
        {
            RenameKeys(keyHits);
        }

        var read = AnalyticsEventJson.Read(JsonSerializer.SerializeToUtf8Bytes(root, RedactionJsonContext.Default.JsonObject));

        // Redaction replaces strings with strings and removes tags, so the event stays readable.
        return read.Event ?? throw new InvalidOperationException("A redacted event could not be read back: " + string.Join("; ", read.Problems));
    }

    private void Apply(JsonObject root, Hit hit)
    {
        Interlocked.Increment(ref _counts[hit.Rule]);
        var node = Parent(root, hit.Path);
        var last = hit.Path[^1];
        if (hit.DropKey)
        {
            // A dropped tag goes whole (an event has at most MaxTags tags, so the removal is cheap).
            node.AsObject().Remove((string)last);
        }
        else if (last is int itemIndex)
        {
            node[itemIndex] = hit.Value;
        }
        else
        {
            node[(string)last] = hit.Value;
        }
    }

    /// <summary>The node holding the value or key at <paramref name="path"/>.</summary>
    private static JsonNode Parent(JsonObject root, object[] path)
    {
        JsonNode node = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            node = path[i] is int index ? node[index]! : node[(string)path[i]]!;
        }

        return node;
    }

    /// <summary>
    /// Renames (or, for dropped tags, removes) redacted keys, rebuilding each parent object once in its order; keys
    /// redacted to the same text are told apart by a suffix (<c>#2</c>, <c>#3</c>...), found in amortised O(1).
    /// </summary>
    private static void RenameKeys(List<(JsonObject Parent, Hit Hit)> keyHits)
    {
        var byParent = new Dictionary<JsonObject, Dictionary<string, Hit>>(ReferenceEqualityComparer.Instance);
        var order = new List<JsonObject>();
        foreach (var (parent, hit) in keyHits)
        {
            if (!byParent.TryGetValue(parent, out var renames))
            {
                renames = new Dictionary<string, Hit>(StringComparer.Ordinal);
                byParent.Add(parent, renames);
                order.Add(parent);
            }

            renames[(string)hit.Path[^1]] = hit;
        }

        foreach (var parent in order)
        {
            var renames = byParent[parent];
            var properties = new List<KeyValuePair<string, JsonNode?>>(parent.Count);
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in parent)
            {
                properties.Add(property);
                if (!renames.ContainsKey(property.Key))
                {
                    used.Add(property.Key);
                }
            }

            parent.Clear();
            var nextSuffix = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (key, value) in properties)
            {
                if (!renames.TryGetValue(key, out var hit))
                {
                    parent.Add(key, value);
                    continue;
                }

                if (hit.DropKey)
                {
                    continue;
                }

                var name = hit.Value;
                if (!used.Add(name))
                {
                    nextSuffix.TryGetValue(hit.Value, out var n);
                    n = Math.Max(n, 2);
                    do
                    {
                        name = hit.Value + "#" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        n++;
                    }
                    while (!used.Add(name));
                    nextSuffix[hit.Value] = n;
                }

                parent.Add(name, value);
            }
        }
    }

    /// <summary><c>anon_</c> and the first 16 bytes of HMAC-SHA256(key, UTF-8 value) in lowercase hex (see <see cref="PrivacyOptions.PseudonymizationKey"/>).</summary>
    internal static string Pseudonym(byte[] key, string value)
    {
        Span<byte> hash = stackalloc byte[System.Security.Cryptography.HMACSHA256.HashSizeInBytes];
        System.Security.Cryptography.HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes(value), hash);
        return PrivacyOptions.PseudonymPrefix + Convert.ToHexStringLower(hash[..PrivacyOptions.PseudonymBytes]);
    }

    private readonly record struct Hit(object[] Path, int Rule, string Value, bool DropKey, bool IsKey);

    /// <summary>The per-thread state of one redaction: the current path and the hits.</summary>
    private sealed class Scan
    {
        private readonly List<object> _path = [];
        private EventRedactor _owner = null!;

        public List<Hit> Hits { get; } = [];

        public void Start(EventRedactor owner) => _owner = owner;

        public HashSet<string>? ContentKeys => _owner._contentKeys;

        /// <summary>The count slot of content replacements.</summary>
        public int ContentRule => _owner._rules.Length;

        /// <summary>Replaces the value at the current path + <paramref name="name"/> whole, whatever it holds, counted at <paramref name="countIndex"/>.</summary>
        public void Replace(string name, string value, int countIndex)
        {
            _path.Add(name);
            Hits.Add(new Hit([.. _path], countIndex, value, DropKey: false, IsKey: false));
            Pop();
        }

        public void Clear()
        {
            _path.Clear();
            Hits.Clear();
        }

        public void Push(string name) => _path.Add(name);

        public void PushIndex(int index) => _path.Add(index);

        public void Pop() => _path.RemoveAt(_path.Count - 1);

        public void VisitList(string name, IReadOnlyList<string> values, Sensitivity sensitivity)
        {
            Push(name);
            for (var i = 0; i < values.Count; i++)
            {
                _path.Add(i);
                Check(values[i], sensitivity, isTag: false, isKey: false);
                Pop();
            }

            Pop();
        }

        public void Visit(string name, string? value, Sensitivity sensitivity, bool isTag = false)
        {
            if (value is null)
            {
                return;
            }

            _path.Add(name);
            Check(value, sensitivity, isTag, isKey: false);
            Pop();
        }

        /// <summary>Checks an object key (of the tags, a map or JSON); its path is the path of its entry.</summary>
        public void VisitKey(string key, bool isTag = false)
        {
            _path.Add(key);
            Check(key, Sensitivity.Content, isTag, isKey: true);
            Pop();
        }

        public void VisitJson(string name, JsonElement value, Sensitivity sensitivity)
        {
            _path.Add(name);
            VisitValue(value, sensitivity);
            Pop();
        }

        private void VisitValue(JsonElement value, Sensitivity sensitivity)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    Check(value.GetString()!, sensitivity, isTag: false, isKey: false);
                    break;
                case JsonValueKind.Object:
                    foreach (var property in value.EnumerateObject())
                    {
                        VisitKey(property.Name);
                        VisitJson(property.Name, property.Value, sensitivity);
                    }

                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        _path.Add(index++);
                        VisitValue(item, sensitivity);
                        Pop();
                    }

                    break;
            }
        }

        private void Check(string value, Sensitivity sensitivity, bool isTag, bool isKey)
        {
            if (sensitivity == Sensitivity.Identifier && !isKey && _owner._pseudonymKey is { } key)
            {
                // A pseudonym carries nothing a rule could match: it replaces the identifier, rules aside.
                Hits.Add(new Hit([.. _path], _owner._rules.Length + 1, Pseudonym(key, value), DropKey: false, IsKey: false));
                return;
            }

            var rules = _owner._rules;
            string? path = null;
            var current = value;

            // The hits of this value, if any, are the last ones: a later rule only looks back that far.
            var firstHit = Hits.Count;
            for (var r = 0; r < rules.Length; r++)
            {
                var rule = rules[r];
                if (rule.Paths.Count > 0)
                {
                    // A rule with paths speaks of values at those paths, never of keys.
                    if (isKey || !Contains(rule.Paths, path ??= PathString()))
                    {
                        continue;
                    }
                }
                else if (sensitivity == Sensitivity.Identifier && rule.SparesIdentifiers)
                {
                    continue;
                }

                if (rule.Pattern is null || sensitivity == Sensitivity.Secret)
                {
                    // A named path, or a field that is sensitive whatever it holds, is replaced as a whole.
                    Add(rule, r, isTag, isKey, rule.EffectiveReplacement, firstHit);
                    return;
                }

                // Text shorter than the pattern's shortest match cannot hold one: skipped before the hint's search.
                if (current.Length < _owner._shortestMatches[r]
                    || (rule.Hint is { } hint && current.AsSpan().IndexOfAny(hint) < 0)
                    || (rule.HintStrings is { } hintStrings && current.AsSpan().IndexOfAny(hintStrings) < 0))
                {
                    continue;
                }

                var replaced = Replace(rule, current, out var matched);
                if (!matched)
                {
                    continue;
                }

                if (rule.Action == RedactionAction.Drop)
                {
                    Add(rule, r, isTag, isKey, rule.EffectiveReplacement, firstHit);
                    return;
                }

                current = replaced;
                Add(rule, r, isTag: false, isKey, current, firstHit);
            }
        }

        private static string Replace(RedactionRule rule, string value, out bool matched)
        {
            try
            {
                // Most values hold nothing to redact: find that out without allocating (no evaluator, no closure, no Match).
                if (!HasVerifiedMatch(rule, value))
                {
                    matched = false;
                    return value;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // As below: a value that reaches a backtracking pattern's time limit is treated as sensitive whole.
                matched = true;
                return rule.EffectiveReplacement;
            }

            return ReplaceMatches(rule, value, out matched);
        }

        private static string ReplaceMatches(RedactionRule rule, string value, out bool matched)
        {
            var any = false;
            string result;
            try
            {
                result = rule.Pattern!.Replace(value, m =>
                {
                    if (rule.Verify is { } verify && !verify(m.Value))
                    {
                        return m.Value;
                    }

                    any = true;
                    var keep = m.Groups[RedactionRule.KeepGroup];
                    return keep.Success ? keep.Value + rule.EffectiveReplacement : rule.EffectiveReplacement;
                });
            }
            catch (RegexMatchTimeoutException)
            {
                // Only a backtracking custom pattern has a time limit (RedactionRule.Compile): a value that reaches it is
                // treated as sensitive whole rather than let through.
                any = true;
                result = rule.EffectiveReplacement;
            }

            matched = any;
            return result;
        }

        /// <summary>Whether the rule's pattern matches <paramref name="value"/> somewhere its verification accepts.</summary>
        private static bool HasVerifiedMatch(RedactionRule rule, string value)
        {
            foreach (var match in rule.Pattern!.EnumerateMatches(value))
            {
                if (rule.Verify is not { } verify || verify(value.Substring(match.Index, match.Length)))
                {
                    return true;
                }
            }

            return false;
        }

        private void Add(RedactionRule rule, int index, bool isTag, bool isKey, string value, int firstHit)
        {
            // A later rule on the same value replaces the earlier hit: the value carries both redactions.
            if (Hits.Count > firstHit)
            {
                Hits[^1] = Hits[^1] with { Value = value };
                Interlocked.Increment(ref _owner._counts[index]);
                return;
            }

            Hits.Add(new Hit([.. _path], index, value, isTag && rule.Action == RedactionAction.Drop, isKey));
        }

        private string PathString()
        {
            var builder = new System.Text.StringBuilder();
            foreach (var segment in _path)
            {
                if (segment is int index)
                {
                    builder.Append('[').Append(index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
                }
                else
                {
                    if (builder.Length > 0)
                    {
                        builder.Append('.');
                    }

                    builder.Append((string)segment);
                }
            }

            return builder.ToString();
        }

        private static bool Contains(IReadOnlyList<string> paths, string path)
        {
            for (var i = 0; i < paths.Count; i++)
            {
                if (string.Equals(paths[i], path, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
