namespace AnalyticsHub.Correlation;

/// <summary>What the <c>correlation</c> stage retains, and what its bounds cost (counts since the hub started).</summary>
public sealed record CorrelationMemoryReport
{
    /// <summary>Incidents open now (reported or still candidates).</summary>
    public required int OpenIncidents { get; init; }

    /// <summary>Evidence waiting for the allowed lateness to pass.</summary>
    public required int BufferedEvidence { get; init; }

    /// <summary>Members listed by the open incidents.</summary>
    public required int Members { get; init; }

    /// <summary>Entity keys and sources held by the open incidents.</summary>
    public required int EntityKeys { get; init; }

    /// <summary>(tenant, address) pairs remembered to recognise an access from a new address.</summary>
    public required int KnownAddresses { get; init; }

    /// <summary>
    /// An estimate of all the bytes the stage retains: the grouping's (evidence with its events, keys, incidents, maps)
    /// plus <see cref="AnalysisBytes"/>.
    /// </summary>
    public required long EstimatedBytes { get; init; }

    /// <summary>
    /// The part of <see cref="EstimatedBytes"/> the analysis retains: the root-cause history of changes and sources, and
    /// the impact assessment's per-minute usage ledger.
    /// </summary>
    public required long AnalysisBytes { get; init; }

    /// <summary>Incidents reported so far.</summary>
    public required long IncidentsReported { get; init; }

    /// <summary>Incidents closed early at the open-incident cap.</summary>
    public required long IncidentsClosedAtCap { get; init; }

    /// <summary>Evidence not listed because an incident was at its member cap.</summary>
    public required long MembersOmitted { get; init; }

    /// <summary>Groups that closed below the minimum number of sources and were never reported.</summary>
    public required long CandidatesDropped { get; init; }

    /// <summary>Evidence that arrived later than the allowed lateness.</summary>
    public required long LateEvidence { get; init; }
}
