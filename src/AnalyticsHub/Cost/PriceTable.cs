using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using AnalyticsHub.Events;

namespace AnalyticsHub.Cost;

/// <summary>
/// Prices per provider and model, versioned by effective date, with aliases and long-context tiers;
/// read from JSON (see <c>docs/cost-and-budgets.md</c>). <see cref="Default"/> is the table that ships
/// with the library; hosts extend or override it with <see cref="WithOverrides"/>.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed partial class PriceTable
{
    private const int MaxCachedResolutions = 4_096;

    private static readonly Lazy<PriceTable> DefaultTable = new(LoadDefault);

    // Model id or alias → every row of that name, ordered by provider (table order), then effective date.
    private readonly Dictionary<string, ModelPrice[]> _byId;
    private readonly ConcurrentDictionary<string, ModelPrice[]?> _normalized = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _providers;

    /// <summary>Creates a table from rows; a row without a <see cref="ModelPrice.PriceVersion"/> gets one from <paramref name="version"/>.</summary>
    /// <param name="version">The table's version, e.g. <c>analyticshub-2025-11</c>, recorded in every cost it prices.</param>
    /// <param name="models">The rows, in the order their providers should be preferred.</param>
    public PriceTable(string version, IEnumerable<ModelPrice> models)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(models);
        Version = version;
        var rows = new List<ModelPrice>();
        foreach (var row in models)
        {
            ArgumentNullException.ThrowIfNull(row);
            rows.Add(row.PriceVersion.Length > 0 ? row : row with { PriceVersion = VersionOf(version, row) });
        }

        Models = rows;
        _providers = new HashSet<string>(rows.Select(r => r.Provider), StringComparer.OrdinalIgnoreCase);
        var providerOrder = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
        {
            providerOrder.TryAdd(row.Provider, providerOrder.Count);
        }

        // An alias names the model, not one row: it reaches every dated row of its provider's model.
        var byId = new Dictionary<string, List<ModelPrice>>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in rows.GroupBy(r => (r.Provider.ToUpperInvariant(), r.ModelId.ToUpperInvariant())))
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in model)
            {
                names.Add(row.ModelId);
                names.UnionWith(row.Aliases);
            }

            foreach (var name in names)
            {
                if (!byId.TryGetValue(name, out var list))
                {
                    byId[name] = list = [];
                }

                list.AddRange(model);
            }
        }

        _byId = new Dictionary<string, ModelPrice[]>(byId.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (id, list) in byId)
        {
            _byId[id] = [.. list.OrderBy(r => providerOrder[r.Provider]).ThenBy(r => r.EffectiveFrom)];
        }
    }

    /// <summary>The table that ships with the library: current OpenAI, Anthropic, Google, Mistral and Meta (Llama) models.</summary>
    public static PriceTable Default => DefaultTable.Value;

    /// <summary>The table's version, recorded in the <c>price_version</c> of every cost it prices.</summary>
    public string Version { get; }

    /// <summary>Every row, in table order.</summary>
    public IReadOnlyList<ModelPrice> Models { get; }

    /// <summary>Reads a table from UTF-8 JSON.</summary>
    /// <exception cref="PriceTableException">The JSON is not a valid table; every problem is listed with its path.</exception>
    public static PriceTable Parse(ReadOnlySpan<byte> utf8Json) =>
        TryParse(utf8Json, out var table, out var errors) ? table : throw new PriceTableException(errors);

    /// <summary>Reads a table from a JSON string.</summary>
    /// <exception cref="PriceTableException">The JSON is not a valid table; every problem is listed with its path.</exception>
    public static PriceTable Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(System.Text.Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Reads a table from UTF-8 JSON, reporting every problem instead of throwing.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="table">The table, when there were no errors.</param>
    /// <param name="errors">Every problem, each with its code and JSON path; empty on success.</param>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PriceTable? table, out IReadOnlyList<Problem> errors)
    {
        var list = new List<Problem>();
        table = PriceTableReader.Read(utf8Json, list);
        errors = list;
        return table is not null;
    }

    /// <summary>Reads a table from a JSON file.</summary>
    /// <exception cref="PriceTableException">The file cannot be read or is not a valid table.</exception>
    public static PriceTable Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new PriceTableException([new Problem(ProblemCodes.FileNotReadable, "$", $"'{path}' cannot be read: {ex.Message}")]);
        }

        return Parse(bytes);
    }

    /// <summary>
    /// This table extended and overridden by <paramref name="overrides"/>: a row of the same provider,
    /// model and effective date replaces this table's; other rows are added (a new model, or a new
    /// price from a later date). The merged table takes the overrides' version.
    /// </summary>
    public PriceTable WithOverrides(PriceTable overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var replaced = new HashSet<(string, string, DateOnly)>(overrides.Models.Select(Key), KeyComparer.Instance);
        var merged = Models.Where(row => !replaced.Contains(Key(row))).Concat(overrides.Models);
        return new PriceTable(overrides.Version, merged);

        static (string, string, DateOnly) Key(ModelPrice row) => (row.Provider, row.ModelId, row.EffectiveFrom);
    }

    /// <summary>
    /// The row that prices <paramref name="modelId"/> at <paramref name="at"/>: the latest row effective on
    /// that day (the earliest row for older events), preferring <paramref name="provider"/>'s rows when it has any.
    /// </summary>
    /// <remarks>
    /// Ids resolve by name or alias, case-insensitively; an unlisted dated or decorated id (a date suffix
    /// such as <c>-2024-08-06</c>, <c>-20241022</c> or <c>@20240620</c>, <c>-latest</c>, a <c>-v2:0</c>
    /// revision, a <c>provider/</c> or <c>provider.</c> prefix) resolves to its base entry.
    /// </remarks>
    /// <returns>The row, or <see langword="null"/> for a model the table does not know.</returns>
    public ModelPrice? Find(string modelId, DateTimeOffset at, string? provider = null)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        var rows = Candidates(modelId);
        if (rows is null)
        {
            return null;
        }

        var chosen = rows[0].Provider;
        if (provider is not null)
        {
            foreach (var row in rows)
            {
                if (string.Equals(row.Provider, provider, StringComparison.OrdinalIgnoreCase))
                {
                    chosen = row.Provider;
                    break;
                }
            }
        }

        var day = DateOnly.FromDateTime(at.UtcDateTime);
        ModelPrice? earliest = null, best = null;
        foreach (var row in rows)
        {
            if (!string.Equals(row.Provider, chosen, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            earliest ??= row;
            if (row.EffectiveFrom <= day)
            {
                best = row;
            }
        }

        return best ?? earliest;
    }

    /// <summary>The base model id that <paramref name="modelId"/> resolves to, or <see langword="null"/> when unknown.</summary>
    public string? ResolveModelId(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        return Candidates(modelId)?[0].ModelId;
    }

    private ModelPrice[]? Candidates(string modelId)
    {
        if (_byId.TryGetValue(modelId, out var rows))
        {
            return rows;
        }

        if (_normalized.TryGetValue(modelId, out rows))
        {
            return rows;
        }

        rows = Normalize(modelId);
        if (_normalized.Count < MaxCachedResolutions)
        {
            _normalized.TryAdd(modelId, rows);
        }

        return rows;
    }

    private ModelPrice[]? Normalize(string modelId)
    {
        var id = modelId.Trim();
        var slash = id.LastIndexOf('/');
        if (slash >= 0 && slash < id.Length - 1)
        {
            id = id[(slash + 1)..];
        }

        var dot = id.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && _providers.Contains(id[..dot]))
        {
            id = id[(dot + 1)..];
        }

        while (true)
        {
            if (_byId.TryGetValue(id, out var rows))
            {
                return rows;
            }

            var match = DecorationSuffix().Match(id);
            if (!match.Success)
            {
                return null;
            }

            id = match.Groups["id"].Value;
        }
    }

    private static string VersionOf(string version, ModelPrice row) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{version}:{row.Provider}/{row.ModelId}@{row.EffectiveFrom:yyyy-MM-dd}");

    private static PriceTable LoadDefault()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream("AnalyticsHub.Cost.DefaultPriceTable.json")
            ?? throw new InvalidOperationException("The default price table is missing from the assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray());
    }

    [GeneratedRegex(@"^(?<id>.+?)(?:-\d{4}-\d{2}-\d{2}|-\d{8}|-\d{4}|-\d{3}|@\d{8}|@latest|-latest|-v\d+(?::\d+)?)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, 100)]
    private static partial Regex DecorationSuffix();

    private sealed class KeyComparer : IEqualityComparer<(string Provider, string Model, DateOnly From)>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals((string Provider, string Model, DateOnly From) x, (string Provider, string Model, DateOnly From) y) =>
            string.Equals(x.Provider, y.Provider, StringComparison.OrdinalIgnoreCase)
            && string.Equals(x.Model, y.Model, StringComparison.OrdinalIgnoreCase)
            && x.From == y.From;

        public int GetHashCode((string Provider, string Model, DateOnly From) obj) => HashCode.Combine(
            StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Provider),
            StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Model),
            obj.From);
    }
}
