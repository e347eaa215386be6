namespace AnalyticsHub.Policies;

/// <summary>What a policy variable reads: a field of the request, a budget's state, or the registry's status of the model.</summary>
/// <param name="Kind">What it reads.</param>
/// <param name="Argument">The tag key (<see cref="PolicyVariableKind.RequestTag"/>) or the budget name; otherwise null.</param>
internal readonly record struct PolicyVariable(PolicyVariableKind Kind, string? Argument);
