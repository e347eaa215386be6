namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// A (model, region) `throughput` series a rate-boosting incident adds traffic to, with the expected rates
/// at its plateau and whether the truth lists it.
/// </summary>
/// <param name="IncidentId">The incident's truth id.</param>
/// <param name="Model">The model's index in the world.</param>
/// <param name="Region">The region's index.</param>
/// <param name="Scope">How the incident reaches it: <c>primary</c> (a tenant's primary model), <c>secondary</c> or <c>attacker</c>.</param>
/// <param name="IncidentStart">The incident's start.</param>
/// <param name="PlateauStart">The start of the incident's full effect.</param>
/// <param name="PlateauEnd">The end of the incident's full effect.</param>
/// <param name="BaselinePerSecond">The series' expected request rate without the incident, mid-plateau.</param>
/// <param name="AddedPerSecond">The incident's expected added rate on the series, mid-plateau.</param>
/// <param name="Z">The rise in standard deviations of the series' own variation (<see cref="TrafficModel.RiseZ"/>).</param>
/// <param name="Listed">Whether the truth lists the series.</param>
internal sealed record VolumeCandidate(
    string IncidentId,
    int Model,
    int Region,
    string Scope,
    long IncidentStart,
    long PlateauStart,
    long PlateauEnd,
    double BaselinePerSecond,
    double AddedPerSecond,
    double Z,
    bool Listed);
