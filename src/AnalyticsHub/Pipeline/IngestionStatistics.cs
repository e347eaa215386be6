namespace AnalyticsHub.Pipeline;

/// <summary>
/// A snapshot of the ingestion accounting. Exact at any quiet moment: <see cref="Offered"/> =
/// <see cref="Invalid"/> + <see cref="Refused"/> + <see cref="Dropped"/> + <see cref="Accepted"/>,
/// and <see cref="Accepted"/> = <see cref="Stored"/> + <see cref="Duplicates"/> + <see cref="Failed"/> + <see cref="InFlight"/>.
/// </summary>
public sealed record IngestionStatistics
{
    /// <summary>Items offered to ingestion by callers (derived events not included).</summary>
    public required long Offered { get; init; }

    /// <summary>Items rejected by reading or validation.</summary>
    public required long Invalid { get; init; }

    /// <summary>Items refused by backpressure.</summary>
    public required long Refused { get; init; }

    /// <summary>Items dropped by the drop-newest mode.</summary>
    public required long Dropped { get; init; }

    /// <summary>Items that entered the queue.</summary>
    public required long Accepted { get; init; }

    /// <summary>Accepted items newly stored.</summary>
    public required long Stored { get; init; }

    /// <summary>Accepted items that were already stored.</summary>
    public required long Duplicates { get; init; }

    /// <summary>Accepted items whose storing failed after the retries, or that a stop cut short.</summary>
    public required long Failed { get; init; }

    /// <summary>Accepted items not yet finished.</summary>
    public long InFlight => Accepted - Stored - Duplicates - Failed;

    /// <summary>Events the hub derived itself and stored (anomalies, costs, alerts, ...).</summary>
    public required long Derived { get; init; }

    /// <summary>Time-series points the store refused (cardinality or series limits); their events stay stored.</summary>
    public required long RejectedPoints { get; init; }

    /// <summary>Invalid items by their first error code.</summary>
    public required IReadOnlyDictionary<string, long> InvalidByCode { get; init; }

    /// <summary>Batches a stage gave up on after its retries, by stage name.</summary>
    public required IReadOnlyDictionary<string, long> StageFailures { get; init; }

    /// <summary>Batches a stage skipped because its circuit was open, by stage name; the events stayed stored.</summary>
    public required IReadOnlyDictionary<string, long> StageSkips { get; init; }

    /// <summary>
    /// The stages whose circuit is open or half-open (waiting for a probe), by name in ordinal order; empty when every
    /// stage runs (see <see cref="StageCircuitBreakerOptions"/>).
    /// </summary>
    public required IReadOnlyList<string> OpenCircuits { get; init; }

    /// <summary>How many store writes in a row have given up on their batch; 0 once a write succeeds.</summary>
    public required int StoreFailuresInARow { get; init; }

    /// <summary>The <c>error.type</c> of the last store write that gave up (an exception's type name or <c>timeout</c>); null if none has.</summary>
    public string? LastStoreError { get; init; }

    /// <summary>Values redacted, by rule name.</summary>
    public required IReadOnlyDictionary<string, long> Redactions { get; init; }

    /// <summary>Events waiting in the queue.</summary>
    public required int QueueDepth { get; init; }
}
