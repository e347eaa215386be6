namespace AnalyticsHub.Storage;

/// <summary>What decoding a cursor found.</summary>
internal enum CursorStatus
{
    Valid,
    Malformed,
    WrongVersion,
    OtherQuery,
}
