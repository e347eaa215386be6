namespace AnalyticsHub.PostgreSql.Migrations;

/// <summary>One versioned step of the schema: its number, what it does, and its SQL with <c>{schema}</c> for the schema's quoted name.</summary>
internal sealed record Migration(int Version, string Description, string Sql);
