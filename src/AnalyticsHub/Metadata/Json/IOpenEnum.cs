namespace AnalyticsHub.Metadata.Json;

/// <summary>An enum of the wire with a data-carrying <c>Custom(String)</c> variant (spec 1.1): known names, or <c>{"custom": "..."}</c>.</summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
internal interface IOpenEnum<TSelf>
    where TSelf : struct, IOpenEnum<TSelf>
{
    /// <summary>The known wire names.</summary>
    static abstract IReadOnlyList<string> KnownNames { get; }

    /// <summary>The known value of a wire name (already matched against <see cref="KnownNames"/>).</summary>
    static abstract TSelf FromKnown(string name);

    /// <summary>The custom variant with a free-text name.</summary>
    static abstract TSelf FromCustom(string name);

    /// <summary>The wire name of a known value; null for a custom one.</summary>
    string? KnownName { get; }

    /// <summary>The free-text name of a custom value; null for a known one.</summary>
    string? CustomName { get; }
}
