namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// A note that an outbox item belongs to an incident's stage (or is a decoy), committed only if the item is delivered;
/// with <paramref name="Member"/> false the item only marks the stage's onset (a request-level symptom, not a member).
/// </summary>
internal readonly record struct MemberMark(int Item, IncidentTruthBuilder? Truth, int Stage, string Role, DecoyBuilder? Decoy, bool Member = true);
