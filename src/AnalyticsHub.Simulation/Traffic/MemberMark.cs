namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A note that an outbox item belongs to an incident's stage (or is a decoy), committed only if the item is delivered.</summary>
internal readonly record struct MemberMark(int Item, IncidentTruthBuilder? Truth, int Stage, string Role, DecoyBuilder? Decoy);
