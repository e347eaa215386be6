using AnalyticsHub.Events;

namespace AnalyticsHub.Expressions;

/// <summary>A field path bound to where its value comes from; reading it allocates nothing.</summary>
internal sealed class FieldBinding
{
    public required FieldBindingKind Kind { get; init; }

    public required StaticType Type { get; init; }

    public int Slot { get; init; }

    public Func<AnalyticsEvent, Value>? Common { get; init; }

    public PayloadAccessor[]? Accessors { get; init; }

    public string? Key { get; init; }

    public Value Read(AnalyticsEvent? evt, IVariableSource? variables)
    {
        switch (Kind)
        {
            case FieldBindingKind.Variable:
                return variables is null ? Value.Null : variables.GetValue(Slot);
            case FieldBindingKind.Common:
                return evt is null ? Value.Null : Common!(evt);
            case FieldBindingKind.Tag:
                return evt is not null && evt.Common.Tags.TryGetValue(Key!, out var tag) ? Value.FromString(tag) : Value.Null;
            case FieldBindingKind.Payload:
                return evt is null ? Value.Null : PayloadAccessor.Read(Accessors!, evt.Payload);
            default:
                return evt is null ? Value.Null : PayloadAccessor.ReadKeyed(Accessors!, evt.Payload, Key!);
        }
    }
}
