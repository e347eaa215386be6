using System.Text.Json.Serialization.Metadata;
using AnalyticsHub.Events;

namespace AnalyticsHub.Metadata;

/// <summary>Assets: filters <c>asset_type</c>, <c>status</c>, <c>name</c>, <c>owner</c>, <c>team</c>, <c>provider</c> (models) and <c>tag.&lt;key&gt;</c>.</summary>
internal sealed class AssetDocumentType : MetadataDocumentType<AssetMetadata>
{
    public static readonly AssetDocumentType Instance = new();

    private static readonly HashSet<string> Keys = ["asset_type", "status", "name", "owner", "team", "provider"];

    public override MetadataKind Kind => MetadataKind.Asset;

    public override JsonTypeInfo<AssetMetadata> Json => MetadataJsonContext.Default.AssetMetadata;

    public override string IdField => "asset_id";

    public override IReadOnlySet<string> FilterKeys => Keys;

    public override IReadOnlyList<string> FilterPrefixes { get; } = ["tag."];

    public override string IdOf(AssetMetadata item) => item.AssetId;

    public override void Validate(AssetMetadata item, MetadataValidator validator, List<Problem> problems) => MetadataValidator.Asset(item, problems);

    public override Dictionary<string, string> Index(AssetMetadata item)
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["asset_type"] = item.AssetType.KnownName ?? "custom:" + item.AssetType.CustomName,
            ["status"] = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(item.Status.ToString()),
            ["name"] = item.Name,
        };
        IndexOwner(index, item.Owner);
        if (item.Metadata is ModelMetadata model)
        {
            index["provider"] = model.Provider;
        }

        foreach (var (key, value) in item.Tags)
        {
            index["tag." + key] = value;
        }

        return index;
    }

    public override AssetMetadata Stamp(AssetMetadata item, AssetMetadata? previous, DateTimeOffset now) =>
        item with { CreatedAt = previous?.CreatedAt ?? now, UpdatedAt = now };

    public override AssetMetadata AsDeleted(AssetMetadata item) => item with { Status = AssetStatus.Deleted };
}

/// <summary>Dashboards: filters <c>owner</c>, <c>team</c>, <c>visibility</c>, <c>shared_with.&lt;user&gt;</c> and <c>shared_with_team.&lt;team&gt;</c>.</summary>
internal sealed class DashboardDocumentType : MetadataDocumentType<DashboardConfig>
{
    public static readonly DashboardDocumentType Instance = new();

    private static readonly HashSet<string> Keys = ["owner", "team", "visibility"];

    public override MetadataKind Kind => MetadataKind.Dashboard;

    public override JsonTypeInfo<DashboardConfig> Json => MetadataJsonContext.Default.DashboardConfig;

    public override string IdField => "dashboard_id";

    public override IReadOnlySet<string> FilterKeys => Keys;

    public override IReadOnlyList<string> FilterPrefixes { get; } = ["shared_with.", "shared_with_team."];

    public override string IdOf(DashboardConfig item) => item.DashboardId;

    public override void Validate(DashboardConfig item, MetadataValidator validator, List<Problem> problems) => validator.Dashboard(item, problems);

    public override Dictionary<string, string> Index(DashboardConfig item)
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["visibility"] = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(item.Visibility.Visibility.ToString()),
        };
        IndexOwner(index, item.Owner);
        foreach (var user in item.Visibility.SharedWith)
        {
            index["shared_with." + user] = "true";
        }

        foreach (var team in item.Visibility.SharedWithTeams)
        {
            index["shared_with_team." + team] = "true";
        }

        return index;
    }

    public override DashboardConfig Stamp(DashboardConfig item, DashboardConfig? previous, DateTimeOffset now) =>
        item with { CreatedAt = previous?.CreatedAt ?? now, UpdatedAt = now };
}

/// <summary>User preferences, one document per user: filter <c>favorite.&lt;dashboard_id&gt;</c> (who has a dashboard among their favourites).</summary>
internal sealed class UserPreferencesDocumentType : MetadataDocumentType<UserPreferences>
{
    public static readonly UserPreferencesDocumentType Instance = new();

    private static readonly HashSet<string> Keys = [];

    public override MetadataKind Kind => MetadataKind.UserPreferences;

    public override JsonTypeInfo<UserPreferences> Json => MetadataJsonContext.Default.UserPreferences;

    public override string IdField => "user_id";

    public override IReadOnlySet<string> FilterKeys => Keys;

    public override IReadOnlyList<string> FilterPrefixes { get; } = ["favorite."];

    public override string IdOf(UserPreferences item) => item.UserId;

    public override void Validate(UserPreferences item, MetadataValidator validator, List<Problem> problems) => validator.Preferences(item, problems);

    public override Dictionary<string, string> Index(UserPreferences item)
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dashboard in item.FavoriteDashboards)
        {
            index["favorite." + dashboard] = "true";
        }

        return index;
    }

    public override UserPreferences Stamp(UserPreferences item, UserPreferences? previous, DateTimeOffset now) => item with { UpdatedAt = now };
}
