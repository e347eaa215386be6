namespace AnalyticsHub.Expressions;

/// <summary>What a field path was bound to.</summary>
internal enum FieldBindingKind
{
    Variable,
    Common,
    Tag,
    Payload,
    PayloadMap,
}
