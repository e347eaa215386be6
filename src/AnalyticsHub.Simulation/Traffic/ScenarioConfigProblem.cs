namespace AnalyticsHub.Simulation.Traffic;

/// <summary>One problem of a scenario config.</summary>
/// <param name="Path">The JSON path of the offending value, e.g. <c>$.incidents[1].start_minutes</c>.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record ScenarioConfigProblem(string Path, string Message);
