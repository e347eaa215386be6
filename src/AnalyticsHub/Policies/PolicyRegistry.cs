using AnalyticsHub.Events;
using AnalyticsHub.Metadata;

namespace AnalyticsHub.Policies;

/// <summary>
/// The stored policies (<see cref="Policies"/>, a metadata kind: versioned, soft-deleted, listed like assets) and the
/// compiled snapshot the evaluator and the <c>policies</c> stage read. Every rule condition is compiled when a policy
/// is written; one that does not compile refuses the write with its code, path and position.
/// </summary>
/// <remarks>
/// The snapshot is loaded from the store on first use and follows this registry's own writes at once; call
/// <see cref="RefreshAsync"/> after another process changed a shared store. Thread-safe.
/// </remarks>
public sealed class PolicyRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MetadataEntry<PolicyDefinition>> _entries = new(StringComparer.Ordinal);
    private volatile PolicySnapshot _snapshot = PolicySnapshot.Empty;
    private volatile bool _loaded;
    private long _version;

    /// <summary>Creates the registry over the metadata store.</summary>
    /// <param name="store">Where the policies live (beside assets and dashboards).</param>
    /// <param name="timeProvider">The clock that stamps <c>created_at</c> and <c>updated_at</c>; the system clock by default.</param>
    public PolicyRegistry(IMetadataStore store, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        Policies = new(store, new PolicyDocumentType(Variables), new MetadataValidator([]), timeProvider ?? TimeProvider.System, ChangedAsync);
    }

    /// <summary>The policies, keyed by <c>policy_id</c>; list filters <c>policy_type</c>, <c>status</c>, <c>enforcement</c>, <c>scope_type</c>, <c>owner</c>, <c>team</c>, <c>target.&lt;value&gt;</c>.</summary>
    public MetadataCollection<PolicyDefinition> Policies { get; }

    /// <summary>The version of the snapshot in force; it grows with every change.</summary>
    public long SnapshotVersion => _snapshot.Version;

    /// <summary>How many policies and enabled rules are in force (active or monitored).</summary>
    public (int Policies, int Rules) InForce => (_snapshot.PolicyCount, _snapshot.RuleCount);

    /// <summary>Rules of stored policies left out of the snapshot because they no longer compile, with their codes and paths.</summary>
    public IReadOnlyList<Problem> SnapshotProblems => _snapshot.Problems;

    /// <summary>The variables catalog every condition is compiled against.</summary>
    internal PolicyVariables Variables { get; } = new();

    /// <summary>The snapshot in force, loading it on first use.</summary>
    internal PolicySnapshot Snapshot
    {
        get
        {
            if (!_loaded)
            {
                // A host may evaluate before anything loaded the policies: evaluating none would allow everything.
                RefreshAsync().AsTask().GetAwaiter().GetResult();
            }

            return _snapshot;
        }
    }

    /// <summary>Reloads every policy from the store and builds a new snapshot.</summary>
    public async ValueTask RefreshAsync(CancellationToken cancellationToken = default)
    {
        var loaded = await Policies.ListAllAsync(null, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            Policies.ReplaceKeepingNewer(_entries, loaded);
            Rebuild();
            _loaded = true;
        }
    }

    /// <summary>Loads the snapshot on first use.</summary>
    internal ValueTask EnsureLoadedAsync(CancellationToken cancellationToken) => _loaded ? ValueTask.CompletedTask : RefreshAsync(cancellationToken);

    private async ValueTask ChangedAsync(MetadataEntry<PolicyDefinition> entry, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var id = entry.Item.PolicyId;
            if (_entries.TryGetValue(id, out var known) && known.Revision >= entry.Revision)
            {
                return;
            }

            _entries[id] = entry;
            Rebuild();
        }
    }

    /// <summary>Builds and publishes a new snapshot from <see cref="_entries"/>; under <see cref="_gate"/>.</summary>
    private void Rebuild() => _snapshot = PolicySnapshot.Build(_entries.Values, Variables, ++_version);
}
