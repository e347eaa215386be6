namespace AnalyticsHub.Events.Redaction;

/// <summary>What a redaction rule does to what it matches.</summary>
public enum RedactionAction
{
    /// <summary>Replace each match inside the value with the rule's replacement, keeping the rest.</summary>
    Mask,

    /// <summary>Drop the whole value: a tag is removed, a field's whole text is replaced.</summary>
    Drop,
}
