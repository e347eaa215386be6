namespace AnalyticsHub.Cost;

/// <summary>The catalogue of price-table error codes.</summary>
public static class PriceTableErrorCodes
{
    /// <summary>The document is not JSON (or has a duplicate key); the message names the byte offset.</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>The <c>schema_version</c> is not one this library reads (1).</summary>
    public const string UnsupportedSchemaVersion = "unsupported_schema_version";

    /// <summary>A required member is missing.</summary>
    public const string MissingField = "missing_field";

    /// <summary>A member has the wrong JSON type (e.g. a string where a number belongs).</summary>
    public const string InvalidType = "invalid_type";

    /// <summary>A price is negative or not a number, or a count is out of range.</summary>
    public const string InvalidPrice = "invalid_price";

    /// <summary>A date is not <c>yyyy-MM-dd</c>.</summary>
    public const string InvalidDate = "invalid_date";

    /// <summary>An id is empty or has white space around it.</summary>
    public const string InvalidId = "invalid_id";

    /// <summary>Two rows of one provider name the same model (or alias) with the same effective date.</summary>
    public const string DuplicateModel = "duplicate_model";

    /// <summary>Tiers are not in strictly ascending order of <c>above_prompt_tokens</c>.</summary>
    public const string UnorderedTiers = "unordered_tiers";

    /// <summary>A price-table file cannot be read.</summary>
    public const string FileNotReadable = "file_not_readable";
}
