using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Events;

namespace AnalyticsHub.Cost;

/// <summary>Reads the price-table JSON format, collecting every problem with its code and JSON path.</summary>
internal static class PriceTableReader
{
    public const int SchemaVersion = 1;

    private static readonly JsonDocumentOptions Options = new()
    {
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 16,
    };

    public static PriceTable? Read(ReadOnlySpan<byte> utf8Json, List<Problem> errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), Options);
        }
        catch (JsonException ex)
        {
            errors.Add(new Problem(ProblemCodes.InvalidJson, "$", $"Not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}): {ex.Message}"));
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new Problem(ProblemCodes.InvalidType, "$", "A price table is a JSON object."));
                return null;
            }

            var before = errors.Count;
            if (Int(root, "schema_version", "$", errors) is { } schema && schema != SchemaVersion)
            {
                errors.Add(new Problem(ProblemCodes.UnsupportedSchemaVersion, "$.schema_version", $"Schema version {schema} is not supported; this library reads version {SchemaVersion}."));
            }

            var version = Id(root, "version", "$", errors);
            var rows = new List<(ModelPrice Row, string Path)>();
            if (Array(root, "providers", "$", errors) is { } providers)
            {
                var i = 0;
                foreach (var provider in providers.EnumerateArray())
                {
                    ReadProvider(provider, $"$.providers[{i++}]", rows, errors);
                }
            }

            CheckDuplicates(rows, errors);
            return errors.Count > before || version is null ? null : new PriceTable(version, rows.Select(r => r.Row));
        }
    }

    private static void ReadProvider(JsonElement provider, string path, List<(ModelPrice Row, string Path)> rows, List<Problem> errors)
    {
        if (provider.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new Problem(ProblemCodes.InvalidType, path, "A provider is a JSON object."));
            return;
        }

        var id = Id(provider, "id", path, errors);
        var source = OptionalString(provider, "source", path, errors);
        var readOn = OptionalDate(provider, "read_on", path, errors);
        if (Array(provider, "models", path, errors) is not { } models || id is null)
        {
            return;
        }

        var i = 0;
        foreach (var model in models.EnumerateArray())
        {
            var modelPath = $"{path}.models[{i++}]";
            if (model.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new Problem(ProblemCodes.InvalidType, modelPath, "A model is a JSON object."));
                continue;
            }

            var modelId = Id(model, "id", modelPath, errors);
            var aliases = new List<string>();
            if (model.TryGetProperty("aliases", out var aliasArray) && aliasArray.ValueKind != JsonValueKind.Null)
            {
                if (aliasArray.ValueKind != JsonValueKind.Array)
                {
                    errors.Add(new Problem(ProblemCodes.InvalidType, modelPath + ".aliases", "Aliases are a JSON array of strings."));
                }
                else
                {
                    var a = 0;
                    foreach (var alias in aliasArray.EnumerateArray())
                    {
                        if (CheckId(alias, $"{modelPath}.aliases[{a++}]", errors) is { } name)
                        {
                            aliases.Add(name);
                        }
                    }
                }
            }

            var effectiveFrom = Date(model, "effective_from", modelPath, errors);
            var rowSource = OptionalString(model, "source", modelPath, errors) ?? source;
            var rowReadOn = OptionalDate(model, "read_on", modelPath, errors) ?? readOn;
            if (rowSource is null)
            {
                errors.Add(new Problem(ProblemCodes.MissingField, modelPath + ".source", "Every row names its source (on the model or its provider)."));
            }

            if (rowReadOn is null)
            {
                errors.Add(new Problem(ProblemCodes.MissingField, modelPath + ".read_on", "Every row names the date its prices were read (on the model or its provider)."));
            }

            var prices = Required(model, "prices", modelPath, errors) is { } p ? Prices(p, modelPath + ".prices", errors) : null;
            var tiers = Tiers(model, modelPath, errors);
            if (modelId is null || effectiveFrom is null || rowSource is null || rowReadOn is null || prices is null || tiers is null)
            {
                continue;
            }

            rows.Add((new ModelPrice
            {
                Provider = id,
                ModelId = modelId,
                Aliases = aliases,
                EffectiveFrom = effectiveFrom.Value,
                Prices = prices,
                Tiers = tiers,
                Source = rowSource,
                ReadOn = rowReadOn.Value,
            }, modelPath));
        }
    }

    private static List<PriceTier>? Tiers(JsonElement model, string modelPath, List<Problem> errors)
    {
        var tiers = new List<PriceTier>();
        if (!model.TryGetProperty("tiers", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return tiers;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new Problem(ProblemCodes.InvalidType, modelPath + ".tiers", "Tiers are a JSON array."));
            return null;
        }

        var ok = true;
        var i = 0;
        foreach (var tier in array.EnumerateArray())
        {
            var path = $"{modelPath}.tiers[{i++}]";
            if (tier.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new Problem(ProblemCodes.InvalidType, path, "A tier is a JSON object."));
                ok = false;
                continue;
            }

            var above = Int(tier, "above_prompt_tokens", path, errors);
            if (above is < 0 or > uint.MaxValue)
            {
                errors.Add(new Problem(ProblemCodes.InvalidPrice, path + ".above_prompt_tokens", $"A tier size is a token count from 0 to {uint.MaxValue}; it is {above}."));
                above = null;
            }

            var prices = Required(tier, "prices", path, errors) is { } p ? Prices(p, path + ".prices", errors) : null;
            if (above is null || prices is null)
            {
                ok = false;
                continue;
            }

            if (tiers.Count > 0 && tiers[^1].AbovePromptTokens >= above)
            {
                errors.Add(new Problem(ProblemCodes.UnorderedTiers, path + ".above_prompt_tokens", $"Tiers must be in strictly ascending order of above_prompt_tokens; {above} follows {tiers[^1].AbovePromptTokens}."));
                ok = false;
                continue;
            }

            tiers.Add(new PriceTier { AbovePromptTokens = (uint)above.Value, Prices = prices });
        }

        return ok ? tiers : null;
    }

    private static TokenPrices? Prices(JsonElement prices, string path, List<Problem> errors)
    {
        if (prices.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new Problem(ProblemCodes.InvalidType, path, "Prices are a JSON object of USD per million tokens."));
            return null;
        }

        var before = errors.Count;
        var input = Price(prices, "input", path, required: true, errors);
        var output = Price(prices, "output", path, required: true, errors);
        var cached = Price(prices, "cached_input", path, required: false, errors);
        var cacheWrite = Price(prices, "cache_write", path, required: false, errors);
        var reasoning = Price(prices, "reasoning", path, required: false, errors);
        return errors.Count > before || input is null || output is null
            ? null
            : new TokenPrices { Input = input.Value, Output = output.Value, CachedInput = cached, CacheWrite = cacheWrite, Reasoning = reasoning };
    }

    private static decimal? Price(JsonElement prices, string name, string path, bool required, List<Problem> errors)
    {
        var at = path + "." + name;
        if (!prices.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(new Problem(ProblemCodes.MissingField, at, $"'{name}' (USD per million tokens) is required."));
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Add(new Problem(ProblemCodes.InvalidType, at, $"'{name}' is a number of USD per million tokens; it is a {Kind(value)}."));
            return null;
        }

        if (!value.TryGetDecimal(out var price) || price < 0)
        {
            errors.Add(new Problem(ProblemCodes.InvalidPrice, at, $"'{name}' must be a non-negative number of USD per million tokens; it is {value.GetRawText()}."));
            return null;
        }

        return price;
    }

    private static void CheckDuplicates(List<(ModelPrice Row, string Path)> rows, List<Problem> errors)
    {
        var seen = new Dictionary<(string, string, DateOnly), string>();
        foreach (var (row, path) in rows)
        {
            foreach (var name in row.Aliases.Prepend(row.ModelId))
            {
                var key = (row.Provider.ToUpperInvariant(), name.ToUpperInvariant(), row.EffectiveFrom);
                if (!seen.TryAdd(key, path))
                {
                    errors.Add(new Problem(ProblemCodes.DuplicateModel, path, $"'{name}' of '{row.Provider}' effective {row.EffectiveFrom:yyyy-MM-dd} is already priced at {seen[key]}."));
                }
            }
        }
    }

    private static JsonElement? Required(JsonElement obj, string name, string path, List<Problem> errors)
    {
        if (obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        errors.Add(new Problem(ProblemCodes.MissingField, path + "." + name, $"'{name}' is required."));
        return null;
    }

    private static JsonElement? Array(JsonElement obj, string name, string path, List<Problem> errors)
    {
        if (Required(obj, name, path, errors) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new Problem(ProblemCodes.InvalidType, path + "." + name, $"'{name}' is a JSON array; it is a {Kind(value)}."));
            return null;
        }

        return value;
    }

    private static long? Int(JsonElement obj, string name, string path, List<Problem> errors)
    {
        if (Required(obj, name, path, errors) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            errors.Add(new Problem(ProblemCodes.InvalidType, path + "." + name, $"'{name}' is an integer; it is {value.GetRawText()}."));
            return null;
        }

        return number;
    }

    private static string? Id(JsonElement obj, string name, string path, List<Problem> errors) =>
        Required(obj, name, path, errors) is { } value ? CheckId(value, path + "." + name, errors) : null;

    private static string? CheckId(JsonElement value, string path, List<Problem> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new Problem(ProblemCodes.InvalidType, path, $"An id is a string; it is a {Kind(value)}."));
            return null;
        }

        var id = value.GetString()!;
        if (id.Length == 0 || id.Trim().Length != id.Length)
        {
            errors.Add(new Problem(ProblemCodes.InvalidId, path, $"An id must be non-empty without surrounding white space; it is '{id}'."));
            return null;
        }

        return id;
    }

    private static string? OptionalString(JsonElement obj, string name, string path, List<Problem> errors)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            errors.Add(new Problem(ProblemCodes.InvalidType, path + "." + name, $"'{name}' is a non-empty string."));
            return null;
        }

        return text;
    }

    private static DateOnly? Date(JsonElement obj, string name, string path, List<Problem> errors) =>
        Required(obj, name, path, errors) is { } value ? ParseDate(value, path + "." + name, errors) : null;

    private static DateOnly? OptionalDate(JsonElement obj, string name, string path, List<Problem> errors) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? ParseDate(value, path + "." + name, errors) : null;

    private static DateOnly? ParseDate(JsonElement value, string path, List<Problem> errors)
    {
        if (value.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(new Problem(ProblemCodes.InvalidDate, path, $"A date is a string 'yyyy-MM-dd'; it is {value.GetRawText()}."));
        return null;
    }

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();
}
